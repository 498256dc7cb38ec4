import { z } from 'zod';
import { Id, type KpiPeriod, KpiPeriodName } from '../../protocol';

const DAY = 86_400_000;
const MINUTE = 60_000;
/** A month of a city is ~750k cases; a longer span is a report, not a wall figure. */
export const MAX_SPAN_DAYS = 400;

/** `GET /api/kpis` query: an area (default: the root) and a named period or a custom from–to. */
export const KpiQuery = z.object({
  area: Id.optional(),
  period: KpiPeriodName.optional(),
  /** `YYYY-MM-DD` (a local day: `to` includes that day), an ISO time with offset, or epoch ms. */
  from: z.string().trim().min(1).max(40).optional(),
  to: z.string().trim().min(1).max(40).optional(),
});
export type KpiQuery = z.infer<typeof KpiQuery>;

export type NamedPeriod = KpiPeriodName;

/** Rolling windows end now: they move with every call, so caches key them by name. */
export const ROLLING: ReadonlySet<NamedPeriod> = new Set(['rolling7', 'rolling30']);

/** The spans a period's figures are compared with (环比, 同比). */
export interface ComparedSpans {
  previous: KpiPeriod;
  yearBefore: KpiPeriod;
  /** Whether the compared spans are whole periods (the period is closed, or rolling). */
  whole: boolean;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Periods in the calendar's local time (UTC+8 in every demo config). */
export class Periods {
  private readonly offsetMs: number;

  constructor(utcOffsetMinutes: number) {
    this.offsetMs = utcOffsetMinutes * MINUTE;
  }

  /** Local midnight (as epoch ms) of the day holding `t`. */
  dayStart(t: number): number {
    return Math.floor((t + this.offsetMs) / DAY) * DAY - this.offsetMs;
  }

  named(name: NamedPeriod, now: number): KpiPeriod {
    const today = this.dayStart(now);
    switch (name) {
      case 'today':
        return { from: today, to: today + DAY };
      case 'yesterday':
        return { from: today - DAY, to: today };
      case 'week':
      case 'lastWeek': {
        // ISO week: Monday to Monday.
        const weekday = (new Date(today + this.offsetMs).getUTCDay() + 6) % 7;
        const from = today - weekday * DAY - (name === 'lastWeek' ? 7 * DAY : 0);
        return { from, to: from + 7 * DAY };
      }
      case 'month':
      case 'lastMonth': {
        const back = name === 'lastMonth' ? 1 : 0;
        const local = new Date(today + this.offsetMs);
        const from = Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - back, 1) - this.offsetMs;
        const to = Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1 - back, 1) - this.offsetMs;
        return { from, to };
      }
      case 'rolling7':
        return { from: now - 7 * DAY, to: now };
      case 'rolling30':
        return { from: now - 30 * DAY, to: now };
    }
  }

  /** The same local dates one year earlier (同比); 29 February falls on 1 March. */
  yearBefore(p: KpiPeriod): KpiPeriod {
    return { from: this.addMonths(p.from, -12), to: this.addMonths(p.to, -12) };
  }

  /**
   * The period just before (环比): whole calendar months go back as many calendar months (March
   * against February); any other period goes back its own length (a day, a week, 30 × 24 h).
   */
  previous(p: KpiPeriod): KpiPeriod {
    const months = this.wholeMonths(p);
    if (months > 0) return { from: this.addMonths(p.from, -months), to: p.from };
    return { from: p.from - (p.to - p.from), to: p.from };
  }

  /**
   * What a period is compared with, over EQUAL ELAPSED SPANS. A running period (now before its end)
   * has run `elapsed = now − from`; each earlier period is cut to the same elapsed time from its own
   * start, capped at its length: today until 08:14 against yesterday until 08:14, a month's first
   * 30 days 08:14 against a 28-day February whole. The elapsed time counts whole minutes (at
   * 08:14:37, yesterday until 08:14), so that an earlier span's figures can be kept for the minute.
   * A closed period (or a rolling one, which ends now) is compared with the whole earlier period.
   */
  compared(p: KpiPeriod, now: number): ComparedSpans {
    const previous = this.previous(p);
    const yearBefore = this.yearBefore(p);
    if (now >= p.to) return { previous, yearBefore, whole: true };
    const elapsed = Math.max(0, Math.floor((now - p.from) / MINUTE) * MINUTE);
    const cut = (q: KpiPeriod): KpiPeriod => ({ from: q.from, to: q.from + Math.min(elapsed, q.to - q.from) });
    return { previous: cut(previous), yearBefore: cut(yearBefore), whole: false };
  }

  /** The local date of `t` moved by `months` calendar months, same time of day (31 Mar − 1 month: 3 Mar, as Date does; 29 Feb − 12: 1 Mar). */
  private addMonths(t: number, months: number): number {
    const local = new Date(t + this.offsetMs);
    local.setUTCMonth(local.getUTCMonth() + months);
    return local.getTime() - this.offsetMs;
  }

  /** How many whole local calendar months `p` spans (0: it does not run from a 1st to a 1st). */
  private wholeMonths(p: KpiPeriod): number {
    const a = new Date(p.from + this.offsetMs);
    const b = new Date(p.to + this.offsetMs);
    const isMonthStart = (d: Date) =>
      d.getUTCDate() === 1 &&
      d.getUTCHours() === 0 &&
      d.getUTCMinutes() === 0 &&
      d.getUTCSeconds() === 0 &&
      d.getUTCMilliseconds() === 0;
    if (!isMonthStart(a) || !isMonthStart(b)) return 0;
    return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth();
  }

  /** A query's period, or a message saying what is wrong with it. */
  resolve(q: Pick<KpiQuery, 'period' | 'from' | 'to'>, now: number): KpiPeriod | { error: string } {
    if (q.period && (q.from || q.to)) return { error: 'give either period or from/to, not both' };
    if (!q.from && !q.to) return this.named(q.period ?? 'today', now);
    if (!q.from || !q.to) return { error: 'from and to go together' };
    const from = this.parseMoment(q.from, 'start');
    const to = this.parseMoment(q.to, 'end');
    if (from === null) return { error: `from: not a date (YYYY-MM-DD), ISO time or epoch ms: ${q.from}` };
    if (to === null) return { error: `to: not a date (YYYY-MM-DD), ISO time or epoch ms: ${q.to}` };
    if (to <= from) return { error: 'to must be after from' };
    if (to - from > MAX_SPAN_DAYS * DAY) return { error: `a period spans at most ${MAX_SPAN_DAYS} days` };
    return { from, to };
  }

  /** A local date is a whole day: as `from` its midnight, as `to` the next midnight (the day included). */
  private parseMoment(text: string, as: 'start' | 'end'): number | null {
    const date = DATE.exec(text);
    if (date) {
      const [, y, m, d] = date.map(Number) as [number, number, number, number];
      const start = Date.UTC(y, m - 1, d) - this.offsetMs;
      const check = new Date(start + this.offsetMs);
      if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return null;
      return as === 'start' ? start : start + DAY;
    }
    if (/^\d{1,15}$/.test(text)) return Number(text);
    // An ISO time must carry its offset: a bare local time would depend on the server's zone.
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) return null;
    const t = Date.parse(text);
    return Number.isFinite(t) && t >= 0 ? t : null;
  }
}
