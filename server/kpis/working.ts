import { type RawBuilder, sql } from 'kysely';
import type { WorkingCalendar, WorkingCalendarConfig } from '../../protocol/calendar';

const DAY = 86_400_000;
const MINUTE = 60_000;

const toMs = (hm: string): number => {
  const [h, m] = hm.split(':').map(Number);
  return ((h ?? 0) * 60 + (m ?? 0)) * MINUTE;
};

/**
 * SQL for a millisecond column as a whole number of ms. SQLite keeps a value with a fraction of a ms
 * (a simulated clock's time) as REAL in a `bigint` column, and then `/` is no integer division: a
 * "day" of 20514.38 is no day (`cumulative` and `total` count whole days), and the query's working
 * minutes were hours off where the rollup's (`Math.floor`) were right. PostgreSQL's bigint has no
 * fraction to drop. Truncation is `Math.floor` here: times are after 1970.
 */
export const msExpr = (column: string): RawBuilder<number> => sql<number>`cast(${sql.ref(column)} as bigint)`;

/** What one group of rows contributes to Σ W(t): the local day they share, how many, Σ intra-day working ms. */
export interface DaySum {
  day: number;
  count: number;
  intraMs: number;
}

/**
 * Working time as a running total W(t), so that `workingMinutesBetween(a, b) = W(b) − W(a)` and the
 * average working time of many cases is a difference of two sums. The database computes, per local
 * day, how many rows and the sum of their intra-day working ms (`dayExpr`, `intraExpr`: portable
 * SQL); the calendar (weekends, holidays, 调休) is applied here, once per day instead of once per row.
 */
export class WorkingTime {
  private readonly offsetMs: number;
  /** Working intervals of a day, in ms after local midnight. */
  private readonly intervals: Array<[number, number]>;

  constructor(
    private readonly calendar: WorkingCalendar,
    config: Pick<WorkingCalendarConfig, 'utcOffsetMinutes' | 'hours'>,
  ) {
    this.offsetMs = config.utcOffsetMinutes * MINUTE;
    this.intervals = config.hours
      .map((h): [number, number] => [toMs(h.start), toMs(h.end)])
      .filter(([s, e]) => e > s)
      .sort((a, b) => a[0] - b[0]);
  }

  private readonly workingDays = new Map<number, boolean>();

  /** Whether a local day number is a working day (cached: the calendar parses dates). */
  isWorkingDay(day: number): boolean {
    let w = this.workingDays.get(day);
    if (w === undefined) {
      w = this.calendar.isWorkingDay(day * DAY - this.offsetMs);
      this.workingDays.set(day, w);
    }
    return w;
  }

  get minutesPerDay(): number {
    return this.calendar.minutesPerDay;
  }

  /** The local day number (days since 1970-01-01 in the calendar's time zone). */
  dayOf(t: number): number {
    return Math.floor((t + this.offsetMs) / DAY);
  }

  /** Working ms between local midnight and `t`, as if the day were a working day. */
  intraMs(t: number): number {
    const tod = t + this.offsetMs - this.dayOf(t) * DAY;
    let sum = 0;
    for (const [s, e] of this.intervals) sum += Math.min(Math.max(tod - s, 0), e - s);
    return sum;
  }

  /** SQL for the local day number of a millisecond column (integer division, SQLite and PostgreSQL alike). */
  dayExpr(column: string): RawBuilder<number> {
    return sql<number>`((${msExpr(column)} + ${sql.lit(this.offsetMs)}) / ${sql.lit(DAY)})`;
  }

  /** SQL for `intraMs(column)`: a sum of clamps written with CASE (no LEAST/GREATEST, absent from SQLite). */
  intraExpr(column: string): RawBuilder<number> {
    const tod = sql`((${msExpr(column)} + ${sql.lit(this.offsetMs)}) % ${sql.lit(DAY)})`;
    const parts = this.intervals.map(
      ([s, e]) =>
        sql`(case when ${tod} <= ${sql.lit(s)} then 0 when ${tod} >= ${sql.lit(e)} then ${sql.lit(e - s)} else ${tod} - ${sql.lit(s)} end)`,
    );
    return sql<number>`(${sql.join(parts, sql` + `)})`;
  }

  /**
   * Σ W(t) in minutes over the rows summarised by `sums`, relative to an origin shared by every call
   * on the same `origin` map (the differences of two such sums are what callers use).
   */
  total(sums: Iterable<DaySum>, origin: CumulativeDays): number {
    let minutes = 0;
    for (const s of sums) {
      if (s.count === 0) continue;
      minutes += s.count * origin.before(s.day);
      if (this.calendar.isWorkingDay(s.day * DAY - this.offsetMs)) minutes += s.intraMs / MINUTE;
    }
    return minutes;
  }

  /** Working minutes of whole working days before each day, counted from the earliest day given. */
  cumulative(days: Iterable<number>): CumulativeDays {
    const sorted = [...new Set(days)].sort((a, b) => a - b);
    const before = new Map<number, number>();
    let acc = 0;
    let prev = sorted[0];
    for (const d of sorted) {
      for (let x = prev ?? d; x < d; x++) {
        if (this.calendar.isWorkingDay(x * DAY - this.offsetMs)) acc += this.calendar.minutesPerDay;
      }
      before.set(d, acc);
      prev = d;
    }
    return {
      before: (day) => {
        const v = before.get(day);
        if (v === undefined) throw new Error(`day ${day} was not given to cumulative()`);
        return v;
      },
    };
  }

  /** W(b) − W(a) for single moments, by the same arithmetic (for tests against the calendar). */
  between(a: number, b: number): number {
    const origin = this.cumulative([this.dayOf(a), this.dayOf(b)]);
    const at = (t: number) => this.total([{ day: this.dayOf(t), count: 1, intraMs: this.intraMs(t) }], origin);
    return at(b) - at(a);
  }
}

export interface CumulativeDays {
  before(day: number): number;
}
