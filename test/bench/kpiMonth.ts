/**
 * The whole area's month KPI query, old build against new on the same rows: each run is a child
 * process importing `server/kpis/compute.ts` of a checkout (an old one from a git worktree), on a
 * data dir filled once by `test/bench/kpis.ts --dir DIR`:
 *
 *   npx tsx test/bench/kpiMonth.ts --dir DIR [--old TREE] [--pairs 3]
 *
 * Prints the median of three computations after one warm-up (which fills the comparison's cache,
 * as a wall's month board does), and the new build's start (rollup scan).
 */
import { execFileSync, spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const DAY = 86_400_000;

function runChild(tree: string, dir: string): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(HERE, 'kpiMonth.ts'), '--child', tree, dir], {
      cwd: tree,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    child.on('exit', (code) => (code === 0 ? done(out.trim()) : fail(new Error(`child exited ${code}`))));
  });
}

async function child(tree: string, dir: string): Promise<void> {
  const imp = async <T>(path: string): Promise<T> => (await import(pathToFileURL(join(tree, path)).href)) as T;
  const { KpiService, ...compute } = await imp<typeof import('../../server/kpis/compute')>('server/kpis/compute.ts');
  const { Storage } = await imp<typeof import('../../server/storage/store')>('server/storage/store.ts');
  const { generatePreset } = await imp<typeof import('../../server/presets')>('server/presets/index.ts');
  const { WorkingCalendar, WorkingCalendarConfig } =
    await imp<typeof import('../../protocol/calendar')>('protocol/calendar.ts');
  const storage = await Storage.openSqlite(dir);
  const preset = generatePreset('city', 1);
  const config = WorkingCalendarConfig.parse({});
  // As test/bench/kpis.ts: the end of the generated month, mid-afternoon.
  const now = Date.UTC(2026, 10, 1) - 8 * 3_600_000 + 29 * DAY + 15 * 3_600_000;
  const scan = 'scanFacts' in compute ? compute.scanFacts : null;
  const kpis = new KpiService({
    db: storage.db,
    areas: () => ({ version: 1, areas: preset.areas }),
    calendar: new WorkingCalendar(config),
    calendarConfig: config,
    now: () => now,
    seq: () => 0,
    ...(scan ? { cases: { idle: async () => {}, scan: () => scan(storage), onChange: () => {} } } : {}),
  });
  const t0 = performance.now();
  await kpis.queries.ensureIndexes();
  if ('startRollup' in kpis) await kpis.startRollup();
  const startMs = performance.now() - t0;
  const ms: number[] = [];
  let received = 0;
  // The longest the event loop was held while the queries ran (sockets wait that long).
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  for (let i = 0; i < 4; i++) {
    const t = performance.now();
    received = (await kpis.compute(null, kpis.named('month'))).received;
    ms.push(performance.now() - t);
  }
  loop.disable();
  const loopMaxMs = Math.round(loop.max / 1e6);
  const first = Math.round(ms.shift() ?? 0);
  ms.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      startMs: Math.round(startMs),
      firstMs: first,
      monthMs: Math.round(ms[1] ?? 0),
      loopMaxMs,
      received,
    }),
  );
  await storage.close();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') {
    await child(argv[1] as string, argv[2] as string);
  } else {
    const arg = (name: string): string | undefined => {
      const i = argv.indexOf(`--${name}`);
      return i >= 0 ? argv[i + 1] : undefined;
    };
    const dir = arg('dir');
    if (!dir) throw new Error('--dir DIR: a data dir filled by test/bench/kpis.ts --dir DIR');
    const newTree = resolve(HERE, '../..');
    const oldTree = arg('old');
    const head = (t: string) => execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: t }).toString().trim();
    for (let i = 0; i < Number(arg('pairs') ?? (oldTree ? 3 : 1)); i++) {
      if (oldTree) console.log(`old ${head(oldTree)}`, await runChild(oldTree, dir));
      console.log(`new ${head(newTree)}`, await runChild(newTree, dir));
    }
  }
}
