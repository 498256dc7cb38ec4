import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser, Page } from 'playwright-core';

/**
 * `npm run soak [-- --hours 24 --speed 60 --preset district --out soak.json]`
 *
 * Runs the case server with its simulator at ×speed for `hours` simulated hours with three walls
 * (wall-3x2, displays 0–2) and a console attached in headless Chromium, and reports every simulated
 * hour: the server's RSS and heap (after a GC), each page's JS heap (after a GC) and the browser's
 * RSS, event-loop stalls over 100 ms (server: a 20 ms timer that fires late; pages: long tasks),
 * stream reconnects, and every error (page errors, console errors, server stderr lines).
 * The server runs in a child process so the browser and this script do not count in its memory.
 */

const { values } = parseArgs({
  options: {
    hours: { type: 'string', default: '24' },
    speed: { type: 'string', default: '60' },
    preset: { type: 'string', default: 'district' },
    'history-days': { type: 'string', default: '1' },
    out: { type: 'string' },
    child: { type: 'boolean', default: false },
  },
  strict: true,
});

const STALL_MS = 100;
const MB = 1024 * 1024;

interface ServerSample {
  /** Events published since start: the stream's resume ring keeps the last 20,000, so heap grows until then. */
  events: number;
  rss: number;
  heapUsed: number;
  simTime: number;
  stalls: number;
  maxStallMs: number;
}

type ChildMessage =
  | { type: 'ready'; url: string; simTime: number }
  | { type: 'peek'; simTime: number }
  | ({ type: 'sample' } & ServerSample);

if (values.child) await runServerChild();
else await runSoak();

/** The server side: starts the server and answers samples (after a GC) over the IPC channel. */
async function runServerChild(): Promise<void> {
  const { startServer } = await import('../server/app/start');
  const dataDir = mkdtempSync(join(tmpdir(), 'gridwall-soak-'));
  const server = await startServer({
    port: 0,
    dataDir,
    preset: values.preset,
    speed: Number(values.speed),
    simulate: true,
    historyDays: Number(values['history-days']),
  });
  let stalls = 0;
  let maxStallMs = 0;
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    const late = now - last - 20;
    last = now;
    if (late > STALL_MS) {
      stalls++;
      maxStallMs = Math.max(maxStallMs, late);
    }
  }, 20).unref();
  const simTime = () => server.core.clock.now();
  process.on('message', (m: { type: string }) => {
    if (m.type === 'peek') {
      process.send?.({ type: 'peek', simTime: simTime() } satisfies ChildMessage);
    } else if (m.type === 'sample') {
      (globalThis as { gc?: () => void }).gc?.();
      // The forced GC's pause is ours, not the server's: the stall timer starts again after it.
      last = performance.now();
      const mem = process.memoryUsage();
      const sample: ChildMessage = {
        type: 'sample',
        events: server.hub.stats.eventsSent,
        rss: mem.rss,
        heapUsed: mem.heapUsed,
        simTime: simTime(),
        stalls,
        maxStallMs,
      };
      stalls = 0;
      maxStallMs = 0;
      process.send?.(sample);
    } else if (m.type === 'stop') {
      void server.close().finally(() => {
        rmSync(dataDir, { recursive: true, force: true });
        process.exit(0);
      });
    }
  });
  process.send?.({ type: 'ready', url: server.url, simTime: simTime() } satisfies ChildMessage);
}

interface PageProbe {
  name: string;
  page: Page;
  heap: () => Promise<number>;
}

interface HourRow {
  hour: number;
  events: number;
  serverRssMB: number;
  serverHeapMB: number;
  serverStalls: number;
  serverMaxStallMs: number;
  pageHeapMB: Record<string, number>;
  browserRssMB: number;
  pageStalls: number;
  pageMaxStallMs: number;
  reconnects: number;
  errors: number;
}

