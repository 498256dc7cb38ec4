/**
 * KPIs of a grid-governance center, computed from the `cases` table for any area and any period
 * [from, to) (local days of the calendar's UTC+8). The definitions follow Chinese digital city
 * management (数字城管) practice; docs/kpi-definitions.md has the same list with examples.
 *
 * Counts
 * - received 受理数: cases reported (created) in the period.
 * - filed 立案数: cases filed in the period, without those now 挂账 (suspended), 作废 (voided) or
 *   不予立案 (rejected).
 * - dueToClose 应结案数: cases whose close fell due in the period, plus those closed early in it. A
 *   case counts in the period holding the earlier of its close-due time (`closeDueAt`: end of the
 *   handling limit, moved by approved extensions) and its close, so it counts exactly once; cases
 *   closed without ever being dispatched (no due time) count where they closed. 挂账 and 作废 left out.
 * - closed 结案数 / handled 处置数: of dueToClose, closed / handled (fed back, or closed) before the
 *   period's end.
 * - pending 在办数: cases in the loop at the period's end (or now, if sooner): received before it and
 *   not closed, rejected or voided by it; 挂账 left out. overduePending 超期未结数: of those, the ones
 *   past their close-due time or the running stage's due time.
 *
 * Rates (null when the denominator is 0)
 * - filingRate 立案率 = filed-of-received / received, where filed-of-received counts the period's
 *   received cases that are filed (same exclusions as 立案数). Same cohort above and below, so the
 *   rate stays within [0, 1] even when yesterday's reports are filed this morning.
 * - closureRate 结案率 = closed / dueToClose; onTimeClosureRate 按期结案率 = closed by the due time /
 *   dueToClose.
 * - disposalRate 处置率 = handled / dueToClose; onTimeDisposalRate 按期处置率 = handled by the due time /
 *   dueToClose.
 * - reworkRate 返工率 = dueToClose cases reworked at least once (verification failed) / dueToClose.
 * - extensionRate 延期率 = dueToClose cases with an approved extension / dueToClose.
 * - overduePendingRate 超期未结率 = overduePending / pending.
 * - satisfactionRate 满意率 = (满意 + 基本满意) / rated, over the cases closed in the period.
 * - selfHandledShare 自处率 = received cases that the grid worker fixed on the spot / received.
 *
 * Times: average working minutes (WorkingCalendar: weekends, lunch break, holidays skipped) over the
 * period's received cases that reached both milestones: report → file, file → first dispatch, first
 * dispatch → handled.
 *
 * Breakdowns: received by source, by category, by child area of the requested area (a grid: itself);
 * received and closed per hour over the period's last 48 hours (up to now); ranking of the streets
 * and communities inside the area by closure rate, then on-time closure rate, then received
 * (`rollup.ts`).
 *
 * Change: receivedPeriodOnPeriod 环比 = received / received of the period of the same length just
 * before − 1; receivedYearOnYear 同比 = the same against the same local dates a year before;
 * closureRatePeriodOnPeriod = closure rate − the previous period's (a difference in rate, not a ratio)
 * (`comparison.ts`).
 */
import type { Kysely } from 'kysely';
import { type Area, type Case, type KpiFigures, type KpiPeriod, type KpiSummary, kpiSummary } from '../../protocol';
import type { WorkingCalendar, WorkingCalendarConfig } from '../../protocol/calendar';
import type { CaseCore } from '../cases/core';
import type { Database } from '../storage/schema';
import { AreaIndex } from './areas';
import { Comparison, changeOf } from './comparison';
import { type CaseFacts, DayRollup, factsOf } from './dayRollup';
import { type NamedPeriod, Periods, ROLLING } from './period';
import { type GridCohort, type GridDue, type Grids, KpiQueries, workingMinutesSum } from './queries';
import { addDue, emptyDue, rollUp } from './rollup';
import { WorkingTime } from './working';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const HOURLY_SPAN = 48 * HOUR;

