import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case } from '../../protocol';
import { ACTION_DEFS, ACTIONS, type ActionId } from '../../renderer/console/actions';
import { QUEUES } from '../../renderer/console/queues';
import {
  type ConsoleServer,
  drive,
  loginOnPage,
  openConsole,
  selectByKeyboard,
  someCase,
  startConsoleServer,
  waitForConsoleReady,
  workerFor,
} from './console.helpers';
import { ensureRendererBuilt, launchBrowser, ROOT, seedCases, waitFor } from './harness';

const OUT = join(ROOT, 'artifacts/screenshots/console');

let t: ConsoleServer;
let browser: Browser;
let context: BrowserContext;
/** A case for each dialog, in a status that allows it. */
const caseFor = new Map<ActionId, Case>();

beforeAll(async () => {
  await ensureRendererBuilt();
  mkdirSync(OUT, { recursive: true });
  t = await startConsoleServer({ preset: 'small', seed: 7 });
  await seedCases(t.server, 160, 31);
  // Cases in every status a queue or a dialog needs, each from a filed case.
  const from = (steps: (c: Case) => Array<Record<string, unknown> & { type: string }>) => {
    const c = someCase(t, 'filed');
    return drive(t, c.id, steps(c));
  };
  const dispatchTo = (c: Case) => ({ type: 'dispatch', assignee: { kind: 'worker', id: workerFor(t, c) } });
  const handled = await from((c) => [
    dispatchTo(c),
    { type: 'accept' },
    { type: 'feedback', note: '已清理完毕，现场照片已上传' },
  ]);
  await from((c) => [dispatchTo(c), { type: 'accept' }, { type: 'feedback', note: '已修复' }]);
  const verified = await from((c) => [
    dispatchTo(c),
    { type: 'feedback', note: '已处置' },
    { type: 'verify', note: '现场核查，处置到位' },
  ]);
  const extension = await from((c) => [
    dispatchTo(c),
    { type: 'accept' },
    { type: 'extend', action: 'request', minutes: 240, reason: '需协调物业停水后施工' },
  ]);
  for (let i = 0; i < 3; i++) {
    await from((c) => [dispatchTo(c), { type: 'return', reason: '不属于本网格职责' }]);
    await from(() => [{ type: 'suspend', reason: '需列入年度改造计划' }]);
  }
  // Time runs on: short limits pass their warning and their deadline.
  await t.advance(25 * 60_000);
  const reported = someCase(t, 'reported');
  caseFor.set('file', reported);
  caseFor.set('reject', reported);
  caseFor.set('void', reported);
  caseFor.set('dispatch', someCase(t, 'filed'));
  caseFor.set('escalate', someCase(t, 'filed'));
  caseFor.set('approveExtension', extension);
  caseFor.set('refuseExtension', extension);
  caseFor.set('return', someCase(t, 'dispatched'));
  caseFor.set('suspend', someCase(t, 'dispatched'));
  caseFor.set('verify', handled);
  caseFor.set('reopen', handled);
  caseFor.set('close', verified);
  caseFor.set('comment', someCase(t, 'dispatched'));
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

/** Text cut off in its box, or boxes of the layout over each other. */
async function problems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const bad: string[] = [];
    const boxes = document.querySelectorAll<HTMLElement>(
      '.gc-top > *, .gc-tab-name, .gc-action, .gc-chip, .gc-dialog h2, .gc-dialog-buttons .gc-button, .gc-suggestion-name, .gc-deadline-main, .gc-case-head > *, .gc-list-head > *',
    );
    for (const el of boxes) {
      if (el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1) {
        bad.push(`${el.className}: ${el.textContent?.slice(0, 40)}`);
      }
    }
    const rect = (sel: string) => document.querySelector(sel)?.getBoundingClientRect();
    const left = rect('.gc-left');
    const right = rect('.gc-right');
    if (left && right && left.right > right.left) bad.push('list and case view overlap');
    const dialog = rect('.gc-dialog');
    if (dialog && (dialog.bottom > innerHeight || dialog.top < 0)) bad.push('dialog leaves the screen');
    return bad;
  });
}

async function shot(page: Page, name: string, found: string[]): Promise<void> {
  // Let the list, the map and the fonts settle.
  await page.waitForTimeout(400);
  for (const p of await problems(page)) found.push(`${name}: ${p}`);
  await page.screenshot({ path: join(OUT, `${name}.png`) });
}

