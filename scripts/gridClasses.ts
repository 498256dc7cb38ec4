import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GridClassesConfig, type GridMeasure, gridClass } from '../protocol/mapClasses';
import { startServer } from '../server/app/start';
import { ManualClock } from '../server/clock';

/**
 * How the district's grids fall into the map's colour classes over simulated days: the simulator
 * plays from a Monday 00:00 (UTC+8) as fast as it can (a manual clock, as the history fill does),
 * and at a few moments of each day every grid's open and overdue cases are counted and classed with
 * the configured thresholds (docs/map.md has the summary, docs/bench-log.md the runs).
 *
 * `npx tsx scripts/gridClasses.ts [district|city|small] [days] [open steps] [overdue steps]`,
 * steps as `3,6,10`: try other thresholds on the same run.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.parse('2026-03-02T00:00:00+08:00');
const MOMENTS = [3, 8, 10.5, 15, 18, 22];

const preset = process.argv[2] ?? 'district';
const days = Number(process.argv[3] ?? 7);
const steps = (arg: string | undefined) => (arg ? arg.split(',').map(Number) : undefined);
const classes = GridClassesConfig.parse({ open: steps(process.argv[4]), overdue: steps(process.argv[5]) });

const dir = mkdtempSync(join(tmpdir(), 'gridwall-classes-'));
const clock = new ManualClock(START);
const server = await startServer({ host: '127.0.0.1', port: 0, dataDir: dir, preset, seed: 1, clock, simulate: true });
try {
  const simulator = server.simulator;
  if (!simulator) throw new Error('no simulator');
  const grids = server.core.areas.filter((a) => a.level === 'grid').map((a) => a.id);
  console.log(
    `${preset}: ${grids.length} grids; classes open ${classes.open.join(',')} overdue ${classes.overdue.join(',')}`,
  );
  console.log('day  time   measure  class counts (calmest first)      max  p50  p90  p99');
  for (let d = 0; d < days; d++) {
    for (const h of MOMENTS) {
      const at = START + d * DAY + h * HOUR;
      await simulator.runUntil(clock, at, { afterStep: () => void server.core.takePending() });
      await server.core.idle();
      const per: Record<GridMeasure, Map<string, number>> = { open: new Map(), overdue: new Map() };
      for (const c of server.core.cases.values()) {
        if (c.status === 'closed' || c.status === 'rejected' || c.status === 'voided') continue;
        per.open.set(c.gridId, (per.open.get(c.gridId) ?? 0) + 1);
        if (c.deadline?.overdue) per.overdue.set(c.gridId, (per.overdue.get(c.gridId) ?? 0) + 1);
      }
      for (const m of ['open', 'overdue'] as const) {
        const values = grids.map((g) => per[m].get(g) ?? 0).sort((a, b) => a - b);
        const counts = [0, 0, 0, 0];
        for (const v of values) counts[gridClass(v, classes[m])] = (counts[gridClass(v, classes[m])] ?? 0) + 1;
        const q = (p: number) => values[Math.min(values.length - 1, Math.floor(p * values.length))] ?? 0;
        const hh = `${String(Math.floor(h)).padStart(2, '0')}:${h % 1 ? '30' : '00'}`;
        console.log(
          `${String(d + 1).padStart(3)}  ${hh}  ${m.padEnd(7)}  ${counts.map((n) => String(n).padStart(5)).join(' ')}   ` +
            `${[q(1), q(0.5), q(0.9), q(0.99)].map((n) => String(n).padStart(4)).join(' ')}`,
        );
      }
    }
  }
} finally {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