async function runSoak(): Promise<void> {
  const hours = Number(values.hours);
  const speed = Number(values.speed);
  if (!(hours > 0) || !(speed > 0)) throw new Error('--hours and --speed must be positive numbers');
  const { ensureRendererBuilt, launchBrowser } = await import('../test/e2e/harness');
  await ensureRendererBuilt();

  // Every error is printed as it comes (and counted in the hour's line).
  const errors: string[] = [];
  const push = errors.push.bind(errors);
  errors.push = (...items: string[]) => {
    for (const e of items) console.log(`error: ${e}`);
    return push(...items);
  };
  const child = fork(import.meta.filename, ['--child', ...process.argv.slice(2)], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  const notes: string[] = [];
  child.stderr?.on('data', (d: Buffer) => {
    // The server logs warnings (a tour step without its camera) on stderr too: only failures count.
    for (const line of d.toString().split('\n')) {
      if (!line.trim()) continue;
      (/error|exception|fail|unhandled/i.test(line) ? errors : notes).push(`server: ${line.trim()}`);
    }
  });
  const ready = await nextMessage(child, 'ready', 30 * 60_000);
  if (ready.type !== 'ready') throw new Error('server did not start');
  console.log(`soak: server on ${ready.url}, ${hours} simulated hours at ×${speed}`);

  const browser = await launchBrowser();
  let probes: PageProbe[] = [];
  const rows: HourRow[] = [];
  try {
    probes = await openPages(browser, ready.url, errors);
    const start = ready.simTime;
    let lastReconnects = await reconnects(probes);
    // Every simulated hour (a shorter run samples once, at its end).
    const step = Math.min(1, hours);
    for (let i = 1; i * step <= hours + 1e-9; i++) {
      const hour = round(i * step);
      // Wait until the server's clock passes the hour (sampled once a real second).
      for (;;) {
        await new Promise((r) => setTimeout(r, 1000));
        child.send({ type: 'peek' });
        const peek = await nextMessage(child, 'peek', 60_000);
        if (peek.type === 'peek' && peek.simTime - start >= hour * 3_600_000) break;
      }
      child.send({ type: 'sample' });
      const server = (await nextMessage(child, 'sample', 60_000)) as ServerSample;
      const heaps: Record<string, number> = {};
      for (const p of probes) heaps[p.name] = round((await p.heap()) / MB);
      const pageStalls = await collectPageStalls(probes);
      const nowReconnects = await reconnects(probes);
      const row: HourRow = {
        hour,
        events: server.events,
        serverRssMB: round(server.rss / MB),
        serverHeapMB: round(server.heapUsed / MB),
        serverStalls: server.stalls,
        serverMaxStallMs: Math.round(server.maxStallMs),
        pageHeapMB: heaps,
        browserRssMB: round(descendantsRss(process.pid, child.pid ?? -1) / MB),
        pageStalls: pageStalls.count,
        pageMaxStallMs: pageStalls.max,
        reconnects: nowReconnects - lastReconnects,
        errors: errors.length,
      };
      lastReconnects = nowReconnects;
      rows.push(row);
      console.log(
        `hour ${String(hour).padStart(2)}: ${row.events} events; server rss ${row.serverRssMB} MB heap ${row.serverHeapMB} MB, stalls ${row.serverStalls} (max ${row.serverMaxStallMs} ms); pages heap ${Object.values(heaps).join(' / ')} MB, browser rss ${row.browserRssMB} MB, long tasks >${STALL_MS} ms ${row.pageStalls} (max ${row.pageMaxStallMs} ms); reconnects ${row.reconnects}; errors ${row.errors}`,
      );
    }
  } finally {
    await browser.close().catch(() => {});
    child.send({ type: 'stop' });
    await new Promise((r) => child.once('exit', r));
  }
  const summary = summarise(rows);
  console.log(summary.text);
  for (const n of notes.slice(0, 5)) console.log(`server note: ${n}`);
  if (values.out)
    writeFileSync(values.out, `${JSON.stringify({ hours, speed, rows, errors, notes, summary }, null, 2)}\n`);
}

async function openPages(browser: Browser, url: string, errors: string[]): Promise<PageProbe[]> {
  const probes: PageProbe[] = [];
  const watch = (name: string, page: Page) => {
    page.on('pageerror', (e) => errors.push(`${name}: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${name} console: ${m.text()}`);
    });
  };
  const stallProbe = `(() => {
    const s = { count: 0, max: 0 };
    globalThis.__soakStalls = s;
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (e.duration > ${STALL_MS}) { s.count++; s.max = Math.max(s.max, e.duration); }
      }).observe({ type: 'longtask', buffered: true });
    } catch {}
  })()`;
  const open = async (name: string, path: string): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    watch(name, page);
    await page.addInitScript(stallProbe);
    // A loaded machine (the soak shares it with whatever else runs) can take longer than 30 s.
    await page.goto(`${url}${path}`, { timeout: 180_000 });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    probes.push({
      name,
      page,
      heap: async () => {
        await cdp.send('HeapProfiler.collectGarbage');
        const { metrics } = await cdp.send('Performance.getMetrics');
        return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
      },
    });
    return page;
  };
  for (const display of [0, 1, 2]) {
    const page = await open(`wall${display}`, `/wall?layout=wall-3x2&display=${display}`);
    await page.waitForFunction(
      () =>
        (globalThis as { __gridwall?: { store: { getState(): { ready: boolean } } } }).__gridwall?.store.getState()
          .ready === true,
      undefined,
      { timeout: 300_000 },
    );
  }
  const consolePage = await open('console', '/console');
  const form = consolePage.locator('[data-testid=login-form]');
  await form.waitFor({ timeout: 120_000 });
  await form.locator('input[name=username]').fill('supervisor');
  await form.locator('input[name=password]').fill('supervisor');
  await form.locator('input[name=password]').press('Enter');
  await consolePage.waitForFunction(
    () =>
      (
        globalThis as { __gridwallConsole?: { store: { getState(): { ready: boolean } } } }
      ).__gridwallConsole?.store.getState().ready === true,
    undefined,
    { timeout: 300_000 },
  );
  return probes;
}

