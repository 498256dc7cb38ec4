import type { WorkingCalendar } from './calendar';
import type { CaseSource, DeadlineClock, Priority } from './cases';

const MINUTE = 60_000;

/** The clock a case's limits count in: calendar for urgent and sensor cases and for categories configured so. */
export function clockFor(
  c: { priority: Priority; source: CaseSource },
  category?: { deadlineClock?: DeadlineClock | undefined },
): DeadlineClock {
  if (c.priority === 'urgent' || c.source === 'sensor') return 'calendar';
  return category?.deadlineClock ?? 'working';
}

/** The moment `minutes` of the clock's time after `start`. */
export function addClockMinutes(
  calendar: WorkingCalendar,
  clock: DeadlineClock,
  start: number,
  minutes: number,
): number {
  return clock === 'calendar' ? start + Math.max(0, minutes) * MINUTE : calendar.addWorkingMinutes(start, minutes);
}

export interface TimeLeft {
  /** Minutes of the deadline's clock until it is due; negative once overdue (by that many). */
  minutes: number;
  overdue: boolean;
  clock: DeadlineClock;
}

/**
 * A case's one remaining or overdue time: the server's overdue lists, the wall and the console all
 * show this figure, in the clock the limit counts in (deadlines stored before clocks existed count
 * working time, as they were set).
 */
export function timeLeft(
  deadline: { dueAt: number; clock?: DeadlineClock | undefined },
  now: number,
  calendar: WorkingCalendar,
): TimeLeft {
  const clock = deadline.clock ?? 'working';
  const overdue = now >= deadline.dueAt;
  const [from, to] = overdue ? [deadline.dueAt, now] : [now, deadline.dueAt];
  const minutes = clock === 'calendar' ? (to - from) / MINUTE : calendar.workingMinutesBetween(from, to);
  return { minutes: overdue && minutes > 0 ? -minutes : minutes, overdue, clock };
}
