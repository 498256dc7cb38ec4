import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { Case, CaseStatus, Command } from '../../protocol';
import { type RunningServer, startServer } from '../../server/app/start';
import { ManualClock } from '../../server/clock';
import { waitFor } from './harness';

/**
 * The console's e2e helpers. The server runs without its simulator (which plays the center too
 * and would file and dispatch the cases under the test's hands) and on a manual clock set in
 * working hours (a Wednesday, 10:00 in UTC+8), so deadlines are the same on every run.
 */
export const WORKDAY_10AM = Date.UTC(2026, 10, 25, 2, 0, 0);

export interface ConsoleServer {
  readonly server: RunningServer;
  readonly clock: ManualClock;
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** Moves server time on and runs the deadline marks that fell due. */
  advance(ms: number): Promise<void>;
  dispose(): Promise<void>;
}

export async function startConsoleServer(
  options: { preset?: 'small' | 'district'; seed?: number } = {},
): Promise<ConsoleServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridwall-console-e2e-'));
  let clock = new ManualClock(WORKDAY_10AM);
  const base = { host: '127.0.0.1', dataDir, preset: options.preset ?? 'small', seed: options.seed ?? 7 };
  let server = await startServer({ ...base, port: 0, clock });
  let running = true;
  const t: ConsoleServer = {
    get server() {
      return server;
    },
    get clock() {
      return clock;
    },
    url: server.url,
    port: server.port,
    dataDir,
    async stop() {
      if (running) await server.close();
      running = false;
    },
    async restart() {
      clock = new ManualClock(clock.now());
      server = await startServer({ ...base, port: t.port, clock });
      running = true;
    },
    async advance(ms) {
      clock.advance(ms);
      await server.tick();
      await server.core.idle();
      await server.tick();
    },
    async dispose() {
      await t.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}

type ConsoleHandle = {
  __gridwallConsole?: {
    store: { getState(): { ready: boolean; connection: { state: string }; cases: { byId: Map<string, unknown> } } };
    ui: { getState(): { auth: string; outbox: { waiting: number } } };
  };
};

/** Opens /console in a new page of `context` and logs in. */
export async function openConsole(
  context: BrowserContext,
  url: string,
  username = 'supervisor',
  query = '',
): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log('[console pageerror]', e.message));
  await page.goto(`${url}/console${query}`);
  await loginOnPage(page, username);
  await waitForConsoleReady(page);
  return page;
}

export async function loginOnPage(page: Page, username: string, password = username): Promise<void> {
  const form = page.locator('[data-testid=login-form]');
  await form.waitFor({ timeout: 60_000 });
  await form.locator('input[name=username]').fill(username);
  await form.locator('input[name=password]').fill(password);
  await form.locator('input[name=password]').press('Enter');
}

export async function waitForConsoleReady(page: Page): Promise<void> {
  await waitFor('the console to have its first snapshot', () =>
    page.evaluate(() => {
      const h = (globalThis as ConsoleHandle).__gridwallConsole;
      return h?.ui.getState().auth === 'ready' && h.store.getState().ready === true;
    }),
  );
}

/** The case as the server has it now. */
export function serverCase(t: ConsoleServer, id: string): Case {
  const c = t.server.core.cases.get(id);
  if (!c) throw new Error(`no case ${id} on the server`);
  return c;
}

/** The newest case in a status, as the server has it. */
export function someCase(t: ConsoleServer, status: CaseStatus, nth = 0): Case {
  const list = [...t.server.core.cases.values()]
    .filter((c) => c.status === status)
    .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1));
  const c = list[nth];
  if (!c) throw new Error(`no ${status} case number ${nth}`);
  return c;
}

/** Selects a case by its code through the search box (keyboard only); the search stays. */
export async function selectByKeyboard(page: Page, code: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('/');
  await page.keyboard.press('Control+A');
  await page.keyboard.type(code);
  const row = page.locator(`[data-testid=case-row][data-code="${code}"]`);
  await row.waitFor({ timeout: 30_000 });
  await page.keyboard.press('ArrowDown');
  let shown: string | null = null;
  try {
    await waitFor(
      `case ${code} to be selected`,
      async () => {
        shown = await page.locator('[data-testid=case-view-code]').textContent({ timeout: 1000 });
        return shown === code;
      },
      20_000,
    );
  } catch (err) {
    const state = await page.evaluate(() => {
      const s = (
        globalThis as unknown as {
          __gridwallConsole: { ui: { getState(): { queue: string; filters: unknown; selectedId: string | null } } };
        }
      ).__gridwallConsole.ui.getState();
      return JSON.stringify({
        queue: s.queue,
        filters: s.filters,
        selected: s.selectedId,
        focus: document.activeElement?.id,
      });
    });
    throw new Error(`${String(err)}; shown ${shown}; ${state}`);
  }
}

export const consoleWaiting = (page: Page): Promise<number> =>
  page.evaluate(() => (globalThis as ConsoleHandle).__gridwallConsole?.ui.getState().outbox.waiting ?? -1);

let driven = 0;
/** Runs commands on a case straight through the server's core (setting up cases in every status). */
export async function drive(
  t: ConsoleServer,
  caseId: string,
  steps: ReadonlyArray<Record<string, unknown> & { type: string }>,
): Promise<Case> {
  let c = serverCase(t, caseId);
  for (const step of steps) {
    const ack = await t.server.core.command(
      { commandId: `e2e-drive-${++driven}-${caseId}`, caseId, expectedVersion: c.version, ...step } as Command,
      {
        actor: { id: 'supervisor', name: '值班长', role: 'supervisor' },
        username: 'supervisor',
        role: 'supervisor',
        remoteAddress: '127.0.0.1',
      },
    );
    if (!ack.ok) throw new Error(`${step.type} on ${caseId}: ${ack.error.code} ${ack.error.message}`);
    c = ack.case;
  }
  return c;
}

/** A worker of the case's grid (or any), for dispatches made by the test itself. */
export function workerFor(t: ConsoleServer, c: Case): string {
  const w = t.server.preset.workers.find((x) => x.gridId === c.gridId) ?? t.server.preset.workers[0];
  if (!w) throw new Error('no workers in the preset');
  return w.id;
}
