/**
 * The wall benchmark (issue 5, "Speed"): headless Chromium, city scale (100,000 active cases,
 * 10,000 workers), 2,000 events a second, the wall's pipeline against a naive baseline in the
 * same run. Measures main-thread scripting per frame (Chrome trace), dropped frames (rAF),
 * event → store delay, and the main thread's heap after 10,000 and after 1,000,000 events.
 *
 *   npm run bench:wall -- [--cases 100000] [--workers 10000] [--rate 2000] [--seconds 10]
 *                                 [--events 1000000] [--heap-rate 20000] [--skip-naive] [--skip-heap]
 *                                 [--profile DIR] [--save-traces DIR] [--no-minify] [--without map]
 */
import { createReadStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, ROOT } from '../e2e/harness';
import type { BenchHandle } from './wall/protocol';

const { values: args } = parseArgs({
  options: {
    cases: { type: 'string', default: '100000' },
    workers: { type: 'string', default: '10000' },
    rate: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '5' },
    events: { type: 'string', default: '1000000' },
    'heap-rate': { type: 'string', default: '20000' },
    'naive-seconds': { type: 'string', default: '10' },
    'skip-naive': { type: 'boolean', default: false },
    only: { type: 'string' },
    'save-traces': { type: 'string' },
    /** A folder: a CPU profile of the main thread over the measured window, and its top functions. */
    profile: { type: 'string' },
    'skip-heap': { type: 'boolean', default: false },
    'skip-build': { type: 'boolean', default: false },
    /** Readable function names in traces and profiles (slower code: not for the figures). */
    'no-minify': { type: 'boolean', default: false },
    /** A scene left out of the wall (`map`): a control for what that scene costs. */
    without: { type: 'string' },
  },
});
const CASES = Number(args.cases);
const WORKERS = Number(args.workers);
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const WARMUP = Number(args.warmup);
const HEAP_EVENTS = Number(args.events);
const HEAP_RATE = Number(args['heap-rate']);
/** Ended cases a snapshot holds, and the window keeps at steady state (closures are 12 % of events). */
const ENDED = Math.round(CASES / 10);
const FRAME_MS = 1000 / 60;

/** Its own build: the shared out/renderer may be rebuilt by someone else's test mid-run. */
const OUT = join(ROOT, 'out/bench');

/**
 * The page under test/bench/wall/ (index.html) with the wall's own code, built like the renderer
 * (vite.config.ts) but on its own: the product build does not ship the benchmark.
 */
async function buildBench(): Promise<void> {
  const { build } = await import('vite');
  const { default: react } = await import('@vitejs/plugin-react');
  await build({
    configFile: false,
    root: join(ROOT, 'test/bench/wall'),
    base: '/',
    plugins: [react()],
    publicDir: false,
    resolve: { alias: { '@resources': join(ROOT, 'resources') } },
    worker: { format: 'es' },
    logLevel: 'warn',
    // A profile names functions only in an unminified build.
    build: {
      outDir: OUT,
      emptyOutDir: true,
      sourcemap: true,
      chunkSizeWarningLimit: 2500,
      minify: !args.profile && !args['no-minify'],
    },
  });
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.map': 'application/json',
};

function serveRenderer(): Promise<Server> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(
      /^(\.\.[/\\])+/,
      '',
    );
    const file = join(OUT, path === '/' ? 'index.html' : path);
    if (!file.startsWith(OUT) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, check: () => Promise<T | null | false>, timeoutMs: number): Promise<T> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    const v = await check();
    if (v !== null && v !== false) return v;
    await sleep(250);
  }
  throw new Error(`timed out: ${what}`);
}

type Handle = { __bench?: BenchHandle };
const setRate = (page: Page, rate: number, speed: number, positions: number) =>
  page.evaluate(([r, s, p]) => (window as unknown as Handle).__bench?.setRate(r, s, p), [
    rate,
    speed,
    positions,
  ] as const);

