import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../protocol';
import { Auth, isLoopbackHost, usesDemoPasswords } from '../access/auth';
import { CaseCore } from '../cases/core';
import { type Clock, ScaledClock } from '../clock';
import { loadConfig, type ServerConfig } from '../config';
import { KpiService } from '../kpis/compute';
import { KpiPusher, registerKpiRoutes } from '../kpis/routes';
import { registerOpen311 } from '../open311/routes';
import { PresenterRelay } from '../presenter/relay';
import { registerPresenterRoutes } from '../presenter/routes';
import { TourLibrary } from '../presenter/tours';
import { generatePreset, type PresetData, type PresetName } from '../presets';
import { HistoryClock, Simulator } from '../simulator';
import { Storage } from '../storage/store';
import { commandHandler } from '../transport/commands';
import { buildHttp } from '../transport/http';
import { type SocketData, StreamHub } from '../transport/stream';
import { jsonOnlyParser } from '../transport/wire';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DEMO_CONFIG = join(ROOT, 'resources/config/demo.json');
const TOURS_DIR = join(ROOT, 'resources/tours');
const PRESETS: readonly PresetName[] = ['small', 'district', 'city'];

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
  /** Milliseconds between publishing ticks. */
  tickMs?: number;
  /** Unsent packets a slow client may have before it must resnapshot. */
  maxBufferedPackets?: number;
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

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const configPath = options.configPath ?? DEMO_CONFIG;
  const config = loadConfig(configPath);
  if (usesDemoPasswords(config.users) && !isLoopbackHost(host)) {
    throw new Error(
      `refusing to serve ${host}: the config ${configPath} has demo passwords (each user's name). Give users real password hashes or listen on 127.0.0.1.`,
    );
  }
  const storage = await Storage.openSqlite(resolve(options.dataDir ?? 'data'));

  // The data dir remembers its preset and seed: a restart continues the same district.
  const storedPreset = await storage.getMeta('preset');
  const presetName = (storedPreset ?? options.preset ?? 'district') as PresetName;
  if (!PRESETS.includes(presetName)) throw new Error(`unknown preset ${presetName}: use one of ${PRESETS.join(', ')}`);
  const seed = Number((await storage.getMeta('seed')) ?? options.seed ?? 1);
  if (storedPreset === null) {
    await storage.setMeta('preset', presetName);
    await storage.setMeta('seed', String(seed));
  }
  const preset = generatePreset(presetName, seed);

  const speed = options.speed ?? 1;
  const storedTime = Number((await storage.getMeta('clock')) ?? 0);
  const liveStart = Math.max(options.startAt ?? Date.now(), storedTime);
  // --history-days at first start: the simulator plays the past days on a clock it sets, then the
  // clock goes live (scaled) from where they end.
  const historyDays = options.simulate && !options.clock ? (options.historyDays ?? 0) : 0;
  const historyClock =
    historyDays > 0 && (await storage.caseCount()) === 0
      ? new HistoryClock(liveStart - historyDays * 86_400_000, speed)
      : null;
  const clock = options.clock ?? historyClock ?? new ScaledClock(liveStart, speed);

  const core = new CaseCore(storage, config, clock, preset.categories);
  await core.start(() => ({
    areas: preset.areas,
    workers: preset.workers,
    departments: preset.departments,
    cameras: preset.cameras,
    sensors: preset.sensors,
  }));
  const simulator = options.simulate ? new Simulator(core, preset, { seed }) : null;
  if (simulator && historyClock) {
    console.log(`GridWall: filling ${historyDays} days of simulated history…`);
    // Nobody listens yet: the events are in the log; drop them from memory as they come.
    await simulator.runUntil(historyClock, liveStart, { afterStep: () => core.takePending() });
    historyClock.goLive();
    await storage.setMeta('clock', String(clock.now()));
  }
  const kpis = KpiService.forCore(core);
  await kpis.init();
  const auth = new Auth(config.users, storage.access, config.sessionHours * 3_600_000);

  // The hub exists only once the HTTP server does; the relay reaches it through this late binding.
  let hubRef: StreamHub | null = null;
  const loaded = await TourLibrary.load(options.toursDir ?? TOURS_DIR).forDistrict({
    camera: (id) => core.cameras.has(id),
    case: async (id) => core.cases.has(id) || (await storage.getCase(id)) !== null,
  });
  for (const w of loaded.warnings) console.warn(`GridWall: ${w}`);
  const tours = loaded.library;
  const presenter = new PresenterRelay(tours, {
    broadcast: (p) => hubRef?.broadcastPresentation(p),
    maskWalls: (on) => hubRef?.setWallMasking(on),
    persist: (p) => storage.setMeta('presentation', JSON.stringify(p)),
  });

  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const startedAt = Date.now();
  const commands = commandHandler(core, auth);
  const http = await buildHttp({
    core,
    auth,
    commands,
    version,
    startedAt,
    rendererDir: join(ROOT, 'out/renderer'),
    mediaDir: join(ROOT, 'resources/media'),
    simulator: () => (options.simulate ? { preset: presetName, speed, simTime: clock.now() } : null),
    seq: () => core.lastSeq,
    extraRoutes: (app, guards) => {
      registerKpiRoutes(app, kpis, guards.anyRole);
      registerOpen311(app, core);
      registerPresenterRoutes(app, tours, presenter, guards);
    },
    masksWalls: () => presenter.active,
  });
  const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(http.server, {
    // An oversized message closes that socket, never the server.
    maxHttpBufferSize: 1_000_000,
    parser: jsonOnlyParser,
    cors: { origin: false },
    pingInterval: 10_000,
    pingTimeout: 10_000,
  });
  const hub = new StreamHub(io, core, auth, commands, {
    snapshotExtras: () => ({ inspectionPoints: simulator ? simulator.inspectionPoints() : preset.inspectionPoints }),
    kpis: () => kpis.latestToday(),
    maxBufferedPackets: options.maxBufferedPackets,
    presentation: () => presenter.current,
    onPublished: (events) => presenter.onPublished(events),
  });
  hubRef = hub;
  // A presentation that ran when the server stopped goes on: its walls stay masked from the first message.
  presenter.restore(await storage.getMeta('presentation'));

  // Publish right after each commit (batched by the event loop), not only on the next tick: the
  // delay from a command's ack to its event on every wall stays a few milliseconds.
  let flushQueued = false;
  core.onEvents(() => {
    if (flushQueued) return;
    flushQueued = true;
    setImmediate(() => {
      flushQueued = false;
      hub.flush();
    });
  });

  const kpiPusher = new KpiPusher(hub, kpis, (l) => core.onEvents(l));

  await http.listen({ host, port: options.port ?? 8080 });
  const port = (http.server.address() as AddressInfo).port;

  let ticking = false;
  let lastDeadlineRun = 0;
  let lastPositions = 0;
  let lastHousekeeping = Date.now();
  const tick = async (): Promise<void> => {
    if (ticking) return;
    ticking = true;
    try {
      const now = Date.now();
      if (now - lastDeadlineRun >= 250 || options.clock) {
        lastDeadlineRun = now;
        await core.runDeadlines();
      }
      hub.flush();
      if (now - lastPositions >= 200) {
        lastPositions = now;
        hub.flushPositions();
      }
      kpiPusher.tick(now);
      if (now - lastHousekeeping >= 60_000) {
        lastHousekeeping = now;
        core.evictEnded();
        await storage.setMeta('clock', String(clock.now()));
        await storage.pruneEvents(config.eventRetention);
      }
    } catch (err) {
      console.error('tick failed:', err);
    } finally {
      ticking = false;
    }
  };
  const timer = options.clock ? null : setInterval(() => void tick(), options.tickMs ?? 50);
  if (simulator && !options.clock) simulator.startLive();

  const displayHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      if (timer) clearInterval(timer);
      await kpiPusher.idle();
      await simulator?.stop();
      await core.close();
      hub.flush();
      await storage.setMeta('clock', String(clock.now()));
      await storage.saveWorkers([...core.workers.values()]);
      io.disconnectSockets(true);
      await new Promise<void>((done) => io.close(() => done()));
      await http.close().catch(() => {});
      await storage.close();
    })();
    return closing;
  };

  return {
    url: `http://${displayHost}:${port}`,
    host,
    port,
    core,
    hub,
    kpis,
    presenter,
    http,
    io: io as unknown as Server,
    preset,
    config,
    simulator,
    tick,
    close,
  };
}
