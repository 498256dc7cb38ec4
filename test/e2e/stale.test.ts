import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureRendererBuilt,
  launchBrowser,
  MINUTE,
  seedCases,
  serverSnapshot,
  startTestServer,
  type TestServer,
  waitFor,
} from './harness';

let t: TestServer;
let browser: Browser;

beforeAll(async () => {
  await ensureRendererBuilt();
  t = await startTestServer({ preset: 'small' });
  await seedCases(t.server, 40, 3);
  await t.advance(MINUTE);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.dispose();
});

interface Seen {
  versions: Record<string, number>;
  lastSeq: number;
  state: string;
  gaps: number;
  snapshots: number;
}

const seen = (page: Page): Promise<Seen> =>
  page.evaluate(() => {
    type S = {
      cases: { byId: Map<string, { version: number }> };
      connection: { lastSeq: number; state: string; counters: { gaps: number; snapshots: number } };
    };
    const s = (globalThis as unknown as { __gridwall: { store: { getState(): S } } }).__gridwall.store.getState();
    return {
      versions: Object.fromEntries([...s.cases.byId].map(([id, c]) => [id, c.version])),
      lastSeq: s.connection.lastSeq,
      state: s.connection.state,
      gaps: s.connection.counters.gaps,
      snapshots: s.connection.counters.snapshots,
    };
  });

describe('a server that stops and comes back', () => {
  it('shows "data stale since" while it is gone, and resumes with no gap and no banner when it returns', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(`${t.url}/wall?layout=single`);
    await waitFor('live data', async () => {
      const s = await seen(page);
      return s.state === 'live' && Object.keys(s.versions).length > 0;
    });
    expect(await page.locator('[data-testid=stale-banner]').count()).toBe(0);
    const before = await seen(page);

    await t.stop();
    const banner = page.locator('[data-testid=stale-banner]');
    await banner.waitFor({ state: 'visible', timeout: 30_000 });
    const text = await banner.textContent();
    expect(text).toMatch(/数据已停止更新，最后更新于 \d\d:\d\d:\d\d/);
    expect(await page.locator('[data-testid=connection-state]').getAttribute('data-state')).toBe('reconnecting');
    // No lag figure while nothing arrives (issue 24: "延迟 2 ms" stayed on screen while disconnected).
    expect(await page.locator('[data-testid=lag]').textContent()).toBe('延迟 —');

    // Back on the same port and data, and busy at once: these cases are made while the wall is away.
    await t.restart();
    await seedCases(t.server, 25, 4);
    await t.advance(MINUTE);

    await banner.waitFor({ state: 'detached', timeout: 60_000 });
    // Server time stands still after the step: a fresh snapshot is what the page must reach.
    const snap = await serverSnapshot(t.url);
    const after = await waitFor('the wall to catch up', async () => {
      const s = await seen(page);
      return s.lastSeq === snap.seq && s.state === 'live' ? { s, snap } : null;
    });
    // Resumed from its last seq: no new snapshot, no gap, and exactly the server's cases and versions.
    expect(after.s.snapshots).toBe(before.snapshots);
    expect(after.s.gaps).toBe(0);
    expect(after.s.versions).toEqual(Object.fromEntries(after.snap.cases.map((c) => [c.id, c.version])));
    expect(Object.keys(after.s.versions).length).toBeGreaterThan(Object.keys(before.versions).length);
    await page.close();
  });
});
