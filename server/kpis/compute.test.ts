import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Area, Case, CaseStatus } from '../../protocol';
import { KpiFigures } from '../../protocol';
import { WorkingCalendar, WorkingCalendarConfig } from '../../protocol/calendar';
import { makeCase } from '../../test/fixtures/server';
import { Storage } from '../storage/store';
import { KpiService, UnknownAreaError } from './compute';

/** A local (UTC+8) time. */
const at = (iso: string): number => Date.parse(`${iso}+08:00`);
const DAY = 86_400_000;
/** The period under test: Monday 2026-11-23, a whole local day. */
const P = { from: at('2026-11-23T00:00:00'), to: at('2026-11-24T00:00:00') };

const square = (x: number, y: number): Area['polygon'] => [
  [
    [x, y],
    [x + 1, y],
    [x + 1, y + 1],
    [x, y + 1],
    [x, y],
  ],
];
const area = (id: string, level: Area['level'], parentId: string | null, name = id): Area => ({
  id,
  code: id,
  name,
  level,
  parentId,
  polygon: square(0, 0),
  center: [0.5, 0.5],
});
/** district d → streets s1, s2 → communities c1 (s1), c2 (s1), c3 (s2) → grids g1, g2 (c1), g3 (c2), g4 (c3). */
const AREAS: Area[] = [
  area('d', 'district', null, '金凤区'),
  area('s1', 'street', 'd', '满城北街街道'),
  area('s2', 'street', 'd', '黄河东路街道'),
  area('c1', 'community', 's1', '阅海社区'),
  area('c2', 'community', 's1', '宝湖社区'),
  area('c3', 'community', 's2', '正丰社区'),
  area('g1', 'grid', 'c1'),
  area('g2', 'grid', 'c1'),
  area('g3', 'grid', 'c2'),
  area('g4', 'grid', 'c3'),
];