/** What the KPIs read: the database, the area tree, the working calendar and the server's clock. */
export interface KpiSource {
  db: Kysely<Database>;
  areas(): { version: number; areas: readonly Area[] };
  calendar: WorkingCalendar;
  calendarConfig: WorkingCalendarConfig;
  now(): number;
  /** The event log's last sequence number: cached figures are reused only while it stands still. */
  seq(): number;
  /** The smallest denominator for which a rate is given (config `kpis.minSample`); 20 when absent. */
  minSample?: number;
  /**
   * The committed cases, for the received cohort's in-memory rollup (`dayRollup.ts`): a scan of
   * the stored ones, each committed change after it, and a wait for the write path to be idle (the
   * scan must not see a group whose change is still to come). Without it every figure is a query.
   */
  cases?: {
    idle(): Promise<void>;
    scan(): Iterable<CaseFacts>;
    onChange(listener: (before: Case | null, after: Case) => void): void;
  };
}

/** Config `kpis.minSample`'s default: a rate over fewer cases says nothing on a wall. */
export const DEFAULT_MIN_SAMPLE = 20;
/** The rolling-30-day summary of the stream is recomputed at most this often (real time). */
export const ROLLING_MAX_AGE_MS = 60_000;

export const kpiSourceOf = (core: CaseCore): KpiSource => ({
  db: core.storage.db,
  cases: {
    idle: () => core.idle(),
    scan: () => scanFacts(core.storage),
    onChange: (listener) => core.writes.onCommitted(listener),
  },
  areas: () => ({ version: core.areasVersion, areas: core.areas }),
  calendar: core.deadlines.calendar,
  calendarConfig: core.config.calendar,
  now: () => core.clock.now(),
  seq: () => core.lastSeq,
  minSample: core.config.kpis.minSample,
});

export class UnknownAreaError extends Error {}

/** A rate in [0, 1], or null when the denominator is below `min` (never under 1: 0/0 is no rate). */
const rateOver =
  (min: number) =>
  (num: number, den: number): number | null =>
    den > 0 && den >= min ? Math.min(1, Math.max(0, num / den)) : null;

export class KpiService {
  readonly queries: KpiQueries;
  readonly periods: Periods;
  readonly working: WorkingTime;
  private index: { version: number; tree: AreaIndex } | null = null;
  private today: { at: number; seq: number; figures: KpiFigures } | null = null;
  private todayInFlight: { seq: number; figures: Promise<KpiFigures> } | null = null;
  private rolling: { at: number; summary: KpiSummary } | null = null;
  private rollingInFlight: Promise<KpiSummary> | null = null;
  readonly minSample: number;
  private readonly rate: (num: number, den: number) => number | null;
  private readonly results = new Map<string, { at: number; seq: number; figures: Promise<KpiFigures> }>();
  private readonly comparison: Comparison;
  private rollup: DayRollup | null = null;

  constructor(private readonly source: KpiSource) {
    this.queries = new KpiQueries(source.db);
    this.periods = new Periods(source.calendarConfig.utcOffsetMinutes);
    this.working = new WorkingTime(source.calendar, source.calendarConfig);
    this.minSample = Math.max(1, source.minSample ?? DEFAULT_MIN_SAMPLE);
    this.rate = rateOver(this.minSample);
    this.comparison = new Comparison(this.queries);
  }

  static forCore(core: CaseCore): KpiService {
    return new KpiService(kpiSourceOf(core));
  }

  /** Creates the indexes and computes today's figures and the rolling summary once, so that the first snapshot need not wait. */
  async init(): Promise<void> {
    await this.queries.ensureIndexes();
    await this.startRollup();
    await this.todayFigures(0);
    await this.rollingSummary(0);
  }

  /**
   * Builds the day rollup from the stored cases, then keeps it with every commit. Called before
   * the history fill, the rollup follows it write by write instead of scanning it afterwards.
   */
  async startRollup(): Promise<void> {
    const cases = this.source.cases;
    if (!cases || this.rollup) return;
    const rollup = new DayRollup(this.working);
    await cases.idle();
    // From here to the subscription nothing awaits: no commit can fall between the scan and it.
    for (const f of cases.scan()) rollup.change(null, f);
    cases.onChange((before, after) => rollup.change(before ? factsOf(before) : null, factsOf(after)));
    this.rollup = rollup;
  }

