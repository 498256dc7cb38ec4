import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureRendererBuilt,
  launchBrowser,
  login,
  MINUTE,
  ROOT,
  seedCases,
  startTestServer,
  type TestServer,
  waitFor,
} from './harness';

const NAME = '张伟';
const PHONE = '13812345678';
const MOBILE = /(?<!\d)1[3-9]\d{9}(?!\d)/;
const SHOTS = join(ROOT, 'artifacts/screenshots/presenter');
/** A kitchen camera of the small preset (seed 1): the test tour features it. */
const KITCHEN_CAMERA = 'cam-00009';

/** The shipped tours and one more whose step features a camera (the demo tour names the district's). */
function toursWithFeaturedCamera(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gridwall-tours-'));
  cpSync(join(ROOT, 'resources/tours'), dir, { recursive: true });
  const text = { 'zh-CN': '后厨视频', en: 'Kitchen video' };
  writeFileSync(
    join(dir, 'featured.json'),
    JSON.stringify({
      name: 'featured',
      title: text,
      district: text,
      steps: [
        {
          id: 'kitchen',
          title: text,
          preset: 'sensors',
          cameraId: KITCHEN_CAMERA,
          notes: { 'zh-CN': ['后厨'], en: ['Kitchen'] },
        },
      ],
    }),
  );
  return dir;
}

/**
 * A TCP tap between a page and the server: every byte the server sends (HTML, scripts, HTTP answers,
 * socket.io frames from the stream worker) is recorded as it crossed the wire. Playwright cannot see
 * a Web Worker's WebSocket frames; a tap sees everything.
 */
class Tap {
  private readonly server: Server;
  private chunks: Buffer[] = [];
  port = 0;

