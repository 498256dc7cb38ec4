/**
 * What the wall benchmark reads from Chrome: main-thread scripting per frame and animation frames
 * from a trace, dropped frames, percentiles, and the top functions of a CPU profile.
 */

/** One frame at 60 Hz. */
export const FRAME_MS = 1000 / 60;

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

export interface TraceEvent {
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
export function frameStamps(trace: { traceEvents: TraceEvent[] }): number[] {
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
export function scriptingPerFrame(trace: { traceEvents: TraceEvent[] }): number[] {
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

export function droppedFrames(stamps: readonly number[]): { frames: number; dropped: number; fps: number } {
  let dropped = 0;
  for (let i = 1; i < stamps.length; i++) {
    const dt = (stamps[i] ?? 0) - (stamps[i - 1] ?? 0);
    dropped += Math.max(0, Math.round(dt / FRAME_MS) - 1);
  }
  const span = (stamps[stamps.length - 1] ?? 0) - (stamps[0] ?? 0);
  return { frames: stamps.length, dropped, fps: span > 0 ? ((stamps.length - 1) * 1000) / span : 0 };
}

export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/** Self and total time by function, and self time by source file, over a CPU profile. */
export function printTopFunctions(profile: CpuProfile): void {
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
