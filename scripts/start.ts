import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  browserModeLines,
  cannotStartLine,
  decideLaunch,
  findElectronBinary,
  needsBuild,
  STARTUP_WINDOW_MS,
  startupFailure,
} from '../electron/launch';
import { loadWallPlanInput } from '../electron/main/layout-input';
import { UiLanguage } from '../protocol/ipc';
import { startServer } from '../server/app/start';

/**
 * `npm start [-- --layout wall-3x2 --preset district --speed 10 --port 8080 --browser]`
 *
 * The whole product on one machine: builds the renderer if it is missing or stale, starts the case
 * server with its simulator in this process, then opens the Electron wall (and console). Where
 * Electron cannot start (binary not installed, no display, it exits at once) it says so in one line
 * and keeps serving browser mode, printing the URLs to open. Ctrl+C stops everything.
 */

const ROOT = resolve(import.meta.dirname, '..');

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string' },
    data: { type: 'string', default: 'data' },
    config: { type: 'string' },
    preset: { type: 'string', default: 'district' },
    seed: { type: 'string', default: '1' },
    speed: { type: 'string', default: '1' },
    // A first start opens on a district with a week behind it (about 15 s once; kept in the data dir),
    // not on a wall of zeros and a trend of one dot.
    'history-days': { type: 'string', default: '7' },
    layout: { type: 'string', default: process.env.GRIDWALL_LAYOUT ?? 'single' },
    lang: { type: 'string', default: process.env.GRIDWALL_LANG ?? 'zh-CN' },
    browser: { type: 'boolean', default: process.env.GRIDWALL_BROWSER === '1' },
    'no-sim': { type: 'boolean', default: false },
  },
  strict: true,
});

const language = UiLanguage.safeParse(values.lang).success ? (values.lang as UiLanguage) : 'zh-CN';
const number = (name: string, text: string | undefined, fallback: number): number => {
  const n = Number(text ?? fallback);
  if (!Number.isFinite(n) || n < 0) {
    console.error(`--${name} must be a non-negative number, got ${text}`);
    process.exit(2);
  }
  return n;
};

/** Newest modification time under the given paths (files or folders), node_modules aside. */
const newestMtime = (paths: string[]): number => {
  let newest = 0;
  const visit = (path: string) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) if (entry !== 'node_modules') visit(join(path, entry));
    } else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const p of paths) visit(resolve(ROOT, p));
  return newest;
};

const mtimeOf = (path: string): number | null =>
  existsSync(resolve(ROOT, path)) ? statSync(resolve(ROOT, path)).mtimeMs : null;

/** Runs a build command quietly; prints its output only when it fails. */
const runBuild = (what: string, args: string[]): Promise<boolean> =>
  new Promise((done) => {
    console.log(`building ${what}…`);
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => {
      if (code !== 0) console.error(`building ${what} failed (exit ${code}):\n${output.slice(-4000)}`);
      done(code === 0);
    });
  });

const buildRenderer = async (): Promise<void> => {
  if (!existsSync(resolve(ROOT, 'vite.config.ts'))) {
    console.warn('renderer not built: vite.config.ts is missing, so the server has no pages to serve yet.');
    return;
  }
  const built = mtimeOf('out/renderer/index.html');
  const sources = newestMtime(['renderer', 'protocol', 'resources/layouts', 'vite.config.ts', 'package.json']);
  if (!needsBuild(built, sources)) return;
  await runBuild('the renderer', [resolve(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn']);
};

const buildShell = async (): Promise<boolean> => {
  const outputs = ['out/main/index.js', 'out/preload/index.cjs', 'out/pages/settings.html'].map(mtimeOf);
  const built = outputs.some((t) => t === null) ? null : Math.min(...(outputs as number[]));
  const sources = newestMtime(['electron', 'protocol', 'electron.vite.config.ts']);
  if (!needsBuild(built, sources)) return true;
  return runBuild('the Electron shell', [resolve(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build']);
};

const listen = async (port: number) =>
  startServer({
    host: values.host,
    port,
    dataDir: values.data,
    configPath: values.config,
    preset: values.preset,
    seed: number('seed', values.seed, 1),
    speed: number('speed', values.speed, 1) || 1,
    historyDays: number('history-days', values['history-days'], 7),
    simulate: !values['no-sim'],
  });

const startServerWithFallback = async () => {
  const requested = values.port === undefined ? null : number('port', values.port, 8080);
  try {
    return await listen(requested ?? 8080);
  } catch (error) {
    // 8080 taken by another server on this machine: any free port will do unless one was asked for.
    if (requested === null && (error as NodeJS.ErrnoException).code === 'EADDRINUSE') return listen(0);
    throw error;
  }
};

/** Starts Electron and waits out its start-up window: the child if it runs, else why it could not start. */
const launchElectron = (
  electronPath: string,
  serverUrl: string,
): Promise<{ child: ChildProcess } | { failure: string }> =>
  new Promise((done) => {
    const startedAt = Date.now();
    const child = spawn(electronPath, ['.'], {
      cwd: ROOT,
      env: { ...process.env, GRIDWALL_SERVER_URL: serverUrl, GRIDWALL_LAYOUT: values.layout, GRIDWALL_LANG: language },
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    let stderr = '';
    let settled = false;
    const onData = (d: Buffer) => {
      if (settled) process.stderr.write(d);
      else stderr += d.toString();
    };
    child.stderr?.on('data', onData);
    const timer = setTimeout(() => {
      settled = true;
      process.stderr.write(stderr);
      done({ child });
    }, STARTUP_WINDOW_MS);
    const early = (code: number | null, signal: NodeJS.Signals | null, spawnError?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const failure =
        startupFailure({ code, signal, afterMs: Date.now() - startedAt, stderr: spawnError?.message ?? stderr }) ??
        'exited during start-up';
      done({ failure });
    };
    child.once('error', (error) => early(null, null, error));
    child.once('exit', (code, signal) => early(code, signal));
  });

const main = async () => {
  await buildRenderer();
  const server = await startServerWithFallback();
  console.log(
    `GridWall server listening on ${server.url} (preset ${values.preset}, simulator ${values['no-sim'] ? 'off' : 'on'})`,
  );

  let electron: ChildProcess | null = null;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (electron && electron.exitCode === null) electron.kill('SIGTERM');
    await server.close().catch(() => {});
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  const require = createRequire(import.meta.url);
  const decision = decideLaunch({
    electron: findElectronBinary(() => require('electron'), existsSync),
    platform: process.platform,
    env: process.env,
    browserRequested: values.browser,
  });

  let reason = decision.mode === 'browser' ? decision.reason : '';
  if (decision.mode === 'electron') {
    if (!(await buildShell())) reason = 'the shell did not build';
    else {
      const launched = await launchElectron(decision.electronPath, server.url);
      if ('child' in launched) {
        electron = launched.child;
        console.log(`Electron wall running (layout ${values.layout}); close it or press Ctrl+C to stop.`);
        launched.child.once('exit', (code) => void stop(code ?? 0));
        return;
      }
      reason = launched.failure;
    }
  }

  console.log(cannotStartLine(reason));
  const { input } = loadWallPlanInput(values.layout, [resolve(ROOT, 'resources/layouts')], {
    readText: (path) => (existsSync(path) ? readFileSync(path, 'utf8') : null),
  });
  for (const line of browserModeLines(server.url, input, language)) console.log(line);
  console.log('Press Ctrl+C to stop.');
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