  /** [from, to) cut into partial days at either end and the whole local days between (null: none). */
  private split(p: KpiPeriod): { parts: KpiPeriod[]; days: [number, number] | null } {
    const first = this.periods.dayStart(p.from) === p.from ? p.from : this.periods.dayStart(p.from) + DAY;
    const last = this.periods.dayStart(p.to);
    if (!this.rollup || last <= first) return { parts: [p], days: null };
    const parts: KpiPeriod[] = [];
    if (p.from < first) parts.push({ from: p.from, to: first });
    if (last < p.to) parts.push({ from: last, to: p.to });
    return { parts, days: [this.working.dayOf(first), this.working.dayOf(last)] };
  }

  /**
   * The figures counted per case on one day each (the received cohort, filed, ratings), over
   * `period` and `grids` (the root's: `all`): whole local days from the rollup when there is one,
   * partial days at either end (and everything without one) by query.
   */
  private async daily(period: KpiPeriod, grids: Grids, all: boolean) {
    const q = this.queries;
    const { parts, days } = this.split(period);
    const byGrid = new Map<string, GridCohort>();
    const bySource: Record<string, number> = {};
    const byCategory: Record<string, number> = {};
    const timing: Array<[number, number]> = [
      [0, 0],
      [0, 0],
      [0, 0],
    ];
    let filed = 0;
    const ratings = { satisfied: 0, basic: 0, unsatisfied: 0 };
    const addGrid = (g: GridCohort) => {
      const into = byGrid.get(g.gridId) ?? { gridId: g.gridId, received: 0, filed: 0, selfHandled: 0 };
      into.received += g.received;
      into.filed += g.filed;
      into.selfHandled += g.selfHandled;
      byGrid.set(g.gridId, into);
    };
    const addTo = (into: Record<string, number>, from: Record<string, number>) => {
      for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + n;
    };
    const addTiming = (i: number, n: number, minutes: number) => {
      const t = timing[i] as [number, number];
      t[0] += n;
      t[1] += minutes;
    };
    if (days && this.rollup) {
      const s = await this.rollup.sumInSteps(days[0], days[1], all ? null : grids, null);
      for (const [gridId, g] of s.byGrid) addGrid({ gridId, ...g });
      addTo(bySource, s.bySource);
      addTo(byCategory, s.byCategory);
      for (const [i, [n, m]] of s.timing.entries()) addTiming(i, n, m);
      filed += s.filed;
      ratings.satisfied += s.ratings.satisfied;
      ratings.basic += s.ratings.basic;
      ratings.unsatisfied += s.ratings.unsatisfied;
    }
    for (const p of parts) {
      for (const g of await q.cohortByGrid(p, grids)) addGrid(g);
      const b = await q.bySourceAndCategory(p, grids);
      addTo(bySource, b.bySource);
      addTo(byCategory, b.byCategory);
      const groups = await q.timing(p, grids, this.working);
      for (const [i, [a, z]] of (
        [
          [0, 1],
          [1, 2],
          [2, 3],
        ] as const
      ).entries()) {
        addTiming(i, ...workingMinutesSum(groups, a, z, this.working));
      }
      filed += await q.filed(p, grids);
      const r = await q.satisfaction(p, grids);
      ratings.satisfied += r.satisfied;
      ratings.basic += r.basic;
      ratings.unsatisfied += r.unsatisfied;
    }
    // A rollup's counters that went back to 0 are no key, as in a query's groups.
    for (const r of [bySource, byCategory]) for (const k of Object.keys(r)) if (r[k] === 0) delete r[k];
    const cohort = [...byGrid.values()].filter((g) => g.received !== 0 || g.filed !== 0 || g.selfHandled !== 0);
    return { cohort, bySource, byCategory, timing, filed, ratings };
  }

