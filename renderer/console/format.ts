import type { TFunction } from 'i18next';
import type { Area, Category } from '../../protocol';
import { type WorkingCalendar, workingMinutesLeft } from '../../protocol/calendar';

/** Working time as hours and minutes: a working day is 7.5 h, so "days" would mislead. */
export function workingDuration(t: TFunction, minutes: number): string {
  const total = Math.max(0, Math.round(Math.abs(minutes)));
  const h = Math.floor(total / 60);
  const m = total % 60;
  return h > 0 ? t('time.hm', { h, m }) : t('time.m', { m });
}

export interface Countdown {
  text: string;
  /** 'over' past the deadline, 'warn' past the warning mark, 'ok' otherwise, 'none' without a limit. */
  tone: 'over' | 'warn' | 'ok' | 'none';
  minutes: number | null;
}

export function countdown(
  t: TFunction,
  calendar: WorkingCalendar,
  now: number,
  c: { dueAt: number | null; warned: boolean; overdue: boolean },
): Countdown {
  if (c.dueAt === null) return { text: t('console.deadline.none'), tone: 'none', minutes: null };
  const minutes = workingMinutesLeft(calendar, now, c.dueAt);
  const over = minutes < 0 || (minutes === 0 && now >= c.dueAt) || c.overdue;
  if (over) {
    return { text: t('console.deadline.over', { time: workingDuration(t, minutes) }), tone: 'over', minutes };
  }
  return {
    text: t('console.deadline.left', { time: workingDuration(t, minutes) }),
    tone: c.warned ? 'warn' : 'ok',
    minutes,
  };
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** Month-day and time, local: deadlines are days away at most. */
export function dayTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function categoryName(categories: ReadonlyMap<string, Category>, code: string, en: boolean): string {
  const c = categories.get(code);
  return c ? (en ? c.nameEn || c.name : c.name) : code;
}

/** Street / community / grid of a grid id. */
export function placeOf(areas: ReadonlyMap<string, Area>, gridId: string): string {
  const grid = areas.get(gridId);
  const community = grid?.parentId ? areas.get(grid.parentId) : undefined;
  const street = community?.parentId ? areas.get(community.parentId) : undefined;
  return [street?.name, community?.name, grid?.name].filter(Boolean).join(' / ') || gridId;
}
