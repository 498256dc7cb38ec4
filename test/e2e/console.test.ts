import type { Browser, BrowserContext, Page } from 'playwright-core';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandAck } from '../../protocol';
import {
  type ConsoleServer,
  loginOnPage,
  openConsole,
  selectByKeyboard,
  serverCase,
  someCase,
  startConsoleServer,
  waitForConsoleReady,
} from './console.helpers';
import { ensureRendererBuilt, launchBrowser, login, seedCases, waitFor } from './harness';

let t: ConsoleServer;
let browser: Browser;

beforeAll(async () => {
  await ensureRendererBuilt();
  t = await startConsoleServer({ preset: 'small', seed: 7 });
  await seedCases(t.server, 60, 11);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.dispose();
});

/** A workstation: its own browser profile (storage, outbox), in the center's time zone. */
const workstation = (): Promise<BrowserContext> =>
  browser.newContext({ viewport: { width: 1920, height: 1080 }, timezoneId: 'Asia/Shanghai', locale: 'zh-CN' });

type WallHandle = {
  __gridwall: {
    store: {
      getState(): {
        ready: boolean;
        focus: { caseId: string | null };
        cases: { byId: Map<string, { status: string; version: number }> };
      };
    };
  };
};

const wallView = (page: Page, id: string) =>
  page.evaluate((caseId) => {
    const s = (globalThis as unknown as WallHandle).__gridwall.store.getState();
    return { focus: s.focus.caseId, status: s.cases.byId.get(caseId)?.status ?? null };
  }, id);

