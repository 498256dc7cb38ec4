import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case } from '../../protocol';
import { type ConsoleServer, openConsole, selectByKeyboard, startConsoleServer } from './console.helpers';
import { ensureRendererBuilt, launchBrowser, seedCases, waitFor } from './harness';

const MINUTE = 60_000;

let t: ConsoleServer;
let browser: Browser;

beforeAll(async () => {
  await ensureRendererBuilt();
  t = await startConsoleServer({ preset: 'small', seed: 7 });
  await seedCases(t.server, 40, 11);
  // From 10:00 to 12:30 on a workday: the lunch break (12:00–13:30) has begun, so the time since a
  // 10:30 deadline is 150 minutes by the clock on the wall but 90 working minutes.
  await t.advance(150 * MINUTE);
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await t?.dispose();
});

type WallHandle = { __gridwall?: { store: { getState(): { ready: boolean } }; focus(id: string): void } };

/** The newest case still waiting in `status` with the clock its limit counts in. */
function caseOn(clock: 'working' | 'calendar'): Case {
  const found = [...t.server.core.cases.values()]
    .filter((c) => c.status === 'reported' && c.deadline && (c.deadline.clock ?? 'working') === clock)
    .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1))[0];
  if (!found) throw new Error(`no reported case on ${clock} time`);
  return found;
}

async function wallCountdown(wall: Page, c: Case): Promise<string> {
  await wall.evaluate((id) => (globalThis as unknown as WallHandle).__gridwall?.focus(id), c.id);
  const detail = wall.locator(`[data-testid=case-detail][data-case-id="${c.id}"]`);
  await detail.waitFor({ timeout: 30_000 });
  return (await detail.locator('[data-testid=countdown]').textContent()) ?? '';
}

describe('one clock for deadlines', () => {
  it('shows a case the same time left or overdue on the wall and in the console, labelled with its clock', async () => {
    // The wall's machine set to another zone than the console's: both must read the center's time.
    const wallContext = await browser.newContext({
      viewport: { width: 1920, height: 1080 },
      timezoneId: 'Europe/London',
    });
    const deskContext = await browser.newContext({
      viewport: { width: 1920, height: 1080 },
      timezoneId: 'Asia/Shanghai',
    });
    const wall = await wallContext.newPage();
    await wall.goto(`${t.url}/wall?layout=single`);
    await waitFor('the wall to load', () =>
      wall.evaluate(() => (globalThis as unknown as WallHandle).__gridwall?.store.getState().ready === true),
    );
    const desk = await openConsole(deskContext, t.url);

    for (const [clock, label] of [
      ['working', '工作时间'],
      ['calendar', '自然时间'],
    ] as const) {
      const c = caseOn(clock);
      await selectByKeyboard(desk, c.code);
      const view = desk.locator('[data-testid=case-view-deadline]');
      // Both pages run on the server's clock: read them until one moment agrees (a minute may tick between reads).
      const seen = await waitFor(`the ${clock}-time case to read the same on both`, async () => {
        const onDesk = ((await view.textContent()) ?? '').trim();
        const onWall = await wallCountdown(wall, c);
        const main = /(超时|剩余) [^（·]+|已超时（\d\d:\d\d 到期）/.exec(onDesk)?.[0]?.trim();
        return main && onWall.includes(main) ? { onDesk, onWall, main } : null;
      });
      expect(seen.onDesk).toContain(label);
      expect(seen.onWall).toContain(label);
      // An overdue case at 12:30: its due time lay in the morning (the seeds file within 30 minutes).
      expect(seen.main).toMatch(/超时/);
      if (clock === 'working') {
        // Due in the morning, it is overdue by the working minutes up to the lunch break at 12:00 only.
        const noon = Date.UTC(2026, 10, 25, 4, 0, 0);
        const over = Math.round((noon - (c.deadline?.dueAt ?? noon)) / MINUTE);
        expect(seen.main).toBe(`超时 ${Math.floor(over / 60)}小时${over % 60}分`);
      }
    }
    await wallContext.close();
    await deskContext.close();
  }, 300_000);
});