  /**
   * 应结案数 and what became of them, per grid: cases whose K falls in `span`, closed or handled
   * before `until`. From the rollup for whole days when `until` is a local midnight or after every
   * close and handling it holds; partial days (and other cuts) by query.
   */
  private async due(span: KpiPeriod, until: number, grids: Grids, all: boolean): Promise<GridDue[]> {
    const q = this.queries;
    const rollup = this.rollup;
    const aligned = this.periods.dayStart(until) === until;
    const { parts, days } = this.split(span);
    if (!rollup || !days || (!aligned && !rollup.allBefore(until))) return q.dueByGrid(span, grids, until);
    const byGrid = new Map<string, GridDue>();
    const s = await rollup.sumInSteps(days[0], days[1], all ? null : grids, aligned ? this.working.dayOf(until) : null);
    for (const [gridId, g] of s.byGrid) {
      if (g.due === 0) continue;
      const { due, closed, closedOnTime, handled, handledOnTime, reworked, extended } = g;
      byGrid.set(gridId, { gridId, due, closed, closedOnTime, handled, handledOnTime, reworked, extended });
    }
    for (const p of parts) {
      for (const g of await q.dueByGrid(p, grids, until)) {
        const into = byGrid.get(g.gridId);
        if (!into) byGrid.set(g.gridId, g);
        else {
          const { gridId: _, ...counts } = g;
          addDue(into, { gridId: g.gridId, ...counts });
        }
      }
    }
    return [...byGrid.values()];
  }

  /** The area tree, rebuilt only when the areas version changes. */
  areas(): AreaIndex {
    const { version, areas } = this.source.areas();
    if (this.index?.version !== version) this.index = { version, tree: new AreaIndex(areas) };
    return this.index.tree;
  }

  /** The server's (possibly simulated) time: "today" is the simulated district's today. */
  now(): number {
    return this.source.now();
  }

  named(name: NamedPeriod): KpiPeriod {
    return this.periods.named(name, this.source.now());
  }

  /**
   * Today's figures for the whole root area, for the stream's snapshots and pushes. Reused while no
   * event happened since and younger than `maxAgeMs` (real time: overdue counts and the hourly
   * series move with the clock); callers arriving during a computation share it.
   */
  async todayFigures(maxAgeMs = 4000): Promise<KpiFigures> {
    const seq = this.source.seq();
    const cached = this.today;
    if (cached && cached.seq === seq && Date.now() - cached.at < maxAgeMs) return cached.figures;
    if (this.todayInFlight?.seq === seq) return this.todayInFlight.figures;
    const figures = this.compute(null, this.named('today'))
      .then((f) => {
        this.today = { at: Date.now(), seq, figures: f };
        return f;
      })
      .finally(() => {
        if (this.todayInFlight?.figures === figures) this.todayInFlight = null;
      });
    this.todayInFlight = { seq, figures };
    return figures;
  }

  /**
   * For snapshots and pushes: the latest of today's figures at once (an already settled promise, so
   * a snapshot is never held up by a query); computed only when there are none yet or the day has
   * turned. The pusher refreshes them (`todayFigures`) before each push.
   */
  latestToday(): Promise<KpiFigures> {
    const cached = this.today;
    if (cached && cached.figures.period.to > this.source.now()) return Promise.resolve(cached.figures);
    return this.todayFigures(0);
  }

  /**
   * The root area's rolling-30-day summary for the stream (rates that are not over a partial day).
   * It moves slowly: recomputed at most every `maxAgeMs` of real time, whatever happened meanwhile;
   * callers arriving during a computation share it.
   */
  async rollingSummary(maxAgeMs = ROLLING_MAX_AGE_MS): Promise<KpiSummary> {
    const cached = this.rolling;
    if (cached && Date.now() - cached.at < maxAgeMs) return cached.summary;
    if (this.rollingInFlight) return this.rollingInFlight;
    const summary = this.compute(null, this.named('rolling30'), { breakdowns: false, moving: true })
      .then((f) => {
        const s = kpiSummary(f);
        this.rolling = { at: Date.now(), summary: s };
        return s;
      })
      .finally(() => {
        this.rollingInFlight = null;
      });
    this.rollingInFlight = summary;
    return summary;
  }

