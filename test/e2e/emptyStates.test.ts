/**
 * No dead space (issue 16): a case detail with nothing chosen shows an automatic case, labelled, the
 * same on every display; a person's choice wins; empty panels say why; the preview's video display
 * links the same cameras as the wall's own. Screenshots under artifacts/screenshots/empty-*.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureRendererBuilt,
  launchBrowser,
  ROOT,
  seedCases,
  startTestServer,
  type TestServer,
  waitFor,
} from './harness';
import { linkedView, raiseSensorAlarm } from './video.helpers';

let t: TestServer;
let browser: Browser;
let context: BrowserContext;
const shots = join(ROOT, 'artifacts/screenshots');

beforeAll(async () => {
  await ensureRendererBuilt();
  // On the harness's manual clock nothing moves unless a test steps it: no simulated alert takes the
  // focus while the panels under test show their automatic cases.
  t = await startTestServer({ preset: 'small' });
  await seedCases(t.server, 60, 4);
  browser = await launchBrowser();
  // One context: the pages of one wall share a BroadcastChannel, as its windows do.
  context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  mkdirSync(shots, { recursive: true });
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await t?.dispose();
});

async function open(path: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${t.url}${path}`);
  await waitFor(`${path} to load`, () =>
    page.evaluate(
      () =>
        (globalThis as { __gridwall?: { store: { getState(): { ready: boolean } } } }).__gridwall?.store.getState()
          .ready === true,
    ),
  );
  return page;
}

interface DetailView {
  caseId: string;
  auto: string;
  label: string;
  focus: string | null;
  reasonOk: boolean;
}

/** The case detail as shown, with the page's own idea of the case (urgent or overdue, as labelled). */
function detail(page: Page): Promise<DetailView> {
  return page.evaluate(() => {
    const el = document.querySelector<HTMLElement>('[data-testid=case-detail]');
    const caseId = el?.dataset.caseId ?? '';
    const auto = el?.dataset.auto ?? '';
    type C = { priority: string; overdue: boolean; endedAt: number | null };
    const s = (
      globalThis as unknown as {
        __gridwall: { store: { getState(): { focus: { caseId: string | null }; cases: { byId: Map<string, C> } } } };
      }
    ).__gridwall.store.getState();
    const c = s.cases.byId.get(caseId);
    const reasonOk =
      c !== undefined &&
      c.endedAt === null &&
      (auto === 'urgent' ? c.priority === 'urgent' : auto === 'overdue' ? c.overdue : auto === 'latest');
    return {
      caseId,
      auto,
      label: el?.querySelector('[data-testid=case-auto]')?.textContent ?? '',
      focus: s.focus.caseId,
      reasonOk,
    };
  });
}

