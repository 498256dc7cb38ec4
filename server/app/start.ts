import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Server } from 'socket.io';
import { Auth } from '../access/auth';
import { CaseCore } from '../cases/core';
import { KpiService } from '../kpis/compute';
import { KpiPusher } from '../kpis/routes';
import { Simulator } from '../simulator';
import { Storage } from '../storage/store';
import { chooseClock, loadSafeConfig, openDistrict } from './district';
import type { RunningServer, ServerOptions } from './options';
import { checkDataDir, checkPort } from './preflight';
import { startPresenter } from './presenter';
import { makeTick, publishOnCommit } from './ticker';
import { openTransport } from './transport';

export { DEMO_CONFIG, type RunningServer, type ServerOptions } from './options';

/** Starts the case server: data, core, simulator, KPIs, access, presenter, transport, then the tick. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const config = loadSafeConfig(host, options.configPath);
  const dataDir = resolve(options.dataDir ?? 'data');
  // Cheap checks first: a bad data dir or a taken port is said before any work is done.
  checkDataDir(dataDir);
  await checkPort(host, options.port ?? 8080);
  const storage = await Storage.openSqlite(dataDir);
  const { presetName, seed, preset } = await openDistrict(storage, options);
  const { clock, speed, history } = await chooseClock(storage, options);

  const core = new CaseCore(storage, config, clock, preset.categories);
  await core.start(() => ({
    areas: preset.areas,
    workers: preset.workers,
    departments: preset.departments,
    cameras: preset.cameras,
    sensors: preset.sensors,
  }));
  const simulator = options.simulate ? new Simulator(core, preset, { seed }) : null;
  const kpis = KpiService.forCore(core);
  // The KPI rollup follows every write from here, the history fill's included (no scan after it).
  await kpis.startRollup();
  if (simulator && history) {
    console.log(`GridWall: filling ${history.days} days of simulated history…`);
    // Nobody listens yet: the events are dropped from memory as they come (bulk mode logs none).
    // In bulk: tens of thousands of ops a transaction, written while the next are simulated.
    await core.bulk(() =>
      simulator.runUntil(history.clock, history.liveStart, { afterStep: () => core.takePending() }),
    );
    history.clock.goLive();
    await storage.setMeta('clock', String(clock.now()));
  }
  await kpis.init();
  const auth = new Auth(config.users, storage.access, config.sessionHours * 3_600_000, options.sessionNow);
  const presenter = await startPresenter(core, storage, options.toursDir);

  const { http, io, hub } = await openTransport({
    core,
    auth,
    kpis,
    presenter,
    simulator,
    preset,
    simulatorHealth: () => (options.simulate ? { preset: presetName, speed, simTime: clock.now() } : null),
    options,
  });
  // A presentation that ran when the server stopped goes on: its walls stay masked from the first message.
  presenter.relay.restore(await storage.getMeta('presentation'));
  publishOnCommit(core, hub);
  const kpiPusher = new KpiPusher(hub, kpis, (l) => core.onEvents(l));

  await http.listen({ host, port: options.port ?? 8080 });
  const port = (http.server.address() as AddressInfo).port;

  const tick = makeTick({ core, hub, kpiPusher, storage, clock, config, manualClock: options.clock !== undefined });
  const timer = options.clock ? null : setInterval(() => void tick(), options.tickMs ?? 50);
  if (simulator && !options.clock) simulator.startLive();

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      if (timer) clearInterval(timer);
      // Every step runs even when one before it fails (a full disk must not keep the port and the
      // database open); the first failure is reported once everything is released.
      let failure: unknown = null;
      const step = async (run: () => unknown) => {
        try {
          await run();
        } catch (err) {
          failure ??= err;
        }
      };
      await step(() => kpiPusher.idle());
      await step(() => simulator?.stop());
      await step(() => core.close());
      await step(() => hub.flush());
      await step(() => storage.setMeta('clock', String(clock.now())));
      await step(() => storage.saveWorkers([...core.workers.values()]));
      io.disconnectSockets(true);
      await new Promise<void>((done) => io.close(() => done()));
      await http.close().catch(() => {});
      await step(() => storage.close());
      if (failure) throw failure;
    })();
    return closing;
  };

  const displayHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${displayHost}:${port}`,
    host,
    port,
    core,
    hub,
    kpis,
    presenter: presenter.relay,
    http,
    io: io as unknown as Server,
    preset,
    config,
    simulator,
    tick,
    close,
  };
}
