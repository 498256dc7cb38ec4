/**
 * Honest windows on a fake clock (issue 16): what the wall showed at 08:14 on a Monday (结案率 3.9 %,
 * 环比 −95.6 %), at midnight, on a holiday and at a month's start, and what it must show instead.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Area, Case, CaseStatus } from '../../protocol';
import { KpiFigures, KpiSummary } from '../../protocol';
import { WorkingCalendar, WorkingCalendarConfig } from '../../protocol/calendar';
import { makeCase } from '../../test/fixtures/server';
import { Storage } from '../storage/store';
import { KpiService } from './compute';

/** A local (UTC+8) time. */
const at = (iso: string): number => Date.parse(`${iso}+08:00`);
const HOUR = 3_600_000;
const DAY = 86_400_000;

const square: Area['polygon'] = [
  [
    [0, 0],
    [1, 0],
    [1, 1],
    [0, 1],
    [0, 0],
  ],
];
const area = (id: string, level: Area['level'], parentId: string | null): Area => ({
  id,
  code: id,
  name: id,
  level,
  parentId,
  polygon: square,
  center: [0.5, 0.5],
});
/** district d → streets s1, s2 → communities c1 (s1), c2 (s2) → grids g1 (c1), g2 (c2). */
const AREAS: Area[] = [
  area('d', 'district', null),
  area('s1', 'street', 'd'),
  area('s2', 'street', 'd'),
  area('c1', 'community', 's1'),
  area('c2', 'community', 's2'),
  area('g1', 'grid', 'c1'),
  area('g2', 'grid', 'c2'),
];

let dir: string | null = null;
let storage: Storage;
let now: number;
let seq = 0;
let counter = 0;

/**
 * A KPI service over a fresh database. Not `init()`: that computes today's figures at once, and the
 * earlier spans it reads are kept for minutes (they lie in the past and do not change, except in a
 * test that inserts the past afterwards).
 */
async function service(options: { minSample?: number; holidays?: string[] } = {}): Promise<KpiService> {
  dir = mkdtempSync(join(tmpdir(), 'gridwall-kpi-honest-'));
  storage = await Storage.openSqlite(dir);
  const config = WorkingCalendarConfig.parse({ holidays: options.holidays ?? [] });
  const kpis = new KpiService({
    db: storage.db,
    areas: () => ({ version: 1, areas: AREAS }),
    calendar: new WorkingCalendar(config),
    calendarConfig: config,
    now: () => now,
    seq: () => seq,
    minSample: options.minSample,
  });
  await kpis.queries.ensureIndexes();
  return kpis;
}
afterEach(async () => {
  vi.restoreAllMocks();
  if (!dir) return;
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
  dir = null;
});

interface Spec {
  created: number;
  closeDue?: number | null;
  closed?: number | null;
  grid?: string;
  status?: CaseStatus;
}
function kase(s: Spec): Case {
  counter += 1;
  return makeCase(s.status ?? (s.closed ? 'closed' : 'dispatched'), {
    id: `h${counter}`,
    code: `H-${counter}`,
    gridId: s.grid ?? 'g1',
    createdAt: s.created,
    updatedAt: s.closed ?? s.created,
    milestones: {
      filedAt: s.created + 60_000,
      dispatchedAt: s.closeDue ? s.created + 120_000 : null,
      handledAt: null,
      closedAt: s.closed ?? null,
      closeDueAt: s.closeDue ?? null,
    },
    deadline: null,
  });
}
/** `n` cases made by `make(i)`. */
const many = (n: number, make: (i: number) => Spec): Case[] => Array.from({ length: n }, (_, i) => kase(make(i)));
async function insert(cases: Case[]): Promise<void> {
  seq += 1;
  await storage.commit({
    cases: cases.map((c) => ({ case: c, json: JSON.stringify(c) })),
    events: [],
    applied: [],
    audit: [],
    alerts: [],
    meta: [],
  });
}

