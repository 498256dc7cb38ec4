import type { UiLanguage } from '../protocol/ipc';
import { consoleUrl, presenterUrl, previewUrl, wallUrl } from './main/page-urls';
import type { WallPlanInput } from './main/planner';

/**
 * What `npm start` (scripts/start.ts) decides, as pure functions: whether the Electron shell can run
 * here or the product runs in browser mode, whether the renderer needs building, and what to print.
 */

export type ElectronBinary = { ok: true; path: string } | { ok: false; reason: string };

/**
 * Where the Electron binary is. `require('electron')` returns its path, or throws when the binary
 * was never downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD=1, or no network at install).
 */
export const findElectronBinary = (resolvePath: () => unknown, exists: (path: string) => boolean): ElectronBinary => {
  let path: unknown;
  try {
    path = resolvePath();
  } catch {
    return { ok: false, reason: 'binary not installed' };
  }
  if (typeof path !== 'string' || path.length === 0 || !exists(path))
    return { ok: false, reason: 'binary not installed' };
  return { ok: true, path };
};

/** Whether a window can be shown at all: on Linux an X or Wayland display must be set. */
export const hasDisplay = (platform: NodeJS.Platform, env: Readonly<Record<string, string | undefined>>): boolean =>
  platform !== 'linux' || Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);

export type LaunchDecision = { mode: 'electron'; electronPath: string } | { mode: 'browser'; reason: string };

export interface LaunchFacts {
  electron: ElectronBinary;
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  /** `npm start -- --browser` or GRIDWALL_BROWSER=1. */
  browserRequested: boolean;
}

export const decideLaunch = (facts: LaunchFacts): LaunchDecision => {
  if (facts.browserRequested) return { mode: 'browser', reason: 'browser mode requested' };
  if (!facts.electron.ok) return { mode: 'browser', reason: facts.electron.reason };
  if (!hasDisplay(facts.platform, facts.env)) return { mode: 'browser', reason: 'no display: DISPLAY is not set' };
  return { mode: 'electron', electronPath: facts.electron.path };
};

/** Electron that exits this soon after launch did not start (no GPU, sandbox, display refused…). */
export const STARTUP_WINDOW_MS = 5_000;

export interface ElectronExit {
  code: number | null;
  signal: string | null;
  afterMs: number;
  /** What it wrote to stderr before exiting. */
  stderr: string;
}

/** Null when the exit is a normal end of a running app; else why Electron could not start, in a few words. */
export const startupFailure = (exit: ElectronExit): string | null => {
  if (exit.afterMs >= STARTUP_WINDOW_MS) return null;
  const firstLine = exit.stderr
    .split('\n')
    .map((l) => l.trim())
    // Chromium prefixes its lines with [pid:date:LEVEL:file(line)]; the message after it is what matters.
    .map((l) => l.replace(/^\[[^\]]*\]\s*/, ''))
    .find((l) => l.length > 0);
  const how = exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code ?? '?'}`;
  const seconds = (exit.afterMs / 1000).toFixed(1);
  return firstLine ? `${how} after ${seconds} s: ${firstLine.slice(0, 160)}` : `${how} after ${seconds} s`;
};

/** The one line `npm start` prints when it falls back to browser mode. */
export const cannotStartLine = (reason: string): string =>
  `Electron cannot start here (${reason}): running in browser mode.`;

/** The URLs to open in browser mode: every wall display of the layout, the preview and the console. */
export const browserModeLines = (serverUrl: string, input: WallPlanInput, language: UiLanguage): string[] => {
  const screens = [...input.screens].sort((a, b) => a.index - b.index);
  return [
    ...screens.map((s) => `  wall ${String(s.index).padEnd(3)} ${wallUrl(serverUrl, s.index, input.layout, language)}`),
    `  preview  ${previewUrl(serverUrl, input.layout, language)}`,
    `  console  ${consoleUrl(serverUrl, language)}`,
    `  presenter ${presenterUrl(serverUrl, language)}  (demo user presenter / presenter)`,
  ];
};

/** Build when there is no build or a source is newer than it. */
export const needsBuild = (builtAtMs: number | null, newestSourceMs: number): boolean =>
  builtAtMs === null || newestSourceMs > builtAtMs;
