import { describe, expect, it } from 'vitest';
import { benchKpis } from './bench';

describe('KPI bench hook', () => {
  it('generates a month of rows and times the root query over it', async () => {
    const r = await benchKpis({ preset: 'small', casesPerDay: 200, days: 5, runs: 1 });
    expect(r.rows).toBeGreaterThan(800);
    expect(r.monthRoot.received).toBe(r.rows);
    expect(r.monthRoot.filingRate).toBeGreaterThan(0.9);
    expect(r.monthRoot.closureRate).toBeGreaterThan(0.5);
    for (const ms of [r.monthRootMs, r.todayRootMs, r.monthStreetMs, r.monthCommunityMs])
      expect(ms).toBeGreaterThanOrEqual(0);
  });
});
