/** The KPI breakdowns on hand-built cases: by source, category, child area and hour; the ranking; 环比 and 同比. */
import { describe, expect, it } from 'vitest';
import { at, handBuiltKpis, handCase } from '../../test/fixtures/kpis';

const { db, figures } = handBuiltKpis();

describe('breakdowns, ranking and change on hand-built cases', () => {
  it('counts by source, category and child area; hourly received and closed', async () => {
    await db.insert(
      handCase({ grid: 'g1', over: { source: 'grid_worker', category: 'dirty_road' } }),
      handCase({ grid: 'g2', over: { source: 'hotline', category: 'dirty_road' } }),
      handCase({
        grid: 'g3',
        over: { source: 'hotline', category: 'exposed_garbage' },
        created: at('2026-11-23T10:30:00'),
      }),
      handCase({
        grid: 'g4',
        over: { source: 'open311', category: 'exposed_garbage' },
        closed: at('2026-11-23T10:45:00'),
      }),
    );
    const f = await figures();
    expect(f.bySource).toEqual({ grid_worker: 1, hotline: 2, open311: 1 });
    expect(f.byCategory).toEqual({ dirty_road: 2, exposed_garbage: 2 });
    expect(f.byArea).toEqual({ s1: 3, s2: 1 });
    expect(f.hourly).toHaveLength(24);
    expect(f.hourly[9]).toEqual({ hour: at('2026-11-23T09:00:00'), received: 3, closed: 0 });
    expect(f.hourly[10]).toEqual({ hour: at('2026-11-23T10:00:00'), received: 1, closed: 1 });

    const c1 = await figures('c1');
    expect(c1.areaId).toBe('c1');
    expect(c1.received).toBe(2);
    expect(c1.byArea).toEqual({ g1: 1, g2: 1 });
    expect(c1.bySource).toEqual({ grid_worker: 1, hotline: 1 });
    const g4 = await figures('g4');
    expect(g4.received).toBe(1);
    expect(g4.byArea).toEqual({ g4: 1 });
  });

  it('hourly covers only up to now, and at most the last 48 hours of a long period', async () => {
    db.now = at('2026-11-23T13:20:00');
    expect((await figures()).hourly).toHaveLength(14);
    db.now = at('2026-12-10T00:00:00');
    const month = await figures(null, { from: at('2026-11-01T00:00:00'), to: at('2026-12-01T00:00:00') });
    expect(month.hourly).toHaveLength(48);
    expect(month.hourly[0]?.hour).toBe(at('2026-11-29T00:00:00'));
  });

  it('ranks streets and communities by closure rate, then on-time closure, then received', async () => {
    const due = at('2026-11-23T16:00:00');
    await db.insert(
      handCase({ grid: 'g1', closeDue: due, closed: at('2026-11-23T15:00:00') }),
      handCase({ grid: 'g2', closeDue: due, status: 'dispatched' }),
      handCase({ grid: 'g3', closeDue: due, closed: at('2026-11-23T17:00:00') }),
      handCase({ grid: 'g4', closeDue: due, closed: at('2026-11-23T12:00:00') }),
      handCase({ grid: 'g4' }),
    );
    const f = await figures();
    expect(f.ranking.map((r) => r.areaId)).toEqual(['s2', 's1', 'c3', 'c2', 'c1']);
    expect(f.ranking[0]).toMatchObject({ level: 'street', name: '黄河东路街道', received: 2, closureRate: 1 });
    expect(f.ranking[1]).toMatchObject({ received: 3, closureRate: 2 / 3, onTimeClosureRate: 1 / 3 });
    expect(f.ranking[3]).toMatchObject({ areaId: 'c2', closureRate: 1, onTimeClosureRate: 0 });
    const s1 = await figures('s1');
    expect(s1.ranking.map((r) => r.areaId)).toEqual(['c2', 'c1']);
  });

  it('period-on-period and year-on-year change', async () => {
    const due = at('2026-11-23T16:00:00');
    await db.insert(
      handCase({ closeDue: due, closed: at('2026-11-23T10:00:00') }),
      handCase({ closeDue: due, closed: at('2026-11-23T11:00:00') }),
      handCase({ closeDue: due, status: 'dispatched' }),
      handCase({ created: at('2026-11-23T20:00:00') }),
      // The day before: 2 received, 1 of 2 due closed.
      handCase({
        created: at('2026-11-22T10:00:00'),
        closeDue: at('2026-11-22T16:00:00'),
        closed: at('2026-11-22T11:00:00'),
      }),
      handCase({ created: at('2026-11-22T10:00:00'), closeDue: at('2026-11-22T16:00:00'), status: 'dispatched' }),
      // A year before: 5 received.
      ...Array.from({ length: 5 }, () => handCase({ created: at('2025-11-23T10:00:00') })),
    );
    const f = await figures();
    expect(f.received).toBe(4);
    expect(f.change.receivedPeriodOnPeriod).toBeCloseTo(4 / 2 - 1);
    expect(f.change.receivedYearOnYear).toBeCloseTo(4 / 5 - 1);
    expect(f.change.closureRatePeriodOnPeriod).toBeCloseTo(2 / 3 - 1 / 2);
  });
});
