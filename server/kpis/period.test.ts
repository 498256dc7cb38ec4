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
});
