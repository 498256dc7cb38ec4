/**
 * The write path's derived state over a simulated month: the KPI cohort rollup kept as cases are
 * committed gives the same figures as queries over the `cases` table, for seeded random periods
 * and areas; and the history fill (bulk mode) leaves the same cases as live writing.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, KpiFigures, KpiPeriod } from '../../protocol';
import { type RunningServer, startServer } from '../../server/app/start';
import { ManualClock } from '../../server/clock';
import { KpiService, kpiSourceOf } from '../../server/kpis/compute';
import { Rng } from '../../server/presets/random';
import { removeDir } from './helpers';

const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Monday 2026-03-02, 00:00 in Beijing. */
const T0 = Date.parse('2026-03-02T00:00:00+08:00');
const DAYS = 30;
const SEED = 7;

const dirs: string[] = [];
const servers: RunningServer[] = [];
const runs: Record<'live' | 'bulk', { server: RunningServer; clock: ManualClock }> = {} as never;

async function simulate(bulk: boolean): Promise<{ server: RunningServer; clock: ManualClock }> {
  const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'gridwall-rollup-'));
  dirs.push(dir);
  const clock = new ManualClock(T0);
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    dataDir: dir,
    preset: 'small',
    seed: SEED,
    clock,
    simulate: true,
  });
  servers.push(server);
  const sim = server.simulator;
  if (!sim) throw new Error('no simulator');
  const play = () =>
    sim.runUntil(clock, T0 + DAYS * DAY, { minStepMs: 60_000, afterStep: () => server.core.takePending() });
  if (bulk) await server.core.bulk(play);
  else await play();
  await server.core.idle();
  return { server, clock };
}

async function allCases(server: RunningServer): Promise<Case[]> {
  const rows = await server.core.storage.db.selectFrom('cases').select('data').orderBy('id').execute();
  return rows.map((r) => JSON.parse(r.data) as Case);
}

/** The figures but the time they were computed; working-time averages compared apart (rounding). */
function comparable(f: KpiFigures) {
  const { computedAt: _c, avgMinutesToFile, avgMinutesToDispatch, avgMinutesToHandle, ...rest } = f;
  return { rest, times: [avgMinutesToFile, avgMinutesToDispatch, avgMinutesToHandle] };
}

beforeAll(async () => {
  runs.live = await simulate(false);
  runs.bulk = await simulate(true);
}, 600_000);

afterAll(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const d of dirs.splice(0)) removeDir(d);
});

describe('KPI rollup and history fill over a simulated month', () => {
  it('history in bulk leaves exactly the cases that live writing leaves', async () => {
    const live = await allCases(runs.live.server);
    const bulk = await allCases(runs.bulk.server);
    expect(live.length).toBeGreaterThan(DAYS * 150);
    expect(bulk).toEqual(live);
    // No event logged in bulk, but numbered as live: a restart goes on from the same seq.
    const { server } = runs.bulk;
    expect(await server.core.storage.lastSeq()).toBe(0);
    expect(Number(await server.core.storage.getMeta('bulkSeq'))).toBe(runs.live.server.core.lastSeq);
    expect(server.core.lastSeq).toBe(runs.live.server.core.lastSeq);
  });

  it('figures from the rollup (kept on commit, and rebuilt from a scan) equal queries over the cases', async () => {
    const { server, clock } = runs.live;
    const kept = server.kpis;
    const sqlOnly = new KpiService({ ...kpiSourceOf(server.core), cases: undefined });
    const rebuilt = new KpiService(kpiSourceOf(server.core));
    await rebuilt.init();
    const tree = kept.areas();
    const areas = [null, ...server.core.areas.filter((a) => a.level !== 'grid').map((a) => a.id)];
    const grids = server.core.areas.filter((a) => a.level === 'grid').map((a) => a.id);
    const rng = new Rng(SEED);
    const periods: KpiPeriod[] = [
      { from: T0, to: T0 + DAYS * DAY },
      kept.named('today'),
      kept.named('month'),
      kept.named('rolling30'),
    ];
    for (let i = 0; i < 24; i++) {
      const day = rng.int(0, DAYS - 1);
      const whole = rng.chance(0.5);
      const from = T0 + day * DAY + (whole ? 0 : rng.int(0, DAY - 1));
      const to = Math.min(T0 + DAYS * DAY, from + (whole ? rng.int(1, 10) * DAY : rng.int(HOUR, 9 * DAY)));
      periods.push({ from, to });
    }
    let compared = 0;
    for (const [i, period] of periods.entries()) {
      const areaId = i % 3 === 0 ? (rng.pick(grids) ?? null) : (areas[i % areas.length] ?? null);
      const want = comparable(await sqlOnly.compute(areaId, period));
      for (const service of [kept, rebuilt]) {
        const got = comparable(await service.compute(areaId, period));
        expect(got.rest, `${areaId ?? tree.root.id} ${period.from}–${period.to}`).toEqual(want.rest);
        got.times.forEach((t, j) => {
          if (want.times[j] === null) expect(t).toBeNull();
          else expect(Math.abs((t ?? Number.NaN) - (want.times[j] as number))).toBeLessThanOrEqual(0.1 + 1e-9);
        });
        compared += 1;
      }
    }
    expect(compared).toBe(periods.length * 2);
    // A running period: it ends now, mid-day, after every close (the rollup needs no cut there).
    clock.set(T0 + DAYS * DAY + 5 * HOUR);
    for (const period of [kept.named('today'), kept.named('month'), { from: T0 + 3 * DAY + HOUR, to: clock.now() }]) {
      for (const areaId of [null, areas[1] ?? null]) {
        const want = comparable(await sqlOnly.compute(areaId, period));
        expect(comparable(await kept.compute(areaId, period)).rest).toEqual(want.rest);
      }
    }
  });
});
