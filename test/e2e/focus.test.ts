import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureRendererBuilt,
  launchBrowser,
  MINUTE,
  seedCases,
  startTestServer,
  type TestServer,
  waitFor,
} from './harness';

let t: TestServer;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  await ensureRendererBuilt();
  t = await startTestServer({ preset: 'small' });
  await seedCases(t.server, 60, 2);
  // A minute of the simulated district: urgent cases alerted (the alert list is where the test clicks).
  await t.advance(MINUTE);
  browser = await launchBrowser();
  // One context: the windows of one wall share an origin and a BroadcastChannel, as in Electron.
  context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await t?.dispose();
});

async function open(display: number): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${t.url}/wall?layout=wall-3x2&display=${display}`);
  await waitFor(`display ${display} to load`, () =>
    page.evaluate(
      () =>
        (globalThis as { __gridwall?: { store: { getState(): { ready: boolean } } } }).__gridwall?.store.getState()
          .ready === true,
    ),
  );
  return page;
}

const focusOf = (page: Page) =>
  page.evaluate(
    () =>
      (
        globalThis as unknown as { __gridwall: { store: { getState(): { focus: { caseId: string | null } } } } }
      ).__gridwall.store.getState().focus.caseId,
  );

describe('focus across the windows of one wall', () => {
  it('follows a case selected on one screen to the others, and to a screen opened later', async () => {
    const alerts = await open(2);
    const focusMap = await open(4);
    await focusMap.waitForSelector('[data-testid=map][data-loaded="1"]', { timeout: 60_000 });

    const item = alerts.locator('[data-testid=alert-item]:not([data-case-id=""])').first();
    await item.waitFor({ timeout: 60_000 });
    const caseId = await item.getAttribute('data-case-id');
    expect(caseId).toBeTruthy();
    await item.click();

    // The screen clicked shows the case at once…
    await alerts.waitForSelector(`[data-testid=case-detail][data-case-id="${caseId}"]`, { timeout: 10_000 });
    const code = await alerts.locator('[data-testid=case-code]').textContent();
    expect(code?.length).toBeGreaterThan(0);

    // …the other screen follows: same focus, its map flies to the case.
    await waitFor('the focus map to follow', async () => (await focusOf(focusMap)) === caseId);
    const target = await focusMap.evaluate((id) => {
      const s = (
        globalThis as unknown as {
          __gridwall: { store: { getState(): { cases: { byId: Map<string, { lng: number; lat: number }> } } } };
        }
      ).__gridwall.store.getState();
      const c = s.cases.byId.get(id);
      return c ? [c.lng, c.lat] : null;
    }, caseId ?? '');
    expect(target).not.toBeNull();
    await waitFor(
      'the focus map to centre on the case',
      async () => {
        const center = await focusMap.locator('[data-testid=map]').getAttribute('data-center');
        if (!center || !target) return null;
        const [lng, lat] = center.split(',').map(Number);
        return Math.abs((lng ?? 0) - (target[0] ?? 0)) < 1e-3 && Math.abs((lat ?? 0) - (target[1] ?? 0)) < 1e-3;
      },
      20_000,
    );

    // A screen that opens (or reloads) later asks the others and takes the same focus.
    const late = await open(5);
    await waitFor('a late screen to take the focus', async () => (await focusOf(late)) === caseId);

    // The other way round: a choice on the map screen moves the alerts screen's detail.
    const other = await alerts.evaluate((current) => {
      const s = (
        globalThis as unknown as { __gridwall: { store: { getState(): { cases: { byId: Map<string, unknown> } } } } }
      ).__gridwall.store.getState();
      return [...s.cases.byId.keys()].find((id) => id !== current) ?? null;
    }, caseId ?? '');
    expect(other).not.toBeNull();
    await focusMap.evaluate(
      (id) => (globalThis as unknown as { __gridwall: { focus(id: string): void } }).__gridwall.focus(id),
      other ?? '',
    );
    await alerts.waitForSelector(`[data-testid=case-detail][data-case-id="${other}"]`, { timeout: 10_000 });
  });
});
