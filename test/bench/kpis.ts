/**
 * Bench hook: times the KPI query for the whole root area over a month on generated rows (the city
 * preset makes ~25,000 cases a day: ~750k a month). `benchKpis()` for the bench script, or
 * `npx tsx test/bench/kpis.ts [--cases-per-day N] [--days N] [--preset city] [--dir D]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CaseSource, CaseStatus, Category, KpiFigures } from '../../protocol';
import { WorkingCalendar, WorkingCalendarConfig } from '../../protocol/calendar';
import { KpiService, scanFacts } from '../../server/kpis/compute';
import { generatePreset, type PresetName } from '../../server/presets';
import { Rng } from '../../server/presets/random';
import type { CaseTable } from '../../server/storage/schema';
import { chunks, Storage } from '../../server/storage/store';

const DAY = 86_400_000;
const MINUTE = 60_000;

export interface KpiBenchOptions {
  preset?: PresetName;
  casesPerDay?: number;
  days?: number;
  seed?: number;
  /** Bytes of JSON per row in `data`, so that table pages hold as few rows as real ones do. */
  dataBytes?: number;
  /** A data dir to keep; a temporary one (removed afterwards) by default. Rows already there are reused. */
  dir?: string;
  /** Runs of each query; the median is reported. */
  runs?: number;
  log?: (line: string) => void;
}

export interface KpiBenchResult {
  preset: PresetName;
  rows: number;
  insertSeconds: number;
  rowsPerSecond: number;
  /** Median milliseconds of one full KPI computation. */
  monthRootMs: number;
  todayRootMs: number;
  monthStreetMs: number;
  monthCommunityMs: number;
  /**
   * One stream push of the KPIs: ms to refresh what it carries the first time (cold: nothing
   * cached), then the median of the next pushes (what the server pays every 5 s), and its JSON bytes.
   */
  pushColdMs: number;
  pushMs: number;
  pushBytes: number;
  /** Median ms of the stream's rolling-30-day summary (recomputed at most once a minute). */
  rollingMs: number;
  monthRoot: Pick<KpiFigures, 'received' | 'filed' | 'filingRate' | 'closureRate' | 'satisfactionRate'>;
}

const SOURCES: Array<[CaseSource, number]> = [
  ['grid_worker', 0.62],
  ['hotline', 0.1],
  ['wechat', 0.07],
  ['app', 0.04],
  ['web', 0.02],
  ['open311', 0.02],
  ['sensor', 0.04],
  ['video', 0.04],
  ['drone', 0.01],
  ['work_order', 0.04],
];
/** Reports per hour of the local day: quiet at night, busy in working hours. */
const HOURS = [1, 1, 1, 1, 1, 2, 4, 8, 12, 14, 14, 12, 8, 10, 13, 13, 12, 10, 7, 5, 4, 3, 2, 1];

