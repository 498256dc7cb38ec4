/**
 * KPI counters per grid and local day, kept in memory and updated as cases are committed: each
 * change takes the case's old contribution off and puts the new one on, so a period of whole days
 * is summed from (days × grids) small records instead of a scan of every case. Same definitions as
 * the queries (`queries.ts`), each family on the day of its own time:
 *
 * - the received cohort (created): received, filed-of-received, self-handled, per source and
 *   category, and Σ working minutes report → file → dispatch → handled;
 * - 立案数 (filed): on the day filed, without 挂账, 作废, 不予立案;
 * - ratings: on the day closed;
 * - 应结案数 and what became of them: on the day of K = min(close due, closed); closed and handled
 *   are kept per the day they happened (`c<day>`, `h<day>`…), because "closed by the period's end"
 *   depends on the end asked for.
 */
import type { Case } from '../../protocol';
import { type GridDue, NOT_DUE, NOT_FILED } from './queries';
import type { WorkingTime } from './working';

/** What of a case the rollup reads: the `cases` columns of the KPI queries. */
export interface CaseFacts {
  gridId: string;
  createdAt: number;
  category: string;
  source: string;
  status: string;
  selfHandled: boolean;
  filedAt: number | null;
  dispatchedAt: number | null;
  handledAt: number | null;
  closedAt: number | null;
  closeDueAt: number | null;
  reworked: boolean;
  extended: boolean;
  satisfaction: string | null;
}

export const factsOf = (c: Case): CaseFacts => ({
  gridId: c.gridId,
  createdAt: c.createdAt,
  category: c.category,
  source: c.source,
  status: c.status,
  selfHandled: c.selfHandled,
  filedAt: c.milestones.filedAt,
  dispatchedAt: c.milestones.dispatchedAt,
  handledAt: c.milestones.handledAt,
  closedAt: c.milestones.closedAt,
  closeDueAt: c.milestones.closeDueAt,
  reworked: c.reworkCount > 0,
  extended: c.extensionCount > 0,
  satisfaction: c.satisfaction,
});

// Counter slots of one (day, grid) record.
const RECEIVED = 0;
const FILED_OF_RECEIVED = 1;
const SELF = 2;
/** Pairs (count, Σ working minutes): report → file, file → dispatch, dispatch → handled. */
const TIMING = 3;
const FILED = 9;
const SATISFIED = 10;
const BASIC = 11;
const UNSATISFIED = 12;
const DUE = 13;
const REWORKED = 14;
const EXTENDED = 15;
const SLOTS = 16;

interface Cell {
  /** The grid's index in `gridIds` (-1: the `*` record). */
  gi: number;
  v: Float64Array;
  /** Received per `c:<category>` and `s:<source>`. */
  by: Map<string, number>;
  /**
   * The due family's closed (0), closed on time (1), handled (2), handled on time (3) by the day
   * they happened: pairs [day × 4 + kind, count], flat (a few a record; read for every record summed).
   */
  when: number[];
}
const CLOSED = 0;
const CLOSED_ON_TIME = 1;
const HANDLED = 2;
const HANDLED_ON_TIME = 3;

/** A grid's counts over whole days: what the due-cases query gives (`GridDue`), plus intake. */
export interface GridSums extends Omit<GridDue, 'gridId'> {
  received: number;
  filed: number;
  selfHandled: number;
}

/** Sums over a set of days and grids. */
export interface DaySums {
  byGrid: Map<string, GridSums>;
  bySource: Record<string, number>;
  byCategory: Record<string, number>;
  /** [count, Σ minutes] of report → file, file → dispatch, dispatch → handled. */
  timing: Array<[number, number]>;
  filed: number;
  ratings: { satisfied: number; basic: number; unsatisfied: number };
}

const NOT_FILED_SET: ReadonlySet<string> = new Set(NOT_FILED);
const NOT_DUE_SET: ReadonlySet<string> = new Set(NOT_DUE);
const ALL = '*';
const MINUTE = 60_000;
const HOUR = 3_600_000;

const newCell = (gi: number): Cell => ({ gi, v: new Float64Array(SLOTS), by: new Map(), when: [] });
function bump(when: number[], key: number, n: number): void {
  for (let i = 0; i < when.length; i += 2) {
    if (when[i] === key) {
      when[i + 1] = (when[i + 1] as number) + n;
      return;
    }
  }
  when.push(key, n);
}

