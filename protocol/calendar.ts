import { z } from 'zod';

const HourMinute = z.string().regex(/^\d{2}:\d{2}$/);
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/**
 * The working calendar that time limits count in (city management limits are in working time:
 * "10 working minutes", "1 working day"). Times of day are local to `utcOffsetMinutes`.
 */
export const WorkingCalendarConfig = z.object({
  utcOffsetMinutes: z.number().int().min(-720).max(840).default(480),
  /** ISO weekdays that are working days: 1 = Monday … 7 = Sunday. */
  workdays: z.array(z.number().int().min(1).max(7)).default([1, 2, 3, 4, 5]),
  hours: z
    .array(z.object({ start: HourMinute, end: HourMinute }))
    .min(1)
    .default([
      { start: '08:30', end: '12:00' },
      { start: '13:30', end: '18:00' },
    ]),
  /** Public holidays (local dates) that are not worked even on a workday. */
  holidays: z.array(IsoDate).default([]),
  /** Weekend days worked in exchange for a holiday (调休). */
  extraWorkdays: z.array(IsoDate).default([]),
});
export type WorkingCalendarConfig = z.output<typeof WorkingCalendarConfig>;

const DAY = 86_400_000;
const MINUTE = 60_000;
/** Far enough for 15 working days over any holiday season; a guard against a calendar with no working time. */
const MAX_DAYS_SCANNED = 3 * 366;

const toMinutes = (hm: string): number => {
  const [h, m] = hm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

export class WorkingCalendar {
  private readonly offsetMs: number;
  private readonly workdays: Set<number>;
  private readonly holidays: Set<string>;
  private readonly extraWorkdays: Set<string>;
  /** Working intervals of a day, in ms after local midnight, sorted. */
  private readonly intervals: Array<[number, number]>;
  readonly minutesPerDay: number;
  /** The center's time zone: every clock, day and period on every page is in it. */
  readonly utcOffsetMinutes: number;

  constructor(config: WorkingCalendarConfig) {
    this.utcOffsetMinutes = config.utcOffsetMinutes;
    this.offsetMs = config.utcOffsetMinutes * MINUTE;
    this.workdays = new Set(config.workdays);
    this.holidays = new Set(config.holidays);
    this.extraWorkdays = new Set(config.extraWorkdays);
    this.intervals = config.hours
      .map((h): [number, number] => [toMinutes(h.start) * MINUTE, toMinutes(h.end) * MINUTE])
      .filter(([s, e]) => e > s)
      .sort((a, b) => a[0] - b[0]);
    this.minutesPerDay = this.intervals.reduce((sum, [s, e]) => sum + (e - s) / MINUTE, 0);
    if (this.minutesPerDay <= 0) throw new Error('working calendar has no working hours');
  }

  /** Local midnight (as a UTC timestamp) of the day that contains `t`. */
  private dayStart(t: number): number {
    return Math.floor((t + this.offsetMs) / DAY) * DAY - this.offsetMs;
  }

  isWorkingDay(dayStartUtc: number): boolean {
    const local = new Date(dayStartUtc + this.offsetMs);
    const iso = local.toISOString().slice(0, 10);
    if (this.extraWorkdays.has(iso)) return true;
    if (this.holidays.has(iso)) return false;
    const weekday = local.getUTCDay() === 0 ? 7 : local.getUTCDay();
    return this.workdays.has(weekday);
  }

  /** The moment `minutes` of working time after `start`. */
  addWorkingMinutes(start: number, minutes: number): number {
    let remaining = minutes * MINUTE;
    if (remaining <= 0) return start;
    let day = this.dayStart(start);
    for (let i = 0; i < MAX_DAYS_SCANNED; i++, day += DAY) {
      if (!this.isWorkingDay(day)) continue;
      for (const [s, e] of this.intervals) {
        const from = Math.max(start, day + s);
        const to = day + e;
        if (from >= to) continue;
        if (remaining <= to - from) return from + remaining;
        remaining -= to - from;
      }
    }
    throw new Error('working calendar: limit reaches beyond the scanned horizon');
  }

  /** Working minutes between two moments (0 when `end` is not after `start`). */
  workingMinutesBetween(start: number, end: number): number {
    if (end <= start) return 0;
    let total = 0;
    for (let day = this.dayStart(start); day < end; day += DAY) {
      if (!this.isWorkingDay(day)) continue;
      for (const [s, e] of this.intervals) {
        const from = Math.max(start, day + s);
        const to = Math.min(end, day + e);
        if (to > from) total += to - from;
      }
    }
    return total / MINUTE;
  }
}

/** Working minutes left until `dueAt` (negative once past it). */
export function workingMinutesLeft(calendar: WorkingCalendar, now: number, dueAt: number): number {
  return now <= dueAt ? calendar.workingMinutesBetween(now, dueAt) : -calendar.workingMinutesBetween(dueAt, now);
}