/** What the page reports on its console (it keeps reporting even when too busy to answer evaluate). */
interface Progress {
  ready: boolean;
  applied: number;
  /** [node time received, delay ms] */
  delays: [number, number][];
  /** rAF timestamps, epoch ms. */
  frames: number[];
  /** [slot index (epoch ms / 16.7), busy ms]: the naive page's synchronous handler time. */
  busy: [number, number][];
  /** [node time received, ms]: the store's apply time per batch. */
  apply: [number, number][];
}

function watch(page: Page): Progress {
  const p: Progress = { ready: false, applied: 0, delays: [], frames: [], busy: [], apply: [] };
  page.on('console', (m) => {
    const text = m.text();
    if (!text.startsWith('gridwall-bench ')) return;
    const r = JSON.parse(text.slice('gridwall-bench '.length)) as Omit<Progress, 'delays' | 'apply'> & {
      delays: number[];
      apply: number[];
    };
    p.ready = r.ready;
    p.applied = r.applied;
    const at = Date.now();
    for (const d of r.delays) p.delays.push([at, d]);
    for (const d of r.apply) p.apply.push([at, d]);
    if (p.apply.length > 100_000) p.apply.splice(0, p.apply.length - 50_000);
    p.frames.push(...r.frames);
    p.busy.push(...r.busy);
    if (p.delays.length > 500_000) p.delays.splice(0, p.delays.length - 250_000);
    if (p.frames.length > 100_000) p.frames.splice(0, p.frames.length - 50_000);
    if (p.busy.length > 100_000) p.busy.splice(0, p.busy.length - 50_000);
  });
  return p;
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}

// Top-level JavaScript on the main thread, as DevTools' "Scripting" counts it.
const SCRIPT_EVENTS = new Set([
  'FunctionCall',
  'EvaluateScript',
  'EventDispatch',
  'TimerFire',
  'FireAnimationFrame',
  'RunMicrotasks',
  'v8.compile',
  'v8.compileModule',
  'v8.evaluateModule',
  'V8.Execute',
]);

function mainThreadsOf(events: TraceEvent[]): Set<string> {
  return new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
}

/** Animation frames on the main thread: the rAF callbacks of one frame (page, map, bridge) count once. */
function frameStamps(trace: { traceEvents: TraceEvent[] }): number[] {
  const main = mainThreadsOf(trace.traceEvents);
  const ts = trace.traceEvents
    .filter((e) => e.name === 'FireAnimationFrame' && main.has(`${e.pid}:${e.tid}`))
    .map((e) => e.ts / 1000)
    .sort((a, b) => a - b);
  const frames: number[] = [];
  for (const t of ts) if (frames.length === 0 || t - (frames[frames.length - 1] ?? 0) > 8) frames.push(t);
  return frames;
}

/** Main-thread scripting per 16.7 ms frame slot: overlapping script events merged, so nesting is not counted twice. */
function scriptingPerFrame(trace: { traceEvents: TraceEvent[] }): number[] {
  const events = trace.traceEvents;
  const mainThreads = mainThreadsOf(events);
  const spans = events
    .filter(
      (e) => e.ph === 'X' && SCRIPT_EVENTS.has(e.name) && mainThreads.has(`${e.pid}:${e.tid}`) && (e.dur ?? 0) > 0,
    )
    .map((e) => [e.ts / 1000, (e.ts + (e.dur ?? 0)) / 1000] as [number, number])
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([s[0], s[1]]);
  }
  const all = events.filter((e) => mainThreads.has(`${e.pid}:${e.tid}`) && e.ts > 0).map((e) => e.ts / 1000);
  if (all.length === 0) return [];
  const start = Math.min(...all);
  const end = Math.max(...all);
  const slots = new Array<number>(Math.max(1, Math.ceil((end - start) / FRAME_MS))).fill(0);
  for (const [a, b] of merged) {
    for (let t = a; t < b; ) {
      let i = Math.floor((t - start) / FRAME_MS);
      let slotEnd = start + (i + 1) * FRAME_MS;
      // Rounding can put t exactly on its slot's end: move on, or this loop never would.
      if (slotEnd <= t) {
        i++;
        slotEnd += FRAME_MS;
      }
      const upTo = Math.min(b, slotEnd);
      slots[i] = (slots[i] ?? 0) + (upTo - t);
      t = upTo;
    }
  }
  return slots;
}