export async function benchKpis(options: KpiBenchOptions = {}): Promise<KpiBenchResult> {
  const presetName = options.preset ?? 'city';
  const perDay = options.casesPerDay ?? 25_000;
  const days = options.days ?? 30;
  const runs = options.runs ?? 3;
  const log = options.log ?? (() => {});
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'gridwall-kpibench-'));
  const storage = await Storage.openSqlite(dir);
  try {
    const preset = generatePreset(presetName, options.seed ?? 1);
    const config = WorkingCalendarConfig.parse({});
    const calendar = new WorkingCalendar(config);
    // "Now" is the end of the generated month, mid-afternoon: today has most of its cases.
    const monthStart = Date.UTC(2026, 10, 1) - 8 * 3_600_000;
    const now = monthStart + (days - 1) * DAY + 15 * 3_600_000;
    const kpis = new KpiService({
      db: storage.db,
      areas: () => ({ version: 1, areas: preset.areas }),
      calendar,
      calendarConfig: config,
      now: () => now,
      seq: () => 0,
      // The cohort rollup, built from the rows below by one scan at init.
      cases: { idle: async () => {}, scan: () => scanFacts(storage), onChange: () => {} },
    });
    await kpis.queries.ensureIndexes();

    const grids = preset.areas.filter((a) => a.level === 'grid').map((a) => a.id);
    const rng = new Rng(options.seed ?? 1);
    const filler = JSON.stringify({ filler: 'x'.repeat(Math.max(0, (options.dataBytes ?? 1500) - 14)) });
    const started = Date.now();
    let rows = await storage.caseCount();
    const reused = rows > 0;
    const batch: CaseTable[] = [];
    const flush = async () => {
      await storage.db.transaction().execute(async (trx) => {
        for (const chunk of chunks(batch, 500)) await trx.insertInto('cases').values(chunk).execute();
      });
      batch.length = 0;
    };
    for (let d = 0; d < days && !reused; d++) {
      const dayStart = monthStart + d * DAY;
      for (let i = 0; i < perDay; i++) {
        const created = dayStart + rng.weightedIndex(HOURS) * 3_600_000 + Math.floor(rng.range(0, 3_600_000));
        if (created > now) continue;
        rows += 1;
        batch.push(syntheticRow(rows, created, now, rng, grids, preset.categories, calendar, filler));
        if (batch.length >= 20_000) {
          await flush();
          log(`  ${rows} rows`);
        }
      }
    }
    await flush();
    const insertSeconds = (Date.now() - started) / 1000;
    log(reused ? `reusing ${rows} rows in ${dir}` : `inserted ${rows} rows in ${insertSeconds.toFixed(1)} s`);

    const i0 = performance.now();
    await kpis.init();
    log(`init (indexes, rollup scan, today, rolling summary): ${Math.round(performance.now() - i0)} ms`);
    const street = preset.areas.find((a) => a.level === 'street');
    const community = preset.areas.find((a) => a.level === 'community');
    const month = kpis.named('month');
    const today = kpis.named('today');
    const time = async (
      areaId: string | null,
      period: typeof month,
      options?: Parameters<KpiService['compute']>[2],
    ) => {
      const ms: number[] = [];
      let figures: KpiFigures | null = null;
      for (let r = 0; r < runs; r++) {
        const t = performance.now();
        figures = await kpis.compute(areaId, period, options);
        ms.push(performance.now() - t);
      }
      ms.sort((a, b) => a - b);
      return { ms: Math.round(ms[Math.floor(ms.length / 2)] ?? 0), figures: figures as KpiFigures };
    };
    const monthRoot = await time(null, month);
    log(`month, root: ${monthRoot.ms} ms (${monthRoot.figures.received} received)`);
    const todayRoot = await time(null, today);
    log(`today, root: ${todayRoot.ms} ms`);
    const monthStreet = await time(street?.id ?? null, month);
    log(`month, one street: ${monthStreet.ms} ms`);
    const monthCommunity = await time(community?.id ?? null, month);
    log(`month, one community: ${monthCommunity.ms} ms`);
    const pushMs: number[] = [];
    let pushBytes = 0;
    for (let r = 0; r <= Math.max(runs, 3); r++) {
      const t = performance.now();
      const update = await kpis.pushPayload();
      pushMs.push(performance.now() - t);
      pushBytes = Buffer.byteLength(JSON.stringify({ at: now, ...update }));
    }
    const pushColdMs = Math.round(pushMs.shift() ?? 0);
    pushMs.sort((a, b) => a - b);
    const push = Math.round(pushMs[Math.floor(pushMs.length / 2)] ?? 0);
    log(`one push: ${pushColdMs} ms cold, then ${push} ms; ${pushBytes} bytes`);
    const rolling = await time(null, kpis.named('rolling30'), { breakdowns: false, moving: true });
    log(`rolling 30 days, root, summary: ${rolling.ms} ms`);
    const f = monthRoot.figures;
    return {
      preset: presetName,
      rows,
      insertSeconds,
      rowsPerSecond: Math.round(rows / insertSeconds),
      monthRootMs: monthRoot.ms,
      todayRootMs: todayRoot.ms,
      monthStreetMs: monthStreet.ms,
      monthCommunityMs: monthCommunity.ms,
      pushColdMs,
      pushMs: push,
      pushBytes,
      rollingMs: rolling.ms,
      monthRoot: {
        received: f.received,
        filed: f.filed,
        filingRate: f.filingRate,
        closureRate: f.closureRate,
        satisfactionRate: f.satisfactionRate,
      },
    };
  } finally {
    await storage.close();
    if (!options.dir) rmSync(dir, { recursive: true, force: true });
  }
}

