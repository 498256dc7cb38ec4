/** The KPI formulas on hand-built cases (counts, rates, working times), and how figures are shared and reused. */
import { describe, expect, it } from 'vitest';
import { KpiFigures } from '../../protocol';
import { at, DAY, handBuiltKpis, handCase, PERIOD } from '../../test/fixtures/kpis';
import { UnknownAreaError } from './compute';

const hand = handBuiltKpis();
const { db, figures } = hand;

describe('KPI formulas on hand-built cases', () => {
  it('received, filed (立案数 without 挂账, 作废, 不予立案) and the filing rate', async () => {
    const inP = at('2026-11-23T10:00:00');
    await db.insert(
      handCase({ filed: inP, closed: at('2026-11-23T15:00:00') }), // received, filed
      handCase({ status: 'suspended', filed: inP }), // received; 挂账: not filed
      handCase({ status: 'voided', filed: inP }), // received; 作废: not filed
      handCase({ status: 'rejected' }), // received; 不予立案
      handCase({ status: 'reported' }), // received, not yet filed
      handCase({ status: 'dispatched', created: at('2026-11-22T20:00:00'), filed: inP }), // filed today, received yesterday
      handCase({ status: 'filed', created: at('2026-11-24T08:00:00'), filed: at('2026-11-24T08:10:00') }), // tomorrow
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
    await db.insert(
      handCase({ closeDue: due, closed: at('2026-11-23T15:00:00') }), // p: closed on time
      handCase({ closeDue: due, closed: at('2026-11-23T17:00:00') }), // q: closed late, within the period
      handCase({ status: 'dispatched', closeDue: due }), // r: not closed
      handCase({ closeDue: due, closed: at('2026-11-24T10:00:00') }), // s: closed after the period
      handCase({ closeDue: at('2026-11-26T16:00:00'), closed: at('2026-11-23T11:00:00') }), // t: closed early
      handCase({ closeDue: due, closed: at('2026-11-22T11:00:00'), created: at('2026-11-20T09:00:00') }), // u: closed early yesterday
      handCase({ closed: at('2026-11-23T09:05:00'), over: { selfHandled: true } }), // v: closed with no due time
      handCase({ status: 'suspended', closeDue: due }), // w: 挂账
      handCase({
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
    const before = await figures(null, { from: PERIOD.from - DAY, to: PERIOD.from });
    expect(before.dueToClose).toBe(1);
    expect(before.closureRate).toBe(1);
  });

  it('disposal and on-time disposal, rework and extension rates over the cases due to close', async () => {
    const due = at('2026-11-23T16:00:00');
    await db.insert(
      handCase({ closeDue: due, handled: at('2026-11-23T14:00:00'), closed: at('2026-11-23T15:00:00') }), // on time
      handCase({
        closeDue: due,
        handled: at('2026-11-23T16:30:00'),
        closed: at('2026-11-23T17:00:00'),
        over: { reworkCount: 1 },
      }), // handled late, reworked
      handCase({ status: 'handled', closeDue: due, handled: at('2026-11-23T15:30:00'), over: { extensionCount: 1 } }), // handled on time, extended
      handCase({ status: 'dispatched', closeDue: due }), // not handled
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
    await db.insert(handCase({ closeDue: at('2026-11-23T16:00:00'), closed: at('2026-11-23T10:00:00') }));
    const f = await figures();
    expect(f.disposalRate).toBe(1);
    expect(f.onTimeDisposalRate).toBe(1);
  });

  it('satisfaction rate: (satisfied + basic) / rated, over the cases closed in the period', async () => {
    const closed = at('2026-11-23T15:00:00');
    await db.insert(
      handCase({ closed, over: { satisfaction: 'satisfied' } }),
      handCase({ closed, over: { satisfaction: 'basic' } }),
      handCase({ closed, over: { satisfaction: 'unsatisfied' } }),
      handCase({ closed, over: { satisfaction: null } }), // not rated
      handCase({ closed: at('2026-11-24T09:00:00'), over: { satisfaction: 'unsatisfied' } }), // another day
    );
    expect((await figures()).satisfactionRate).toBeCloseTo(2 / 3);
  });

  it('self-handled share of the received cases', async () => {
    await db.insert(
      handCase({ closed: at('2026-11-23T09:10:00'), over: { selfHandled: true } }),
      handCase({}),
      handCase({}),
      handCase({}),
    );
    expect((await figures()).selfHandledShare).toBeCloseTo(1 / 4);
  });

  it('pending and overdue pending at the end of the period (or now)', async () => {
    db.now = at('2026-11-23T15:00:00');
    await db.insert(
      handCase({ status: 'filed', due: at('2026-11-23T14:00:00') }), // overdue at the dispatch stage
      handCase({ status: 'dispatched', due: at('2026-11-23T17:00:00'), closeDue: at('2026-11-23T17:00:00') }), // in time
      handCase({ status: 'handled', due: at('2026-11-23T16:00:00'), closeDue: at('2026-11-23T13:00:00') }), // handled late
      handCase({ status: 'suspended', due: at('2026-11-23T10:00:00') }), // 挂账: not pending
      handCase({ closed: at('2026-11-23T12:00:00') }), // closed: not pending
      handCase({ status: 'reported', created: at('2026-11-20T09:00:00') }), // older, still pending
    );
    const f = await figures();
    expect(f.pending).toBe(4);
    expect(f.overduePending).toBe(2);
    expect(f.overduePendingRate).toBeCloseTo(2 / 4);

    // A past period: a case closed after its end was pending then.
    db.now = at('2026-11-25T12:00:00');
    await db.insert(
      handCase({
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
    await db.insert(
      // Friday 17:50 → Monday 08:40 is 20 working minutes; → 08:50 is 10; → 13:40 is 190 + 10 = 200.
      handCase({
        created: at('2026-11-27T17:50:00'),
        filed: at('2026-11-30T08:40:00'),
        dispatched: at('2026-11-30T08:50:00'),
        handled: at('2026-11-30T13:40:00'),
        status: 'handled',
      }),
      handCase({
        created: at('2026-11-23T09:00:00'),
        filed: at('2026-11-23T09:30:00'),
        dispatched: at('2026-11-23T10:00:00'),
        handled: at('2026-11-23T11:00:00'),
        status: 'handled',
      }),
      // Filed only: counts towards the filing time alone (50 minutes).
      handCase({ created: at('2026-11-24T09:00:00'), filed: at('2026-11-24T09:50:00'), status: 'filed' }),
    );
    const f = await figures(null, week);
    expect(f.avgMinutesToFile).toBeCloseTo((20 + 30 + 50) / 3, 1);
    expect(f.avgMinutesToDispatch).toBeCloseTo((10 + 30) / 2, 1);
    expect(f.avgMinutesToHandle).toBeCloseTo((200 + 60) / 2, 1);
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
});

describe('figures shared and reused', () => {
  it('snapshots get the latest figures at once, recomputed only when the day has turned', async () => {
    db.now = at('2026-11-23T15:00:00');
    const first = await hand.kpis.todayFigures(0);
    await db.insert(handCase({}));
    // Events alone do not hold a snapshot up: the pusher refreshes the figures.
    expect(await hand.kpis.latestToday()).toBe(first);
    db.now = at('2026-11-24T00:00:01');
    const next = await hand.kpis.latestToday();
    expect(next.period.from).toBe(at('2026-11-24T00:00:00'));
  });

  it('API figures are shared per area and period while no event happened', async () => {
    const a = hand.kpis.figures('c1', PERIOD);
    expect(hand.kpis.figures('c1', PERIOD)).toBe(a);
    expect(hand.kpis.figures('c2', PERIOD)).not.toBe(a);
    await a;
    await db.insert(handCase({}));
    const b = hand.kpis.figures('c1', PERIOD);
    expect(b).not.toBe(a);
    expect((await b).received).toBe(1);
    await expect(hand.kpis.figures('nowhere', PERIOD)).rejects.toBeInstanceOf(UnknownAreaError);
  });

  it("today's figures for the stream are shared while no event happened and fresh", async () => {
    db.now = at('2026-11-23T15:00:00');
    await db.insert(handCase({}));
    const [a, b] = await Promise.all([hand.kpis.todayFigures(), hand.kpis.todayFigures()]);
    expect(a).toBe(b);
    expect(a.received).toBe(1);
    expect(await hand.kpis.todayFigures()).toBe(a);
    // Time moves overdue counts: an old result is recomputed even without events.
    expect(await hand.kpis.todayFigures(0)).not.toBe(a);
    await db.insert(handCase({}));
    expect((await hand.kpis.todayFigures()).received).toBe(2);
  });
});