  /** For snapshots: the latest rolling summary at once; computed only when there is none yet. */
  latestRolling(): Promise<KpiSummary> {
    return this.rolling ? Promise.resolve(this.rolling.summary) : this.rollingSummary();
  }

  /**
   * What one stream push carries, refreshed (the pusher calls this before the hub sends it): today's
   * figures, and the rolling summary when it is older than a minute.
   */
  async pushPayload(): Promise<{ kpis: KpiFigures; rolling: KpiSummary }> {
    const kpis = await this.todayFigures(0);
    return { kpis, rolling: await this.rollingSummary() };
  }

  /** Figures for an area (null: the root) over [from, to). Throws UnknownAreaError for an unknown id. */
  async compute(
    areaId: string | null,
    period: KpiPeriod,
    /**
     * `breakdowns: false` leaves out sources, categories, areas and the hourly series (the stream's
     * summary); `moving: true` says the period ends now (a rolling window): its comparison spans move
     * with every call and are not kept.
     */
    options: { breakdowns?: boolean; moving?: boolean } = {},
  ): Promise<KpiFigures> {
    const tree = this.areas();
    const area = areaId === null ? tree.root : tree.get(areaId);
    if (!area) throw new UnknownAreaError(`no area with id ${areaId}`);
    const grids: Grids = tree.gridsOf(area.id);
    const now = this.source.now();
    const end = Math.max(period.from, Math.min(period.to, now));
    const rate = this.rate;
    const min = this.minSample;
    const breakdowns = options.breakdowns !== false;
    const q = this.queries;

    const all = area.id === tree.root.id;
    const daily = await this.daily(period, grids, all);
    const cohort = daily.cohort;
    const breakdown = breakdowns ? daily : { bySource: {}, byCategory: {} };
    const filed = daily.filed;
    // Due-based figures of a running period count what has fallen due by now: [from, end).
    const due = await this.due({ from: period.from, to: end }, end, grids, all);
    const ratings = daily.ratings;
    const pending = await q.pending(end, grids);
    const timing = daily.timing;
    const hourFrom = this.hourStart(Math.max(period.from, end - HOURLY_SPAN));
    // Every grid's hours from the rollup when the last one holds nothing after `end` (hourFrom is an hour boundary).
    const hourly =
      breakdowns && end > hourFrom
        ? all && hourFrom % HOUR === 0 && this.rollup?.allBefore(end)
          ? this.rollup.hourly(hourFrom / HOUR, Math.ceil(end / HOUR))
          : await q.hourly(hourFrom, end, grids)
        : null;
    // The spans compared with (环比, 同比): kept a while, unless they move with every call (a rolling window).
    const earlier = await this.comparison.earlier(area.id, this.periods.compared(period, now), grids, !options.moving, {
      received: async (p) => (await this.daily(p, grids, all)).cohort.reduce((n, g) => n + g.received, 0),
      due: (p) => this.due(p, p.to, grids, all),
    });

    let received = 0;
    let filedOfReceived = 0;
    let selfHandled = 0;
    for (const g of cohort) {
      received += g.received;
      filedOfReceived += g.filed;
      selfHandled += g.selfHandled;
    }
    const totals = emptyDue();
    for (const g of due) addDue(totals, g);

    const { bySource, byCategory } = breakdown;

    const { byArea, ranking } = rollUp(tree, area, cohort, due, rate);

    const hours: KpiFigures['hourly'] = [];
    if (hourly) {
      for (let h = hourFrom, i = 0; h < end; h += HOUR, i++) {
        hours.push({ hour: h, received: hourly.received.get(i) ?? 0, closed: hourly.closed.get(i) ?? 0 });
      }
    }

    const rated = ratings.satisfied + ratings.basic + ratings.unsatisfied;
    const content = ratings.satisfied + ratings.basic;
    const closureRate = rate(totals.closed, totals.due);

    return {
      areaId: area.id,
      period: { from: period.from, to: period.to },
      computedAt: now,
      minSample: min,
      received,
      filed,
      closed: totals.closed,
      dueToClose: totals.due,
      handled: totals.handled,
      overduePending: pending.overdue,
      pending: pending.pending,
      rated,
      filingRate: rate(filedOfReceived, received),
      closureRate,
      onTimeClosureRate: rate(totals.closedOnTime, totals.due),
      disposalRate: rate(totals.handled, totals.due),
      onTimeDisposalRate: rate(totals.handledOnTime, totals.due),
      reworkRate: rate(totals.reworked, totals.due),
      overduePendingRate: rate(pending.overdue, pending.pending),
      extensionRate: rate(totals.extended, totals.due),
      satisfactionRate: rate(content, rated),
      selfHandledShare: rate(selfHandled, received),
      avgMinutesToFile: round1(average(timing[0])),
      avgMinutesToDispatch: round1(average(timing[1])),
      avgMinutesToHandle: round1(average(timing[2])),
      bySource,
      byCategory,
      byArea,
      hourly: hours,
      ranking,
      change: changeOf({ received, closureRate }, earlier, rate, min),
    };
  }

