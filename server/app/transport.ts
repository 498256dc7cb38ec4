import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Server } from 'socket.io';
import type { ClientToServerEvents, Health, ServerToClientEvents } from '../../protocol';
import type { Auth } from '../access/auth';
import type { CaseCore } from '../cases/core';
import type { KpiService } from '../kpis/compute';
import { registerKpiRoutes } from '../kpis/routes';
import { registerOpen311 } from '../open311/routes';
import { registerPresenterRoutes } from '../presenter/routes';
import type { PresetData } from '../presets';
import type { Simulator } from '../simulator';
import { commandHandler } from '../transport/commands';
import { buildHttp } from '../transport/http';
import { registerSessionCookie } from '../transport/sessionCookie';
import { type SocketData, StreamHub } from '../transport/stream';
import { jsonOnlyParser } from '../transport/wire';
import { MEDIA_DIR, RENDERER_DIR, ROOT, type ServerOptions } from './options';
import type { Presenter } from './presenter';

export interface TransportDeps {
  core: CaseCore;
  auth: Auth;
  kpis: KpiService;
  presenter: Presenter;
  simulator: Simulator | null;
  preset: PresetData;
  /** What `/health` says of the simulator. */
  simulatorHealth: () => Health['simulator'];
  options: ServerOptions;
}

export interface Transport {
  http: FastifyInstance;
  io: Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
  hub: StreamHub;
}

/** HTTP routes (the core's, KPIs, Open311, the presenter's) and the socket stream, with one command handler. */
export async function openTransport(d: TransportDeps): Promise<Transport> {
  const { core, auth, kpis, presenter } = d;
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const commands = commandHandler(core, auth);
  const http = await buildHttp({
    core,
    auth,
    commands,
    version,
    startedAt: Date.now(),
    rendererDir: RENDERER_DIR,
    mediaDir: MEDIA_DIR,
    simulator: d.simulatorHealth,
    seq: () => core.lastSeq,
    extraRoutes: (app, guards) => {
      registerKpiRoutes(app, kpis, guards.anyRole);
      registerOpen311(app, core);
      registerPresenterRoutes(app, presenter.tours, presenter.relay, guards);
      registerSessionCookie(app, auth);
    },
    masksWalls: () => presenter.relay.active,
  });
  const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(http.server, {
    // An oversized message closes that socket, never the server.
    maxHttpBufferSize: 1_000_000,
    parser: jsonOnlyParser,
    cors: { origin: false },
    pingInterval: 10_000,
    pingTimeout: 10_000,
  });
  const { simulator, preset } = d;
  const hub = new StreamHub(io, core, auth, commands, {
    snapshotExtras: () => ({ inspectionPoints: simulator ? simulator.inspectionPoints() : preset.inspectionPoints }),
    kpis: () => kpis.latestToday(),
    kpisRolling: () => kpis.latestRolling(),
    maxBufferedPackets: d.options.maxBufferedPackets,
    limits: d.options.streamLimits,
    presentation: () => presenter.relay.current,
    onPublished: (events) => presenter.relay.onPublished(events),
  });
  presenter.bindHub(hub);
  return { http, io, hub };
}
