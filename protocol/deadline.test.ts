import { describe, expect, it } from 'vitest';
import { WorkingCalendar, WorkingCalendarConfig } from './calendar';
import { addClockMinutes, clockFor, timeLeft } from './deadline';

const calendar = new WorkingCalendar(WorkingCalendarConfig.parse({ holidays: ['2026-10-01'] }));
/** Local (UTC+8) wall-clock time as a timestamp. */
const at = (iso: string): number => Date.parse(`${iso}+08:00`);

describe('the clock a limit counts in', () => {
  it('counts calendar time for urgent and sensor cases, working time otherwise', () => {
    expect(clockFor({ priority: 'urgent', source: 'hotline' })).toBe('calendar');
    expect(clockFor({ priority: 'normal', source: 'sensor' })).toBe('calendar');
    expect(clockFor({ priority: 'normal', source: 'grid_worker' })).toBe('working');
  });

  it('lets a category put its ordinary cases on calendar time', () => {
    expect(clockFor({ priority: 'normal', source: 'hotline' }, { deadlineClock: 'calendar' })).toBe('calendar');
    expect(clockFor({ priority: 'urgent', source: 'hotline' }, { deadlineClock: 'working' })).toBe('calendar');
  });
});

describe('one remaining or overdue time', () => {
  it('gives a smoke alarm raised in the evening its calendar minutes the next morning', () => {
    const raised = at('2026-12-07T22:00:00');
    const dueAt = addClockMinutes(calendar, 'calendar', raised, 60);
    expect(dueAt).toBe(at('2026-12-07T23:00:00'));
    const next = timeLeft({ dueAt, clock: 'calendar' }, at('2026-12-08T08:00:00'), calendar);
    expect(next).toEqual({ minutes: -540, overdue: true, clock: 'calendar' });
  });

  it('counts only working minutes for an ordinary stage, across the lunch break and the night', () => {
    const dueAt = addClockMinutes(calendar, 'working', at('2026-12-07T11:30:00'), 60);
    expect(dueAt).toBe(at('2026-12-07T14:00:00'));
    expect(timeLeft({ dueAt, clock: 'working' }, at('2026-12-07T11:30:00'), calendar).minutes).toBe(60);
    // 18:00 Monday to 09:00 Tuesday: 4 working hours after 14:00 plus 30 minutes on Tuesday.
    const late = timeLeft({ dueAt, clock: 'working' }, at('2026-12-08T09:00:00'), calendar);
    expect(late).toEqual({ minutes: -(240 + 30), overdue: true, clock: 'working' });
  });

  it('skips a holiday in working time but not in calendar time', () => {
    const start = at('2026-09-30T17:00:00');
    expect(addClockMinutes(calendar, 'working', start, 120)).toBe(at('2026-10-02T09:30:00'));
    expect(addClockMinutes(calendar, 'calendar', start, 120)).toBe(at('2026-09-30T19:00:00'));
  });

  it('is due, not overdue by zero, at the exact due moment, and reads deadlines stored without a clock as working time', () => {
    const dueAt = at('2026-12-07T10:00:00');
    expect(timeLeft({ dueAt }, dueAt, calendar)).toEqual({ minutes: 0, overdue: true, clock: 'working' });
    expect(timeLeft({ dueAt }, at('2026-12-07T09:00:00'), calendar)).toEqual({
      minutes: 60,
      overdue: false,
      clock: 'working',
    });
  });
});
