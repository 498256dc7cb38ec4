import { chromium, type Page } from 'playwright-core';
import type { Area } from '../../protocol';
import { mulberry32 } from '../../protocol/random';
import type { RunningServer } from '../../server/app/start';
import { drive, openConsole, selectByKeyboard, someCase, startConsoleServer } from '../e2e/console.helpers';
import { CHROME_ARGS, chromePath, ensureRendererBuilt, launchBrowser, seedCases, waitFor } from '../e2e/harness';

/**
 * The dispatch console's speed, in a real browser against a real server on loopback:
 * - dispatch → wall: from the key that sends a dispatch (Enter in the dispatch dialog, opened
 *   with D) to the first animation frame of a wall page whose store holds the dispatched case;
 * - scrolling a 10,000-case queue: frame times while the list scrolls at a steady speed.
 * Headless Chromium on a shared machine: compare runs made on one machine. The scroll is measured
 * with software compositing (maps still draw with SwiftShader's WebGL): SwiftShader's GL compositor
 * on two busy cores takes 60–120 ms a frame for any page that moves, which would measure the emulated
 * GPU, not the console. The wall's frame time is reported beside dispatch → wall: the wall applies
 * the stream once per animation frame, so its frame rate bounds how soon it shows anything.
 */
export interface ConsoleBenchOptions {
  dispatches?: number;
  queueSize?: number;
  scrollSeconds?: number;
}

