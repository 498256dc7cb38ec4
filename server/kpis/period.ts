import { z } from 'zod';
import { Id, type KpiPeriod } from '../../protocol';

const DAY = 86_400_000;
const MINUTE = 60_000;
/** A month of a city is ~750k cases; a longer span is a report, not a wall figure. */
export const MAX_SPAN_DAYS = 400;

/** `GET /api/kpis` query: an area (default: the root) and a named period or a custom from–to. */
export const KpiQuery = z.object({
  area: Id.optional(),
  period: z.enum(['today', 'week', 'month']).optional(),
  /** `YYYY-MM-DD` (a local day: `to` includes that day), an ISO time with offset, or epoch ms. */
  from: z.string().trim().min(1).max(40).optional(),
  to: z.string().trim().min(1).max(40).optional(),
});
export type KpiQuery = z.infer<typeof KpiQuery>;

export type NamedPeriod = 'today' | 'week' | 'month';

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
      case 'week': {
        // ISO week: Monday to Monday.
        const weekday = (new Date(today + this.offsetMs).getUTCDay() + 6) % 7;
        const from = today - weekday * DAY;
        return { from, to: from + 7 * DAY };
      }
      case 'month': {
        const local = new Date(today + this.offsetMs);
        const from = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - this.offsetMs;
        const to = Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 1) - this.offsetMs;
        return { from, to };
      }
    }
  }

  /** The same local dates one year earlier (同比); 29 February falls on 1 March. */
  yearBefore(p: KpiPeriod): KpiPeriod {
    const shift = (t: number) => {
      const local = new Date(t + this.offsetMs);
      local.setUTCFullYear(local.getUTCFullYear() - 1);
      return local.getTime() - this.offsetMs;
    };
    return { from: shift(p.from), to: shift(p.to) };
  }

  /** The period of the same length just before (环比). */
  previous(p: KpiPeriod): KpiPeriod {
    return { from: p.from - (p.to - p.from), to: p.from };
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
