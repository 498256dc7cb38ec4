/** The wall benchmark's figures per mode, and the table it prints of them. */

export interface Result {
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

const growth = (from: number | null, to: number | null) =>
  from !== null && to !== null ? `${(((to - from) / from) * 100).toFixed(1)}%` : 'n/a';
const fmt = (n: number | null, digits = 1) => (n === null || Number.isNaN(n) ? 'n/a' : n.toFixed(digits));

/** Prints the table of `results` (one row per mode), their notes and the goals. */
export function printReport(results: readonly Result[], run: { cases: number; workers: number; rate: number }): void {
  console.log(
    `\nWall benchmark: ${run.cases.toLocaleString()} active cases, ${run.workers.toLocaleString()} workers, ${run.rate} events/s + ${run.rate} positions/s, headless Chromium (SwiftShader), 1920×1080\n`,
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
}
