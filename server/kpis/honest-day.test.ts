/**
 * Honest windows on a fake clock (issue 16), over a day: what the wall showed at 08:14 on a Monday
 * (结案率 3.9 %, 环比 −95.6 %), at midnight and on a holiday, and what it must show instead.
 */
import { describe, expect, it } from 'vitest';
import { KpiFigures } from '../../protocol';
import { WorkingCalendar, WorkingCalendarConfig } from '../../protocol/calendar';
import { at, DAY, dueCases, HOUR, kpiDatabase, TWO_GRIDS } from '../../test/fixtures/kpis';

const db = kpiDatabase(TWO_GRIDS, 'gridwall-kpi-honest-');

describe('08:14 on a Monday', () => {
  // Monday 2026-11-23.
  const MONDAY = at('2026-11-23T00:00:00');

  it("today's closure rates count only the cases already due (not 3.9 % of today's intake)", async () => {
    db.now = at('2026-11-23T08:14:00');
    const kpis = await db.service();
    await db.insert([
      // 25 cases of last week fell due at 08:00 today: 20 closed in time, 2 late, 3 still open.
      ...dueCases(25, (i) => ({
        created: at('2026-11-20T10:00:00'),
        closeDue: at('2026-11-23T08:00:00'),
        closed: i < 20 ? at('2026-11-23T07:30:00') : i < 22 ? at('2026-11-23T08:10:00') : null,
      })),
      // 500 cases due later today (16:00), none closed yet: not due, so not in the denominator.
      ...dueCases(500, () => ({ created: at('2026-11-20T11:00:00'), closeDue: at('2026-11-23T16:00:00') })),
      // 4 due tomorrow, closed early this morning: they count where they closed.
      ...dueCases(4, () => ({
        created: at('2026-11-22T11:00:00'),
        closeDue: at('2026-11-24T16:00:00'),
        closed: at('2026-11-23T08:05:00'),
      })),
    ]);
    const f = await kpis.compute(null, kpis.named('today'));
    expect(f.dueToClose).toBe(29);
    expect(f.closed).toBe(26);
    expect(f.closureRate).toBeCloseTo(26 / 29);
    expect(f.onTimeClosureRate).toBeCloseTo(24 / 29);
    // The old definition would have said 26 / 529 = 4.9 %.
    expect(f.closureRate).toBeGreaterThan(0.5);
    expect(KpiFigures.safeParse(f).success).toBe(true);

    // At 17:00 the 16:00 cases have fallen due: they count now.
    db.now = at('2026-11-23T17:00:00');
    const evening = await kpis.compute(null, kpis.named('today'));
    expect(evening.dueToClose).toBe(529);
    expect(evening.closureRate).toBeCloseTo(26 / 529);
  });

  it('环比 compares today until 08:14 with yesterday until 08:14, and this week with last week until Monday 08:14', async () => {
    db.now = at('2026-11-23T08:14:00');
    const kpis = await db.service();
    await db.insert([
      ...dueCases(22, (i) => ({ created: at('2026-11-23T06:00:00') + i * 60_000 })), // today until 08:14
      ...dueCases(20, (i) => ({ created: at('2026-11-22T06:00:00') + i * 60_000 })), // yesterday until 08:14
      ...dueCases(400, (i) => ({ created: at('2026-11-22T09:00:00') + i * 60_000 })), // yesterday after 08:14
      ...dueCases(25, (i) => ({ created: at('2026-11-16T07:00:00') + i * 60_000 })), // last Monday until 08:14
      ...dueCases(40, (i) => ({ created: at('2025-11-23T05:00:00') + i * 60_000 })), // a year ago until 08:14
      ...dueCases(30, (i) => ({ created: at('2025-11-23T12:00:00') + i * 60_000 })), // a year ago, later
    ]);
    const today = await kpis.compute(null, kpis.named('today'));
    expect(today.received).toBe(22);
    expect(today.change.previous).toEqual({ from: MONDAY - DAY, to: at('2026-11-22T08:14:00') });
    expect(today.change.previousReceived).toBe(20);
    // +10 %, not 22 / 420 − 1 = −94.8 %.
    expect(today.change.receivedPeriodOnPeriod).toBeCloseTo(22 / 20 - 1);
    expect(today.change.yearBefore).toEqual({ from: at('2025-11-23T00:00:00'), to: at('2025-11-23T08:14:00') });
    expect(today.change.receivedYearOnYear).toBeCloseTo(22 / 40 - 1);

    const week = await kpis.compute(null, kpis.named('week'));
    expect(week.period).toEqual({ from: MONDAY, to: MONDAY + 7 * DAY });
    expect(week.change.previous).toEqual({ from: MONDAY - 7 * DAY, to: at('2026-11-16T08:14:00') });
    expect(week.change.receivedPeriodOnPeriod).toBeCloseTo(22 / 25 - 1);
  });

  it('the closure-rate difference compares the same elapsed spans', async () => {
    db.now = at('2026-11-23T08:14:00');
    const kpis = await db.service();
    await db.insert([
      // Today until 08:14: 20 due, 19 closed.
      ...dueCases(20, (i) => ({
        created: at('2026-11-20T09:00:00'),
        closeDue: at('2026-11-23T08:00:00'),
        closed: i < 19 ? at('2026-11-23T07:00:00') : null,
      })),
      // Yesterday until 08:14: 20 due, 17 closed by 08:14 (one more at 09:00 is after the span).
      ...dueCases(20, (i) => ({
        created: at('2026-11-19T09:00:00'),
        closeDue: at('2026-11-22T08:00:00'),
        closed: i < 17 ? at('2026-11-22T07:00:00') : i === 17 ? at('2026-11-22T09:00:00') : null,
      })),
      // Yesterday after 08:14: 100 due, none closed (the whole day would say 17/120).
      ...dueCases(100, () => ({ created: at('2026-11-19T09:00:00'), closeDue: at('2026-11-22T15:00:00') })),
    ]);
    const f = await kpis.compute(null, kpis.named('today'));
    expect(f.closureRate).toBeCloseTo(19 / 20);
    expect(f.change.previousDueToClose).toBe(20);
    expect(f.change.previousClosureRate).toBeCloseTo(17 / 20);
    expect(f.change.closureRatePeriodOnPeriod).toBeCloseTo(19 / 20 - 17 / 20);
  });

  it('yesterday, a closed period, is compared whole with the whole day before', async () => {
    db.now = at('2026-11-23T08:14:00');
    const kpis = await db.service();
    await db.insert([
      ...dueCases(30, (i) => ({ created: at('2026-11-22T01:00:00') + i * HOUR * 0.5 })),
      ...dueCases(24, (i) => ({ created: at('2026-11-21T00:30:00') + i * HOUR })),
    ]);
    const f = await kpis.compute(null, kpis.named('yesterday'));
    expect(f.period).toEqual({ from: MONDAY - DAY, to: MONDAY });
    expect(f.received).toBe(30);
    expect(f.change.previous).toEqual({ from: MONDAY - 2 * DAY, to: MONDAY - DAY });
    expect(f.change.receivedPeriodOnPeriod).toBeCloseTo(30 / 24 - 1);
  });
});

