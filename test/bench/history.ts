/**
 * History fill: time from starting the server with `--history-days N` to ready (listening, and a
 * month's KPIs for the whole area answered over HTTP). Each run is a child process that imports
 * `server/app/start.ts` of a given checkout, so an old build (a git worktree) runs the same steps:
 *
 *   npx tsx test/bench/history.ts [--preset city] [--days 30] [--old DIR] [--pairs 3] [--profile DIR]
 *
 * With `--old`, old and new alternate, `--pairs` times. The center's time is fixed (a Monday
 * 16:00), so a fraction of a day covers the same hours every run.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface HistoryRun {
  tree: string;
  preset: string;
  days: number;
  /** Seconds from the child's start to its first KPI answer. */
  readySeconds: number;
  /** Of which the history fill itself (start → listening). */
  listenSeconds: number;
  kpiMs: number;
  /** CPU seconds of the whole process (every thread). */
  cpuSeconds: number;
  cases: number;
  received: number;
}

const START_AT = Date.parse('2026-03-30T16:00:00+08:00');
const HERE = dirname(fileURLToPath(import.meta.url));

/** Runs one fill in a child process; resolves with its figures. */
export function runHistory(tree: string, preset: string, days: number, profileDir?: string): Promise<HistoryRun> {
  const dir = mkdtempSync(join(tmpdir(), 'gridwall-bench-history-'));
  const args = [
    ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
    '--import',
    'tsx',
    join(HERE, 'history.ts'),
    '--child',
    tree,
    preset,
    String(days),
    dir,
  ];
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { cwd: tree, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    child.on('exit', (code) => {
      rmSync(dir, { recursive: true, force: true });
      const line = out.split('\n').find((l) => l.startsWith('{"tree"'));
      if (code !== 0 || !line) fail(new Error(`history child exited ${code}: ${out.slice(-2000)}`));
      else done(JSON.parse(line) as HistoryRun);
    });
  });
}

async function child(tree: string, preset: string, days: number, dir: string): Promise<void> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const { startServer } = (await import(
    pathToFileURL(join(tree, 'server/app/start.ts')).href
  )) as typeof import('../../server/app/start');
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    dataDir: dir,
    preset,
    seed: 1,
    simulate: true,
    historyDays: days,
    startAt: START_AT,
    speed: 1,
  });
  const listenSeconds = (performance.now() - t0) / 1000;
  const login = await fetch(`${server.url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'supervisor', password: 'supervisor' }),
  });
  const { token } = (await login.json()) as { token: string };
  const k0 = performance.now();
  const res = await fetch(`${server.url}/api/kpis?period=rolling30`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`kpis answered ${res.status}`);
  const figures = (await res.json()) as { received: number };
  const kpiMs = performance.now() - k0;
  const readySeconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cases = await server.core.storage.caseCount();
  const run: HistoryRun = {
    tree,
    preset,
    days,
    readySeconds: round(readySeconds),
    listenSeconds: round(listenSeconds),
    kpiMs: Math.round(kpiMs),
    cpuSeconds: round((cpu.user + cpu.system) / 1e6),
    cases,
    received: figures.received,
  };
  console.log(JSON.stringify(run));
  await server.close();
  process.exit(0);
}

const round = (x: number): number => Math.round(x * 10) / 10;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') {
    const [, tree, preset, days, dir] = argv as [string, string, string, string, string];
    await child(tree, preset, Number(days), dir);
  } else {
    const arg = (name: string): string | undefined => {
      const i = argv.indexOf(`--${name}`);
      return i >= 0 ? argv[i + 1] : undefined;
    };
    const preset = arg('preset') ?? 'city';
    const days = Number(arg('days') ?? 30);
    const oldDays = Number(arg('old-days') ?? days);
    const pairs = Number(arg('pairs') ?? (arg('old') ? 3 : 1));
    const newTree = resolve(HERE, '../..');
    const oldTree = arg('old');
    const head = (t: string) => execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: t }).toString().trim();
    for (let i = 0; i < pairs; i++) {
      if (oldTree) console.log(`old ${head(oldTree)}`, JSON.stringify(await runHistory(oldTree, preset, oldDays)));
      console.log(`new ${head(newTree)}`, JSON.stringify(await runHistory(newTree, preset, days, arg('profile'))));
    }
  }
}