export class DayRollup {
  /** Local day → grid (and `*`: every grid) → counters. */
  private readonly days = new Map<number, Map<string, Cell>>();
  private readonly gridIds: string[] = [];
  private readonly gridIndex = new Map<string, number>();
  /** The latest created, closed or handled time seen: an end after it has all of them before it. */
  private latest = 0;
  /** Every grid's received and closed per hour (hours since the epoch), for the hourly series. */
  private readonly hours = new Map<number, [number, number]>();
  /** Whole working minutes before each local day, from `base` (W(t) below). */
  private readonly before: number[] = [];
  private base = 0;

  constructor(private readonly working: WorkingTime) {}

  /** Moves a case's contribution from what it was (null: new) to what it is. */
  change(before: CaseFacts | null, after: CaseFacts | null): void {
    if (before) this.add(before, -1);
    if (after) this.add(after, 1);
  }

  /** Whether every closed or handled time is before `end` (then the due family needs no cut). */
  allBefore(end: number): boolean {
    return end > this.latest;
  }

  /**
   * `sum`, a few days at a time with the event loop let in between: a city's month is tens of
   * thousands of records, and summing them in one go would hold up sockets for longer than 20 ms.
   */
  async sumInSteps(
    fromDay: number,
    toDay: number,
    grids: readonly string[] | null,
    dueUntilDay: number | null,
  ): Promise<DaySums> {
    const step = grids === null || grids.length > 500 ? 3 : 31;
    let out: DaySums | null = null;
    for (let d = fromDay; d < toDay; d += step) {
      const part = this.sum(d, Math.min(toDay, d + step), grids, dueUntilDay);
      out = out ? mergeSums(out, part) : part;
      if (d + step < toDay) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return out ?? this.sum(fromDay, fromDay, grids, dueUntilDay);
  }

  /** Received and closed of every grid in each hour of [fromHour, toHour) (hours since the epoch). */
  hourly(fromHour: number, toHour: number): { received: Map<number, number>; closed: Map<number, number> } {
    const received = new Map<number, number>();
    const closed = new Map<number, number>();
    for (let h = fromHour; h < toHour; h++) {
      const n = this.hours.get(h);
      if (!n) continue;
      if (n[0] !== 0) received.set(h - fromHour, n[0]);
      if (n[1] !== 0) closed.set(h - fromHour, n[1]);
    }
    return { received, closed };
  }

  /**
   * Sums whole local days [fromDay, toDay) over `grids` (null: every grid). Closed and handled of
   * the due family count when they happened before local day `dueUntilDay` (null: whenever).
   */
  sum(fromDay: number, toDay: number, grids: readonly string[] | null, dueUntilDay: number | null): DaySums {
    const out: DaySums = {
      byGrid: new Map(),
      bySource: {},
      byCategory: {},
      timing: [
        [0, 0],
        [0, 0],
        [0, 0],
      ],
      filed: 0,
      ratings: { satisfied: 0, basic: 0, unsatisfied: 0 },
    };
    // Per grid into one flat array (10 counters a grid, in GridSums' order): no object per record.
    const acc = new Float64Array(this.gridIds.length * 10);
    const touched = new Uint8Array(this.gridIds.length);
    const perGrid = (cell: Cell) => {
      const v = cell.v;
      const o = cell.gi * 10;
      touched[cell.gi] = 1;
      acc[o] = (acc[o] as number) + (v[RECEIVED] as number);
      acc[o + 1] = (acc[o + 1] as number) + (v[FILED_OF_RECEIVED] as number);
      acc[o + 2] = (acc[o + 2] as number) + (v[SELF] as number);
      acc[o + 3] = (acc[o + 3] as number) + (v[DUE] as number);
      acc[o + 8] = (acc[o + 8] as number) + (v[REWORKED] as number);
      acc[o + 9] = (acc[o + 9] as number) + (v[EXTENDED] as number);
      const when = cell.when;
      for (let i = 0; i < when.length; i += 2) {
        const k = when[i] as number;
        if (dueUntilDay !== null && k >= dueUntilDay * 4) continue;
        // closed, closed on time, handled, handled on time: slots 4 to 7.
        const slot = o + 4 + (k & 3);
        acc[slot] = (acc[slot] as number) + (when[i + 1] as number);
      }
    };
    const totals = (cell: Cell) => {
      const v = cell.v;
      for (let i = 0; i < 3; i++) {
        const t = out.timing[i] as [number, number];
        t[0] += v[TIMING + 2 * i] as number;
        t[1] += v[TIMING + 2 * i + 1] as number;
      }
      out.filed += v[FILED] as number;
      out.ratings.satisfied += v[SATISFIED] as number;
      out.ratings.basic += v[BASIC] as number;
      out.ratings.unsatisfied += v[UNSATISFIED] as number;
      for (const [k, n] of cell.by) {
        if (n === 0) continue;
        const into = k.charCodeAt(0) === 99 ? out.byCategory : out.bySource;
        const name = k.slice(2);
        into[name] = (into[name] ?? 0) + n;
      }
    };
    for (let d = fromDay; d < toDay; d++) {
      const day = this.days.get(d);
      if (!day) continue;
      if (grids === null) {
        for (const cell of day.values()) if (cell.gi >= 0) perGrid(cell);
        const all = day.get(ALL);
        if (all) totals(all);
      } else {
        for (const gridId of grids) {
          const cell = day.get(gridId);
          if (!cell) continue;
          perGrid(cell);
          totals(cell);
        }
      }
    }
    for (let gi = 0; gi < touched.length; gi++) {
      if (touched[gi] === 0) continue;
      const o = gi * 10;
      const at = (i: number) => acc[o + i] as number;
      out.byGrid.set(this.gridIds[gi] as string, {
        received: at(0),
        filed: at(1),
        selfHandled: at(2),
        due: at(3),
        closed: at(4),
        closedOnTime: at(5),
        handled: at(6),
        handledOnTime: at(7),
        reworked: at(8),
        extended: at(9),
      });
    }
    return out;
  }

  /** The grid's record and the `*` record of a day. */
  private cells(day: number, grid: string): [Cell, Cell] {
    let cells = this.days.get(day);
    if (!cells) {
      cells = new Map();
      this.days.set(day, cells);
    }
    let cell = cells.get(grid);
    if (!cell) {
      let gi = this.gridIndex.get(grid);
      if (gi === undefined) {
        gi = this.gridIds.length;
        this.gridIds.push(grid);
        this.gridIndex.set(grid, gi);
      }
      cell = newCell(gi);
      cells.set(grid, cell);
    }
    let all = cells.get(ALL);
    if (!all) {
      all = newCell(-1);
      cells.set(ALL, all);
    }
    return [cell, all];
  }

  private add(f: CaseFacts, sign: 1 | -1): void {
    const wt = this.working;
    const g = f.gridId;
    const filed = f.filedAt !== null && !NOT_FILED_SET.has(f.status);
    this.hour(f.createdAt, 0, sign);
    if (f.closedAt !== null) this.hour(f.closedAt, 1, sign);
    if (sign > 0) this.latest = Math.max(this.latest, f.createdAt);
    // The received cohort, on the day created.
    for (const cell of this.cells(wt.dayOf(f.createdAt), g)) {
      const v = cell.v;
      v[RECEIVED] = (v[RECEIVED] as number) + sign;
      if (filed) v[FILED_OF_RECEIVED] = (v[FILED_OF_RECEIVED] as number) + sign;
      if (f.selfHandled) v[SELF] = (v[SELF] as number) + sign;
      const c = `c:${f.category}`;
      const s = `s:${f.source}`;
      cell.by.set(c, (cell.by.get(c) ?? 0) + sign);
      cell.by.set(s, (cell.by.get(s) ?? 0) + sign);
    }
    const milestones = [f.createdAt, f.filedAt, f.dispatchedAt, f.handledAt];
    const created = this.cells(wt.dayOf(f.createdAt), g);
    for (let i = 0; i < 3; i++) {
      const a = milestones[i] ?? null;
      const b = milestones[i + 1] ?? null;
      if (a === null || b === null) continue;
      const minutes = this.w(b) - this.w(a);
      for (const { v } of created) {
        v[TIMING + 2 * i] = (v[TIMING + 2 * i] as number) + sign;
        v[TIMING + 2 * i + 1] = (v[TIMING + 2 * i + 1] as number) + sign * minutes;
      }
    }
    // 立案数 on the day filed.
    if (filed) for (const { v } of this.cells(wt.dayOf(f.filedAt as number), g)) v[FILED] = (v[FILED] as number) + sign;
    // Ratings on the day closed.
    if (f.closedAt !== null) {
      const slot =
        f.satisfaction === 'satisfied'
          ? SATISFIED
          : f.satisfaction === 'basic'
            ? BASIC
            : f.satisfaction === 'unsatisfied'
              ? UNSATISFIED
              : -1;
      if (slot >= 0) for (const { v } of this.cells(wt.dayOf(f.closedAt), g)) v[slot] = (v[slot] as number) + sign;
    }
    // 应结案数 on the day of K = min(close due, closed).
    if (NOT_DUE_SET.has(f.status)) return;
    const k =
      f.closeDueAt === null ? f.closedAt : f.closedAt === null ? f.closeDueAt : Math.min(f.closeDueAt, f.closedAt);
    if (k === null) return;
    const handled = f.handledAt ?? f.closedAt;
    const closedDay = f.closedAt === null ? -1 : wt.dayOf(f.closedAt);
    const handledDay = handled === null ? -1 : wt.dayOf(handled);
    for (const { v, when } of this.cells(wt.dayOf(k), g)) {
      v[DUE] = (v[DUE] as number) + sign;
      if (f.reworked) v[REWORKED] = (v[REWORKED] as number) + sign;
      if (f.extended) v[EXTENDED] = (v[EXTENDED] as number) + sign;
      if (f.closedAt !== null) {
        bump(when, closedDay * 4 + CLOSED, sign);
        if (f.closeDueAt === null || f.closedAt <= f.closeDueAt) bump(when, closedDay * 4 + CLOSED_ON_TIME, sign);
      }
      if (handled !== null) {
        bump(when, handledDay * 4 + HANDLED, sign);
        if (f.closeDueAt === null || handled <= f.closeDueAt) bump(when, handledDay * 4 + HANDLED_ON_TIME, sign);
      }
    }
    if (sign > 0) this.latest = Math.max(this.latest, f.closedAt ?? 0, handled ?? 0);
  }

  private hour(t: number, slot: 0 | 1, sign: number): void {
    const h = Math.floor(t / HOUR);
    let n = this.hours.get(h);
    if (!n) {
      n = [0, 0];
      this.hours.set(h, n);
    }
    n[slot] += sign;
  }

  /** W(t): working minutes from an origin to `t`, as `WorkingTime.total` counts them (one day at a time, cached). */
  private w(t: number): number {
    const wt = this.working;
    const day = wt.dayOf(t);
    if (this.before.length === 0) this.base = day - 400;
    while (day < this.base) {
      // Earlier than the cache: shift it by a year.
      const shift = 366;
      const head: number[] = [];
      let acc = 0;
      for (let d = this.base - shift; d < this.base; d++) {
        head.push(acc);
        if (wt.isWorkingDay(d)) acc += wt.minutesPerDay;
      }
      for (let i = 0; i < this.before.length; i++) this.before[i] = (this.before[i] as number) + acc;
      this.before.unshift(...head);
      this.base -= shift;
    }
    while (this.before.length <= day - this.base) {
      const i = this.before.length;
      const prev =
        i === 0 ? 0 : (this.before[i - 1] as number) + (wt.isWorkingDay(this.base + i - 1) ? wt.minutesPerDay : 0);
      this.before.push(prev);
    }
    const whole = this.before[day - this.base] as number;
    return wt.isWorkingDay(day) ? whole + wt.intraMs(t) / MINUTE : whole;
  }
}

/** Adds `b` into `a` (and returns it). */
function mergeSums(a: DaySums, b: DaySums): DaySums {
  for (const [gridId, g] of b.byGrid) {
    const into = a.byGrid.get(gridId);
    if (!into) {
      a.byGrid.set(gridId, g);
      continue;
    }
    for (const k of Object.keys(g) as Array<keyof GridSums>) into[k] += g[k];
  }
  for (const [into, from] of [
    [a.bySource, b.bySource],
    [a.byCategory, b.byCategory],
  ] as const) {
    for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + n;
  }
  for (const [i, [n, m]] of b.timing.entries()) {
    const t = a.timing[i] as [number, number];
    t[0] += n;
    t[1] += m;
  }
  a.filed += b.filed;
  a.ratings.satisfied += b.ratings.satisfied;
  a.ratings.basic += b.ratings.basic;
  a.ratings.unsatisfied += b.ratings.unsatisfied;
  return a;
}