describe('midnight', () => {
  it("at 00:00 today's rates are null (nothing has fallen due yet), not 0", async () => {
    db.now = at('2026-11-24T00:00:00');
    const kpis = await db.service();
    await db.insert([
      // Due later today, open: the old figures said 0 % at midnight.
      ...dueCases(50, () => ({ created: at('2026-11-23T15:00:00'), closeDue: at('2026-11-24T11:00:00') })),
      // Yesterday's, all closed.
      ...dueCases(30, () => ({
        created: at('2026-11-23T09:00:00'),
        closeDue: at('2026-11-23T15:00:00'),
        closed: at('2026-11-23T14:00:00'),
      })),
    ]);
    const f = await kpis.compute(null, kpis.named('today'));
    expect(f.received).toBe(0);
    expect(f.dueToClose).toBe(0);
    for (const r of [f.filingRate, f.closureRate, f.onTimeClosureRate, f.disposalRate, f.satisfactionRate])
      expect(r).toBeNull();
    // No street ranks at 0.0 %: their rates are null, with the count that says why.
    for (const r of f.ranking) {
      expect(r.closureRate).toBeNull();
      expect(r.dueToClose).toBe(0);
    }
    expect(f.change.receivedPeriodOnPeriod).toBeNull();
    expect(f.change.previous).toEqual({ from: at('2026-11-23T00:00:00'), to: at('2026-11-23T00:00:00') });
    // The rolling window still has something to say.
    const rolling = await kpis.compute(null, kpis.named('rolling30'));
    expect(rolling.closureRate).toBeCloseTo(30 / 30);
    expect(rolling.pending).toBe(50);
  });

  it('at 02:00 the street ranking shows — with the count, not 0.0 % for every street', async () => {
    db.now = at('2026-11-24T02:00:00');
    const kpis = await db.service();
    await db.insert([
      ...dueCases(3, () => ({ grid: 'g1', created: at('2026-11-23T16:00:00'), closeDue: at('2026-11-24T01:00:00') })),
      ...dueCases(60, () => ({ grid: 'g2', created: at('2026-11-23T16:00:00'), closeDue: at('2026-11-24T10:00:00') })),
    ]);
    const f = await kpis.compute(null, kpis.named('today'));
    const s1 = f.ranking.find((r) => r.areaId === 's1');
    const s2 = f.ranking.find((r) => r.areaId === 's2');
    expect(s1).toMatchObject({ dueToClose: 3, closureRate: null, onTimeClosureRate: null });
    expect(s2).toMatchObject({ dueToClose: 0, closureRate: null });
  });
});

describe('a holiday', () => {
  it('nothing falls due on a holiday (working-time limits): only the early closures count, and below the sample the rate is null', async () => {
    // Thursday 2026-10-01, National Day.
    const kpis = await db.service({ holidays: ['2026-10-01', '2026-10-02'] });
    const calendar = new WorkingCalendar(WorkingCalendarConfig.parse({ holidays: ['2026-10-01', '2026-10-02'] }));
    db.now = at('2026-10-01T10:00:00');
    const reported = at('2026-10-01T08:30:00');
    const due = calendar.addWorkingMinutes(reported, 300);
    // The limit runs from the next working day, Monday 5 October: 08:30–12:00, then 90 minutes.
    expect(due).toBe(at('2026-10-05T15:00:00'));
    await db.insert([
      ...dueCases(40, () => ({ created: reported, closeDue: due })),
      ...dueCases(5, () => ({ created: reported, closeDue: due, closed: at('2026-10-01T09:30:00') })),
    ]);
    const f = await kpis.compute(null, kpis.named('today'));
    expect(f.received).toBe(45);
    expect(f.filingRate).toBe(1);
    expect(f.dueToClose).toBe(5);
    expect(f.closed).toBe(5);
    expect(f.closureRate).toBeNull();
    // The whole holiday's day is over 5 cases as well: still too few for a rate.
    db.now = at('2026-10-02T00:00:00');
    const y = await kpis.compute(null, kpis.named('yesterday'));
    expect(y.dueToClose).toBe(5);
    expect(y.closureRate).toBeNull();
    expect(y.pending).toBe(40);
  });
});
