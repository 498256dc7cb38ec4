import { runServerBenches, SERVER_BENCHES, type ServerBench } from '../test/bench/server';

/**
 * The one entry point of every benchmark; the benchmarks themselves live in test/bench/.
 *
 *   npm run bench                          the server's benchmarks (fanout, simulator, history, kpis, launch, video)
 *   npm run bench -- fanout|simulator|history|kpis|launch|video     one of them
 *   npm run bench:wall -- [--cases N ...]  the wall in headless Chromium against a naive baseline
 *                                          (= npm run bench -- wall; options in test/bench/wall.ts)
 *   npm run bench:console -- [dispatches] [queueSize]       the dispatch console (= npm run bench -- console)
 *   npm run bench -- wire --old DIR        the wire: an old build against this one (test/bench/wire.ts)
 *   npm run bench -- coldstart [--old DIR] the wall's cold start on a warm server (test/bench/coldstart.ts)
 *
 * Absolute times on a shared 2-core machine are noisy; compare figures taken in the same run.
 */
const USAGE = `usage: npm run bench -- [${[...SERVER_BENCHES, 'wall', 'console', 'wire', 'coldstart'].join('|')}] [options]
  (none)     every server benchmark: ${SERVER_BENCHES.join(', ')}
  wall       the wall's pipeline in Chromium; options: --cases --workers --rate --seconds --warmup --events
             --heap-rate --naive-seconds --skip-naive --skip-heap --skip-build --only --profile DIR
             --save-traces DIR --no-minify --without map
  console    the dispatch console; arguments: [dispatches] [queueSize]
  wire       old build against this one: bytes per case event and per position, fan-out to 20 clients;
             options: --old DIR (a checkout with node_modules) --pairs 3 --offered 20000 --seconds 8 --walls 0
  coldstart  the wall page's cold start (district, warm server) to its first live frame, with a breakdown;
             options: --old DIR (a checkout with its renderer built) --runs 3 --verbose --trace`;

const [name, ...rest] = process.argv.slice(2);
if (name === '--help' || name === '-h' || name === 'help') {
  console.log(USAGE);
} else if (name === 'wall') {
  // The wall benchmark reads its options from the command line: hand them over without the name.
  process.argv.splice(2, 1);
  await import('../test/bench/wall');
} else if (name === 'wire') {
  const { runWireBench } = await import('../test/bench/wire');
  await runWireBench(rest);
} else if (name === 'coldstart') {
  const { runColdStartBench } = await import('../test/bench/coldstart');
  await runColdStartBench(rest);
} else if (name === 'console') {
  const { runConsoleBench } = await import('../test/bench/console');
  await runConsoleBench(rest);
} else if (name === undefined || (SERVER_BENCHES as readonly string[]).includes(name)) {
  await runServerBenches(name as ServerBench | undefined);
} else {
  console.error(`unknown benchmark ${name}\n${USAGE}`);
  process.exitCode = 1;
}
