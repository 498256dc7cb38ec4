import type { TFunction } from 'i18next';
import type { DeadlineClock } from '../../protocol';
import type { WorkingCalendar } from '../../protocol/calendar';
import { timeLeft } from '../../protocol/deadline';
import { duration, shortTime } from './format';

export interface DeadlineView {
  /** "剩余 2小时10分" / "超时 9小时37分" / "已超时（18:00 到期）" / "无时限". */
  text: string;
  /** Which clock the figure counts: "工作时间" / "自然时间"; empty without a limit. */
  clockLabel: string;
  /** 'over' past the deadline, 'warn' past the warning mark, 'ok' otherwise, 'none' without a limit. */
  tone: 'over' | 'warn' | 'ok' | 'none';
  /** Minutes of the deadline's clock left (negative: overdue); null without a limit. */
  minutes: number | null;
  clock: DeadlineClock | null;
}

/** Working time as hours and minutes: a working day is 7.5 h, so "days" would mislead. */
export function workingDuration(t: TFunction, minutes: number): string {
  const total = Math.max(0, Math.round(Math.abs(minutes)));
  const h = Math.floor(total / 60);
  const m = total % 60;
  return h > 0 ? t('time.hm', { h, m }) : t('time.m', { m });
}

/**
 * A case's remaining or overdue time as every screen shows it: one computation (protocol's
 * timeLeft) in the clock the limit counts in, always labelled with that clock.
 */
export function deadlineView(
  t: TFunction,
  calendar: WorkingCalendar,
  now: number,
  c: { dueAt: number | null; warned: boolean; overdue: boolean; clock?: DeadlineClock | undefined },
): DeadlineView {
  if (c.dueAt === null) return { text: t('deadline.none'), clockLabel: '', tone: 'none', minutes: null, clock: null };
  const left = timeLeft({ dueAt: c.dueAt, clock: c.clock }, now, calendar);
  const clockLabel = t(`deadline.clock.${left.clock}`);
  const length = (m: number) => (left.clock === 'working' ? workingDuration(t, m) : duration(t, m * 60_000));
  const base = { clockLabel, minutes: left.minutes, clock: left.clock };
  if (left.overdue || c.overdue) {
    // Overdue after hours: no working minute has passed since it fell due, and "0 min over" reads as on time.
    const text =
      Math.abs(left.minutes) < 1
        ? t('deadline.overSince', { time: shortTime(c.dueAt) })
        : t('deadline.over', { time: length(left.minutes) });
    return { ...base, text, tone: 'over' };
  }
  return { ...base, text: t('deadline.left', { time: length(left.minutes) }), tone: c.warned ? 'warn' : 'ok' };
}
