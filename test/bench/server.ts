import { benchFanout } from './fanout';
import { runHistory } from './history';
import { benchKpis } from './kpis';
import { benchLaunch } from './launch';
import { benchSimulator } from './simulator';
import { benchVideo } from './video';

/** The benchmarks `npm run bench` runs by default, printed as tables. */
export const SERVER_BENCHES = ['fanout', 'simulator', 'history', 'kpis', 'launch', 'video'] as const;
export type ServerBench = (typeof SERVER_BENCHES)[number];

/**
 * The server's benchmarks (and the browser-mode launch and video wall): all of them, or `only` one.
 * Absolute times on a shared 2-core machine are noisy; compare figures taken in the same run.
 */
export async function runServerBenches(only?: ServerBench): Promise<void> {
  const want = (name: ServerBench): boolean => !only || only === name;
  const results: Array<{ bench: string; figures: object }> = [];

  if (want('fanout')) {
    for (const offered of [500, 2_000, 20_000]) {
      const r = await benchFanout({ offeredPerSecond: offered, seconds: 8 });
      results.push({ bench: `fan-out to 20 clients, ${offered} commands/s offered`, figures: r });
    }
    // A command center's real mix: the wall screens (masked room) beside the consoles.
    for (const offered of [2_000, 20_000]) {
      const r = await benchFanout({ offeredPerSecond: offered, seconds: 8, walls: 10 });
      results.push({ bench: `fan-out to 10 walls + 10 supervisors, ${offered} commands/s offered`, figures: r });
    }
  }
  if (want('simulator')) {
    results.push({
      bench: 'simulator, district, 2 days',
      figures: await benchSimulator({ preset: 'district', days: 2 }),
    });
    results.push({ bench: 'simulator, city, 1 day', figures: await benchSimulator({ preset: 'city', days: 1 }) });
  }
  if (want('history')) {
    // Spans short enough for a shared machine; old against new: `npx tsx test/bench/history.ts --old DIR`.
    const root = new URL('../..', import.meta.url).pathname;
    results.push({ bench: 'history fill, city, 0.3 day', figures: await runHistory(root, 'city', 0.3) });
    results.push({ bench: 'history fill, district, 30 days', figures: await runHistory(root, 'district', 30) });
  }
  if (want('kpis')) {
    const r = await benchKpis({ preset: 'city', casesPerDay: 25_000, days: 30, runs: 3 });
    results.push({ bench: 'KPI query, city, a month (25,000 cases a day)', figures: r });
  }
  if (want('launch')) {
    results.push({
      bench: 'browser mode: launch to the first frame with live data (district)',
      figures: await benchLaunch(),
    });
  }
  if (want('video')) {
    results.push({
      bench: 'video wall: focus → first frames of the linked tiles; 16 vs 4 live decoders (district)',
      figures: await benchVideo(),
    });
  }

  for (const r of results) {
    console.log(`\n## ${r.bench}`);
    for (const [k, v] of Object.entries(r.figures)) {
      console.log(`  ${k.padEnd(32)} ${typeof v === 'object' ? JSON.stringify(v) : v}`);
    }
  }
}
