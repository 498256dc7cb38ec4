/**
 * The wall benchmark (issue 5, "Speed"): headless Chromium, city scale (100,000 active cases,
 * 10,000 workers), 2,000 events a second, the wall's pipeline against a naive baseline in the
 * same run. Measures main-thread scripting per frame (Chrome trace), dropped frames (rAF),
 * event → store delay, and the main thread's heap after 10,000 and after 1,000,000 events.
 *
 *   npm run bench:wall -- [--cases 100000] [--workers 10000] [--rate 2000] [--seconds 10]
 *                                 [--events 1000000] [--heap-rate 20000] [--skip-naive] [--skip-heap]
 *                                 [--profile DIR] [--save-traces DIR] [--no-minify] [--without map]
 *
 * This file runs it; the page is built and served by wall-page.ts, traces and profiles are read by
 * wall-trace.ts, and wall-report.ts prints the table.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../e2e/harness';
import type { BenchHandle } from './wall/protocol';
import { buildBench, OUT, serveRenderer } from './wall-page';
import { printReport, type Result } from './wall-report';
import {
  type CpuProfile,
  droppedFrames,
  FRAME_MS,
  frameStamps,
  percentile,
  printTopFunctions,
  scriptingPerFrame,
  type TraceEvent,
} from './wall-trace';

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

if (!args['skip-build'] || !existsSync(join(OUT, 'index.html'))) await buildBench(!args.profile && !args['no-minify']);
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

printReport(results, { cases: CASES, workers: WORKERS, rate: RATE });
