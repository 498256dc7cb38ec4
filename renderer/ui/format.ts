import type { TFunction } from 'i18next';
import type { Area } from '../../protocol';
import { centerStore } from '../state/center';

const pad = (n: number): string => String(n).padStart(2, '0');

/** A moment as the center's local date and time (its zone from config), whatever the machine's zone. */
function centerDate(t: number): Date {
  return new Date(t + centerStore.getState().calendar.utcOffsetMinutes * 60_000);
}

export function clockTime(t: number): string {
  const d = centerDate(t);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

export function clockDate(t: number): string {
  const d = centerDate(t);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export function shortTime(t: number): string {
  const d = centerDate(t);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** Month-day and time: deadlines are days away at most. */
export function dayTime(t: number): string {
  const d = centerDate(t);
  return `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${shortTime(t)}`;
}

export function age(t: TFunction, ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 5) return t('time.justNow');
  if (s < 60) return t('time.secondsAgo', { n: s });
  const m = Math.floor(s / 60);
  if (m < 60) return t('time.minutesAgo', { n: m });
  const h = Math.floor(m / 60);
  if (h < 48) return t('time.hoursAgo', { n: h });
  return t('time.daysAgo', { n: Math.floor(h / 24) });
}

export function duration(t: TFunction, ms: number): string {
  const totalMin = Math.max(0, Math.floor(Math.abs(ms) / 60_000));
  const d = Math.floor(totalMin / 1440);
  const h = Math.floor((totalMin % 1440) / 60);
  const m = totalMin % 60;
  if (d > 0) return t('time.dhm', { d, h });
  if (h > 0) return t('time.hm', { h, m });
  return t('time.m', { m });
}

export function percent(rate: number | null | undefined, digits = 1): string {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(digits)}%`;
}

export function count(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : n.toLocaleString('zh-CN');
}

/** Phone and ID numbers in free text, masked again on screen (the server masks first). */
const PERSONAL = /(?<!\d)(?:\d{17}[\dXx]|(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}|0\d{2,3}-?\d{7,8})(?!\d)/g;
export function scrub(text: string): string {
  return text.replace(PERSONAL, '***');
}

/** Street · community · grid of a grid id: a grid's name alone ("第6网格") is not a place. */
export function placeOf(areas: ReadonlyMap<string, Area>, gridId: string | null): string {
  if (!gridId) return '';
  const grid = areas.get(gridId);
  const community = grid?.parentId ? areas.get(grid.parentId) : undefined;
  const street = community?.parentId ? areas.get(community.parentId) : undefined;
  return [street?.name, community?.name, grid?.name].filter(Boolean).join(' · ') || gridId;
}
