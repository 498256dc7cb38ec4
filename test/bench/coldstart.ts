import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { ensureRendererBuilt, launchBrowser, ROOT } from '../e2e/harness';
import type { TraceEvent } from './wall-trace';

/**
 * Issue 18's wall cold start in browser mode: a district server started once and left warm, then the
 * wall page loaded N times, each in a fresh browser context (empty HTTP cache, no cookie), from
 * navigation to the first frame with live data (the map marks itself loaded with the snapshot's
 * cases, the store is ready, one more animation frame). With `--old DIR` (a checkout with its
 * renderer built and node_modules) the old build's server and page run beside this one, alternating.
 *
 * The breakdown comes from what every build exposes (resource timing, paint timing, the store, the
 * map's `data-loaded`) plus the renderer's `gw:*` performance marks where the build sets them.
 */
export interface ColdStartSample {
  /** Navigation to the first frame with live data. */
  liveMs: number;
  /** Navigation to the last byte of each stage's download / the moment it happened (ms). */
  stages: Record<string, number>;
}

const STAGE_RESOURCES: Array<[string, RegExp]> = [
  ['entry js', /\/assets\/index-[^/]*\.js$/],
  ['stream worker js', /\/assets\/worker-[^/]*\.js$/],
  ['map style', /\/api\/map\/style|style\.json/],
  ['login', /\/api\/login$/],
  ['calendar', /\/api\/calendar/],
  ['areas', /\/api\/areas/],
];

/** Runs in the page before its scripts: records when the store is ready and the map loaded. */
const INIT = `(() => {
  const t = (globalThis.__cold = {});
  const poll = () => {
    const g = globalThis.__gridwall;
    if (t.ready === undefined && g && g.store.getState().ready) t.ready = performance.now();
    const map = document.querySelector('[data-testid=map]');
    if (t.mapEl === undefined && map) t.mapEl = performance.now();
    if (t.mapLoaded === undefined && map && map.dataset.loaded === '1') t.mapLoaded = performance.now();
    if (t.ready !== undefined && t.mapLoaded !== undefined) {
      requestAnimationFrame(() => { t.live = performance.now(); });
      return;
    }
    requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
})();`;

interface PageTimes {
  live: number;
  ready: number;
  mapEl: number;
  mapLoaded: number;
  resources: Array<{ name: string; start: number; end: number }>;
  paints: Array<{ name: string; t: number }>;
  marks: Array<{ name: string; t: number }>;
  domContentLoaded: number;
}

async function loadOnce(browser: Browser, url: string, verbose = false, trace = false): Promise<ColdStartSample> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  try {
    await context.addInitScript(INIT);
    const page = await context.newPage();
    if (trace) await browser.startTracing(undefined, { categories: TRACE_CATEGORIES });
    await page.goto(`${url}/wall`, { waitUntil: 'commit' });
    await page.waitForFunction(() => (globalThis as { __cold?: { live?: number } }).__cold?.live !== undefined, null, {
      timeout: 120_000,
      polling: 50,
    });
    const times = await page.evaluate((): PageTimes => {
      const c = (globalThis as unknown as { __cold: { live: number; ready: number; mapEl: number; mapLoaded: number } })
        .__cold;
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      return {
        ...c,
        resources: performance
          .getEntriesByType('resource')
          .map((e) => ({ name: e.name, start: e.startTime, end: (e as PerformanceResourceTiming).responseEnd })),
        paints: performance.getEntriesByType('paint').map((e) => ({ name: e.name, t: e.startTime })),
        marks: performance.getEntriesByType('mark').map((e) => ({ name: e.name, t: e.startTime })),
        domContentLoaded: nav?.domContentLoadedEventEnd ?? 0,
      };
    });
    if (trace) printThreads(JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] });
    const stages: Record<string, number> = { DOMContentLoaded: times.domContentLoaded };
    for (const [label, re] of STAGE_RESOURCES) {
      const hit = times.resources.find((r) => re.test(new URL(r.name).pathname));
      if (hit) stages[`${label} (fetched)`] = hit.end;
    }
    const js = times.resources.filter((r) => r.name.endsWith('.js'));
    stages['js downloaded (all, by live)'] = Math.max(0, ...js.filter((r) => r.end <= times.live).map((r) => r.end));
    stages['js files loaded by then (count)'] = js.filter((r) => r.end <= times.live).length;
    for (const p of times.paints) stages[p.name] = p.t;
    // The first of each mark (a remount of a scene marks again).
    for (const m of times.marks) if (m.name.startsWith('gw:')) stages[m.name] ??= m.t;
    stages['map element (seen by a frame)'] = times.mapEl;
    stages['store ready (snapshot applied)'] = times.ready;
    stages['map loaded with cases'] = times.mapLoaded;
    if (verbose)
      for (const r of times.resources)
        console.log(`    ${Math.round(r.start)}–${Math.round(r.end)} ms  ${new URL(r.name).pathname}`);
    return { liveMs: times.live, stages };
  } finally {
    await context.close();
  }
}

const TRACE_CATEGORIES = ['devtools.timeline', 'v8', 'toplevel', 'disabled-by-default-devtools.timeline'];

/**
 * Where the CPU went during one load: busy time of every thread (its top-level tasks), and the
 * page's main thread by kind of work. With the machine's 2 cores shared, this says what the first
 * frame waits for when it is not the network.
 */
