import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KpiFigures } from '../../protocol';
import type { MarkOnScreen } from '../../renderer/scenes/map/controller';
import type { MapElement } from '../../renderer/scenes/map/MapScene';
import {
  ensureRendererBuilt,
  launchBrowser,
  login,
  MINUTE,
  type PixelPage,
  pixelStats,
  screenshotInPage,
  seedCases,
  serverSnapshot,
  startTestServer,
  type TestServer,
  waitFor,
} from './harness';

const CJK = /[\u4e00-\u9fff]/;

let t: TestServer;
let browser: Browser;

beforeAll(async () => {
  await ensureRendererBuilt();
  t = await startTestServer({ preset: 'small' });
  await seedCases(t.server, 80);
  // A minute of the simulated district: the seeded cases adopted, urgent ones alerted.
  await t.advance(MINUTE);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.dispose();
});

async function openWall(path: string, size = { width: 1920, height: 1080 }): Promise<Page> {
  const page = await browser.newPage({ viewport: size });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${t.url}${path}`);
  await waitFor('the first snapshot in the store', () =>
    page.evaluate(
      () =>
        (globalThis as { __gridwall?: { store: { getState(): { ready: boolean } } } }).__gridwall?.store.getState()
          .ready === true,
    ),
  );
  expect(errors).toEqual([]);
  return page;
}

/** What the page's store holds, in a JSON-safe form. */
async function pageState(page: Page) {
  return page.evaluate(() => {
    type S = {
      cases: { byId: Map<string, { version: number }>; counts: { open: number } };
      connection: { lastSeq: number; state: string; counters: { gaps: number; snapshots: number; invalid: number } };
      kpis: { figures: unknown };
      focus: { caseId: string | null };
    };
    const s = (globalThis as unknown as { __gridwall: { store: { getState(): S } } }).__gridwall.store.getState();
    return {
      versions: Object.fromEntries([...s.cases.byId].map(([id, c]) => [id, c.version])),
      open: s.cases.counts.open,
      lastSeq: s.connection.lastSeq,
      state: s.connection.state,
      counters: s.connection.counters,
      kpis: s.kpis.figures as KpiFigures | null,
      focus: s.focus.caseId,
    };
  });
}

/** wall-3x2's district map, loaded and still: its page, element, box and what it draws where. */
async function openDistrictMap() {
  const page = await openWall('/wall?layout=wall-3x2&display=1');
  const map = page.locator('[data-testid=map]');
  await page.waitForSelector('[data-testid=map][data-loaded="1"][data-moving="0"]', { timeout: 60_000 });
  const box = await map.boundingBox();
  if (!box) throw new Error('no map box');
  const marks = (): Promise<MarkOnScreen[]> => map.evaluate((el) => (el as MapElement).gridwallMarks?.() ?? []);
  return { page, map, box, marks };
}

/** The colours (RGB) at points of an element's screenshot, in CSS pixels from its top left. */
async function coloursAt(page: Page, selector: string, points: { x: number; y: number }[]): Promise<number[][]> {
  const b64 = await screenshotInPage(page, selector);
  return page.evaluate(
    async ([png, at]) => {
      const { data, width } = await (globalThis as unknown as PixelPage).gwPixels(png);
      return at.map((p) => {
        const o = (Math.round(p.y) * width + Math.round(p.x)) * 4;
        return [data[o] ?? 0, data[o + 1] ?? 0, data[o + 2] ?? 0];
      });
    },
    [b64, points] as const,
  );
}

describe('the wall against a real server', () => {
  it('renders the single layout with live data: map pixels, Chinese text, the server’s cases, no personal data', async () => {
    const page = await openWall('/wall?layout=single');
    await page.waitForSelector('[data-testid=map][data-loaded="1"]', { timeout: 60_000 });
    const stats = await pixelStats(page, '[data-testid=map]');
    // Grid fills, boundaries, labels and case points: many colours and most pixels not background.
    expect(stats.distinct).toBeGreaterThan(50);
    expect(stats.nonBackground).toBeGreaterThan(0.2);

    const text = await page.locator('body').textContent();
    expect(text).toMatch(CJK);
    expect(text).toContain('实时告警');
    expect(text).toContain('案件详情');
    // Masked on the server and again on screen: the seeded reporter never appears.
    expect(text).not.toContain('13812345678');
    expect(text).not.toContain('张伟');

    // Live data: a minute more of the district reaches the page; then the store holds exactly what
    // a fresh snapshot holds (server time stands still between steps: the snapshot is the target).
    const seqBefore = (await pageState(page)).lastSeq;
    await t.advance(MINUTE);
    const snap = await serverSnapshot(t.url);
    expect(snap.seq).toBeGreaterThan(seqBefore);
    const caughtUp = await waitFor('the page to catch up with the server', async () => {
      const s = await pageState(page);
      return s.lastSeq === snap.seq ? s : null;
    });
    const state = { s: caughtUp, snap };
    const serverVersions = Object.fromEntries(state.snap.cases.map((c) => [c.id, c.version]));
    expect(state.s.versions).toEqual(serverVersions);
    expect(state.s.counters.invalid).toBe(0);
    const open = state.snap.cases.filter((c) => !['closed', 'rejected', 'voided'].includes(c.status)).length;
    // Figures are re-read twice a second, not per batch.
    await waitFor(
      'the open count on the board',
      async () => (await page.locator('[data-testid=kpi-pending]').getAttribute('data-value')) === String(open),
      10_000,
    );
    expect(await page.locator('[data-testid=alert-item]').count()).toBeGreaterThan(0);
    await page.close();
  });

  it('shows the server’s KPIs in the KPI board (or says there are none yet)', async () => {
    const page = await openWall('/wall?layout=wall-3x2&display=0');
    // The board shows the figures the page holds; the page holds the server's latest figures.
    const token = await login(t.url, 'wall');
    // GET /api/kpis where the server has it, else the KPIs of a fresh snapshot.
    const serverKpis = async (period = 'today'): Promise<KpiFigures | null> => {
      const res = await fetch(`${t.url}/api/kpis?period=${period}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (res.ok) {
        const body = (await res.json()) as unknown;
        const direct = KpiFigures.safeParse(body);
        if (direct.success) return direct.data;
        const wrapped = KpiFigures.safeParse((body as { kpis?: unknown }).kpis);
        if (wrapped.success) return wrapped.data;
      }
      return (await serverSnapshot(t.url)).kpis;
    };
    const first = await serverKpis();
    if (first === null) {
      expect(await page.locator('[data-testid=kpi-panel-rates]').textContent()).toContain('暂无指标数据');
      await page.close();
      return;
    }
    const matched = await waitFor('the KPI charts to show the server’s figures', async () => {
      const k = await serverKpis();
      // Rates are over the rolling 30 days (a partial day's would mislead); counts and trend today's.
      const rolling = await serverKpis('rolling30');
      const rates = await page.locator('[data-testid=kpi-chart-rates]').getAttribute('data-values');
      const received = await page.locator('[data-testid=kpi-received]').getAttribute('data-value');
      const trendValues = await page.locator('[data-testid=kpi-chart-trend]').getAttribute('data-values');
      if (!k || !rolling || !rates || !trendValues) return null;
      const expected = [rolling.filingRate, rolling.closureRate, rolling.onTimeClosureRate, rolling.satisfactionRate];
      // Each chart redraws on its own throttle: compare one moment.
      const trend = JSON.parse(trendValues) as { received: number[] };
      return JSON.stringify((JSON.parse(rates) as { rates: unknown }).rates) === JSON.stringify(expected) &&
        received === String(k.received) &&
        JSON.stringify(trend.received) === JSON.stringify(k.hourly.slice(-24).map((h) => h.received))
        ? { k, trend }
        : null;
    });
    expect(matched.trend.received).toEqual(matched.k.hourly.slice(-24).map((h) => h.received));
    await page.close();
  });

  it('opens a cluster where it is clicked and focuses a case clicked on the map', async () => {
    // It does not follow the focus: a click is all that moves it.
    const { page, map, box, marks } = await openDistrictMap();
    // A mark no later (higher) mark covers, well inside the map: a click there can only be it.
    const clickable = (all: MarkOnScreen[], cluster: boolean) =>
      all
        .filter((m, i) => {
          if (m.cluster !== cluster) return false;
          if (m.x < 80 || m.y < 80 || m.x > box.width - 80 || m.y > box.height - 160) return false;
          return all.slice(i + 1).every((o) => Math.hypot(o.x - m.x, o.y - m.y) > o.reach + 2);
        })
        .sort((a, b) => Number(b.label ?? 0) - Number(a.label ?? 0))[0];

    const zoom0 = Number(await map.getAttribute('data-zoom'));
    const cluster = clickable(await marks(), true);
    if (!cluster) throw new Error('no cluster on the district map');
    await page.mouse.click(box.x + cluster.x, box.y + cluster.y);
    await waitFor('the map to zoom into the cluster', async () => {
      const moving = await map.getAttribute('data-moving');
      return moving === '0' && Number(await map.getAttribute('data-zoom')) > zoom0 + 0.5;
    });
    // Centred on it, at the level where it comes apart: more than one mark where it was.
    const around = (await marks()).filter((m) => Math.hypot(m.x - box.width / 2, m.y - box.height / 2) < 400);
    expect(around.length).toBeGreaterThan(1);

    // Zoomed in, cases are drawn alone; one clicked is the wall's focus.
    const single = await waitFor('a case drawn alone', async () => clickable(await marks(), false) ?? null);
    await page.mouse.click(box.x + single.x, box.y + single.y);
    await waitFor('the clicked case to take the focus', async () => (await pageState(page)).focus === single.id);
    await page.close();
  });

  it('draws its cases and grid colours again after the GPU context is lost and restored', async () => {
    const { page, map, box, marks } = await openDistrictMap();
    const all = await marks();
    const near = (x: number, y: number) => all.some((m) => Math.hypot(m.x - x, m.y - y) < m.reach + 12);
    // Inside each cluster's fill, below its count; none covered by a mark drawn over it.
    const clusters = all
      .filter(
        (m, i) => m.cluster && all.slice(i + 1).every((o) => Math.hypot(o.x - m.x, o.y - m.y) > o.reach + m.reach),
      )
      .slice(0, 8)
      .map((m) => ({ x: m.x, y: m.y + m.reach - 5 }));
    // A lattice over the map, off the marks (clusters change) and the legend: grid fills, lines, labels.
    const lattice: { x: number; y: number }[] = [];
    for (let i = 1; i < 20; i++) {
      for (let j = 1; j < 12; j++) {
        const x = (box.width * i) / 20;
        const y = (box.height * j) / 12;
        if (y < box.height - 120 && !near(x, y)) lattice.push({ x, y });
      }
    }
    expect(clusters.length).toBeGreaterThan(2);
    const before = await coloursAt(page, '[data-testid=map]', [...clusters, ...lattice]);

    await map.evaluate((el) => {
      const canvas = el.querySelector('canvas');
      const gl = canvas?.getContext('webgl2') ?? canvas?.getContext('webgl');
      const ext = gl?.getExtension('WEBGL_lose_context');
      if (!ext) throw new Error('no WEBGL_lose_context');
      (globalThis as { restoreMapContext?: () => void }).restoreMapContext = () => ext.restoreContext();
      ext.loseContext();
    });
    await page.waitForSelector('[data-testid=map][data-context="lost"]', { timeout: 30_000 });
    await page.evaluate(() => (globalThis as { restoreMapContext?: () => void }).restoreMapContext?.());
    await page.waitForSelector('[data-testid=map][data-context="restored"]', { timeout: 30_000 });

    // The same picture again: clusters where they were, grids in their colours (most, not all: a
    // label placed anew may cover a sampled point).
    const same = (a: number[] | undefined, b: number[] | undefined) =>
      !!a &&
      !!b &&
      Math.abs((a[0] ?? 0) - (b[0] ?? 0)) + Math.abs((a[1] ?? 0) - (b[1] ?? 0)) + Math.abs((a[2] ?? 0) - (b[2] ?? 0)) <
        40;
    await waitFor('the map to draw its cases and grid colours again', async () => {
      const after = await coloursAt(page, '[data-testid=map]', [...clusters, ...lattice]);
      const clustersBack = clusters.filter((_, i) => same(before[i], after[i])).length;
      const latticeBack = lattice.filter((_, i) =>
        same(before[clusters.length + i], after[clusters.length + i]),
      ).length;
      return clustersBack >= clusters.length - 1 && latticeBack >= lattice.length * 0.85;
    });
    await page.close();
  });

  it('speaks English when asked', async () => {
    const page = await openWall('/wall?layout=single&lang=en');
    const bar = await page.locator('[data-testid=status-bar]').textContent();
    expect(bar).toContain('Open');
    expect(bar).toContain('Grid Governance Command Center');
    // An urgent alert may take the focus as the page opens (single allows it): then the detail shows
    // that case, in English too.
    expect(await page.locator('[data-testid=case-detail]').textContent()).toMatch(/No case selected|Category/);
    await page.close();
  });

  it('shows every display of a wall on the preview page', async () => {
    const page = await openWall('/preview?layout=wall-3x2');
    expect(await page.locator('[data-testid=display]').count()).toBe(6);
    await page.close();
  });
});