describe('console screenshots at 1920×1080', () => {
  it('every queue, every dialog, help, login, offline and conflict', async () => {
    const found: string[] = [];
    const login = await context.newPage();
    await login.goto(`${t.url}/console`);
    await login.locator('[data-testid=login-form]').waitFor();
    await shot(login, 'login', found);
    await loginOnPage(login, 'wall');
    await login.locator('[data-testid=login-error]').waitFor();
    await shot(login, 'login-refused-wall', found);
    await login.close();

    const page = await openConsole(context, t.url);
    for (const [i, q] of QUEUES.entries()) {
      await page.keyboard.press(String(i + 1));
      await page.keyboard.press('Home');
      await page.locator(`[data-testid=queue-${q}][aria-selected=true]`).waitFor();
      expect(Number(await page.locator(`[data-testid=queue-${q}]`).getAttribute('data-count'))).toBeGreaterThan(0);
      await page.locator('[data-testid=case-minimap][data-loaded="1"]').waitFor({ timeout: 60_000 });
      await shot(page, `queue-${i + 1}-${q}`, found);
    }
    expect(await page.locator('[data-testid=console]').textContent()).toMatch(/[\u4e00-\u9fff]/);

    for (const action of ACTIONS) {
      const c = caseFor.get(action);
      if (!c) throw new Error(`no case for ${action}`);
      await selectByKeyboard(page, c.code);
      await page.keyboard.press(ACTION_DEFS[action].key);
      await page.locator(`[data-testid=action-dialog][data-action=${action}]`).waitFor();
      if (action === 'dispatch') await page.locator('[data-testid=suggestion][aria-pressed=true]').waitFor();
      await shot(page, `dialog-${action}`, found);
      await page.keyboard.press('Escape');
      await page.locator('[data-testid=action-dialog]').waitFor({ state: 'detached' });
    }

    await page.keyboard.press('?');
    await page.locator('[data-testid=help]').waitFor();
    await shot(page, 'help', found);
    await page.keyboard.press('?');

    // A refused command: the case changed under an open dialog.
    const c = caseFor.get('comment') as Case;
    await selectByKeyboard(page, c.code);
    await page.keyboard.press('m');
    await page.keyboard.type('请今日内处置完毕');
    await drive(t, c.id, [{ type: 'comment', note: '已联系承办人' }]);
    await page.locator('[data-testid=dialog-stale]').waitFor();
    await shot(page, 'dialog-stale', found);
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=problem]').waitFor();
    await shot(page, 'conflict', found);

    // Offline with commands waiting.
    await t.stop();
    await waitFor(
      'offline',
      async () => (await page.locator('[data-testid=console-connection]').getAttribute('data-state')) !== 'live',
    );
    await selectByKeyboard(page, (caseFor.get('file') as Case).code);
    await page.keyboard.press('f');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=case-view-pending]').waitFor();
    await waitFor(
      'the offline notice',
      async () => (await page.locator('[data-testid=outbox-status]').getAttribute('data-offline')) === '1',
    );
    await shot(page, 'offline', found);
    await t.restart();
    await waitFor(
      'all delivered',
      async () => (await page.locator('[data-testid=outbox-status]').textContent()) === '指令已全部送达',
      120_000,
    );

    // The session ends: the login comes over the screen.
    const token = await page.evaluate(
      () => (JSON.parse(sessionStorage.getItem('gridwall.console.session') ?? '{}') as { token?: string }).token,
    );
    await fetch(`${t.url}/api/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    await page.locator('[data-testid=login-expired]').waitFor({ timeout: 60_000 });
    await shot(page, 'session-expired', found);
    await page.keyboard.type('supervisor');
    await page.keyboard.press('Enter');
    await waitForConsoleReady(page);

    // English, second language.
    await page.goto(`${t.url}/console?lang=en`);
    await waitForConsoleReady(page);
    await page.keyboard.press('1');
    await page.keyboard.press('Home');
    await page.locator('[data-testid=case-minimap][data-loaded="1"]').waitFor({ timeout: 60_000 });
    await shot(page, 'en-queue-1-toFile', found);
    await selectByKeyboard(page, (caseFor.get('dispatch') as Case).code);
    await page.keyboard.press('d');
    await page.locator('[data-testid=suggestion][aria-pressed=true]').waitFor();
    await shot(page, 'en-dialog-dispatch', found);
    expect(found).toEqual([]);
  });
});
