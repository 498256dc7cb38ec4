import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import type { Actor, Area, CaseSource, Command, Snapshot } from '../../protocol';
import { Snapshot as SnapshotSchema } from '../../protocol';
import { mulberry32 } from '../../protocol/random';
import { type RunningServer, startServer } from '../../server/app/start';
import { ManualClock } from '../../server/clock';

export const ROOT = resolve(import.meta.dirname, '../..');
export const RENDERER_OUT = join(ROOT, 'out/renderer');

export const CHROME_ARGS = [
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // Several wall pages in one browser must all keep animating, as separate monitors would.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

export function chromePath(): string {
  return process.env.CHROME_PATH ?? '/usr/bin/chromium';
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromePath(), args: CHROME_ARGS, headless: true });
}

/** Builds the renderer into out/renderer unless a build newer than every renderer source exists. */
export async function ensureRendererBuilt(): Promise<void> {
  const index = join(RENDERER_OUT, 'index.html');
  if (process.env.GRIDWALL_SKIP_BUILD === '1' && existsSync(index)) return;
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
  if (!existsSync(index) || statSync(index).size === 0) throw new Error('renderer build produced no index.html');
}

/**
 * Server time at the start of every e2e server: a Wednesday, 10:00 in UTC+8 (working hours), so
 * deadlines, "today" and the simulator's hourly plans are the same on every run.
 */
export const E2E_START = Date.UTC(2026, 10, 25, 2, 0, 0);
export const MINUTE = 60_000;