export async function benchConsole(options: ConsoleBenchOptions = {}): Promise<Record<string, number | string>> {
  const dispatches = options.dispatches ?? 40;
  const queueSize = options.queueSize ?? 10_000;
  const scrollSeconds = options.scrollSeconds ?? 6;
  await ensureRendererBuilt();
  // The wall draws its maps and charts with WebGL: the browser the e2e tests use.
  const browser = await launchBrowser();
  // Scrolling is measured with software compositing (see above).
  const softBrowser = await chromium.launch({
    executablePath: chromePath(),
    args: [...CHROME_ARGS, '--disable-gpu-compositing'],
    headless: true,
  });
  const figures: Record<string, number | string> = {};
  try {
    // ---- dispatch key → wall ----
    const t = await startConsoleServer({ preset: 'small', seed: 3 });
    try {
      await seedCases(t.server, dispatches * 2, 5);
      // Every case dispatched in the loop is filed first (by the server's core, not timed).
      for (const c of [...t.server.core.cases.values()].filter((x) => x.status === 'reported')) {
        await drive(t, c.id, [{ type: 'file' }]);
      }
      const context = await browser.newContext({
        viewport: { width: 1920, height: 1080 },
        timezoneId: 'Asia/Shanghai',
      });
      await context.addInitScript(NAME_SHIM);
      const wall = await context.newPage();
      await wall.goto(`${t.url}/wall?layout=single`);
      await waitFor(
        'the wall',
        () =>
          wall.evaluate(
            () =>
              (globalThis as unknown as { __gridwall?: { store: StoreLike } }).__gridwall?.store.getState().ready ===
              true,
          ),
        120_000,
      );
      const desk = await openConsole(context, t.url);
      await desk.evaluate(() => {
        const w = globalThis as unknown as { __benchKeys: number[] };
        w.__benchKeys = [];
        addEventListener(
          'keydown',
          (e) => {
            if ((e as KeyboardEvent).key === 'Enter') w.__benchKeys.push(performance.timeOrigin + e.timeStamp);
          },
          true,
        );
      });
      // The wall's own frame times while it waits: it applies the stream once per animation frame.
      await wall.evaluate(() => {
        const g = globalThis as unknown as { __benchFrames: number[] };
        g.__benchFrames = [];
        let last = performance.now();
        const tick = (now: number) => {
          g.__benchFrames.push(now - last);
          last = now;
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
      const samples: number[] = [];
      const parts = { page: [] as number[], answer: [] as number[], wall: [] as number[] };
      for (let i = 0; i < dispatches; i++) {
        const c = someCase(t, 'filed');
        await selectByKeyboard(desk, c.code);
        await desk.keyboard.press('d');
        await desk.locator('[data-testid=action-dialog][data-action=dispatch] [aria-pressed=true]').waitFor();
        const shown = wall.evaluate(awaitDispatchOnWall, c.id);
        await desk.keyboard.press('Enter');
        const shownAt = await shown;
        const marks = await desk.evaluate(() => {
          const g = globalThis as unknown as {
            __benchKeys: number[];
            __gridwallConsole: { marks: Map<string, { queuedAt: number; appliedAt: number | null }> };
          };
          const last = [...g.__gridwallConsole.marks.values()].at(-1);
          return { keyAt: g.__benchKeys.at(-1), queuedAt: last?.queuedAt, appliedAt: last?.appliedAt };
        });
        if (typeof marks.keyAt !== 'number') continue;
        samples.push(shownAt - marks.keyAt);
        // Where the time goes: the page, the outbox and the server's answer, the stream to the wall.
        if (typeof marks.queuedAt === 'number' && typeof marks.appliedAt === 'number') {
          parts.page.push(marks.queuedAt - marks.keyAt);
          parts.answer.push(marks.appliedAt - marks.queuedAt);
          parts.wall.push(shownAt - marks.appliedAt);
        }
      }
      samples.sort((a, b) => a - b);
      figures['dispatch→wall samples'] = samples.length;
      figures['dispatch→wall p50 ms'] = round(quantile(samples, 0.5));
      figures['dispatch→wall p99 ms'] = round(quantile(samples, 0.99));
      figures['dispatch→wall max ms'] = round(samples.at(-1) ?? Number.NaN);
      const wallFrames = await wall.evaluate(() =>
        (globalThis as unknown as { __benchFrames: number[] }).__benchFrames.slice(1),
      );
      wallFrames.sort((a, b) => a - b);
      figures['  wall frame p50 ms'] = round(quantile(wallFrames, 0.5));
      for (const [k, v] of Object.entries(parts)) {
        v.sort((a, b) => a - b);
        figures[`  of which ${k} p50 ms`] = round(quantile(v, 0.5));
      }
      await context.close();
    } finally {
      await t.dispose();
    }

    // ---- scrolling a 10,000-case queue ----
    const big = await startConsoleServer({ preset: 'small', seed: 4 });
    try {
      const seedStart = performance.now();
      await reportMany(big.server, queueSize, 9);
      figures['queue size'] = queueSize;
      figures['seed s'] = round((performance.now() - seedStart) / 1000);
      const context = await softBrowser.newContext({
        viewport: { width: 1920, height: 1080 },
        timezoneId: 'Asia/Shanghai',
      });
      await context.addInitScript(NAME_SHIM);
      const loadStart = performance.now();
      const desk = await openConsole(context, big.url);
      await waitFor('the full queue', async () => Number(await queueCount(desk)) >= queueSize, 180_000);
      figures['console load s'] = round((performance.now() - loadStart) / 1000);
      await desk.keyboard.press('1');
      await desk.keyboard.press('Home');
      const cdp = await context.newCDPSession(desk);
      await cdp.send('Performance.enable');
      const metrics = async () =>
        new Map((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value] as const));
      const before = await metrics();
      const frames = await desk.evaluate(scrollFrames, scrollSeconds * 1000);
      const after = await metrics();
      const busy = (k: string) => ((after.get(k) ?? 0) - (before.get(k) ?? 0)) * 1000;
      figures['scroll main-thread ms/frame'] = round(busy('TaskDuration') / Math.max(1, frames.length));
      figures['scroll script ms/frame'] = round(busy('ScriptDuration') / Math.max(1, frames.length));
      frames.sort((a, b) => a - b);
      figures['scroll frames'] = frames.length;
      figures['scroll frame p50 ms'] = round(quantile(frames, 0.5));
      figures['scroll frame p95 ms'] = round(quantile(frames, 0.95));
      figures['scroll frame p99 ms'] = round(quantile(frames, 0.99));
      figures['scroll frames > 50 ms'] = frames.filter((f) => f > 50).length;
      // Re-sorting every queue after a change: what a burst of case updates costs the console.
      figures['queues recompute ms'] = round(await desk.evaluate(recomputeCost));
      await context.close();
    } finally {
      await big.dispose();
    }
  } finally {
    await browser.close();
    await softBrowser.close();
  }
  return figures;
}

/** tsx keeps function names with a `__name` helper that the page does not have: give it one. */
const NAME_SHIM = { content: 'globalThis.__name = globalThis.__name || ((f) => f);' };

const round = (x: number): number => Math.round(x * 10) / 10;

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

const queueCount = (page: Page) => page.locator('[data-testid=queue-toFile]').getAttribute('data-count');

type StoreLike = {
  getState(): { ready: boolean; cases: { byId: Map<string, { status: string }> } };
  subscribe(fn: () => void): () => void;
};

/** In the wall page: resolves with the epoch time of the first frame after the case shows as dispatched. */
function awaitDispatchOnWall(id: string): Promise<number> {
  const store = (globalThis as unknown as { __gridwall: { store: StoreLike } }).__gridwall.store;
  return new Promise((resolve) => {
    const check = () => {
      if (store.getState().cases.byId.get(id)?.status !== 'dispatched') return false;
      requestAnimationFrame(() => resolve(performance.timeOrigin + performance.now()));
      return true;
    };
    if (check()) return;
    const stop = store.subscribe(() => {
      if (check()) stop();
    });
  });
}

/** In the console page: scrolls the case list at a steady 3,000 px/s and returns each frame's duration. */
function scrollFrames(ms: number): Promise<number[]> {
  const list = document.querySelector<HTMLElement>('[data-testid=case-list]');
  if (!list) return Promise.resolve([]);
  return new Promise((resolve) => {
    const frames: number[] = [];
    const start = performance.now();
    let last = start;
    const step = (now: number) => {
      frames.push(now - last);
      last = now;
      list.scrollTop = ((now - start) * 3) % Math.max(1, list.scrollHeight - list.clientHeight);
      if (now - start < ms) requestAnimationFrame(step);
      else resolve(frames.slice(1));
    };
    requestAnimationFrame((now) => {
      last = now;
      requestAnimationFrame(step);
    });
  });
}

/** In the console page: the time to re-filter and re-sort every queue once (median of 9). */
function recomputeCost(): number {
  const h = (
    globalThis as unknown as {
      __gridwallConsole: { ui: { getState(): { filters: object }; setState(p: object): void } };
    }
  ).__gridwallConsole;
  const times: number[] = [];
  for (let i = 0; i < 9; i++) {
    const t0 = performance.now();
    // A new filters object (same values) makes the console recompute its lists synchronously.
    h.ui.setState({ filters: { ...h.ui.getState().filters } });
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[4] ?? Number.NaN;
}

/** Many reported cases at once, through the server's own intake (group commits). */
async function reportMany(server: RunningServer, count: number, seed: number): Promise<void> {
  const rand = mulberry32(seed);
  const grids = server.preset.areas.filter((a: Area) => a.level === 'grid');
  const categories = server.preset.categories;
  // No sensor reports: configured sensor categories are filed and dispatched automatically.
  const sources = ['grid_worker', 'hotline', 'wechat', 'app', 'web'] as const;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const actor = { id: 'hotline', name: '热线', role: 'supervisor' as const };
  for (let done = 0; done < count; ) {
    const batch: Promise<unknown>[] = [];
    for (let i = 0; i < 500 && done < count; i++, done++) {
      const grid = pick(grids);
      const cat = pick(categories);
      batch.push(
        server.core.report(
          {
            category: cat.code,
            source: pick(sources),
            priority: rand() < 0.2 ? 'urgent' : 'normal',
            description: `${cat.name}，市民来电反映`,
            location: {
              lng: grid.center[0] + (rand() - 0.5) * 0.002,
              lat: grid.center[1] + (rand() - 0.5) * 0.002,
              address: `${grid.name}${1 + Math.floor(rand() * 200)}号`,
            },
            reporter: { name: '李娜', phone: `139${String(Math.floor(rand() * 1e8)).padStart(8, '0')}` },
            media: [],
            selfHandled: false,
          },
          actor,
        ),
      );
    }
    await Promise.all(batch);
  }
}

/** `npm run bench:console -- [dispatches] [queueSize]`: runs it and prints the figures. */
export async function runConsoleBench(args: readonly string[]): Promise<void> {
  const [dispatches, queueSize] = args.map(Number);
  const figures = await benchConsole({
    dispatches: dispatches || undefined,
    queueSize: queueSize || undefined,
  });
  console.log('\n## dispatch console (headless Chromium, loopback)');
  for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(32)} ${v}`);
}
