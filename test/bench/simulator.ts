import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, EventBatch, ServerToClientEvents } from '../../protocol';
import { startServer } from '../../server/app/start';
import { ManualClock } from '../../server/clock';

/**
 * Simulator speed with the server's full pipeline: the simulator plays simulated days as fast as
 * it can (a manual clock stepped from one due action to the next, as when it fills history)
 * through the core (SQLite on disk, group commit, deadline scheduler), and every event goes out
 * on the stream to a connected wall.
 */
export interface SimulatorBenchResult {
  preset: string;
  simulatedDays: number;
  wallSeconds: number;
  cpuSeconds: number;
  simulatedDaysPerSecond: number;
  casesPerSimulatedDay: number;
  workOrdersPerSimulatedDay: number;
  commandsApplied: number;
  eventsLogged: number;
  eventsReceivedByWall: number;
  /** Times the wall fell too far behind and took a fresh snapshot instead. */
  wallResyncs: number;
  eventsPerSecond: number;
}

const DAY = 86_400_000;
/** Monday 2026-03-02, 00:00 in Beijing: whole days, weekdays first. */
const START = Date.parse('2026-03-02T00:00:00+08:00');

export async function benchSimulator(options: {
  preset: 'small' | 'district' | 'city';
  days: number;
  seed?: number;
  /** Smallest simulated step (the history fill uses the default, 15 s). */
  minStepMs?: number;
}): Promise<SimulatorBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'gridwall-bench-sim-'));
  const clock = new ManualClock(START);
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    dataDir: dir,
    preset: options.preset,
    seed: options.seed ?? 1,
    clock,
    simulate: true,
  });
  let wall: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  try {
    const simulator = server.simulator;
    if (!simulator) throw new Error('the server started without its simulator');
    const res = await fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'wall', password: 'wall' }),
    });
    const { token } = (await res.json()) as { token: string };
    let received = 0;
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(server.url, {
      auth: { token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    wall = socket;
    let resyncs = 0;
    socket.on('events', (batch: EventBatch) => {
      received += batch.length;
    });
    // Too far behind: the server says so, the wall asks for a fresh snapshot (as the renderer does).
    socket.on('resync', () => {
      resyncs += 1;
      socket.emit('resync');
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('snapshot', () => resolve());
      socket.once('connect_error', reject);
    });

    const seq0 = server.core.lastSeq;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await simulator.runUntil(clock, START + options.days * DAY, {
      minStepMs: options.minStepMs,
      afterStep: () => server.tick(),
    });
    await server.core.idle();
    server.hub.flush();
    const wallSeconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const events = server.core.lastSeq - seq0;
    // Let the wall read what is still on its way.
    const deadline = Date.now() + 10_000;
    while (received < events && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));

    const stats = simulator.stats();
    const cases = await server.core.storage.caseCount();
    const commandsApplied = Object.values(stats.commands).reduce((a, b) => a + b, 0);
    return {
      preset: options.preset,
      simulatedDays: options.days,
      wallSeconds: round(wallSeconds, 1),
      cpuSeconds: round((cpu.user + cpu.system) / 1e6, 1),
      simulatedDaysPerSecond: round(options.days / wallSeconds, 3),
      casesPerSimulatedDay: Math.round(cases / options.days),
      workOrdersPerSimulatedDay: Math.round(stats.workOrders / options.days),
      commandsApplied,
      eventsLogged: events,
      eventsReceivedByWall: received,
      wallResyncs: resyncs,
      eventsPerSecond: Math.round(events / wallSeconds),
    };
  } finally {
    wall?.disconnect();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

// `npx tsx test/bench/simulator.ts [district|city] [days]`: other sizes than `npm run bench simulator`.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const only = process.argv[2];
  const runs: Array<{ preset: 'district' | 'city'; days: number }> = [
    { preset: 'district', days: Number(process.argv[3] ?? 3) },
    { preset: 'city', days: Number(process.argv[3] ?? 0.5) },
  ];
  for (const run of runs.filter((r) => !only || r.preset === only)) {
    const r = await benchSimulator(run);
    console.log(`\n## simulator, ${run.preset}, ${run.days} simulated days`);
    for (const [k, v] of Object.entries(r)) console.log(`  ${k.padEnd(30)} ${v}`);
  }
  process.exit(0);
}
