/**
 * Times with a fraction of a millisecond (a simulated clock stamps them; SQLite keeps them as REAL in
 * `bigint` columns): the queries count them on their local day and hour as the day rollup does. The
 * query's day number was `t / DAY` unfloored, and its working minutes came out hours off the rollup's
 * (kpiRollup.test: 1.1 min on a month's average, from 2 cases in 7,000).
 */
import { describe, expect, it } from 'vitest';
import type { KpiFigures } from '../../protocol';
import { at, handCase, kpiDatabase, PERIOD, TWO_GRIDS } from '../../test/fixtures/kpis';
import type { KpiService } from './compute';

const db = kpiDatabase(TWO_GRIDS, 'gridwall-kpi-fraction-');

/** Monday 2026-11-23, a working day: report → file → dispatch → feedback, some on the next day. */
const cases = () => [
  handCase({
    created: at('2026-11-23T09:00:00'),
    filed: at('2026-11-23T09:10:00') + 0.6172,
    dispatched: at('2026-11-23T09:30:00'),
    handled: at('2026-11-24T10:00:00') + 0.25,
    closed: at('2026-11-24T10:45:00') + 0.5,
    status: 'closed',
  }),
  handCase({
    created: at('2026-11-23T10:00:00') + 0.75,
    filed: at('2026-11-23T10:20:00'),
    dispatched: at('2026-11-23T15:00:00') + 0.125,
    handled: at('2026-11-23T16:00:00'),
  }),
  handCase({
    created: at('2026-11-23T09:40:00'),
    filed: at('2026-11-23T09:50:00'),
    dispatched: at('2026-11-23T10:00:00'),
    handled: at('2026-11-23T10:30:00') + 0.375,
    closed: at('2026-11-23T10:45:00') + 0.5,
    status: 'closed',
  }),
];

/** Working minutes between each case's milestones `a` and `b`, averaged and rounded as the figures are. */
function expected(kpis: KpiService, list: ReturnType<typeof cases>, a: number, b: number): number {
  const spans = list.map((c) => {
    const m = [c.createdAt, c.milestones.filedAt, c.milestones.dispatchedAt, c.milestones.handledAt];
    return [m[a], m[b]] as const;
  });
  const both = spans.filter((s): s is readonly [number, number] => s[0] !== null && s[1] !== null);
  const sum = both.reduce((acc, [x, y]) => acc + kpis.working.between(x, y), 0);
  return Math.round((sum / both.length) * 10) / 10;
}

function check(kpis: KpiService, list: ReturnType<typeof cases>, f: KpiFigures): void {
  expect(f.received).toBe(3);
  expect(f.avgMinutesToFile).toBeCloseTo(expected(kpis, list, 0, 1), 5);
  expect(f.avgMinutesToDispatch).toBeCloseTo(expected(kpis, list, 1, 2), 5);
  expect(f.avgMinutesToHandle).toBeCloseTo(expected(kpis, list, 2, 3), 5);
  // Received 10:00:00.75, closed 10:45:00.5 (the other close is on the next day).
  expect(f.hourly[10]).toEqual({ hour: at('2026-11-23T10:00:00'), received: 1, closed: 1 });
}

describe('times with a fraction of a millisecond', () => {
  it('the queries count them on their local day and hour (whole minutes, as the rollup)', async () => {
    db.now = at('2026-11-25T12:00:00');
    const kpis = await db.service({ minSample: 1 });
    const list = cases();
    await db.insert(list);
    // Sanity of the expectation: 10 working minutes to file the first, 300 to dispatch the second.
    expect(kpis.working.between(list[0]?.createdAt ?? 0, list[0]?.milestones.filedAt ?? 0)).toBeCloseTo(10, 3);
    const f = await kpis.compute(null, PERIOD);
    check(kpis, list, f);
    // A partial day by query, too (the rollup leaves partial days to the queries).
    const part = await kpis.compute(null, { from: at('2026-11-23T08:00:00'), to: PERIOD.to });
    expect(part.avgMinutesToFile).toBe(f.avgMinutesToFile);
    expect(part.avgMinutesToHandle).toBe(f.avgMinutesToHandle);
  });

  it('the day rollup gives the same figures for the same cases', async () => {
    db.now = at('2026-11-25T12:00:00');
    const kpis = await db.service({ minSample: 1, rollup: true });
    const list = cases();
    await db.insert(list);
    await kpis.startRollup();
    check(kpis, list, await kpis.compute(null, PERIOD));
  });
});