  /**
   * Figures for the HTTP API, shared by callers asking for the same area and period: reused while no
   * event happened and younger than 4 s, and for periods longer than a day for up to 15 s (a month
   * board polled by many screens costs one computation).
   */
  figures(areaId: string | null, period: KpiPeriod, name?: NamedPeriod): Promise<KpiFigures> {
    // A rolling window ends now: it is shared by its name, not by bounds that move every millisecond.
    const moving = name !== undefined && ROLLING.has(name);
    const key = moving ? `${areaId ?? ''}|${name}` : `${areaId ?? ''}|${period.from}|${period.to}`;
    const seq = this.source.seq();
    const hit = this.results.get(key);
    const age = hit ? Date.now() - hit.at : Number.POSITIVE_INFINITY;
    if (hit && ((hit.seq === seq && age < 4000) || (period.to - period.from > DAY && age < 15_000))) {
      return hit.figures;
    }
    const figures = this.compute(areaId, period, { moving });
    this.results.set(key, { at: Date.now(), seq, figures });
    figures.catch(() => this.results.delete(key));
    if (this.results.size > 200) {
      const oldest = this.results.keys().next().value;
      if (oldest !== undefined) this.results.delete(oldest);
    }
    return figures;
  }

  private hourStart(t: number): number {
    const day = this.periods.dayStart(t);
    return day + Math.floor((t - day) / HOUR) * HOUR;
  }
}

/** Milestones never run backwards; rounding must not make an average negative. */
const average = (t: [number, number] | undefined): number | null =>
  t === undefined || t[0] === 0 ? null : Math.max(0, t[1] / t[0]);

/** The stored cases as the rollup reads them. */
export function* scanFacts(storage: Pick<CaseCore['storage'], 'scanCaseColumns'>): Generator<CaseFacts> {
  const time = (v: unknown): number | null => (v === null ? null : Number(v));
  // Columns by position (KPI_CASE_COLUMNS' order): a row is an array, not an object.
  for (const r of storage.scanCaseColumns()) {
    yield {
      gridId: r[0] as string,
      createdAt: Number(r[1]),
      category: r[2] as string,
      source: r[3] as string,
      status: r[4] as string,
      selfHandled: Number(r[5]) === 1,
      filedAt: time(r[6]),
      dispatchedAt: time(r[7]),
      handledAt: time(r[8]),
      closedAt: time(r[9]),
      closeDueAt: time(r[10]),
      reworked: Number(r[11]) > 0,
      extended: Number(r[12]) > 0,
      satisfaction: r[13] as string | null,
    };
  }
}

const round1 = (v: number | null): number | null => (v === null ? null : Math.round(v * 10) / 10);
