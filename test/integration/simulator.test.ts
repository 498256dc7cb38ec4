import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Case, COMMAND_TYPES, type CommandType } from '../../protocol';
import { allowedFrom } from '../../protocol/lifecycle';
import { type RunningServer, startServer } from '../../server/app/start';
import { ManualClock } from '../../server/clock';
import { login, removeDir, StreamClient, waitFor } from './helpers';

const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Monday 2026-03-02, 00:00 in Beijing. */
const T0 = Date.parse('2026-03-02T00:00:00+08:00');

// Each simulated day writes thousands of rows: a RAM disk where there is one.
const dataDir = (): string => mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'gridwall-sim-'));

const dirs: string[] = [];
const servers: RunningServer[] = [];
const clients: StreamClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const s of servers.splice(0)) await s.close();
  for (const d of dirs.splice(0)) removeDir(d);
});

async function simServer(preset: string, seed: number, clock: ManualClock): Promise<RunningServer> {
  const dir = dataDir();
  dirs.push(dir);
  const server = await startServer({ host: '127.0.0.1', port: 0, dataDir: dir, preset, seed, clock, simulate: true });
  servers.push(server);
  return server;
}

async function allCases(server: RunningServer): Promise<Case[]> {
  const rows = await server.core.storage.db
    .selectFrom('cases')
    .select('data')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => JSON.parse(r.data) as Case);
}

const COMMANDS = new Set<string>(COMMAND_TYPES);

/** The case went from status to status only by commands the lifecycle allows, in time order. */
function lifecycleErrors(c: Case): string[] {
  const errors: string[] = [];
  const [first, ...rest] = c.timeline;
  if (first?.action !== 'reported' || first.to !== 'reported') errors.push('does not start with reported');
  let status = first?.to;
  let at = first?.at ?? 0;
  for (const e of rest) {
    if (e.at < at) errors.push(`${e.action} goes back in time`);
    at = e.at;
    if (e.from !== status) errors.push(`${e.action} from ${e.from}, but the case was ${status}`);
    if (e.action === 'warning' || e.action === 'overdue') {
      if (e.to !== e.from) errors.push(`${e.action} changed the status`);
    } else {
      const type = e.action.split('.')[0] as CommandType;
      if (!COMMANDS.has(type)) errors.push(`unknown action ${e.action}`);
      else if (e.from ? !allowedFrom(type, e.from) : type !== 'comment') {
        errors.push(`${e.action} is not allowed from ${e.from}`);
      }
    }
    status = e.to;
  }
  if (status !== c.status) errors.push(`ends ${status} but the case is ${c.status}`);
  return errors;
}

