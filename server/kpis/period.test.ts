import { describe, expect, it } from 'vitest';
import { Periods } from './period';

const at = (iso: string): number => Date.parse(`${iso}+08:00`);
const periods = new Periods(480);
/** Wednesday 2026-12-02, 00:30 in Beijing: still Tuesday in UTC. */
const NOW = at('2026-12-02T00:30:00');

describe('KPI periods in the calendar time zone (UTC+8)', () => {
  it('today, this week (Monday to Monday) and this month are local', () => {
    expect(periods.named('today', NOW)).toEqual({ from: at('2026-12-02T00:00:00'), to: at('2026-12-03T00:00:00') });
    expect(periods.named('week', NOW)).toEqual({ from: at('2026-11-30T00:00:00'), to: at('2026-12-07T00:00:00') });
    expect(periods.named('month', NOW)).toEqual({ from: at('2026-12-01T00:00:00'), to: at('2027-01-01T00:00:00') });
    expect(periods.named('week', at('2026-12-06T23:59:00')).from).toBe(at('2026-11-30T00:00:00'));
  });

  it('custom dates are whole local days, `to` included', () => {
    expect(periods.resolve({ from: '2026-11-01', to: '2026-11-30' }, NOW)).toEqual({
      from: at('2026-11-01T00:00:00'),
      to: at('2026-12-01T00:00:00'),
    });
    expect(periods.resolve({ from: '2026-11-01T08:00:00+08:00', to: String(at('2026-11-01T09:00:00')) }, NOW)).toEqual({
      from: at('2026-11-01T08:00:00'),
      to: at('2026-11-01T09:00:00'),
    });
    expect(periods.resolve({}, NOW)).toEqual(periods.named('today', NOW));
  });

  it('refuses what is not a period', () => {
    const bad = [
      { from: '2026-11-01' },
      { from: '2026-02-30', to: '2026-03-01' },
      { from: '2026-11-02', to: '2026-11-01' },
      { from: '2026-11-01T08:00:00', to: '2026-11-02' },
      { from: 'yesterday', to: 'today' },
      { from: '2024-01-01', to: '2026-01-01' },
      { period: 'today' as const, from: '2026-11-01', to: '2026-11-02' },
    ];
    for (const q of bad) expect(periods.resolve(q, NOW)).toHaveProperty('error');
  });

  it('year before and period before', () => {
    const p = { from: at('2026-11-23T00:00:00'), to: at('2026-11-30T00:00:00') };
    expect(periods.yearBefore(p)).toEqual({ from: at('2025-11-23T00:00:00'), to: at('2025-11-30T00:00:00') });
    expect(periods.previous(p)).toEqual({ from: at('2026-11-16T00:00:00'), to: p.from });
    expect(periods.yearBefore({ from: at('2028-02-29T00:00:00'), to: at('2028-03-01T00:00:00') }).from).toBe(
      at('2027-03-01T00:00:00'),
    );
  });

  it('closed and rolling named periods', () => {
    expect(periods.named('yesterday', NOW)).toEqual({ from: at('2026-12-01T00:00:00'), to: at('2026-12-02T00:00:00') });
    expect(periods.named('lastWeek', NOW)).toEqual({ from: at('2026-11-23T00:00:00'), to: at('2026-11-30T00:00:00') });
    expect(periods.named('lastMonth', NOW)).toEqual({ from: at('2026-11-01T00:00:00'), to: at('2026-12-01T00:00:00') });
    expect(periods.named('lastMonth', at('2027-01-15T10:00:00'))).toEqual({
      from: at('2026-12-01T00:00:00'),
      to: at('2027-01-01T00:00:00'),
    });
    expect(periods.named('rolling7', NOW)).toEqual({ from: NOW - 7 * 86_400_000, to: NOW });
    expect(periods.named('rolling30', NOW)).toEqual({ from: NOW - 30 * 86_400_000, to: NOW });
    expect(periods.resolve({ period: 'rolling30' }, NOW)).toEqual(periods.named('rolling30', NOW));
  });

  it('calendar months go back calendar months; other periods their own length', () => {
    const march = { from: at('2027-03-01T00:00:00'), to: at('2027-04-01T00:00:00') };
    expect(periods.previous(march)).toEqual({ from: at('2027-02-01T00:00:00'), to: march.from });
    const quarter = { from: at('2027-01-01T00:00:00'), to: at('2027-04-01T00:00:00') };
    expect(periods.previous(quarter)).toEqual({ from: at('2026-10-01T00:00:00'), to: quarter.from });
    const days = { from: at('2027-03-01T00:00:00'), to: at('2027-03-11T00:00:00') };
    expect(periods.previous(days)).toEqual({ from: at('2027-02-19T00:00:00'), to: days.from });
  });

  it('a running period is compared over the same elapsed span, capped at the earlier period', () => {
    const march = periods.named('month', at('2027-03-31T08:14:00'));
    // 30 days 8 h 14 min of March against all 28 days of February.
    expect(periods.compared(march, at('2027-03-31T08:14:00'))).toEqual({
      previous: { from: at('2027-02-01T00:00:00'), to: at('2027-03-01T00:00:00') },
      yearBefore: { from: at('2026-03-01T00:00:00'), to: at('2026-03-31T08:14:00') },
      whole: false,
    });
    // 1 March 08:14 against 1 February 08:14.
    expect(periods.compared(march, at('2027-03-01T08:14:00')).previous).toEqual({
      from: at('2027-02-01T00:00:00'),
      to: at('2027-02-01T08:14:00'),
    });
    // Whole minutes: at 08:14:37, yesterday until 08:14.
    const today = periods.named('today', at('2027-03-31T08:14:37'));
    expect(periods.compared(today, at('2027-03-31T08:14:37')).previous).toEqual({
      from: at('2027-03-30T00:00:00'),
      to: at('2027-03-30T08:14:00'),
    });
    // A closed period: the whole earlier one.
    expect(periods.compared(march, at('2027-04-02T00:00:00'))).toEqual({
      previous: { from: at('2027-02-01T00:00:00'), to: at('2027-03-01T00:00:00') },
      yearBefore: { from: at('2026-03-01T00:00:00'), to: at('2026-04-01T00:00:00') },
      whole: true,
    });
    // Before it starts: empty spans.
    expect(periods.compared(march, at('2027-02-20T00:00:00')).previous).toEqual({
      from: at('2027-02-01T00:00:00'),
      to: at('2027-02-01T00:00:00'),
    });
  });
});