describe('no dead space', () => {
  let alerts: Page;
  let single: Page;

  it('a case detail with nothing chosen shows an automatic case, labelled, the same on two layouts at once', async () => {
    alerts = await open('/wall?layout=wall-3x2&display=2');
    single = await open('/wall?layout=single');
    const a = await waitFor('an automatic case on wall-3x2 display 2', async () => {
      const d = await detail(alerts);
      return d.focus === null && d.auto !== '' ? d : null;
    });
    expect(a.caseId).not.toBe('');
    expect(a.reasonOk).toBe(true);
    expect(a.label).toMatch(/^自动轮播：(最新紧急案件|超时最久案件|最新案件)/);
    // The other layout's page (its own store, its own focus channel) picks the same case at the same
    // moment: the choice comes from the data and the server clock, not from when the page opened.
    await waitFor('single to show the same automatic case', async () => {
      const [x, y] = [await detail(alerts), await detail(single)];
      return x.auto !== '' && x.caseId === y.caseId && x.auto === y.auto;
    });
    await alerts.screenshot({ path: join(shots, 'empty-wall-3x2-display-2.png') });
    await single.screenshot({ path: join(shots, 'empty-single.png') });
  });

  it('the automatic case is shown whole: its description and its timeline fill the panel (wall-3x2 display 2)', async () => {
    // Only slim records are held for the wall's cases; the automatic case's whole record is fetched
    // as the focused case's is, so the panel is not half empty.
    const shown = await waitFor('the automatic case’s description and timeline on wall-3x2 display 2', () =>
      alerts.evaluate(() => {
        const el = document.querySelector<HTMLElement>('[data-testid=case-detail]');
        if (!el || el.dataset.auto === '') return null;
        const panel = el.getBoundingClientRect();
        // In sight: a row that does not fit wraps to a clipped second column (caseDetail.css).
        const inSight = (e: Element) => {
          const r = e.getBoundingClientRect();
          return r.width > 0 && r.left >= panel.left - 1 && r.right <= panel.right + 1 && r.bottom <= panel.bottom + 1;
        };
        const desc = el.querySelector('.gw-detail-desc');
        const rows = [...el.querySelectorAll('.gw-timeline-row')].filter(inSight);
        const description = desc && inSight(desc) ? (desc.textContent ?? '').trim() : '';
        return description !== '' && rows.length > 0
          ? { caseId: el.dataset.caseId ?? '', description, rows: rows.length }
          : null;
      }),
    );
    expect(shown.description.length).toBeGreaterThan(0);
    expect(shown.rows).toBeGreaterThanOrEqual(1);
    // The wall's record is the masked one (the wall's surface), as for a chosen case: no phone numbers.
    expect(shown.description).not.toMatch(/1[3-9]\d{9}/);
    // Nothing chosen: the whole record is the automatic case's, and the focus stays empty.
    const held = await alerts.evaluate(() => {
      const s = (
        globalThis as unknown as {
          __gridwall: {
            store: { getState(): { focus: { caseId: string | null }; focusedCase: { id: string } | null } };
          };
        }
      ).__gridwall.store.getState();
      return { focus: s.focus.caseId, whole: s.focusedCase?.id ?? null };
    });
    expect(held.focus).toBeNull();
    expect(held.whole).toBe(shown.caseId);
    await alerts.screenshot({ path: join(shots, 'empty-wall-3x2-display-2-whole.png') });
  });

  it('a person’s choice takes over, on every display of the wall', async () => {
    const other = await open('/wall?layout=wall-3x2&display=5');
    const auto = await detail(alerts);
    const chosen = await alerts.evaluate((skip) => {
      const s = (
        globalThis as unknown as {
          __gridwall: { store: { getState(): { cases: { byId: Map<string, { endedAt: number | null }> } } } };
        }
      ).__gridwall.store.getState();
      return [...s.cases.byId.entries()].find(([id, c]) => id !== skip && c.endedAt === null)?.[0] ?? null;
    }, auto.caseId);
    expect(chosen).not.toBeNull();
    await other.evaluate(
      (id) => (globalThis as unknown as { __gridwall: { focus(id: string): void } }).__gridwall.focus(id),
      chosen ?? '',
    );
    await alerts.waitForSelector(`[data-testid=case-detail][data-case-id="${chosen}"][data-auto=""]`, {
      timeout: 10_000,
    });
    expect(await alerts.locator('[data-testid=case-auto]').count()).toBe(0);
    // Cleared again: the automatic turn comes back.
    await other.evaluate(() =>
      (globalThis as unknown as { __gridwall: { focus(id: string | null): void } }).__gridwall.focus(null),
    );
    await alerts.waitForSelector('[data-testid=case-auto]', { timeout: 10_000 });
    await other.close();
  });

  it('speaks English: "Auto: …"', async () => {
    const en = await open('/wall?layout=single&lang=en');
    const d = await waitFor('an automatic case in English', async () => {
      const v = await detail(en);
      return v.auto !== '' ? v : null;
    });
    expect(d.label).toMatch(/^Auto: (latest urgent case|longest overdue case|latest case)/);
    await en.close();
  });

  it('every empty panel on the page says why, and a map without workers on duty says so', async () => {
    const workers = await open('/wall?layout=wall-4x3&display=10');
    const onDuty = await workers.evaluate(
      () =>
        (
          globalThis as unknown as { __gridwall: { store: { getState(): { workers: { onDuty: number } } } } }
        ).__gridwall.store.getState().workers.onDuty,
    );
    if (onDuty === 0) {
      const note = workers.locator('[data-testid=workers-note]');
      await workers.waitForSelector(
        '[data-testid=workers-note][data-reason="empty.nightNoWorkers"], [data-testid=workers-note][data-reason="empty.dayNoWorkers"]',
        { timeout: 10_000 },
      );
      expect(await note.textContent()).toMatch(/(夜间|当前)无在岗网格员/);
    } else {
      expect(await workers.locator('[data-testid=workers-note]').count()).toBe(0);
    }
    await workers.screenshot({ path: join(shots, 'empty-wall-4x3-display-10.png') });
    // Every empty state on these pages carries its reason, and the reason is a sentence, not a key.
    for (const page of [alerts, single, workers]) {
      const empties = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('.gw-empty')].map((e) => ({
          reason: e.dataset.reason ?? '',
          text: e.textContent ?? '',
        })),
      );
      for (const e of empties) {
        expect(e.reason, e.text).not.toBe('');
        expect(e.text).not.toContain('.');
      }
    }
    await workers.close();
  });

  it('the preview’s display 4 links the same cameras as the wall’s own display 4', async () => {
    const wall = await open('/wall?layout=wall-3x2&display=4');
    // An alarm the wall's display sees come in, before the preview opens: the preview must still link
    // to it (before, a window linked only to the alarms it had seen arrive).
    const sensor = t.server.preset.sensors[0];
    if (sensor) {
      await raiseSensorAlarm(t, sensor);
      await waitFor('the wall to link to the alarm', async () => (await linkedView(wall)).ref === sensor.name);
    }
    const preview = await open('/preview?layout=wall-3x2');
    const same = async (what: string, ref?: string) =>
      waitFor(
        what,
        async () => {
          const [a, b] = [await linkedView(wall), await linkedView(preview)];
          const ids = (v: typeof a) => v.tiles.map((x) => x.cameraId).join(',');
          if (ref !== undefined && a.ref !== ref) return null;
          return a.tiles.length > 0 && a.ref === b.ref && ids(a) === ids(b) && ids(a) !== '' ? a : null;
        },
        60_000,
      );
    // Before anyone chooses: the same (the newest open alarm, or the scene's default cameras).
    await same('the same cameras on both before a choice', sensor ? sensor.name : undefined);
    // A choice on the wall's display 2 moves both the same way.
    const target = await alerts.evaluate(() => {
      const s = (
        globalThis as unknown as {
          __gridwall: {
            store: {
              getState(): { cases: { byId: Map<string, { id: string; code: string; endedAt: number | null }> } };
            };
          };
        }
      ).__gridwall.store.getState();
      const c = [...s.cases.byId.values()].find((x) => x.endedAt === null);
      return c ? { id: c.id, code: c.code } : null;
    });
    expect(target).not.toBeNull();
    await alerts.evaluate(
      (id) => (globalThis as unknown as { __gridwall: { focus(id: string): void } }).__gridwall.focus(id),
      target?.id ?? '',
    );
    const linked = await same('both to link the chosen case to the same cameras', target?.code ?? '');
    expect(linked.reason).toBe('focus');
    const coverage = Number(await preview.locator('[data-testid=preview]').getAttribute('data-coverage'));
    // 3×2 displays of 16:9 on a 16:9 monitor: the displays can cover 8:3 → 64 %; the rest holds
    // the status bar, the display numbers and the caption.
    expect(coverage).toBeGreaterThan(0.6);
    await preview.screenshot({ path: join(shots, 'empty-preview-wall-3x2.png') });
    await wall.screenshot({ path: join(shots, 'empty-wall-3x2-display-4.png') });
    await wall.close();
    await preview.close();
  });
});