describe('simulator', () => {
  it('gives the same case stream for the same seed, on fresh data dirs', async () => {
    const streams: unknown[][] = [];
    for (const seed of [5, 5, 6]) {
      const clock = new ManualClock(T0 + 8 * HOUR);
      const server = await simServer('district', seed, clock);
      await server.simulator?.runUntil(clock, T0 + 10.5 * HOUR, { afterStep: () => server.tick() });
      const cases = await allCases(server);
      streams.push(
        cases.slice(0, 150).map((c) => ({
          id: c.id,
          category: c.category,
          source: c.source,
          priority: c.priority,
          location: c.location,
          gridId: c.gridId,
          reporter: c.reporter,
          description: c.description,
          selfHandled: c.selfHandled,
          createdAt: c.createdAt,
          status: c.status,
        })),
      );
      await server.close();
    }
    expect(streams[0]).toHaveLength(150);
    expect(streams[1]).toEqual(streams[0]);
    expect(streams[2]).not.toEqual(streams[0]);
  });

  // A month of the district takes about 95 s of CPU here (the database writes dominate), too long
  // for the suite on two shared cores: the test plays ten days and holds them to the issue's
  // bounds (2 percentage points); docs/simulator.md has the month's figures.
  const DAYS = 10;
  it(`plays ${DAYS} days of the district with the seeds' figures, every case moved by legal commands`, {
    timeout: 240_000,
  }, async () => {
    const clock = new ManualClock(T0);
    const server = await simServer('district', 1, clock);
    const sim = server.simulator;
    if (!sim) throw new Error('no simulator');
    await sim.runUntil(clock, T0 + DAYS * DAY, { minStepMs: 60_000, afterStep: () => server.tick() });

    const k = await server.kpis.compute(null, { from: T0, to: clock.now() });
    const near = (value: number | null, target: number, what: string) =>
      expect(Math.abs((value ?? -1) - target), `${what}: ${value}`).toBeLessThan(0.02);
    near(k.filingRate, 0.969, 'filing rate');
    near(k.closureRate, 0.988, 'closure rate');
    near(k.satisfactionRate, 0.9175, 'satisfaction');
    near((k.bySource.grid_worker ?? 0) / k.received, 0.7, 'share from grid workers');
    expect(k.received / DAYS).toBeGreaterThan(740);
    expect(k.received / DAYS).toBeLessThan(860);

    const stats = sim.stats();
    expect(stats.errors).toBe(0);
    expect(stats.dropped).toBe(0);

    const cases = await allCases(server);
    expect(cases.length).toBe(k.received);
    const broken = cases.flatMap((c) => lifecycleErrors(c).map((e) => `${c.code}: ${e}`));
    expect(broken.slice(0, 10)).toEqual([]);
    // Everything that changed a case was the simulator's people, the core's deadlines or its auto-dispatch.
    const roles = new Set(cases.flatMap((c) => c.timeline.map((e) => e.actor.role)));
    expect([...roles].sort()).toEqual(['department', 'public', 'supervisor', 'system', 'worker']);

    // Each turn of the loop happens.
    const count = (pred: (c: Case) => boolean) => cases.filter(pred).length;
    const did = (action: string) => count((c) => c.timeline.some((e) => e.action === action));
    for (const action of ['escalate', 'return', 'extend.request', 'extend.approve', 'reopen', 'suspend', 'void']) {
      expect(did(action), action).toBeGreaterThan(0);
    }
    expect(did('overdue')).toBeGreaterThan(0);
    expect(count((c) => c.level === 'district')).toBeGreaterThan(0);
    const urgent = count((c) => c.priority === 'urgent') / cases.length;
    expect(urgent).toBeGreaterThan(0.01);
    expect(urgent).toBeLessThan(0.06);
    // Self-handled: filed, dispatched to the finder, fed back, verified, closed.
    const self = cases.find((c) => c.selfHandled && c.status === 'closed');
    expect(self?.timeline.map((e) => e.action)).toEqual([
      'reported',
      'file',
      'dispatch',
      'feedback',
      'verify',
      'close',
    ]);
    expect(self?.assignee?.id).toBe(self?.timeline[0]?.actor.id);
    // Oil-fume alarms are filed and dispatched by the core itself.
    const fume = cases.find((c) => c.source === 'sensor' && c.category === 'oil_fume');
    expect(fume?.timeline.slice(1, 3).map((e) => [e.action, e.actor.role])).toEqual([
      ['file', 'system'],
      ['dispatch', 'system'],
    ]);
    // Residents leave a name and an 11-digit mobile number.
    const residents = cases.filter((c) => ['hotline', 'wechat', 'app'].includes(c.source));
    expect(residents.length).toBeGreaterThan(0);
    expect(residents.every((c) => /^1[3-9]\d{9}$/.test(c.reporter?.phone ?? ''))).toBe(true);
    // Work orders of rented flats found hazards (9.58 % of them).
    expect(stats.workOrders).toBeGreaterThan(28 * DAYS);
    expect(count((c) => c.source === 'work_order')).toBe(stats.workOrderHazards);

    // Patrols have been round the inspection points, cameras went down and came back.
    const points = sim.inspectionPoints();
    const seenToday = points.filter((p) => p.lastCheckedAt !== null && clock.now() - p.lastCheckedAt < DAY).length;
    expect(seenToday / points.length).toBeGreaterThan(0.5);
    expect(points.some((p) => p.state === 'issue')).toBe(true);
    expect(stats.cameraChanges).toBeGreaterThan(100);
    expect([...server.core.workers.values()].every((w) => w.lastSeen !== null)).toBe(true);
  });

  it('carries on from whatever someone else did to a case, and takes over cases others report', async () => {
    const clock = new ManualClock(T0 + 9 * HOUR);
    const server = await simServer('small', 2, clock);
    const sim = server.simulator;
    if (!sim) throw new Error('no simulator');
    await sim.runUntil(clock, T0 + 11 * HOUR, { afterStep: () => server.tick() });

    // A supervisor at the console files a report before the simulated center gets to it.
    const waiting = [...server.core.cases.values()].find((c) => c.status === 'reported' && !c.selfHandled);
    if (!waiting) throw new Error('no report waiting to be filed');
    const human = { id: 'supervisor', name: '值班长', role: 'supervisor' as const };
    const origin = { actor: human, username: 'supervisor', role: 'supervisor', remoteAddress: '127.0.0.1' };
    const ack = await server.core.command(
      { commandId: 'it-human-file-1', type: 'file', caseId: waiting.id, expectedVersion: waiting.version },
      origin,
    );
    expect(ack.ok).toBe(true);
    // And a resident's report comes in through the hotline desk.
    const foreign = await server.core.report(
      {
        category: 'noise',
        source: 'hotline',
        priority: 'normal',
        description: '楼下商铺音响声音太大',
        location: { lng: server.preset.center[0], lat: server.preset.center[1], address: '测试路 1 号' },
        reporter: { name: '李秀英', phone: '13987654321' },
        media: [],
        selfHandled: false,
      },
      human,
    );
    // Live ticks look for cases others reported.
    await sim.tick(clock.now());
    await sim.runUntil(clock, T0 + 4 * DAY, { afterStep: () => server.tick() });

    const end = (id: string) => server.core.storage.getCase(id);
    const filedByHuman = await end(waiting.id);
    expect(filedByHuman?.status).toMatch(/closed|rejected|voided/);
    expect(filedByHuman?.timeline.filter((e) => e.action === 'file')).toHaveLength(1);
    expect((await end(foreign.id))?.status).toMatch(/closed|rejected|voided|suspended/);
    const stats = sim.stats();
    expect(stats.replanned + stats.conflicts).toBeGreaterThan(0);
    expect(stats.adopted).toBeGreaterThanOrEqual(1);
    expect(stats.errors).toBe(0);
  });

  it('fills --history-days at first start, then runs live: cases, positions and inspection points stream', async () => {
    const dir = dataDir();
    dirs.push(dir);
    const opts = { host: '127.0.0.1', port: 0, dataDir: dir, preset: 'small', seed: 4, simulate: true, speed: 3600 };
    // Two working days before a Thursday 10:00 (UTC+8), whatever day the test runs on: the
    // closures below depend on working days (a weekend's history has a third fewer).
    const before = Date.UTC(2026, 10, 26, 2, 0, 0);
    const server = await startServer({ ...opts, historyDays: 2, startAt: before });
    servers.push(server);
    const history = await allCases(server);
    // About 240 reports a day in the small preset, spread over the two days.
    expect(history.length).toBeGreaterThan(300);
    expect((history[0]?.createdAt ?? 0) - (before - 2 * DAY)).toBeLessThan(3 * HOUR);
    expect(history.filter((c) => c.status === 'closed').length).toBeGreaterThan(200);
    expect(server.core.clock.now()).toBeGreaterThanOrEqual(before);

    const wall = new StreamClient(server.url, await login(server.url, 'wall'));
    clients.push(wall);
    await wall.connected();
    const snap = await waitFor(() => wall.snapshots[0], 'snapshot');
    expect(snap.inspectionPoints.some((p) => p.lastCheckedAt !== null && p.lastCheckedAt > before - DAY)).toBe(true);
    // Workers were moved through the intake of positions while history filled (the live ones
    // move only in patrol hours, which the real time of day may not be in).
    expect(snap.workers.every((w) => w.lastSeen !== null && w.lastSeen >= before - 2 * DAY)).toBe(true);
    // At 3600× (an hour a second) a new case comes within seconds, night or day.
    await waitFor(
      () => wall.events.some((e) => e.type === 'case.upserted' && e.payload.createdAt > snap.at),
      'a live case',
      30_000,
    );
    // The wall never sees a resident's phone number.
    const phones = history.flatMap((c) => (c.reporter ? [c.reporter.phone] : []));
    expect(phones.length).toBeGreaterThan(50);
    const seen = wall.raw.join('\n');
    expect(phones.filter((p) => seen.includes(p))).toEqual([]);
    expect(seen).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);

    // A restart does not fill history again.
    await server.simulator?.stop();
    await server.core.idle();
    const liveStart = server.core.clock.now();
    const pastBefore = await countCasesBefore(server, liveStart);
    wall.close();
    clients.splice(0);
    await server.close();
    servers.splice(0);
    const again = await startServer({ ...opts, historyDays: 2 });
    servers.push(again);
    expect(await countCasesBefore(again, liveStart)).toBe(pastBefore);
  });
});

async function countCasesBefore(server: RunningServer, t: number): Promise<number> {
  const row = await server.core.storage.db
    .selectFrom('cases')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('created_at', '<', t)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