describe('the dispatch console', () => {
  it('files and dispatches a case by keyboard alone, and the wall follows and shows the change', async () => {
    const context = await workstation();
    // The wall and the console on one machine (browser mode), as in a small center.
    const wall = await context.newPage();
    await wall.goto(`${t.url}/wall?layout=single`);
    await waitFor('the wall to load', () =>
      wall.evaluate(() => (globalThis as unknown as WallHandle).__gridwall?.store.getState().ready === true),
    );
    const desk = await openConsole(context, t.url);
    const c = someCase(t, 'reported');

    await selectByKeyboard(desk, c.code);
    // Selecting a case focuses it on the wall: its detail scene shows it.
    await waitFor('the wall to focus the case', async () => (await wallView(wall, c.id)).focus === c.id);
    await wall.locator(`[data-testid=case-detail][data-case-id="${c.id}"]`).waitFor({ timeout: 30_000 });

    await desk.keyboard.press('f');
    await desk.locator('[data-testid=action-dialog][data-action=file]').waitFor();
    await desk.keyboard.press('Enter');
    await waitFor('the server to file the case', async () => serverCase(t, c.id).status === 'filed');

    await desk.keyboard.press('d');
    const dialog = desk.locator('[data-testid=action-dialog][data-action=dispatch]');
    await dialog.waitFor();
    // The best suggestion is already chosen: Enter dispatches to it.
    const chosen = dialog.locator('[data-testid=suggestion][aria-pressed=true]');
    await chosen.waitFor();
    const assigneeId = await chosen.getAttribute('data-id');
    await desk.keyboard.press('Enter');
    await waitFor('the server to dispatch the case', async () => serverCase(t, c.id).status === 'dispatched');
    expect(serverCase(t, c.id).assignee?.id).toBe(assigneeId);

    // The wall shows it: its store and its case detail (the dispatched badge).
    await waitFor('the wall to show the dispatch', async () => (await wallView(wall, c.id)).status === 'dispatched');
    await wall
      .locator(`[data-testid=case-detail][data-case-id="${c.id}"] .gw-badge-dispatched`)
      .waitFor({ timeout: 30_000 });
    // …and the console's own view.
    await desk.locator(`[data-testid=case-view][data-case-id="${c.id}"][data-status=dispatched]`).waitFor();
    // The case's event and the command's ack come on separate paths: the view may show the
    // dispatch a moment before the outbox hears its ack. The outbox must then drain.
    await waitFor(
      'the outbox to hear the ack',
      async () => (await desk.locator('[data-testid=outbox-status]').textContent()) === '指令已全部送达',
    );
    await context.close();
  });

  it('two consoles dispatch the same case: one wins, the other sees the conflict with the current state and can redo', async () => {
    const ctxA = await workstation();
    const ctxB = await workstation();
    const a = await openConsole(ctxA, t.url, 'supervisor');
    const b = await openConsole(ctxB, t.url, 'admin');
    const c = someCase(t, 'filed');

    for (const page of [a, b]) {
      await selectByKeyboard(page, c.code);
      await page.keyboard.press('d');
      await page.locator('[data-testid=action-dialog][data-action=dispatch] [aria-pressed=true]').waitFor();
    }
    await a.keyboard.press('Enter');
    await waitFor('A’s dispatch to apply', async () => serverCase(t, c.id).status === 'dispatched');
    const won = serverCase(t, c.id);
    // B decided on the version it saw when its dialog opened: the server refuses it.
    await b.locator('[data-testid=dialog-stale]').waitFor({ timeout: 30_000 });
    await b.keyboard.press('Enter');
    const problem = b.locator(`[data-testid=problem][data-case-id="${c.id}"]`);
    await problem.waitFor({ timeout: 30_000 });
    expect(await problem.getAttribute('data-code')).toBe('conflict');
    const current = problem.locator('[data-testid=problem-current]');
    expect(await current.getAttribute('data-status')).toBe('dispatched');
    expect(await current.textContent()).toContain(won.assignee?.name ?? '?');
    // Dispatching again is not possible now: the redo is offered only where it applies.
    expect(await problem.locator('[data-testid=problem-redo]').isDisabled()).toBe(true);
    expect(serverCase(t, c.id).version).toBe(won.version);
    await b.keyboard.press('Delete');
    await problem.waitFor({ state: 'detached' });

    // A conflict that can be redone: both comment; B's goes on top of the current state.
    for (const page of [a, b]) {
      await page.keyboard.press('m');
      await page.locator('[data-testid=action-dialog][data-action=comment]').waitFor();
      await page.keyboard.type(page === a ? '已电话联系上报人' : '请承办人今日处置');
    }
    await a.keyboard.press('Enter');
    await waitFor('A’s comment', async () => serverCase(t, c.id).version === won.version + 1);
    await b.keyboard.press('Enter');
    await problem.waitFor({ timeout: 30_000 });
    await b.keyboard.press('r');
    const redo = b.locator('[data-testid=action-dialog][data-action=comment]');
    await redo.waitFor();
    expect(await redo.locator('[data-testid=dialog-text]').inputValue()).toBe('请承办人今日处置');
    await b.keyboard.press('Enter');
    await waitFor('B’s redone comment', async () => serverCase(t, c.id).version === won.version + 2);
    const notes = serverCase(t, c.id)
      .timeline.filter((e) => e.action === 'comment')
      .map((e) => e.note);
    expect(notes).toEqual(['已电话联系上报人', '请承办人今日处置']);
    await problem.waitFor({ state: 'detached' });
    await ctxA.close();
    await ctxB.close();
  });

  it('refuses wall and presenter accounts: no console, no commands', async () => {
    const context = await workstation();
    const page = await context.newPage();
    await page.goto(`${t.url}/console`);
    for (const [user, role] of [
      ['wall', '大屏'],
      ['presenter', '讲解员'],
    ] as const) {
      await loginOnPage(page, user);
      const error = page.locator('[data-testid=login-error][data-error=role]');
      // The previous account's refusal is still on screen until this one's answer comes: wait for it.
      await waitFor(`the refusal of ${user}`, async () => ((await error.textContent()) ?? '').startsWith(role));
      expect(await error.textContent()).toBe(`${role}账号不能使用调度台，请使用值班长或管理员账号`);
      expect(await page.locator('[data-testid=console]').count()).toBe(0);
    }

    // A wall token slipped into the page's session is refused as well.
    const wallToken = await login(t.url, 'wall');
    await page.evaluate(
      (token) =>
        sessionStorage.setItem(
          'gridwall.console.session',
          JSON.stringify({ token, username: 'wall', role: 'supervisor', expiresAt: null }),
        ),
      wallToken,
    );
    await page.reload();
    await page.locator('[data-testid=login-error][data-error=role]').waitFor();
    expect(await page.locator('[data-testid=console]').count()).toBe(0);
    expect(await page.evaluate(() => sessionStorage.getItem('gridwall.console.session'))).toBeNull();

    // And the server refuses their commands, over HTTP and over the socket.
    const c = someCase(t, 'reported');
    for (const user of ['wall', 'presenter']) {
      const token = await login(t.url, user);
      const res = await fetch(`${t.url}/api/commands`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ commandId: `e2e-${user}-http`, type: 'file', caseId: c.id, expectedVersion: c.version }),
      });
      expect(res.status).toBe(403);
      const socket = io(t.url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
      const ack = await new Promise<CommandAck>((resolve) =>
        socket.emit(
          'command',
          { commandId: `e2e-${user}-socket`, type: 'file', caseId: c.id, expectedVersion: c.version },
          resolve,
        ),
      );
      socket.disconnect();
      expect(ack.ok).toBe(false);
      expect(ack.ok ? null : ack.error.code).toBe('forbidden');
    }
    expect(serverCase(t, c.id).version).toBe(c.version);
    await context.close();
  });

  it('asks to log in again when the session ends, keeping the screen and the commands made meanwhile', async () => {
    const context = await workstation();
    const page = await openConsole(context, t.url);
    const c = someCase(t, 'reported');
    await selectByKeyboard(page, c.code);
    // The session ends (here: revoked on the server, as an expiry would).
    const token = await page.evaluate(
      () => (JSON.parse(sessionStorage.getItem('gridwall.console.session') ?? '{}') as { token?: string }).token,
    );
    await fetch(`${t.url}/api/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    const overlay = page.locator('[data-testid=login-expired]');
    await overlay.waitFor({ timeout: 60_000 });
    // The screen behind it is as it was: the same case, the same search.
    expect(await page.locator('[data-testid=case-view-code]').textContent()).toBe(c.code);
    expect(await page.locator('[data-testid=search]').inputValue()).toBe(c.code);
    // The user name is kept; the password is asked.
    expect(await overlay.locator('input[name=username]').inputValue()).toBe('supervisor');
    await page.keyboard.type('supervisor');
    await page.keyboard.press('Enter');
    await overlay.waitFor({ state: 'detached' });
    await waitForConsoleReady(page);
    await page.keyboard.press('f');
    await page.locator('[data-testid=action-dialog][data-action=file]').waitFor();
    await page.keyboard.press('Enter');
    await waitFor('the file after the new login', async () => serverCase(t, c.id).status === 'filed');
    await context.close();
  });

  it('keeps dispatch suggestions to on-duty workers of the grid and the departments taking the category', async () => {
    const c = someCase(t, 'filed');
    const context = await workstation();
    const page = await openConsole(context, t.url);
    await selectByKeyboard(page, c.code);
    await page.keyboard.press('d');
    const dialog = page.locator('[data-testid=action-dialog][data-action=dispatch]');
    await dialog.locator('[data-testid=suggestion]').first().waitFor();
    const offered = await dialog
      .locator('[data-testid=suggestion]')
      .evaluateAll((els) => els.map((e) => ({ kind: e.getAttribute('data-kind'), id: e.getAttribute('data-id') })));
    const workers = new Map(t.server.preset.workers.map((w) => [w.id, w]));
    const grid = t.server.preset.areas.find((a) => a.id === c.gridId);
    for (const o of offered.filter((x) => x.kind === 'worker')) {
      const w = workers.get(o.id ?? '');
      expect(w).toBeDefined();
      expect(t.server.core.workers.get(o.id ?? '')?.onDuty).toBe(true);
      const wGrid = t.server.preset.areas.find((a) => a.id === w?.gridId);
      expect(w?.gridId === c.gridId || wGrid?.parentId === grid?.parentId).toBe(true);
    }
    const category = t.server.preset.categories.find((k) => k.code === c.category);
    for (const o of offered.filter((x) => x.kind === 'department')) {
      const d = t.server.preset.departments.find((x) => x.id === o.id);
      expect(d?.categories.includes(c.category) || category?.departmentId === d?.id).toBe(true);
    }
    expect(offered.length).toBeGreaterThan(0);
    // The dispatch the console sends is the one chosen with the keys: the second in the list, which
    // keeps the order it opened with while positions and loads arrive (the simulator runs at ×60).
    const readList = () =>
      dialog
        .locator('[data-testid=suggestion]')
        .evaluateAll((els) => els.map((e) => ({ id: e.getAttribute('data-id'), on: e.getAttribute('aria-pressed') })));
    // As a supervisor does: the first is shown chosen, then the key moves on from it. The dialog is
    // modal and takes the keys wherever the focus is: here nowhere, as after a click on the backdrop.
    await dialog.locator('[data-testid=suggestion][aria-pressed=true]').waitFor();
    await page.mouse.click(5, 5);
    expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
    const before = await readList();
    await page.keyboard.press('ArrowDown');
    const second = before[1]?.id ?? before[0]?.id;
    // The key moves the choice to the second person. If someone offered leaves the list meanwhile
    // (a worker going off duty at ×60), what is chosen then is what the dispatch below must send.
    const list = await waitFor('the choice after the key', async () => {
      const now = await readList();
      if (!before.every((b) => now.some((x) => x.id === b.id))) return now;
      return now.some((x) => x.on === 'true' && x.id === second) ? now : null;
    });
    const chosen = list.find((x) => x.on === 'true')?.id;
    // Those still offered are where they were; the choice stays with the person chosen even when
    // someone above them leaves the list.
    const both = list.map((x) => x.id).filter((id) => offered.some((o) => o.id === id));
    expect(both).toEqual(offered.map((o) => o.id).filter((id) => both.includes(id)));
    await page.keyboard.press('Enter');
    await waitFor('the dispatch', async () => serverCase(t, c.id).status === 'dispatched');
    expect(serverCase(t, c.id).assignee?.id).toBe(chosen);
    await context.close();
  });
});