function printThreads(trace: { traceEvents: TraceEvent[] }): void {
  const names = new Map<string, string>();
  const procs = new Map<number, string>();
  for (const e of trace.traceEvents) {
    if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args?.name ?? '?');
    if (e.ph === 'M' && e.name === 'process_name') procs.set(e.pid, e.args?.name ?? '?');
  }
  const busy = new Map<string, number>();
  const kinds = new Map<string, number>();
  for (const e of trace.traceEvents) {
    if (e.ph !== 'X' || e.dur === undefined) continue;
    const key = `${e.pid}:${e.tid}`;
    const thread = `${procs.get(e.pid) ?? e.pid} / ${names.get(key) ?? e.tid}`;
    if (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask')
      busy.set(thread, (busy.get(thread) ?? 0) + e.dur / 1000);
    if (names.get(key) === 'CrRendererMain' && KINDS.has(e.name))
      kinds.set(e.name, (kinds.get(e.name) ?? 0) + e.dur / 1000);
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, ms]) => `    ${ms.toFixed(0).padStart(6)} ms  ${k}`)
      .join('\n');
  console.log(`  busy time by thread (top-level tasks):\n${top(busy, 14)}`);
  console.log(`  page main thread by kind (nested kinds overlap):\n${top(kinds, 16)}`);
}

const KINDS = new Set([
  'EvaluateScript',
  'v8.compile',
  'v8.compileModule',
  'v8.evaluateModule',
  'FunctionCall',
  'TimerFire',
  'FireAnimationFrame',
  'EventDispatch',
  'RunMicrotasks',
  'ParseHTML',
  'ParseAuthorStyleSheet',
  'UpdateLayoutTree',
  'Layout',
  'Paint',
  'PrePaint',
  'MinorGC',
  'MajorGC',
]);

interface RunningCheckout {
  url: string;
  child: ChildProcess;
  dataDir: string;
}

async function startServerIn(dir: string): Promise<RunningCheckout> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridwall-bench-cold-'));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'server/main.ts', '--port', '0', '--data', dataDir, '--preset', 'district', '--speed', '60'],
    { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((res, rej) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) res(m[1]);
    });
    child.on('exit', (code) => rej(new Error(`server in ${dir} exited ${code}`)));
  });
  return { url, child, dataDir };
}

async function stop(s: RunningCheckout): Promise<void> {
  const exited = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  await exited;
  rmSync(s.dataDir, { recursive: true, force: true });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0
    ? Number.NaN
    : n % 2
      ? (s[(n - 1) / 2] as number)
      : ((s[n / 2 - 1] as number) + (s[n / 2] as number)) / 2;
}

function summarise(samples: ColdStartSample[]): Record<string, number> {
  const out: Record<string, number> = { 'first live frame': Math.round(median(samples.map((s) => s.liveMs))) };
  const keys = new Set(samples.flatMap((s) => Object.keys(s.stages)));
  for (const k of keys) {
    const vs = samples.map((s) => s.stages[k]).filter((v): v is number => v !== undefined);
    out[k] = Math.round(median(vs));
  }
  return out;
}

export async function runColdStartBench(args: string[]): Promise<void> {
  const opt = (name: string): string | undefined => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const runs = Number(opt('runs') ?? 3);
  const oldDir = opt('old');
  if (oldDir && !existsSync(join(resolve(oldDir), 'out/renderer/index.html')))
    throw new Error(`${oldDir}: build its renderer first (npx vite build there)`);
  await ensureRendererBuilt();
  const checkouts: Array<{ name: string; dir: string }> = [{ name: 'new', dir: ROOT }];
  if (oldDir) checkouts.unshift({ name: 'old', dir: resolve(oldDir) });
  const servers = await Promise.all(checkouts.map((c) => startServerIn(c.dir)));
  const browser = await launchBrowser();
  const samples = new Map<string, ColdStartSample[]>(checkouts.map((c) => [c.name, []]));
  try {
    // Warm: one load each (the server's first snapshot, the browser's own start), not counted.
    for (const s of servers) await loadOnce(browser, s.url);
    if (args.includes('--trace'))
      for (const [k, c] of checkouts.entries()) {
        console.log(`${c.name}: one traced load (not counted)`);
        await loadOnce(browser, (servers[k] as RunningCheckout).url, false, true);
      }
    for (let i = 0; i < runs; i++) {
      for (const [k, c] of checkouts.entries()) {
        const sample = await loadOnce(browser, (servers[k] as RunningCheckout).url, args.includes('--verbose'));
        samples.get(c.name)?.push(sample);
        console.log(`${c.name} #${i + 1}: first live frame ${Math.round(sample.liveMs)} ms`);
      }
    }
  } finally {
    await browser.close();
    await Promise.all(servers.map(stop));
  }
  const table = checkouts.map((c) => ({ name: c.name, figures: summarise(samples.get(c.name) ?? []) }));
  console.log(`\n## wall cold start, district, warm server: median of ${runs} (ms from navigation)`);
  const keys = [...new Set(table.flatMap((t) => Object.keys(t.figures)))];
  console.log(`  ${'stage'.padEnd(36)} ${table.map((t) => t.name.padStart(8)).join(' ')}`);
  for (const k of keys)
    console.log(`  ${k.padEnd(36)} ${table.map((t) => String(t.figures[k] ?? '-').padStart(8)).join(' ')}`);
}