function droppedFrames(stamps: readonly number[]): { frames: number; dropped: number; fps: number } {
  let dropped = 0;
  for (let i = 1; i < stamps.length; i++) {
    const dt = (stamps[i] ?? 0) - (stamps[i - 1] ?? 0);
    dropped += Math.max(0, Math.round(dt / FRAME_MS) - 1);
  }
  const span = (stamps[stamps.length - 1] ?? 0) - (stamps[0] ?? 0);
  return { frames: stamps.length, dropped, fps: span > 0 ? ((stamps.length - 1) * 1000) / span : 0 };
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/** Self and total time by function, and self time by source file, over a CPU profile. */
function printTopFunctions(profile: CpuProfile): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const key = (id: number) => {
    const f = byId.get(id)?.callFrame;
    if (!f) return '?';
    const file = f.url.replace(/^.*\/assets\//, '').replace(/-[\w-]{8}\.js$/, '.js');
    return `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
  };
  const selfBy = new Map<string, number>();
  const totalBy = new Map<string, number>();
  const fileBy = new Map<string, number>();
  let all = 0;
  for (const [id, ms] of self) {
    all += ms;
    const k = key(id);
    selfBy.set(k, (selfBy.get(k) ?? 0) + ms);
    const file = byId.get(id)?.callFrame.url.replace(/^.*\//, '') || byId.get(id)?.callFrame.functionName || '?';
    fileBy.set(file, (fileBy.get(file) ?? 0) + ms);
    // Each function on the stack once (recursion counted once).
    const seen = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const kk = key(n);
      if (seen.has(kk)) continue;
      seen.add(kk);
      totalBy.set(kk, (totalBy.get(kk) ?? 0) + ms);
    }
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, ms]) => `  ${ms.toFixed(0).padStart(7)} ms  ${((ms / all) * 100).toFixed(1).padStart(5)} %  ${k}`)
      .join('\n');
  console.log(`profile: ${all.toFixed(0)} ms sampled\nself time by file:\n${top(fileBy, 12)}`);
  console.log(`self time:\n${top(selfBy, 30)}\ntotal time:\n${top(totalBy, 40)}`);
}

async function heapMB(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  // The progress reports on the console are kept by DevTools' console storage: not the wall's memory.
  await cdp.send('Runtime.discardConsoleEntries');
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize / 1024 / 1024;
}

interface Result {
  mode: string;
  scriptP50: number;
  scriptP95: number;
  /** Main-thread scripting per second of the window: less sensitive than slots to a busy machine. */
  scriptPerSecond: number;
  fps: number;
  dropped: number;
  frames: number;
  applyP95: number | null;
  delayP50: number;
  delayP99: number;
  appliedPerSecond: number;
  heap10k: number | null;
  heap100k: number | null;
  heap1M: number | null;
  note: string;
}

async function run(browser: Browser, origin: string, mode: 'optimized' | 'naive'): Promise<Result> {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  page.on('pageerror', (e) => console.error(`[${mode}] page error:`, e.message));
  const progress = watch(page);
  const q = new URLSearchParams({
    mode,
    cases: String(CASES),
    workers: String(WORKERS),
    rate: String(RATE),
    positions: String(RATE),
    ended: String(ENDED),
    speed: '60',
    ...(args.without ? { without: args.without } : {}),
  });
  await page.goto(`${origin}/?${q}`);
  console.log(`[${mode}] loading ${CASES.toLocaleString()} cases, ${WORKERS.toLocaleString()} workers…`);
  await until(`${mode} ready`, async () => progress.ready, 300_000);
  const note: string[] = [];

  let heap10k: number | null = null;
  if (!args['skip-heap'] && mode === 'optimized') {
    await until(`${mode}: 10,000 events`, async () => progress.applied >= 10_000, 120_000);
    heap10k = await heapMB(page);
  }
  await sleep(WARMUP * 1000);

  const seconds = mode === 'naive' ? Number(args['naive-seconds']) : SECONDS;
  console.log(`[${mode}] measuring ${seconds} s…`);
  const a0 = progress.applied;
  const t0 = Date.now();
  const profiler = args.profile && mode === 'optimized' ? await page.context().newCDPSession(page) : null;
  if (profiler) {
    await profiler.send('Profiler.enable');
    await profiler.send('Profiler.setSamplingInterval', { interval: 200 });
    await profiler.send('Profiler.start');
  } else await browser.startTracing(page, { categories: ['devtools.timeline'] });
  await sleep(seconds * 1000);
  // A profile's sampling slows the page: its window gives the profile, not the figures.
  const raw = profiler ? Buffer.from('{"traceEvents":[]}') : await browser.stopTracing();
  if (profiler && args.profile) {
    const { profile } = await profiler.send('Profiler.stop');
    await profiler.detach();
    mkdirSync(args.profile, { recursive: true });
    writeFileSync(join(args.profile, `wall-${mode}.cpuprofile`), JSON.stringify(profile));
    printTopFunctions(profile as CpuProfile);
  }
  const t1 = Date.now();
  // Reports arrive up to half a second late: wait for the one that covers the window's end.
  await sleep(1200);
  const a1 = progress.applied;
  const delays = progress.delays.filter(([at]) => at > t0 && at <= t1 + 1000).map(([, d]) => d);
  const apply = progress.apply.filter(([at]) => at > t0 && at <= t1 + 1000).map(([, d]) => d);
  if (args['save-traces']) mkdirSync(args['save-traces'], { recursive: true });
  if (args['save-traces']) writeFileSync(join(args['save-traces'], `wall-${mode}.trace.json`), raw);
  const trace = JSON.parse(raw.toString('utf8')) as { traceEvents: TraceEvent[] };
  let scripting = scriptingPerFrame(trace);
  let fr = droppedFrames(frameStamps(trace));
  if (scripting.length === 0) {
    // No trace from a renderer too busy to answer: fall back on what the page measured itself.
    const slots = progress.busy.filter(([slot]) => slot * FRAME_MS >= t0 && slot * FRAME_MS < t1);
    const bySlot = new Map(slots);
    const first = Math.ceil(t0 / FRAME_MS);
    const last = Math.floor(t1 / FRAME_MS);
    scripting = [];
    for (let i = first; i < last; i++) scripting.push(bySlot.get(i) ?? 0);
    fr = droppedFrames(progress.frames.filter((f) => f >= t0 && f < t1));
    note.push(
      'no trace from its renderer (too busy): scripting is its own event handlers as it timed them, frames as its rAF saw them',
    );
  }
  if (mode === 'naive' && a1 - a0 < RATE * seconds * 0.9) {
    note.push(
      `applied ${(a1 - a0).toLocaleString()} of ${(RATE * seconds).toLocaleString()} events in the window; the backlog grows without bound`,
    );
  }

  let heap1M: number | null = null;
  let heap100k: number | null = null;
  if (mode === 'optimized' && !args['skip-heap']) {
    // Fast-forward to a million events. The server clock runs so that cases that end leave the 24 h
    // window as fast as they come: the wall should hold what a fresh snapshot would, no more.
    const speed = Math.round((0.12 * HEAP_RATE * 86_400) / ENDED);
    console.log(`[${mode}] feeding ${HEAP_EVENTS.toLocaleString()} events at ${HEAP_RATE}/s (server clock ×${speed})…`);
    await setRate(page, HEAP_RATE, speed, 2000);
    const start = Date.now();
    const startApplied = progress.applied;
    let lastLog = Date.now();
    await until(
      `${mode}: ${HEAP_EVENTS} events`,
      async () => {
        const n = progress.applied;
        // Also after warm-up (JIT, the map's tile caches): growth from here on is what runs for months.
        if (heap100k === null && n >= 100_000) heap100k = await heapMB(page);
        if (Date.now() - lastLog > 15_000) {
          lastLog = Date.now();
          const rate = Math.round((n - startApplied) / ((Date.now() - start) / 1000));
          console.log(`[${mode}]   ${n.toLocaleString()} events applied (${rate}/s)`);
        }
        return n >= HEAP_EVENTS;
      },
      3_600_000,
    );
    // Stop the events, keep the clock and positions running: the store's pruning runs on its schedule.
    await setRate(page, 0, speed, 2000);
    await sleep(15_000);
    heap1M = await heapMB(page);
  }
  await page.close();
  return {
    mode,
    scriptP50: percentile(scripting, 0.5),
    scriptP95: percentile(scripting, 0.95),
    scriptPerSecond: scripting.reduce((a, b) => a + b, 0) / ((scripting.length * FRAME_MS) / 1000 || 1),
    fps: fr.fps,
    dropped: fr.dropped,
    frames: fr.frames,
    applyP95: apply.length > 0 ? percentile(apply, 0.95) : null,
    delayP50: percentile(delays, 0.5),
    delayP99: percentile(delays, 0.99),
    appliedPerSecond: (a1 - a0) / ((t1 - t0) / 1000),
    heap10k,
    heap100k,
    heap1M,
    note: note.join('; '),
  };
}

const growth = (from: number | null, to: number | null) =>
  from !== null && to !== null ? `${(((to - from) / from) * 100).toFixed(1)}%` : 'n/a';
const fmt = (n: number | null, digits = 1) => (n === null || Number.isNaN(n) ? 'n/a' : n.toFixed(digits));

if (!args['skip-build'] || !existsSync(join(OUT, 'index.html'))) await buildBench();
const server = await serveRenderer();
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const results: Result[] = [];
const modes: ('optimized' | 'naive')[] =
  args.only === 'naive' || args.only === 'optimized'
    ? [args.only]
    : args['skip-naive']
      ? ['optimized']
      : ['optimized', 'naive'];
for (const mode of modes) {
  // A fresh browser per mode: one's leftovers must not slow the other.
  const browser = await launchBrowser();
  try {
    results.push(await run(browser, origin, mode));
  } finally {
    await browser.close();
  }
}
server.close();

console.log(
  `\nWall benchmark: ${CASES.toLocaleString()} active cases, ${WORKERS.toLocaleString()} workers, ${RATE} events/s + ${RATE} positions/s, headless Chromium (SwiftShader), 1920×1080\n`,
);
const rows = [
  [
    '',
    'script p50 ms/frame',
    'script p95 ms/frame',
    'script ms/s',
    'store apply p95 ms',
    'fps',
    'dropped frames',
    'delay p50 ms',
    'delay p99 ms',
    'applied events/s',
    'heap 10k MB',
    'heap 100k MB',
    'heap 1M MB',
    'growth from 10k',
    'from 100k',
  ],
  ...results.map((r) => [
    r.mode,
    fmt(r.scriptP50, 2),
    fmt(r.scriptP95, 2),
    fmt(r.scriptPerSecond, 0),
    fmt(r.applyP95, 2),
    fmt(r.fps),
    `${r.dropped} of ${r.frames + r.dropped}`,
    fmt(r.delayP50),
    fmt(r.delayP99),
    fmt(r.appliedPerSecond, 0),
    fmt(r.heap10k),
    fmt(r.heap100k),
    fmt(r.heap1M),
    growth(r.heap10k, r.heap1M),
    growth(r.heap100k, r.heap1M),
  ]),
];
const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => String(r[i]).length))) ?? [];
for (const r of rows) console.log(r.map((c, i) => String(c).padStart(widths[i] ?? 0)).join('  '));
for (const r of results) if (r.note) console.log(`${r.mode}: ${r.note}`);
console.log('\nGoals: p95 scripting < 6 ms a frame, p99 delay < 100 ms, heap growth < 10 %.');
