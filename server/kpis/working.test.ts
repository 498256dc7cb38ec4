import { describe, expect, it } from 'vitest';
import { WorkingCalendar, WorkingCalendarConfig } from '../../protocol/calendar';
import { Rng } from '../presets/random';
import { WorkingTime } from './working';

const config = WorkingCalendarConfig.parse({ holidays: ['2026-10-01', '2026-10-02'], extraWorkdays: ['2026-09-27'] });
const calendar = new WorkingCalendar(config);
const wt = new WorkingTime(calendar, config);
const at = (iso: string): number => Date.parse(`${iso}+08:00`);

describe('working time as a running total', () => {
  it('W(b) − W(a) equals the calendar’s working minutes for any two moments', () => {
    const rng = new Rng(42);
    const base = at('2026-09-20T00:00:00');
    for (let i = 0; i < 500; i++) {
      const a = base + Math.floor(rng.range(0, 30 * 86_400_000));
      const b = a + Math.floor(rng.range(0, 10 * 86_400_000));
      expect(wt.between(a, b)).toBeCloseTo(calendar.workingMinutesBetween(a, b), 6);
    }
  });

  it('counts a 调休 Sunday and skips a holiday', () => {
    expect(wt.between(at('2026-09-27T08:00:00'), at('2026-09-27T12:00:00'))).toBe(210);
    expect(wt.between(at('2026-09-30T17:00:00'), at('2026-10-05T09:00:00'))).toBe(90);
  });

  it('intra-day working ms clamp to the working intervals', () => {
    expect(wt.intraMs(at('2026-11-23T07:00:00'))).toBe(0);
    expect(wt.intraMs(at('2026-11-23T12:30:00'))).toBe(210 * 60_000);
    expect(wt.intraMs(at('2026-11-23T23:00:00'))).toBe(480 * 60_000);
  });
});