/** One case row with plausible milestones (filed in minutes, handled in hours, a few rejected, reworked…). */
function syntheticRow(
  n: number,
  created: number,
  now: number,
  rng: Rng,
  grids: readonly string[],
  categories: readonly Category[],
  calendar: WorkingCalendar,
  data: string,
): CaseTable {
  const source = SOURCES[rng.weightedIndex(SOURCES.map((s) => s[1]))]?.[0] ?? 'grid_worker';
  const category = rng.pick(categories);
  const selfHandled = source === 'grid_worker' && rng.chance(0.35);
  let status: CaseStatus = 'closed';
  let filed: number | null = null;
  let dispatched: number | null = null;
  let handled: number | null = null;
  let closed: number | null = null;
  let closeDue: number | null = null;
  let dueAt: number | null = null;
  let rework = 0;
  let extension = 0;
  const at = (t: number) => (t <= now ? t : null);
  if (selfHandled) {
    filed = at(created + MINUTE);
    closed = at(created + 5 * MINUTE);
  } else if (rng.chance(0.03)) {
    status = 'rejected';
  } else {
    filed = at(created + Math.floor(rng.range(3, 40)) * MINUTE);
    dispatched = filed === null ? null : at(filed + Math.floor(rng.range(3, 30)) * MINUTE);
    if (dispatched !== null) {
      closeDue = calendar.addWorkingMinutes(dispatched, category.handleMinutes);
      const took = Math.exp(rng.normal() * 0.8) * category.handleMinutes * 0.4 * MINUTE;
      handled = at(dispatched + Math.floor(took));
      if (rng.chance(0.03)) rework = 1;
      if (rng.chance(0.02)) extension = 1;
      closed = handled === null ? null : at(handled + Math.floor(rng.range(20, 180)) * MINUTE);
    }
    if (closed === null) {
      status =
        handled !== null ? 'handled' : dispatched !== null ? 'dispatched' : filed !== null ? 'filed' : 'reported';
      dueAt = closeDue ?? created + 30 * MINUTE;
      if (rng.chance(0.01)) status = 'suspended';
    }
  }
  const satisfaction =
    closed === null ? null : rng.chance(0.92) ? (rng.chance(0.8) ? 'satisfied' : 'basic') : 'unsatisfied';
  return {
    id: `b${n}`,
    code: `B${n}`,
    category: category.code,
    source,
    status,
    level: 'grid',
    grid_id: rng.pick(grids),
    priority: 'normal',
    phone: null,
    search_text: '',
    active: status === 'closed' || status === 'rejected' ? 0 : 1,
    created_at: created,
    updated_at: closed ?? created,
    filed_at: filed,
    dispatched_at: dispatched,
    handled_at: handled,
    closed_at: closed,
    close_due_at: closeDue,
    due_at: dueAt,
    ever_overdue: closeDue !== null && (closed ?? now) > closeDue ? 1 : 0,
    self_handled: selfHandled ? 1 : 0,
    rework_count: rework,
    extension_count: extension,
    satisfaction,
    version: 1,
    data,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name: string): string | undefined => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const result = await benchKpis({
    preset: (arg('preset') as PresetName | undefined) ?? 'city',
    casesPerDay: arg('cases-per-day') ? Number(arg('cases-per-day')) : undefined,
    days: arg('days') ? Number(arg('days')) : undefined,
    dir: arg('dir'),
    log: (line) => console.error(line),
  });
  console.log(JSON.stringify(result, null, 2));
}
