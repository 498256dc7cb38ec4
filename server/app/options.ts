import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Server } from 'socket.io';
import type { CaseCore } from '../cases/core';
import type { Clock } from '../clock';
import type { ServerConfig } from '../config';
import type { KpiService } from '../kpis/compute';
import type { PresenterRelay } from '../presenter/relay';
import type { PresetData, PresetName } from '../presets';
import type { Simulator } from '../simulator';
import type { StreamHub, StreamLimits } from '../transport/stream';

/** The checkout's root: resources/, out/renderer and package.json are found from it. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DEMO_CONFIG = join(ROOT, 'resources/config/demo.json');
export const TOURS_DIR = join(ROOT, 'resources/tours');
export const RENDERER_DIR = join(ROOT, 'out/renderer');
export const MEDIA_DIR = join(ROOT, 'resources/media');
export const PRESETS: readonly PresetName[] = ['small', 'district', 'city'];

export interface ServerOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  dataDir?: string;
  /** Defaults to the demo config (demo users; refused on a non-loopback host). */
  configPath?: string;
  preset?: string;
  seed?: number;
  /** Simulated seconds per real second; the simulator runs only when `simulate` is on. */
  speed?: number;
  simulate?: boolean;
  historyDays?: number;
  /**
   * The center's time at the first start (default: now). History then fills the days before it:
   * the same weekdays and hours every run, for a reproducible demo or test (a weekend has fewer
   * closures than a working week).
   */
  startAt?: number;
  /** Tests pass a manual clock; the server then never advances time by itself. */
  clock?: Clock;
  /**
   * Wall time for sessions and login delays (default `Date.now`): a session lasts real hours even
   * when the simulation runs at ×60. Tests pass a hand-driven one to expire a session.
   */
  sessionNow?: () => number;
  /** Milliseconds between publishing ticks. */
  tickMs?: number;
  /** Unsent packets a slow client may have before it must resnapshot. */
  maxBufferedPackets?: number;
  /** Lag bounds for acknowledging clients and resume paging (defaults: `server/transport/stream.ts`). */
  streamLimits?: StreamLimits;
  /** Where the presenter's tours are (default resources/tours). */
  toursDir?: string;
}

export interface RunningServer {
  url: string;
  host: string;
  port: number;
  core: CaseCore;
  hub: StreamHub;
  kpis: KpiService;
  presenter: PresenterRelay;
  http: FastifyInstance;
  io: Server;
  preset: PresetData;
  config: ServerConfig;
  /** The simulator when `simulate` is on. With a manual clock the caller drives it (`runUntil`, `tick`). */
  simulator: Simulator | null;
  /** Runs one publishing tick now (tests with a manual clock drive the server with it). */
  tick(): Promise<void>;
  close(): Promise<void>;
}
