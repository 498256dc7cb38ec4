import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../protocol';
import {
  type ConsoleServer,
  consoleWaiting,
  openConsole,
  selectByKeyboard,
  serverCase,
  someCase,
  startConsoleServer,
} from './console.helpers';
import { ensureRendererBuilt, launchBrowser, login, seedCases, waitFor } from './harness';

let t: ConsoleServer;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  await ensureRendererBuilt();
  t = await startConsoleServer({ preset: 'small', seed: 7 });
  await seedCases(t.server, 40, 21);
  browser = await launchBrowser();
  context = await browser.newContext({
    viewport: { width: 1920, height: 1080 },
    timezoneId: 'Asia/Shanghai',
    locale: 'zh-CN',
  });
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await t?.dispose();
});

const connectionState = (page: import('playwright-core').Page) =>
  page.locator('[data-testid=console-connection]').getAttribute('data-state');

describe('the outbox: never lose a command', () => {
  it('queues commands while the server is down, keeps them over a reload, and applies each once when it is back', async () => {
    const page = await openConsole(context, t.url);
    // The page can be reloaded without the server once its service worker holds the assets.
    await page.waitForFunction(() => document.documentElement.dataset.offlineReady === '1', null, {
      timeout: 60_000,
    });
    const first = someCase(t, 'reported', 0);
    const second = someCase(t, 'reported', 1);

    await t.stop();
    await waitFor('the console to see the server gone', async () => (await connectionState(page)) !== 'live');

    // Three commands while offline: file and dispatch one case (the dispatch builds on the file), file another.
    await selectByKeyboard(page, first.code);
    await page.keyboard.press('f');
    await page.locator('[data-testid=action-dialog][data-action=file]').waitFor();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=case-view-pending]').waitFor();
    // The console keeps working on what it believes: the case may be dispatched next.
    await page.keyboard.press('d');
    const dispatch = page.locator('[data-testid=action-dialog][data-action=dispatch]');
    await dispatch.locator('[data-testid=suggestion][aria-pressed=true]').waitFor();
    const assigneeId = await dispatch.locator('[data-testid=suggestion][aria-pressed=true]').getAttribute('data-id');
    await page.keyboard.press('Enter');
    await selectByKeyboard(page, second.code);
    await page.keyboard.press('f');
    await page.locator('[data-testid=action-dialog][data-action=file]').waitFor();
    await page.keyboard.press('Enter');

    const status = page.locator('[data-testid=outbox-status]');
    await waitFor('three commands waiting', async () => (await consoleWaiting(page)) === 3);
    await waitFor('the offline notice', async () => (await status.textContent()) === '离线，3 条指令待发送');

    // A reload while the server is still away: the console comes back from the offline cache, with its outbox.
    await page.reload();
    await waitFor('the reloaded console', async () => (await page.locator('[data-testid=console]').count()) === 1);
    await waitFor('the outbox to come back from IndexedDB', async () => (await consoleWaiting(page)) === 3);
    await waitFor('the offline notice again', async () => (await status.textContent()) === '离线，3 条指令待发送');

    // The server comes back on the same port and data: the commands go out in order, each applied once.
    await t.restart();
    await waitFor('the outbox to empty', async () => (await consoleWaiting(page)) === 0, 120_000);
    await waitFor('all delivered', async () => (await status.textContent()) === '指令已全部送达');

    const a = serverCase(t, first.id);
    const b = serverCase(t, second.id);
    expect(a.status).toBe('dispatched');
    expect(a.assignee?.id).toBe(assigneeId);
    expect(b.status).toBe('filed');
    const actions = (c: typeof a) => c.timeline.map((e) => e.action).filter((x) => x === 'file' || x === 'dispatch');
    expect(actions(a)).toEqual(['file', 'dispatch']);
    expect(actions(b)).toEqual(['file']);

    // The audit log holds each of the console's commands exactly once, applied.
    const admin = await login(t.url, 'admin');
    const res = await fetch(`${t.url}/api/audit?limit=1000`, { headers: { authorization: `Bearer ${admin}` } });
    const items = ((await res.json()) as { items: unknown[] }).items.map((i) => AuditEntry.parse(i));
    const ours = items.filter((i) => i.username === 'supervisor' && (i.caseId === first.id || i.caseId === second.id));
    const byCommand = new Map<string, number>();
    for (const i of ours) byCommand.set(i.commandId, (byCommand.get(i.commandId) ?? 0) + 1);
    expect(
      ours
        .filter((i) => i.result === 'ok')
        .map((i) => `${i.caseId}:${i.commandType}`)
        .sort(),
    ).toEqual([`${first.id}:dispatch`, `${first.id}:file`, `${second.id}:file`].sort());
    expect([...byCommand.values()]).toEqual([1, 1, 1]);
    // Nothing left behind in the browser's storage either.
    await page.reload();
    await waitFor('the console after a last reload', async () => (await consoleWaiting(page)) === 0);
    expect(await page.locator('[data-testid=problems]').count()).toBe(0);
  });
});
