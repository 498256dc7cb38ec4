import { describe, expect, it } from 'vitest';
import { WorkingCalendar, WorkingCalendarConfig } from '../../protocol/calendar';
import { centerStore } from '../state/center';
import { deadlineView } from './deadline';
import { clockTime, dayTime } from './format';

const calendar = new WorkingCalendar(WorkingCalendarConfig.parse({}));
/** Keys and values as text, so a test reads what the screen would say. */
const t = ((key: string, v?: Record<string, unknown>) =>
  v ? `${key}(${Object.values(v).join(',')})` : key) as unknown as Parameters<typeof deadlineView>[0];
const at = (iso: string): number => Date.parse(`${iso}+08:00`);

describe('a deadline on every screen', () => {
  it('labels a calendar-time limit and counts the night for an urgent alarm', () => {
    const v = deadlineView(t, calendar, at('2026-12-08T08:00:00'), {
      dueAt: at('2026-12-07T23:00:00'),
      clock: 'calendar',
      warned: true,
      overdue: true,
    });
    expect(v).toMatchObject({ tone: 'over', minutes: -540, clock: 'calendar', clockLabel: 'deadline.clock.calendar' });
    expect(v.text).toBe('deadline.over(time.hm(9,0))');
  });

  it('counts only working minutes for an ordinary stage and says so', () => {
    const v = deadlineView(t, calendar, at('2026-12-07T11:30:00'), {
      dueAt: at('2026-12-07T14:00:00'),
      warned: false,
      overdue: false,
    });
    expect(v).toMatchObject({ tone: 'ok', minutes: 60, clock: 'working', clockLabel: 'deadline.clock.working' });
    expect(v.text).toBe('deadline.left(time.hm(1,0))');
  });

  it('says when a working-time case fell due instead of "0 min over" after hours', () => {
    const v = deadlineView(t, calendar, at('2026-12-07T20:00:00'), {
      dueAt: at('2026-12-07T18:00:00'),
      warned: true,
      overdue: true,
    });
    expect(v.tone).toBe('over');
    expect(v.text).toBe('deadline.overSince(18:00)');
  });

  it('has no clock without a limit', () => {
    expect(deadlineView(t, calendar, 0, { dueAt: null, warned: false, overdue: false })).toMatchObject({
      tone: 'none',
      clockLabel: '',
      minutes: null,
    });
  });
});

describe('the center’s time zone', () => {
  it('shows clocks in the center’s zone from its calendar, whatever the machine’s zone', () => {
    const moment = Date.UTC(2026, 11, 7, 0, 14, 5);
    expect(clockTime(moment)).toBe('08:14:05');
    expect(dayTime(moment)).toBe('12-07 08:14');
    const before = centerStore.getState().calendar;
    centerStore.setState({ calendar: new WorkingCalendar(WorkingCalendarConfig.parse({ utcOffsetMinutes: 0 })) });
    try {
      expect(clockTime(moment)).toBe('00:14:05');
    } finally {
      centerStore.setState({ calendar: before });
    }
  });
});