describe('08:14 on a Monday', () => {
  // Monday 2026-11-23.
  const MONDAY = at('2026-11-23T00:00:00');

  it("today's closure rates count only the cases already due (not 3.9 % of today's intake)", async () => {
    now = at('2026-11-23T08:14:00');
    const kpis = await service();
    await insert([
      // 25 cases of last week fell due at 08:00 today: 20 closed in time, 2 late, 3 still open.
      ...many(25, (i) => ({
        created: at('2026-11-20T10:00:00'),
        closeDue: at('2026-11-23T08:00:00'),
        closed: i < 20 ? at('2026-11-23T07:30:00') : i < 22 ? at('2026-11-23T08:10:00') : null,
      })),
      // 500 cases due later today (16:00), none closed yet: not due, so not in the denominator.
      ...many(500, () => ({ created: at('2026-11-20T11:00:00'), closeDue: at('2026-11-23T16:00:00') })),
      // 4 due tomorrow, closed early this morning: they count where they closed.
      ...many(4, () => ({
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
    now = at('2026-11-23T17:00:00');
    const evening = await kpis.compute(null, kpis.named('today'));
    expect(evening.dueToClose).toBe(529);
    expect(evening.closureRate).toBeCloseTo(26 / 529);
  });

  it('环比 compares today until 08:14 with yesterday until 08:14, and this week with last week until Monday 08:14', async () => {
    now = at('2026-11-23T08:14:00');
    const kpis = await service();
    await insert([
      ...many(22, (i) => ({ created: at('2026-11-23T06:00:00') + i * 60_000 })), // today until 08:14
      ...many(20, (i) => ({ created: at('2026-11-22T06:00:00') + i * 60_000 })), // yesterday until 08:14
      ...many(400, (i) => ({ created: at('2026-11-22T09:00:00') + i * 60_000 })), // yesterday after 08:14
      ...many(25, (i) => ({ created: at('2026-11-16T07:00:00') + i * 60_000 })), // last Monday until 08:14
      ...many(40, (i) => ({ created: at('2025-11-23T05:00:00') + i * 60_000 })), // a year ago until 08:14
      ...many(30, (i) => ({ created: at('2025-11-23T12:00:00') + i * 60_000 })), // a year ago, later
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
    now = at('2026-11-23T08:14:00');
    const kpis = await service();
    await insert([
      // Today until 08:14: 20 due, 19 closed.
      ...many(20, (i) => ({
        created: at('2026-11-20T09:00:00'),
        closeDue: at('2026-11-23T08:00:00'),
        closed: i < 19 ? at('2026-11-23T07:00:00') : null,
      })),
      // Yesterday until 08:14: 20 due, 17 closed by 08:14 (one more at 09:00 is after the span).
      ...many(20, (i) => ({
        created: at('2026-11-19T09:00:00'),
        closeDue: at('2026-11-22T08:00:00'),
        closed: i < 17 ? at('2026-11-22T07:00:00') : i === 17 ? at('2026-11-22T09:00:00') : null,
      })),
      // Yesterday after 08:14: 100 due, none closed (the whole day would say 17/120).
      ...many(100, () => ({ created: at('2026-11-19T09:00:00'), closeDue: at('2026-11-22T15:00:00') })),
    ]);
    const f = await kpis.compute(null, kpis.named('today'));
    expect(f.closureRate).toBeCloseTo(19 / 20);
    expect(f.change.previousDueToClose).toBe(20);
    expect(f.change.previousClosureRate).toBeCloseTo(17 / 20);
    expect(f.change.closureRatePeriodOnPeriod).toBeCloseTo(19 / 20 - 17 / 20);
  });

  it('yesterday, a closed period, is compared whole with the whole day before', async () => {
    now = at('2026-11-23T08:14:00');
    const kpis = await service();
    await insert([
      ...many(30, (i) => ({ created: at('2026-11-22T01:00:00') + i * HOUR * 0.5 })),
      ...many(24, (i) => ({ created: at('2026-11-21T00:30:00') + i * HOUR })),
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
    now = at('2026-11-24T00:00:00');
    const kpis = await service();
    await insert([
      // Due later today, open: the old figures said 0 % at midnight.
      ...many(50, () => ({ created: at('2026-11-23T15:00:00'), closeDue: at('2026-11-24T11:00:00') })),
      // Yesterday's, all closed.
      ...many(30, () => ({
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
    now = at('2026-11-24T02:00:00');
    const kpis = await service();
    await insert([
      ...many(3, () => ({ grid: 'g1', created: at('2026-11-23T16:00:00'), closeDue: at('2026-11-24T01:00:00') })),
      ...many(60, () => ({ grid: 'g2', created: at('2026-11-23T16:00:00'), closeDue: at('2026-11-24T10:00:00') })),
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
    const kpis = await service({ holidays: ['2026-10-01', '2026-10-02'] });
    const calendar = new WorkingCalendar(WorkingCalendarConfig.parse({ holidays: ['2026-10-01', '2026-10-02'] }));
    now = at('2026-10-01T10:00:00');
    const reported = at('2026-10-01T08:30:00');
    const due = calendar.addWorkingMinutes(reported, 300);
    // The limit runs from the next working day, Monday 5 October: 08:30–12:00, then 90 minutes.
    expect(due).toBe(at('2026-10-05T15:00:00'));
    await insert([
      ...many(40, () => ({ created: reported, closeDue: due })),
      ...many(5, () => ({ created: reported, closeDue: due, closed: at('2026-10-01T09:30:00') })),
    ]);
    const f = await kpis.compute(null, kpis.named('today'));
    expect(f.received).toBe(45);
    expect(f.filingRate).toBe(1);
    expect(f.dueToClose).toBe(5);
    expect(f.closed).toBe(5);
    expect(f.closureRate).toBeNull();
    // The whole holiday's day is over 5 cases as well: still too few for a rate.
    now = at('2026-10-02T00:00:00');
    const y = await kpis.compute(null, kpis.named('yesterday'));
    expect(y.dueToClose).toBe(5);
    expect(y.closureRate).toBeNull();
    expect(y.pending).toBe(40);
  });
});

describe('month start and months of different lengths', () => {
  it('the 1st at 08:14 is compared with the previous month’s 1st until 08:14 and the same day a year before', async () => {
    now = at('2026-12-01T08:14:00');
    const kpis = await service();
    await insert([
      ...many(30, (i) => ({ created: at('2026-12-01T07:00:00') + i * 60_000 })),
      ...many(24, (i) => ({ created: at('2026-11-01T07:00:00') + i * 60_000 })),
      ...many(500, (i) => ({ created: at('2026-11-01T09:00:00') + i * 60_000 })), // rest of November
      ...many(20, (i) => ({ created: at('2025-12-01T08:00:00') + i * 10_000 })),
    ]);
    const f = await kpis.compute(null, kpis.named('month'));
    expect(f.period).toEqual({ from: at('2026-12-01T00:00:00'), to: at('2027-01-01T00:00:00') });
    expect(f.change.previous).toEqual({ from: at('2026-11-01T00:00:00'), to: at('2026-11-01T08:14:00') });
    expect(f.change.receivedPeriodOnPeriod).toBeCloseTo(30 / 24 - 1);
    expect(f.change.yearBefore).toEqual({ from: at('2025-12-01T00:00:00'), to: at('2025-12-01T08:14:00') });
    expect(f.change.receivedYearOnYear).toBeCloseTo(30 / 20 - 1);
  });

  it('the 31st of a 31-day month is compared with the whole 30-day month before; the 30th of a 30-day month with 30 days of a 31-day one', async () => {
    const kpis = await service();
    // 31 December 08:14: 30 days 8 h 14 min have run; November has 30 days: the whole of it.
    now = at('2026-12-31T08:14:00');
    await insert([
      ...many(40, (i) => ({ created: at('2026-12-02T10:00:00') + i * HOUR })),
      ...many(20, (i) => ({ created: at('2026-11-30T12:00:00') + i * 60_000 })), // November's last day
      ...many(20, (i) => ({ created: at('2026-11-10T12:00:00') + i * 60_000 })),
    ]);
    const dec = await kpis.compute(null, kpis.named('month'));
    expect(dec.change.previous).toEqual({ from: at('2026-11-01T00:00:00'), to: at('2026-12-01T00:00:00') });
    expect(dec.change.previousReceived).toBe(40);
    expect(dec.change.receivedPeriodOnPeriod).toBeCloseTo(0);

    // 30 November 08:14 (a 30-day month): October's first 29 days 8 h 14 min, not its 31st.
    now = at('2026-11-30T08:14:00');
    await insert([
      ...many(20, (i) => ({ created: at('2026-10-30T07:00:00') + i * 60_000 })), // within the span
      ...many(25, (i) => ({ created: at('2026-10-30T09:00:00') + i * 60_000 })), // after it
      ...many(25, (i) => ({ created: at('2026-10-31T09:00:00') + i * 60_000 })), // October 31st
    ]);
    const nov = await kpis.compute(null, kpis.named('month'));
    expect(nov.change.previous).toEqual({ from: at('2026-10-01T00:00:00'), to: at('2026-10-30T08:14:00') });
    expect(nov.change.previousReceived).toBe(20);
  });

  it('last month, a closed period, is compared with the whole month before it', async () => {
    now = at('2026-12-01T08:14:00');
    const kpis = await service();
    const f = await kpis.compute(null, kpis.named('lastMonth'));
    expect(f.period).toEqual({ from: at('2026-11-01T00:00:00'), to: at('2026-12-01T00:00:00') });
    expect(f.change.previous).toEqual({ from: at('2026-10-01T00:00:00'), to: at('2026-11-01T00:00:00') });
  });
});

describe('tiny denominators', () => {
  it('a rate under kpis.minSample is null and its count is given; at the sample it is a rate', async () => {
    now = at('2026-11-23T15:00:00');
    const kpis = await service({ minSample: 20 });
    await insert(
      many(3, (i) => ({
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

    await insert(
      many(17, () => ({
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
    now = at('2026-11-23T15:00:00');
    const kpis = await service({ minSample: 20 });
    const rated = (i: number): Case => {
      const c = kase({ created: at('2026-11-23T09:00:00'), closed: at('2026-11-23T10:00:00') });
      return { ...c, satisfaction: i % 2 ? 'satisfied' : 'unsatisfied' };
    };
    await insert([
      ...Array.from({ length: 4 }, (_, i) => rated(i)),
      ...many(30, () => ({ created: at('2026-11-23T11:00:00') })),
      ...many(5, () => ({ created: at('2026-11-22T11:00:00') })),
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
    now = at('2026-11-23T08:14:00');
    const kpis = await service({ minSample: 1 });
    expect(kpis.named('rolling7')).toEqual({ from: now - 7 * DAY, to: now });
    expect(kpis.named('rolling30')).toEqual({ from: now - 30 * DAY, to: now });
    await insert([
      ...many(10, () => ({ created: at('2026-11-16T08:15:00') })), // inside 7 days, by one minute
      ...many(3, () => ({ created: at('2026-11-16T08:13:00') })), // just outside
      ...many(6, () => ({ created: at('2026-11-10T08:00:00') })),
      ...many(8, () => ({ created: at('2026-10-20T08:00:00') })), // the 30 days before rolling30
    ]);
    const r7 = await kpis.compute(null, kpis.named('rolling7'), { moving: true });
    expect(r7.received).toBe(10);
    expect(r7.change.previous).toEqual({ from: now - 14 * DAY, to: now - 7 * DAY });
    expect(r7.change.previousReceived).toBe(9);
    const r30 = await kpis.compute(null, kpis.named('rolling30'), { moving: true });
    expect(r30.received).toBe(19);
    expect(r30.change.previousReceived).toBe(8);
  });

  it('the stream’s rolling summary has no breakdowns, ranks streets only and is recomputed at most once a minute', async () => {
    const kpis = await service();
    let real = 1_000_000;
    vi.spyOn(Date, 'now').mockImplementation(() => real);
    now = at('2026-11-23T08:14:00');
    await insert(
      many(25, () => ({
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
    expect(first.period).toEqual({ from: now - 30 * DAY, to: now });
    expect(await kpis.latestRolling()).toBe(first);

    await insert(many(5, () => ({ created: at('2026-11-22T09:00:00') })));
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