export interface TestServer {
  server: RunningServer;
  /** Server time: it moves only when the test calls {@link TestServer.advance}. */
  clock: ManualClock;
  dataDir: string;
  url: string;
  port: number;
  /**
   * Plays `ms` of simulated time: the simulator (when on) does everything due, step by step, the
   * server runs its deadline marks and publishes after each step; resolves once the core is idle and
   * events, positions, today's KPIs and the rolling 30 days' are sent. Pages see the result some milliseconds later: wait
   * for the condition, never for time.
   */
  advance(ms: number): Promise<void>;
  /** Publishes what is pending now (events, positions, today's KPIs) without moving time. */
  publish(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * A real server in this process on a free port (then the same port after a restart), on a manual
 * clock from {@link E2E_START}: nothing happens on it unless the test seeds cases or advances time,
 * so every run sees the same district, cases, alerts and figures.
 */
export async function startTestServer(
  options: { preset?: 'small' | 'district'; seed?: number; toursDir?: string; simulate?: boolean } = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridwall-e2e-'));
  let clock = new ManualClock(E2E_START);
  const base = {
    ...(options.toursDir ? { toursDir: options.toursDir } : {}),
    host: '127.0.0.1',
    dataDir,
    preset: options.preset ?? 'small',
    seed: options.seed ?? 1,
    simulate: options.simulate ?? true,
  };
  let server = await startServer({ ...base, port: 0, clock });
  const port = server.port;
  let running = true;
  const publish = async (): Promise<void> => {
    await server.core.idle();
    await server.tick();
    server.hub.flush();
    server.hub.flushPositions();
    await server.kpis.todayFigures(0);
    // The rolling 30 days' rates too: on a manual clock "a minute of real time" means nothing.
    await server.kpis.rollingSummary(0);
    await server.hub.pushKpis();
  };
  const t: TestServer = {
    get server() {
      return server;
    },
    get clock() {
      return clock;
    },
    dataDir,
    url: server.url,
    port,
    async advance(ms) {
      const until = clock.now() + ms;
      if (server.simulator) await server.simulator.runUntil(clock, until, { afterStep: () => server.tick() });
      else clock.set(until);
      await publish();
    },
    publish,
    async restart() {
      clock = new ManualClock(clock.now());
      server = await startServer({ ...base, port, clock });
      running = true;
    },
    async stop() {
      if (running) await server.close();
      running = false;
    },
    async dispose() {
      await t.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}

const SUPERVISOR: Actor = { id: 'supervisor', name: '值班长', role: 'supervisor' };
const SOURCES: CaseSource[] = ['grid_worker', 'hotline', 'wechat', 'app', 'sensor', 'video'];

/**
 * Real cases through the server's own intake and lifecycle: reported, some filed and dispatched,
 * some urgent (their short limits raise warnings and overdue alerts as the simulated clock runs).
 */
export async function seedCases(server: RunningServer, count: number, seed = 1): Promise<void> {
  const rand = mulberry32(seed);
  const grids = server.preset.areas.filter((a: Area) => a.level === 'grid');
  const categories = server.preset.categories;
  const workers = server.preset.workers;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  for (let i = 0; i < count; i++) {
    const grid = pick(grids);
    const cat = pick(categories);
    const c = await server.core.report(
      {
        category: cat.code,
        source: pick(SOURCES),
        priority: rand() < 0.25 ? 'urgent' : 'normal',
        description: `${cat.name}，请尽快处理，联系电话13812345678`,
        location: { lng: grid.center[0], lat: grid.center[1], address: `${grid.name}附近` },
        reporter: { name: '张伟', phone: '13812345678' },
        media: [],
        selfHandled: false,
      },
      SUPERVISOR,
    );
    const r = rand();
    if (r < 0.35) continue;
    const filed = await command(server, { type: 'file', caseId: c.id, expectedVersion: c.version });
    if (!filed || r < 0.55) continue;
    const worker = workers.find((w) => w.gridId === c.gridId) ?? pick(workers);
    await command(server, {
      type: 'dispatch',
      caseId: c.id,
      expectedVersion: filed,
      assignee: { kind: 'worker', id: worker.id },
    });
  }
}

let commandCounter = 0;
async function command(server: RunningServer, partial: Record<string, unknown>): Promise<number | null> {
  const ack = await server.core.command({ commandId: `e2e-seed-${++commandCounter}`, ...partial } as Command, {
    actor: SUPERVISOR,
    username: 'supervisor',
    role: 'supervisor',
    remoteAddress: '127.0.0.1',
  });
  return ack.ok ? ack.case.version : null;
}

export async function login(url: string, username: string): Promise<string> {
  const res = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: username }),
  });
  if (!res.ok) throw new Error(`login ${username}: HTTP ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

/** A fresh snapshot as a `wall` client sees it, straight from the server's socket. */
export async function serverSnapshot(url: string): Promise<Snapshot> {
  const token = await login(url, 'wall');
  const socket: Socket = io(url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
  try {
    return await new Promise<Snapshot>((done, fail) => {
      socket.on('snapshot', (raw: unknown) => {
        const parsed = SnapshotSchema.safeParse(raw);
        if (parsed.success) done(parsed.data);
        else fail(new Error(parsed.error.message));
      });
      socket.on('connect_error', fail);
    });
  } finally {
    socket.disconnect();
  }
}

/** Polls `check` until it returns a value that is not null/false, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | null | false>, timeoutMs = 60_000): Promise<T> {
  const start = Date.now();
  let last: unknown = null;
  while (Date.now() - start < timeoutMs) {
    try {
      const v = await check();
      if (v !== null && v !== false) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** What {@link screenshotInPage} installs in a page. */
export type PixelPage = { gwPixels(b64: string): Promise<ImageData> };

/**
 * An element's screenshot as base64 PNG, with a decoder installed in the page (no PNG library
 * here): a function passed to `page.evaluate` gets the pixels with
 * `await (globalThis as unknown as PixelPage).gwPixels(b64)`.
 */
export async function screenshotInPage(page: Page, selector: string): Promise<string> {
  await page.evaluate(() => {
    const g = globalThis as unknown as Partial<PixelPage>;
    g.gwPixels ??= async (b64: string) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext('2d');
      if (!ctx) throw new Error('no 2d context');
      ctx.drawImage(img, 0, 0);
      return ctx.getImageData(0, 0, img.width, img.height);
    };
  });
  return (await page.locator(selector).first().screenshot()).toString('base64');
}

/** Fraction of distinct colours and non-background pixels in an element's screenshot (decoded in the page). */
export async function pixelStats(page: Page, selector: string): Promise<{ distinct: number; nonBackground: number }> {
  const b64 = await screenshotInPage(page, selector);
  return page.evaluate(async (png) => {
    const { data } = await (globalThis as unknown as PixelPage).gwPixels(png);
    const colours = new Set<number>();
    const bg = [data[0], data[1], data[2]];
    let differ = 0;
    for (let i = 0; i < data.length; i += 4) {
      const r = data[i] ?? 0;
      const gg = data[i + 1] ?? 0;
      const b = data[i + 2] ?? 0;
      colours.add((r << 16) | (gg << 8) | b);
      if (Math.abs(r - (bg[0] ?? 0)) + Math.abs(gg - (bg[1] ?? 0)) + Math.abs(b - (bg[2] ?? 0)) > 30) differ++;
    }
    return { distinct: colours.size, nonBackground: differ / (data.length / 4) };
  }, b64);
}

/**
 * Waits until a wall page has drawn what it has: the first snapshot in the store, the fonts
 * loaded, every map (cases, inspection) loaded and not moving. A condition, not a sleep.
 */
export async function waitForWall(page: Page, timeoutMs = 90_000): Promise<void> {
  await waitFor(
    'the first snapshot',
    () =>
      page.evaluate(
        () =>
          (globalThis as { __gridwall?: { store: { getState(): { ready: boolean } } } }).__gridwall?.store.getState()
            .ready === true,
      ),
    timeoutMs,
  );
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  // Scenes load as separate chunks: a map whose chunk has not arrived is not in the page yet.
  await waitFor(
    'every scene to load its code',
    () => page.evaluate(() => document.querySelector('[data-testid=scene-loading]') === null),
    timeoutMs,
  );
  await waitFor(
    'the maps to load and stand still',
    () =>
      page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('[data-testid=map], [data-testid=inspection-map]')].every(
          (el) => el.dataset.loaded === '1' && (el.dataset.moving ?? '0') === '0',
        ),
      ),
    timeoutMs,
  );
}

/**
 * A screenshot of a page that has stopped changing: shots are taken until two in a row are the
 * same (charts' throttled draws, map tiles and label placement have landed). `mask` paints over what
 * moves by design in a box of fixed size (video pictures); `hide` takes out of the layout what moves
 * and changes width (a clock, a lag in ms), so that its neighbours do not shift. Fails after
 * `timeoutMs` when the page never stands still.
 */
export async function stillScreenshot(
  page: Page,
  options: { mask?: string[]; hide?: string[]; timeoutMs?: number; fullPage?: boolean } = {},
): Promise<Buffer> {
  const hide = options.hide?.length ? `${options.hide.join(', ')} { display: none !important; }` : undefined;
  const shot = () =>
    page.screenshot({
      animations: 'disabled',
      caret: 'hide',
      mask: (options.mask ?? []).map((s) => page.locator(s)),
      ...(hide ? { style: hide } : {}),
      fullPage: options.fullPage ?? false,
    });
  let last = await shot();
  return waitFor(
    'the page to stand still (two equal screenshots in a row)',
    async () => {
      const next = await shot();
      const same = next.equals(last);
      last = next;
      return same ? next : null;
    },
    options.timeoutMs ?? 60_000,
  );
}
