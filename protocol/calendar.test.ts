import { describe, expect, it } from 'vitest';
import { WorkingCalendar, WorkingCalendarConfig } from './calendar';

const cal = new WorkingCalendar(
  WorkingCalendarConfig.parse({ holidays: ['2026-10-01'], extraWorkdays: ['2026-09-27'] }),
);
/** A local (UTC+8) time as a timestamp. */
const local = (iso: string): number => Date.parse(`${iso}+08:00`);

describe('WorkingCalendar', () => {
  it('has 8 working hours a day by default', () => {
    expect(cal.minutesPerDay).toBe(480);
  });

  it('adds minutes inside a working interval', () => {
    expect(cal.addWorkingMinutes(local('2026-11-23T09:00:00'), 30)).toBe(local('2026-11-23T09:30:00'));
  });

  it('skips the lunch break', () => {
    expect(cal.addWorkingMinutes(local('2026-11-23T11:50:00'), 30)).toBe(local('2026-11-23T13:50:00'));
  });

  it('starts counting at the next opening when reported at night', () => {
    expect(cal.addWorkingMinutes(local('2026-11-23T22:00:00'), 10)).toBe(local('2026-11-24T08:40:00'));
  });

  it('skips weekends: Friday 17:30 plus one working hour is Monday 09:00', () => {
    expect(cal.addWorkingMinutes(local('2026-11-27T17:30:00'), 60)).toBe(local('2026-11-30T09:00:00'));
  });

  it('counts one working day as the same time on the next working day', () => {
    expect(cal.addWorkingMinutes(local('2026-11-23T10:00:00'), 480)).toBe(local('2026-11-24T10:00:00'));
  });

  it('counts 15 working days for illegal construction over three weekends', () => {
    expect(cal.addWorkingMinutes(local('2026-11-23T10:00:00'), 15 * 480)).toBe(local('2026-12-14T10:00:00'));
  });

  it('skips holidays and works on make-up days', () => {
    expect(cal.isWorkingDay(local('2026-10-01T00:00:00'))).toBe(false);
    expect(cal.isWorkingDay(local('2026-09-27T00:00:00'))).toBe(true);
    expect(cal.addWorkingMinutes(local('2026-09-30T17:30:00'), 60)).toBe(local('2026-10-02T09:00:00'));
  });

  it('measures working minutes between two moments, the inverse of adding', () => {
    const start = local('2026-11-20T16:00:00');
    for (const minutes of [1, 10, 30, 120, 480, 2000, 7200]) {
      expect(cal.workingMinutesBetween(start, cal.addWorkingMinutes(start, minutes))).toBeCloseTo(minutes, 6);
    }
    expect(cal.workingMinutesBetween(local('2026-11-23T12:00:00'), local('2026-11-23T13:30:00'))).toBe(0);
  });

  it('refuses a calendar without working hours', () => {
    expect(
      () => new WorkingCalendar(WorkingCalendarConfig.parse({ hours: [{ start: '09:00', end: '09:00' }] })),
    ).toThrow();
  });
});