let dir: string;
let storage: Storage;
let now: number;
let kpis: KpiService;
let counter = 0;
let seq = 0;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gridwall-kpi-'));
  storage = await Storage.openSqlite(dir);
  now = at('2026-11-25T12:00:00');
  kpis = new KpiService({
    db: storage.db,
    areas: () => ({ version: 1, areas: AREAS }),
    calendar: new WorkingCalendar(WorkingCalendarConfig.parse({})),
    calendarConfig: WorkingCalendarConfig.parse({}),
    now: () => now,
    seq: () => seq,
    // The formulas on a handful of cases: every denominator counts (the sample rule has its own tests).
    minSample: 1,
  });
  await kpis.init();
});
afterEach(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Spec {
  status?: CaseStatus;
  created?: number;
  filed?: number | null;
  dispatched?: number | null;
  handled?: number | null;
  closed?: number | null;
  closeDue?: number | null;
  due?: number | null;
  grid?: string;
  over?: Partial<Case>;
}
/** A hand-built case: only what the KPIs read is set. */
function kase(s: Spec): Case {
  counter += 1;
  const status = s.status ?? (s.closed ? 'closed' : 'reported');
  const created = s.created ?? at('2026-11-23T09:00:00');
  return makeCase(status, {
    id: `k${counter}`,
    code: `K-${counter}`,
    gridId: s.grid ?? 'g1',
    createdAt: created,
    updatedAt: s.closed ?? created,
    milestones: {
      filedAt: s.filed ?? null,
      dispatchedAt: s.dispatched ?? null,
      handledAt: s.handled ?? null,
      closedAt: s.closed ?? null,
      closeDueAt: s.closeDue ?? null,
    },
    deadline:
      s.due === undefined || s.due === null
        ? null
        : {
            stage: 'handle',
            level: 'grid',
            startedAt: created,
            limitMinutes: 60,
            warnAt: s.due,
            dueAt: s.due,
            warned: false,
            overdue: false,
          },
    ...s.over,
  });
}
async function insert(...cases: Case[]): Promise<void> {
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
const figures = (areaId: string | null = null, period = P) => kpis.compute(areaId, period);

describe('KPI formulas on hand-built cases', () => {
  it('received, filed (立案数 without 挂账, 作废, 不予立案) and the filing rate', async () => {
    const inP = at('2026-11-23T10:00:00');
    await insert(
      kase({ filed: inP, closed: at('2026-11-23T15:00:00') }), // received, filed
      kase({ status: 'suspended', filed: inP }), // received; 挂账: not filed
      kase({ status: 'voided', filed: inP }), // received; 作废: not filed
      kase({ status: 'rejected' }), // received; 不予立案
      kase({ status: 'reported' }), // received, not yet filed
      kase({ status: 'dispatched', created: at('2026-11-22T20:00:00'), filed: inP }), // filed today, received yesterday
      kase({ status: 'filed', created: at('2026-11-24T08:00:00'), filed: at('2026-11-24T08:10:00') }), // tomorrow
    );
    const f = await figures();
    expect(f.received).toBe(5);
    expect(f.filed).toBe(2);
    // Of the 5 received today, 1 is filed: the cohort keeps the rate in [0, 1].
    expect(f.filingRate).toBeCloseTo(1 / 5);
    expect(KpiFigures.safeParse(f).success).toBe(true);
  });

  it('due to close, closure and on-time closure: each case counts in the period of min(due, closed)', async () => {
    const due = at('2026-11-23T16:00:00');
    await insert(
      kase({ closeDue: due, closed: at('2026-11-23T15:00:00') }), // p: closed on time
      kase({ closeDue: due, closed: at('2026-11-23T17:00:00') }), // q: closed late, within the period
      kase({ status: 'dispatched', closeDue: due }), // r: not closed
      kase({ closeDue: due, closed: at('2026-11-24T10:00:00') }), // s: closed after the period
      kase({ closeDue: at('2026-11-26T16:00:00'), closed: at('2026-11-23T11:00:00') }), // t: closed early
      kase({ closeDue: due, closed: at('2026-11-22T11:00:00'), created: at('2026-11-20T09:00:00') }), // u: closed early yesterday
      kase({ closed: at('2026-11-23T09:05:00'), over: { selfHandled: true } }), // v: closed with no due time
      kase({ status: 'suspended', closeDue: due }), // w: 挂账
      kase({
        closeDue: at('2026-11-20T16:00:00'),
        closed: at('2026-11-23T10:00:00'),
        created: at('2026-11-19T09:00:00'),
      }), // x: due earlier
    );
    const f = await figures();
    expect(f.dueToClose).toBe(6); // p q r s t v
    expect(f.closed).toBe(4); // p q t v
    expect(f.closureRate).toBeCloseTo(4 / 6);
    expect(f.onTimeClosureRate).toBeCloseTo(3 / 6); // p t v
    // The day before holds u (closed early there) and nothing else.
    const before = await figures(null, { from: P.from - DAY, to: P.from });
    expect(before.dueToClose).toBe(1);
    expect(before.closureRate).toBe(1);
  });

  it('disposal and on-time disposal, rework and extension rates over the cases due to close', async () => {
    const due = at('2026-11-23T16:00:00');
    await insert(
      kase({ closeDue: due, handled: at('2026-11-23T14:00:00'), closed: at('2026-11-23T15:00:00') }), // on time
      kase({
        closeDue: due,
        handled: at('2026-11-23T16:30:00'),
        closed: at('2026-11-23T17:00:00'),
        over: { reworkCount: 1 },
      }), // handled late, reworked
      kase({ status: 'handled', closeDue: due, handled: at('2026-11-23T15:30:00'), over: { extensionCount: 1 } }), // handled on time, extended
      kase({ status: 'dispatched', closeDue: due }), // not handled
    );
    const f = await figures();
    expect(f.dueToClose).toBe(4);
    expect(f.handled).toBe(3);
    expect(f.disposalRate).toBeCloseTo(3 / 4);
    expect(f.onTimeDisposalRate).toBeCloseTo(2 / 4);
    expect(f.reworkRate).toBeCloseTo(1 / 4);
    expect(f.extensionRate).toBeCloseTo(1 / 4);
  });

  it('a case closed without a feedback step counts as handled when it closed', async () => {
    await insert(kase({ closeDue: at('2026-11-23T16:00:00'), closed: at('2026-11-23T10:00:00') }));
    const f = await figures();
    expect(f.disposalRate).toBe(1);
    expect(f.onTimeDisposalRate).toBe(1);
  });

  it('satisfaction rate: (satisfied + basic) / rated, over the cases closed in the period', async () => {
    const closed = at('2026-11-23T15:00:00');
    await insert(
      kase({ closed, over: { satisfaction: 'satisfied' } }),
      kase({ closed, over: { satisfaction: 'basic' } }),
      kase({ closed, over: { satisfaction: 'unsatisfied' } }),
      kase({ closed, over: { satisfaction: null } }), // not rated
      kase({ closed: at('2026-11-24T09:00:00'), over: { satisfaction: 'unsatisfied' } }), // another day
    );
    expect((await figures()).satisfactionRate).toBeCloseTo(2 / 3);
  });

  it('self-handled share of the received cases', async () => {
    await insert(
      kase({ closed: at('2026-11-23T09:10:00'), over: { selfHandled: true } }),
      kase({}),
      kase({}),
      kase({}),
    );
    expect((await figures()).selfHandledShare).toBeCloseTo(1 / 4);
  });

  it('pending and overdue pending at the end of the period (or now)', async () => {
    now = at('2026-11-23T15:00:00');
    await insert(
      kase({ status: 'filed', due: at('2026-11-23T14:00:00') }), // overdue at the dispatch stage
      kase({ status: 'dispatched', due: at('2026-11-23T17:00:00'), closeDue: at('2026-11-23T17:00:00') }), // in time
      kase({ status: 'handled', due: at('2026-11-23T16:00:00'), closeDue: at('2026-11-23T13:00:00') }), // handled late
      kase({ status: 'suspended', due: at('2026-11-23T10:00:00') }), // 挂账: not pending
      kase({ closed: at('2026-11-23T12:00:00') }), // closed: not pending
      kase({ status: 'reported', created: at('2026-11-20T09:00:00') }), // older, still pending
    );
    const f = await figures();
    expect(f.pending).toBe(4);
    expect(f.overduePending).toBe(2);
    expect(f.overduePendingRate).toBeCloseTo(2 / 4);

    // A past period: a case closed after its end was pending then.
    now = at('2026-11-25T12:00:00');
    await insert(
      kase({
        created: at('2026-11-23T08:00:00'),
        closeDue: at('2026-11-23T11:00:00'),
        closed: at('2026-11-24T10:00:00'),
      }),
    );
    const past = await figures();
    expect(past.pending).toBe(5);
    // At midnight the dispatched case (due 17:00) had gone past its due time as well.
    expect(past.overduePending).toBe(4);
  });

  it('average working minutes to file, dispatch and handle (weekend and lunch break skipped)', async () => {
    const week = { from: at('2026-11-23T00:00:00'), to: at('2026-11-30T00:00:00') };
    await insert(
      // Friday 17:50 → Monday 08:40 is 20 working minutes; → 08:50 is 10; → 13:40 is 190 + 10 = 200.
      kase({
        created: at('2026-11-27T17:50:00'),
        filed: at('2026-11-30T08:40:00'),
        dispatched: at('2026-11-30T08:50:00'),
        handled: at('2026-11-30T13:40:00'),
        status: 'handled',
      }),
      kase({
        created: at('2026-11-23T09:00:00'),
        filed: at('2026-11-23T09:30:00'),
        dispatched: at('2026-11-23T10:00:00'),
        handled: at('2026-11-23T11:00:00'),
        status: 'handled',
      }),
      // Filed only: counts towards the filing time alone (50 minutes).
      kase({ created: at('2026-11-24T09:00:00'), filed: at('2026-11-24T09:50:00'), status: 'filed' }),
    );
    const f = await figures(null, week);
    expect(f.avgMinutesToFile).toBeCloseTo((20 + 30 + 50) / 3, 1);
    expect(f.avgMinutesToDispatch).toBeCloseTo((10 + 30) / 2, 1);
    expect(f.avgMinutesToHandle).toBeCloseTo((200 + 60) / 2, 1);
  });

  it('counts by source, category and child area; hourly received and closed', async () => {
    await insert(
      kase({ grid: 'g1', over: { source: 'grid_worker', category: 'dirty_road' } }),
      kase({ grid: 'g2', over: { source: 'hotline', category: 'dirty_road' } }),
      kase({
        grid: 'g3',
        over: { source: 'hotline', category: 'exposed_garbage' },
        created: at('2026-11-23T10:30:00'),
      }),
      kase({ grid: 'g4', over: { source: 'open311', category: 'exposed_garbage' }, closed: at('2026-11-23T10:45:00') }),
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
    now = at('2026-11-23T13:20:00');
    expect((await figures()).hourly).toHaveLength(14);
    now = at('2026-12-10T00:00:00');
    const month = await figures(null, { from: at('2026-11-01T00:00:00'), to: at('2026-12-01T00:00:00') });
    expect(month.hourly).toHaveLength(48);
    expect(month.hourly[0]?.hour).toBe(at('2026-11-29T00:00:00'));
  });

  it('ranks streets and communities by closure rate, then on-time closure, then received', async () => {
    const due = at('2026-11-23T16:00:00');
    await insert(
      kase({ grid: 'g1', closeDue: due, closed: at('2026-11-23T15:00:00') }),
      kase({ grid: 'g2', closeDue: due, status: 'dispatched' }),
      kase({ grid: 'g3', closeDue: due, closed: at('2026-11-23T17:00:00') }),
      kase({ grid: 'g4', closeDue: due, closed: at('2026-11-23T12:00:00') }),
      kase({ grid: 'g4' }),
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
    await insert(
      kase({ closeDue: due, closed: at('2026-11-23T10:00:00') }),
      kase({ closeDue: due, closed: at('2026-11-23T11:00:00') }),
      kase({ closeDue: due, status: 'dispatched' }),
      kase({ created: at('2026-11-23T20:00:00') }),
      // The day before: 2 received, 1 of 2 due closed.
      kase({
        created: at('2026-11-22T10:00:00'),
        closeDue: at('2026-11-22T16:00:00'),
        closed: at('2026-11-22T11:00:00'),
      }),
      kase({ created: at('2026-11-22T10:00:00'), closeDue: at('2026-11-22T16:00:00'), status: 'dispatched' }),
      // A year before: 5 received.
      ...Array.from({ length: 5 }, () => kase({ created: at('2025-11-23T10:00:00') })),
    );
    const f = await figures();
    expect(f.received).toBe(4);
    expect(f.change.receivedPeriodOnPeriod).toBeCloseTo(4 / 2 - 1);
    expect(f.change.receivedYearOnYear).toBeCloseTo(4 / 5 - 1);
    expect(f.change.closureRatePeriodOnPeriod).toBeCloseTo(2 / 3 - 1 / 2);
  });

  it('answers nulls, not NaN, where nothing happened, and refuses an unknown area', async () => {
    const f = await figures();
    expect(f.received).toBe(0);
    expect(f.filingRate).toBeNull();
    expect(f.closureRate).toBeNull();
    expect(f.avgMinutesToFile).toBeNull();
    expect(f.change.receivedPeriodOnPeriod).toBeNull();
    expect(KpiFigures.safeParse(f).success).toBe(true);
    await expect(figures('nowhere')).rejects.toBeInstanceOf(UnknownAreaError);
  });

  it('snapshots get the latest figures at once, recomputed only when the day has turned', async () => {
    now = at('2026-11-23T15:00:00');
    const first = await kpis.todayFigures(0);
    await insert(kase({}));
    // Events alone do not hold a snapshot up: the pusher refreshes the figures.
    expect(await kpis.latestToday()).toBe(first);
    now = at('2026-11-24T00:00:01');
    const next = await kpis.latestToday();
    expect(next.period.from).toBe(at('2026-11-24T00:00:00'));
  });

  it('API figures are shared per area and period while no event happened', async () => {
    const a = kpis.figures('c1', P);
    expect(kpis.figures('c1', P)).toBe(a);
    expect(kpis.figures('c2', P)).not.toBe(a);
    await a;
    await insert(kase({}));
    const b = kpis.figures('c1', P);
    expect(b).not.toBe(a);
    expect((await b).received).toBe(1);
    await expect(kpis.figures('nowhere', P)).rejects.toBeInstanceOf(UnknownAreaError);
  });

  it("today's figures for the stream are shared while no event happened and fresh", async () => {
    now = at('2026-11-23T15:00:00');
    await insert(kase({}));
    const [a, b] = await Promise.all([kpis.todayFigures(), kpis.todayFigures()]);
    expect(a).toBe(b);
    expect(a.received).toBe(1);
    expect(await kpis.todayFigures()).toBe(a);
    // Time moves overdue counts: an old result is recomputed even without events.
    expect(await kpis.todayFigures(0)).not.toBe(a);
    await insert(kase({}));
    expect((await kpis.todayFigures()).received).toBe(2);
  });
});