type Counted = { connection: { counters: { reconnects: number } } };
async function reconnects(probes: PageProbe[]): Promise<number> {
  let n = 0;
  for (const p of probes) {
    n += await p.page.evaluate(() => {
      const g = globalThis as { __gridwall?: { store: { getState(): Counted } } } & {
        __gridwallConsole?: { store: { getState(): Counted } };
      };
      const store = g.__gridwall?.store ?? g.__gridwallConsole?.store;
      return store?.getState().connection.counters.reconnects ?? 0;
    });
  }
  return n;
}

async function collectPageStalls(probes: PageProbe[]): Promise<{ count: number; max: number }> {
  let count = 0;
  let max = 0;
  for (const p of probes) {
    const s = await p.page.evaluate(() => {
      const g = globalThis as { __soakStalls?: { count: number; max: number } };
      const v = { ...(g.__soakStalls ?? { count: 0, max: 0 }) };
      if (g.__soakStalls) Object.assign(g.__soakStalls, { count: 0, max: 0 });
      return v;
    });
    count += s.count;
    max = Math.max(max, Math.round(s.max));
  }
  return { count, max };
}

function nextMessage(child: ChildProcess, type: ChildMessage['type'], timeoutMs: number): Promise<ChildMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} from the server in ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (m: ChildMessage) => {
      if (m.type !== type) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m);
    };
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code})`));
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** RSS of every process under `root` (the browser's), leaving out the server's tree. */
function descendantsRss(root: number, exclude: number): number {
  const parent = new Map<number, number>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(pid, Number(fields[1]));
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      rss.set(pid, Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024);
    } catch {
      // The process ended while we read.
    }
  }
  const under = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) {
      if (p === exclude) return false;
      if (p === root) return true;
    }
    return false;
  };
  let total = 0;
  for (const [pid, bytes] of rss) if (pid !== exclude && under(pid)) total += bytes;
  return total;
}

function summarise(rows: HourRow[]) {
  const first = rows[0];
  const last = rows[rows.length - 1];
  const growth = (a: number, b: number) => (a > 0 ? round(((b - a) / a) * 100) : 0);
  const pageHeap = (r: HourRow) => Object.values(r.pageHeapMB).reduce((a, b) => a + b, 0);
  const result =
    first && last
      ? {
          serverRssGrowthPct: growth(first.serverRssMB, last.serverRssMB),
          serverHeapGrowthPct: growth(first.serverHeapMB, last.serverHeapMB),
          pagesHeapGrowthPct: growth(pageHeap(first), pageHeap(last)),
          browserRssGrowthPct: growth(first.browserRssMB, last.browserRssMB),
          serverStalls: rows.reduce((a, r) => a + r.serverStalls, 0),
          serverMaxStallMs: Math.max(...rows.map((r) => r.serverMaxStallMs)),
          pageStalls: rows.reduce((a, r) => a + r.pageStalls, 0),
          reconnects: rows.reduce((a, r) => a + r.reconnects, 0),
          errors: last.errors,
        }
      : null;
  const text = result
    ? `soak: after hour 1 → hour ${last?.hour}: server RSS ${result.serverRssGrowthPct} %, server heap ${result.serverHeapGrowthPct} %, pages' heap ${result.pagesHeapGrowthPct} %, browser RSS ${result.browserRssGrowthPct} %; server stalls >${STALL_MS} ms ${result.serverStalls} (max ${result.serverMaxStallMs} ms), page long tasks >${STALL_MS} ms ${result.pageStalls}, reconnects ${result.reconnects}, errors ${result.errors}`
    : 'soak: no hour completed';
  return { ...result, text };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
