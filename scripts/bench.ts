import { benchFanout } from './bench/fanout';

/**
 * `npm run bench`: every benchmark of the project, printed as a table. Absolute times on a
 * shared 2-core machine are noisy; compare figures taken in the same run.
 */
const only = process.argv[2];
const results: Array<{ bench: string; figures: Record<string, number | string> }> = [];

if (!only || only === 'fanout') {
  for (const offered of [2_000, 20_000]) {
    const r = await benchFanout({ offeredPerSecond: offered, seconds: 8 });
    results.push({ bench: `fan-out, 20 clients, ${offered} commands/s offered`, figures: { ...r } });
  }
}

for (const r of results) {
  console.log(`\n## ${r.bench}`);
  for (const [k, v] of Object.entries(r.figures)) console.log(`  ${k.padEnd(30)} ${v}`);
}
