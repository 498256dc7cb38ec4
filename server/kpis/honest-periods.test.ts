/**
 * Honest windows on a fake clock (issue 16), over longer periods: a month's start and months of
 * different lengths, rates over tiny denominators, and the rolling windows of the stream.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Case } from '../../protocol';
import { KpiSummary } from '../../protocol';
import { at, DAY, dueCase, dueCases, HOUR, kpiDatabase, TWO_GRIDS } from '../../test/fixtures/kpis';

const db = kpiDatabase(TWO_GRIDS, 'gridwall-kpi-honest-');

describe('month start and months of different lengths', () => {
  it('the 1st at 08:14 is compared with the previous month’s 1st until 08:14 and the same day a year before', async () => {
    db.now = at('2026-12-01T08:14:00');
    const kpis = await db.service();
    await db.insert([
      ...dueCases(30, (i) => ({ created: at('2026-12-01T07:00:00') + i * 60_000 })),
      ...dueCases(24, (i) => ({ created: at('2026-11-01T07:00:00') + i * 60_000 })),
      ...dueCases(500, (i) => ({ created: at('2026-11-01T09:00:00') + i * 60_000 })), // rest of November
      ...dueCases(20, (i) => ({ created: at('2025-12-01T08:00:00') + i * 10_000 })),
    ]);
    const f = await kpis.compute(null, kpis.named('month'));
    expect(f.period).toEqual({ from: at('2026-12-01T00:00:00'), to: at('2027-01-01T00:00:00') });
    expect(f.change.previous).toEqual({ from: at('2026-11-01T00:00:00'), to: at('2026-11-01T08:14:00') });
    expect(f.change.receivedPeriodOnPeriod).toBeCloseTo(30 / 24 - 1);
    expect(f.change.yearBefore).toEqual({ from: at('2025-12-01T00:00:00'), to: at('2025-12-01T08:14:00') });
    expect(f.change.receivedYearOnYear).toBeCloseTo(30 / 20 - 1);
  });

  it('the 31st of a 31-day month is compared with the whole 30-day month before; the 30th of a 30-day month with 30 days of a 31-day one', async () => {
    const kpis = await db.service();
    // 31 December 08:14: 30 days 8 h 14 min have run; November has 30 days: the whole of it.
    db.now = at('2026-12-31T08:14:00');
    await db.insert([
      ...dueCases(40, (i) => ({ created: at('2026-12-02T10:00:00') + i * HOUR })),
      ...dueCases(20, (i) => ({ created: at('2026-11-30T12:00:00') + i * 60_000 })), // November's last day
      ...dueCases(20, (i) => ({ created: at('2026-11-10T12:00:00') + i * 60_000 })),
    ]);
    const dec = await kpis.compute(null, kpis.named('month'));
    expect(dec.change.previous).toEqual({ from: at('2026-11-01T00:00:00'), to: at('2026-12-01T00:00:00') });
    expect(dec.change.previousReceived).toBe(40);
    expect(dec.change.receivedPeriodOnPeriod).toBeCloseTo(0);

    // 30 November 08:14 (a 30-day month): October's first 29 days 8 h 14 min, not its 31st.
    db.now = at('2026-11-30T08:14:00');
    await db.insert([
      ...dueCases(20, (i) => ({ created: at('2026-10-30T07:00:00') + i * 60_000 })), // within the span
      ...dueCases(25, (i) => ({ created: at('2026-10-30T09:00:00') + i * 60_000 })), // after it
      ...dueCases(25, (i) => ({ created: at('2026-10-31T09:00:00') + i * 60_000 })), // October 31st
    ]);
    const nov = await kpis.compute(null, kpis.named('month'));
    expect(nov.change.previous).toEqual({ from: at('2026-10-01T00:00:00'), to: at('2026-10-30T08:14:00') });
    expect(nov.change.previousReceived).toBe(20);
  });

  it('last month, a closed period, is compared with the whole month before it', async () => {
    db.now = at('2026-12-01T08:14:00');
    const kpis = await db.service();
    const f = await kpis.compute(null, kpis.named('lastMonth'));
    expect(f.period).toEqual({ from: at('2026-11-01T00:00:00'), to: at('2026-12-01T00:00:00') });
    expect(f.change.previous).toEqual({ from: at('2026-10-01T00:00:00'), to: at('2026-11-01T00:00:00') });
  });
});

describe('tiny denominators', () => {
  it('a rate under kpis.minSample is null and its count is given; at the sample it is a rate', async () => {
    db.now = at('2026-11-23T15:00:00');
    const kpis = await db.service({ minSample: 20 });
    await db.insert(
      dueCases(3, (i) => ({
        created: at('2026-11-20T09:00:00'),
        closeDue: at('2026-11-23T10:00:00'),
        closed: i < 2 ? at('2026-11-23T09:00:00') : null,
      })),
    );
    const few = await kpis.compute(null, kpis.named('today'));
    expect(few.minSample).toBe(20);
    expect(few.dueToClose).toBe(3);
    expect(few.closed).toBe(2);
    expect(few.closureRate).toBeNull();
    expect(few.onTimeClosureRate).toBeNull();
    expect(few.ranking.find((r) => r.areaId === 's1')).toMatchObject({ dueToClose: 3, closureRate: null });

    await db.insert(
      dueCases(17, () => ({
        created: at('2026-11-20T09:00:00'),
        closeDue: at('2026-11-23T10:00:00'),
        closed: at('2026-11-23T09:30:00'),
      })),
    );
    const enough = await kpis.compute(null, kpis.named('today'));
    expect(enough.dueToClose).toBe(20);
    expect(enough.closureRate).toBeCloseTo(19 / 20);
  });

  it('satisfaction carries its denominator (rated), and a change over too few earlier cases is null', async () => {
    db.now = at('2026-11-23T15:00:00');
    const kpis = await db.service({ minSample: 20 });
    const rated = (i: number): Case => {
      const c = dueCase({ created: at('2026-11-23T09:00:00'), closed: at('2026-11-23T10:00:00') });
      return { ...c, satisfaction: i % 2 ? 'satisfied' : 'unsatisfied' };
    };
    await db.insert([
      ...Array.from({ length: 4 }, (_, i) => rated(i)),
      ...dueCases(30, () => ({ created: at('2026-11-23T11:00:00') })),
      ...dueCases(5, () => ({ created: at('2026-11-22T11:00:00') })),
    ]);
    const f = await kpis.compute(null, kpis.named('today'));
    expect(f.rated).toBe(4);
    expect(f.satisfactionRate).toBeNull();
    expect(f.received).toBe(34);
    expect(f.change.previousReceived).toBe(5);
    expect(f.change.receivedPeriodOnPeriod).toBeNull();
  });
});

describe('rolling windows', () => {
  it('rolling7 and rolling30 are the last 7 × 24 h and 30 × 24 h ending now, compared with the same length before', async () => {
    db.now = at('2026-11-23T08:14:00');
    const kpis = await db.service({ minSample: 1 });
    expect(kpis.named('rolling7')).toEqual({ from: db.now - 7 * DAY, to: db.now });
    expect(kpis.named('rolling30')).toEqual({ from: db.now - 30 * DAY, to: db.now });
    await db.insert([
      ...dueCases(10, () => ({ created: at('2026-11-16T08:15:00') })), // inside 7 days, by one minute
      ...dueCases(3, () => ({ created: at('2026-11-16T08:13:00') })), // just outside
      ...dueCases(6, () => ({ created: at('2026-11-10T08:00:00') })),
      ...dueCases(8, () => ({ created: at('2026-10-20T08:00:00') })), // the 30 days before rolling30
    ]);
    const r7 = await kpis.compute(null, kpis.named('rolling7'), { moving: true });
    expect(r7.received).toBe(10);
    expect(r7.change.previous).toEqual({ from: db.now - 14 * DAY, to: db.now - 7 * DAY });
    expect(r7.change.previousReceived).toBe(9);
    const r30 = await kpis.compute(null, kpis.named('rolling30'), { moving: true });
    expect(r30.received).toBe(19);
    expect(r30.change.previousReceived).toBe(8);
  });

  it('the stream’s rolling summary has no breakdowns, ranks streets only and is recomputed at most once a minute', async () => {
    const kpis = await db.service();
    let real = 1_000_000;
    vi.spyOn(Date, 'now').mockImplementation(() => real);
    db.now = at('2026-11-23T08:14:00');
    await db.insert(
      dueCases(25, () => ({
        created: at('2026-11-10T09:00:00'),
        closeDue: at('2026-11-12T09:00:00'),
        closed: at('2026-11-11T09:00:00'),
      })),
    );
    const first = await kpis.rollingSummary();
    expect(KpiSummary.safeParse(first).success).toBe(true);
    expect(first).not.toHaveProperty('hourly');
    expect(first).not.toHaveProperty('bySource');
    expect(first.ranking.every((r) => r.level === 'street')).toBe(true);
    expect(first.closureRate).toBe(1);
    expect(first.period).toEqual({ from: db.now - 30 * DAY, to: db.now });
    expect(await kpis.latestRolling()).toBe(first);

    await db.insert(dueCases(5, () => ({ created: at('2026-11-22T09:00:00') })));
    real += 59_000;
    expect(await kpis.rollingSummary()).toBe(first);
    real += 2_000;
    const next = await kpis.rollingSummary();
    expect(next).not.toBe(first);
    expect(next.received).toBe(30);

    const push = await kpis.pushPayload();
    expect(push.rolling).toBe(next);
    expect(push.kpis.period).toEqual(kpis.named('today'));
  });
});