  constructor(targetPort: number) {
    this.server = createServer((client) => {
      const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
      client.pipe(upstream);
      upstream.on('data', (chunk: Buffer) => {
        this.chunks.push(chunk);
        client.write(chunk);
      });
      upstream.on('end', () => client.end());
      const close = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', close);
      upstream.on('error', close);
      client.on('close', close);
      upstream.on('close', close);
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  /** Bytes received so far: a mark to read from. */
  mark(): number {
    return this.chunks.length;
  }

  textSince(mark: number): string {
    return Buffer.concat(this.chunks.slice(mark)).toString('utf8');
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let t: TestServer;
let browser: Browser;
let wallContext: BrowserContext;
let presenterContext: BrowserContext;
let tap: Tap;
let single: Page;
let map: Page;
let presenter: Page;
let toursDir: string;

type Handle = {
  __gridwall: {
    store: { getState(): { ready: boolean; cases: { rev: number }; connection: { masked: boolean } } };
    show: { getState(): { presentation: { stepIndex: number; paused: boolean; blank: boolean } | null } };
  };
};

async function openWall(url: string): Promise<Page> {
  const page = await wallContext.newPage();
  await page.goto(url);
  await waitFor(
    `${url} to load`,
    () => page.evaluate(() => (globalThis as unknown as Partial<Handle>).__gridwall?.store.getState().ready === true),
    180_000,
  );
  return page;
}

const stepOf = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as Handle).__gridwall.show.getState().presentation?.stepIndex ?? null);

async function waitStep(page: Page, index: number): Promise<void> {
  await waitFor(`step ${index + 1} on ${page.url()}`, async () => (await stepOf(page)) === index);
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  await ensureRendererBuilt();
  toursDir = toursWithFeaturedCamera();
  t = await startTestServer({ preset: 'small', toursDir });
  await seedCases(t.server, 60, 3);
  await t.advance(MINUTE);
  tap = new Tap(t.port);
  await tap.listen();
  browser = await launchBrowser();
  wallContext = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  presenterContext = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  // The single wall runs on a supervisor's credential, through the tap: it shows personal data
  // until a presentation starts, which is what makes the masking check able to fail.
  const supervisor = await login(t.url, 'supervisor');
  single = await openWall(`http://127.0.0.1:${tap.port}/wall?layout=single&token=${supervisor}`);
  map = await openWall(`${t.url}/wall?layout=wall-3x2&display=1`);
  presenter = await presenterContext.newPage();
}, 300_000);

afterAll(async () => {
  await wallContext?.close();
  await presenterContext?.close();
  await browser?.close();
  await tap?.close();
  await t?.dispose();
  if (toursDir) rmSync(toursDir, { recursive: true, force: true });
});

describe('presenter mode', () => {
  it('the wall on a full credential receives personal data while nobody presents', async () => {
    expect(
      await single.evaluate(() => (globalThis as unknown as Handle).__gridwall.store.getState().connection.masked),
    ).toBe(false);
    await waitFor('a phone number in what the wall received', async () => tap.textSince(0).includes(PHONE));
  });

  it('a tour steps forward and back by keyboard, and the wall pages follow', async () => {
    await presenter.goto(`${t.url}/presenter`);
    await presenter.fill('input[name=username]', 'presenter');
    await presenter.fill('input[name=password]', 'presenter');
    await presenter.click('button[type=submit]');
    await presenter.locator('[data-testid=tour-demo] button').click({ timeout: 60_000 });
    await presenter.waitForSelector('[data-testid=presenter-console][data-step="0"]', { timeout: 60_000 });
    const fromStart = tap.mark();
    await waitStep(single, 0);
    await waitStep(map, 0);
    await single.waitForSelector('[data-testid=show-mark]', { timeout: 60_000 });
    expect(await presenter.locator('[data-testid=presenter-notes] li').count()).toBeGreaterThan(2);

    await presenter.keyboard.press('PageDown');
    await presenter.waitForSelector('[data-testid=presenter-console][data-step="1"]', { timeout: 60_000 });
    await waitStep(single, 1);
    await waitStep(map, 1);
    // Step 2 switches the single wall to its closed-loop preset and the last 30 days' figures.
    await single.waitForSelector('[data-testid=display][data-preset=loop]', { timeout: 60_000 });
    await single.waitForSelector('[data-testid=kpi-summary][data-period="近30天"]', { timeout: 60_000 });
    // The talking points say what the wall's board shows: the same received count and closure rate.
    const board = await waitFor('the board and the talking points on the same figures', async () => {
      const received = await single.locator('[data-testid=kpi-received]').getAttribute('data-value');
      const rates = await single.locator('[data-testid=kpi-chart-rates]').getAttribute('data-values');
      const notes = (await presenter.locator('[data-testid=presenter-notes]').textContent()) ?? '';
      if (!received || !rates) return null;
      const closure = (JSON.parse(rates) as { labels: string[] }).labels[1] ?? '';
      const count = Number(received).toLocaleString('en-US');
      return notes.includes(`受理 ${count} 件`) && notes.includes(`结案率 ${closure}`) ? { count, closure } : null;
    });
    expect(board.closure).not.toBe('');
    expect(await single.locator('[data-testid=show-mark]').textContent()).toContain('2/7');
    // The map screen of the 3×2 wall has no such preset: it keeps its own and shows the mark.
    expect(await map.locator('[data-testid=display]').getAttribute('data-preset')).toBe('map');
    await map.waitForSelector('[data-testid=show-mark]', { timeout: 60_000 });

    await presenter.keyboard.press('ArrowRight');
    await waitStep(single, 2);
    await presenter.keyboard.press('PageUp');
    await waitStep(single, 1);
    await waitStep(map, 1);
    await presenter.keyboard.press('ArrowLeft');
    await waitStep(single, 0);
    await single.waitForSelector('[data-testid=display][data-preset=overview]', { timeout: 60_000 });

    // From the presentation's start on, no personal data reached the wall, on screen or on the wire.
    await waitFor('the wall to be masked', () =>
      single.evaluate(() => (globalThis as unknown as Handle).__gridwall.store.getState().connection.masked),
    );
    // New cases with personal data keep arriving under the tour.
    await seedCases(t.server, 10, 4);
    await waitFor('the new cases on the wire', async () => tap.textSince(fromStart).includes('"case.upserted"'));
    const wire = tap.textSince(fromStart);
    expect(wire).not.toContain(PHONE);
    expect(wire).not.toContain(NAME);
    expect(wire).not.toMatch(MOBILE);
    for (const page of [single, map]) {
      const html = await page.content();
      expect(html).not.toContain(PHONE);
      expect(html).not.toContain(NAME);
      expect(html).not.toMatch(MOBILE);
    }
  }, 300_000);

  it('blank shows the logo on every wall page, and comes back', async () => {
    await presenter.keyboard.press('b');
    await single.waitForSelector('[data-testid=show-blank]', { timeout: 60_000 });
    await map.waitForSelector('[data-testid=show-blank]', { timeout: 60_000 });
    await presenter.waitForSelector('[data-testid=wall-state].gp-wall-blank', { timeout: 60_000 });
    await single.screenshot({ path: join(SHOTS, 'blank.png') });
    await presenter.keyboard.press('b');
    await single.waitForSelector('[data-testid=show-blank]', { state: 'detached', timeout: 60_000 });
    await map.waitForSelector('[data-testid=show-blank]', { state: 'detached', timeout: 60_000 });
  }, 120_000);

  it('pause freezes what the wall shows while data keeps arriving, and resumes', async () => {
    const rev = () => single.evaluate(() => (globalThis as unknown as Handle).__gridwall.store.getState().cases.rev);
    await presenter.keyboard.press('.');
    await single.waitForSelector('[data-testid=show-paused]', { timeout: 60_000 });
    const frozen = await rev();
    const seqAtPause = t.server.core.lastSeq;
    await seedCases(t.server, 10, 5);
    await waitFor('the server to move on', async () => t.server.core.lastSeq >= seqAtPause + 10);
    // Thirty frames later nothing that came has been applied.
    await single.evaluate(
      () =>
        new Promise<void>((resolve) => {
          let n = 0;
          const frame = () => (++n >= 30 ? resolve() : requestAnimationFrame(frame));
          requestAnimationFrame(frame);
        }),
    );
    expect(await rev()).toBe(frozen);
    expect(await single.locator('[data-testid=stale-banner]').count()).toBe(0);
    await presenter.keyboard.press('.');
    await single.waitForSelector('[data-testid=show-paused]', { state: 'detached', timeout: 60_000 });
    await waitFor('the wall to catch up', async () => (await rev()) > frozen);
  }, 120_000);

  it('screenshots of every step of the demo tour at 1920×1080', async () => {
    await single.waitForSelector('[data-testid=map][data-loaded="1"]', { timeout: 120_000 });
    const steps = 7;
    for (let i = 0; i < steps; i++) {
      await presenter.locator('.gp-steps button').nth(i).click();
      await waitStep(single, i);
      await presenter.waitForSelector(`[data-testid=presenter-console][data-step="${i}"]`, { timeout: 60_000 });
      // The map has finished its flight and the KPIs show the step's period.
      await single.waitForSelector('[data-testid=map][data-moving="0"]', { timeout: 60_000 });
      await waitFor(`the figures of step ${i + 1}`, () =>
        single.evaluate(() => {
          const show = (
            globalThis as unknown as {
              __gridwall: {
                show: { getState(): { kpis: unknown; presentation: { step: { kpiPeriod: string } } | null } };
              };
            }
          ).__gridwall.show.getState();
          return show.presentation?.step.kpiPeriod === 'today' || show.kpis !== null;
        }),
      );
      await single.screenshot({ path: join(SHOTS, `step-${i + 1}.png`) });
      if (i === 0 || i === steps - 1) await presenter.screenshot({ path: join(SHOTS, `presenter-${i + 1}.png`) });
    }
    await presenter.locator('.gp-danger').click();
    await waitFor('the presentation to end on the wall', async () => (await stepOf(single)) === null);
    await single.waitForSelector('[data-testid=show-mark]', { state: 'detached', timeout: 60_000 });
  }, 600_000);

  it('a step’s featured camera takes the first video tile, pinned, on the wall', async () => {
    try {
      await presenter.locator('[data-testid=tour-featured] button').click({ timeout: 60_000 });
      await waitStep(single, 0);
      await single.waitForSelector('[data-testid=display][data-preset=sensors]', { timeout: 60_000 });
      const tiles = () =>
        single
          .locator('[data-testid=display][data-preset=sensors] [data-testid=video-tile]')
          .evaluateAll((els) =>
            els.map((el) => ({ id: el.getAttribute('data-camera-id'), pinned: el.getAttribute('data-pinned') })),
          );
      const shown = await waitFor(
        'the featured camera in the first tile',
        async () => {
          const now = await tiles();
          return now[0]?.id === KITCHEN_CAMERA ? now : null;
        },
        60_000,
      ).catch(async (err: Error) => {
        throw new Error(`${err.message}; tiles: ${JSON.stringify(await tiles())}`);
      });
      expect(shown[0]?.pinned).toBe('1');
      // Each camera once: the one it displaced moved, it was not doubled.
      const ids = shown.map((x) => x.id).filter((id) => id);
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      // The lobby test after this one needs no presentation running, whatever happened here.
      if ((await presenter.locator('.gp-danger').count()) > 0) {
        await presenter.locator('.gp-danger').click();
        await waitFor('the presentation to end on the wall', async () => (await stepOf(single)) === null);
      }
    }
  }, 300_000);

  it('a lobby screen plays a tour unattended, step after step, masked and without talking points', async () => {
    const lobby = await openWall(`${t.url}/wall?layout=single&tour=lobby`);
    const shown = () =>
      lobby.evaluate(() => {
        const p = (
          globalThis as unknown as {
            __gridwall: { show: { getState(): { presentation: { stepIndex: number; driver: string } | null } } };
          }
        ).__gridwall.show.getState().presentation;
        return p ? { step: p.stepIndex, driver: p.driver } : null;
      });
    const first = await waitFor('the lobby tour', shown);
    expect(first.driver).toBe('unattended');
    // Steps last 30 s: the next one comes by itself.
    await waitFor('the next lobby step', async () => (await shown())?.step === (first.step + 1) % 4, 90_000);
    expect(await lobby.locator('[data-testid=show-mark]').count()).toBe(0);
    expect(
      await lobby.evaluate(() => (globalThis as unknown as Handle).__gridwall.store.getState().connection.masked),
    ).toBe(true);
    await lobby.close();
  }, 300_000);
});
