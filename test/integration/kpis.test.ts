import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, CommandAck, KpiUpdate } from '../../protocol';
import { KpiFigures, KpiSummary } from '../../protocol';
import type { RunningServer } from '../../server/app/start';
import {
  api,
  commandId,
  login,
  removeDir,
  reportCase,
  StreamClient,
  startTestServer,
  tempDir,
  waitFor,
} from './helpers';

let dir: string;
let server: RunningServer;
let sup: string;
let wall: string;
const clients: StreamClient[] = [];

const report = (over: Record<string, unknown> = {}): Promise<Case> =>
  reportCase(server.url, sup, { lng: server.preset.center[0], lat: server.preset.center[1], ...over });
const kpis = (token: string, query = '') => api<KpiFigures>(server.url, token, `/api/kpis${query}`);
/** Today's local date in the calendar's UTC+8. */
const localDate = (t: number) => new Date(t + 8 * 3_600_000).toISOString().slice(0, 10);

beforeAll(async () => {
  dir = tempDir();
  server = await startTestServer(dir);
  sup = await login(server.url, 'supervisor');
  wall = await login(server.url, 'wall');
});
afterAll(async () => {
  for (const c of clients.splice(0)) c.close();
  await server.close();
  removeDir(dir);
});

describe('GET /api/kpis', () => {
  it('needs a login; any role reads it', async () => {
    const res = await fetch(`${server.url}/api/kpis`);
    expect(res.status).toBe(401);
    expect((await kpis(wall)).status).toBe(200);
  });

  it("counts today's cases by source and area, and follows the lifecycle", async () => {
    const a = await report();
    await report({ source: 'wechat' });
    const posted = await fetch(`${server.url}/open311/v2/requests.json`, {
      method: 'POST',
      body: new URLSearchParams({
        api_key: 'demo',
        service_code: 'dirty_road',
        lat: String(server.preset.center[1]),
        long: String(server.preset.center[0]),
        description: '路面有油污',
      }),
    });
    expect(posted.status).toBe(201);

    const today = await kpis(wall, '?period=today');
    expect(today.status).toBe(200);
    expect(KpiFigures.safeParse(today.body).success).toBe(true);
    const root = server.core.areas.find((x) => x.parentId === null);
    expect(today.body).toMatchObject({
      areaId: root?.id,
      received: 3,
      filed: 0,
      bySource: { hotline: 1, wechat: 1, open311: 1 },
      byCategory: { dirty_road: 3 },
      // 3 received is under kpis.minSample (20): no rate, and the count says why.
      minSample: 20,
      filingRate: null,
    });
    const grid = server.core.areaById.get(a.gridId);
    const community = server.core.areaById.get(grid?.parentId ?? '');
    const street = server.core.areaById.get(community?.parentId ?? '');
    expect(today.body.byArea[street?.id ?? '']).toBe(3);
    expect(today.body.ranking.find((r) => r.areaId === community?.id)).toMatchObject({
      level: 'community',
      received: 3,
    });
    expect(today.body.hourly.reduce((s, h) => s + h.received, 0)).toBe(3);

    const filed = await api<CommandAck>(server.url, sup, '/api/commands', {
      method: 'POST',
      body: JSON.stringify({ commandId: commandId(), caseId: a.id, expectedVersion: 1, type: 'file' }),
    });
    expect(filed.body.ok).toBe(true);
    const after = await kpis(wall);
    expect(after.body.filed).toBe(1);
    expect(after.body.filingRate).toBeNull();
    expect(after.body.pending).toBe(3);

    // A street: its communities are the breakdown.
    const byStreet = await kpis(sup, `?area=${street?.id}`);
    expect(byStreet.body.areaId).toBe(street?.id);
    expect(byStreet.body.received).toBe(3);
    expect(Object.keys(byStreet.body.byArea).sort()).toEqual(
      server.core.areas
        .filter((x) => x.parentId === street?.id)
        .map((x) => x.id)
        .sort(),
    );
    // The other street saw nothing.
    const other = server.core.areas.find((x) => x.level === 'street' && x.id !== street?.id);
    expect((await kpis(sup, `?area=${other?.id}`)).body.received).toBe(0);
  });

  it('answers this week, this month and custom local dates', async () => {
    const today = (await kpis(wall)).body;
    const week = (await kpis(wall, '?period=week')).body;
    const month = (await kpis(wall, '?period=month')).body;
    expect(week.period.from).toBeLessThanOrEqual(today.period.from);
    expect(week.period.to - week.period.from).toBe(7 * 86_400_000);
    expect(month.period.from).toBeLessThanOrEqual(today.period.from);
    expect(week.received).toBe(today.received);
    expect(month.received).toBe(today.received);
    const date = localDate(server.core.clock.now());
    const custom = (await kpis(wall, `?from=${date}&to=${date}`)).body;
    expect(custom.period).toEqual(today.period);
    expect(custom.received).toBe(today.received);
  });

  it('answers the closed and rolling periods, with denominators and the spans compared', async () => {
    const DAY = 86_400_000;
    const today = (await kpis(wall)).body;
    const rolling = await kpis(wall, '?period=rolling30');
    expect(rolling.status).toBe(200);
    expect(KpiFigures.safeParse(rolling.body).success).toBe(true);
    const r = rolling.body;
    expect(r.period.to - r.period.from).toBe(30 * DAY);
    expect(r.period.to).toBeGreaterThanOrEqual(today.period.from);
    expect(r.received).toBeGreaterThanOrEqual(today.received);
    expect(r.minSample).toBe(20);
    expect(typeof r.rated).toBe('number');
    expect(r.change.previous).toEqual({ from: r.period.from - 30 * DAY, to: r.period.from });
    expect(typeof r.change.previousReceived).toBe('number');
    for (const row of r.ranking) expect(typeof row.dueToClose).toBe('number');
    // A running day is compared with the same elapsed span of yesterday.
    expect(today.change.previous?.from).toBe(today.period.from - DAY);
    expect(today.change.previous?.to).toBeLessThanOrEqual(today.period.from);
    for (const [name, days] of [
      ['rolling7', 7],
      ['yesterday', 1],
      ['lastWeek', 7],
    ] as const) {
      const res = await kpis(wall, `?period=${name}`);
      expect(res.status, name).toBe(200);
      expect(res.body.period.to - res.body.period.from, name).toBe(days * DAY);
    }
    const lastMonth = (await kpis(wall, '?period=lastMonth')).body;
    const month = (await kpis(wall, '?period=month')).body;
    expect(lastMonth.period.to).toBe(month.period.from);
    expect(lastMonth.change.previous?.to).toBe(lastMonth.period.from);
  });

  it('refuses an unknown area (404) and a malformed period (400)', async () => {
    expect((await kpis(wall, '?area=nowhere')).status).toBe(404);
    for (const q of [
      '?from=2026-11-01',
      '?period=year',
      '?period=today&from=2026-11-01&to=2026-11-02',
      '?from=2026-11-02&to=2026-11-01',
      '?from=soon&to=later',
    ]) {
      const res = await kpis(wall, q);
      expect(res.status, q).toBe(400);
      expect(res.body).toHaveProperty('error.code', 'invalid');
    }
  });
});

describe('KPIs in the stream', () => {
  it("a snapshot carries today's figures at once and changes are pushed", async () => {
    const c = new StreamClient(server.url, wall);
    clients.push(c);
    const pushed: KpiUpdate[] = [];
    c.socket.on('kpis', (u) => pushed.push(u));
    await c.connected();
    const snap = await waitFor(() => c.snapshots[0], 'snapshot');
    expect(KpiFigures.safeParse(snap.kpis).success).toBe(true);
    // The rolling-30-day rates beside today's counts: no breakdowns, the streets ranked.
    expect(KpiSummary.safeParse(snap.kpisRolling).success).toBe(true);
    expect(snap.kpisRolling?.period.to).toBeGreaterThan(snap.kpisRolling?.period.from ?? 0);
    expect(snap.kpisRolling).not.toHaveProperty('hourly');
    expect(snap.kpisRolling?.ranking.every((r) => r.level === 'street')).toBe(true);
    await report();
    const expected = (await kpis(wall)).body.received;
    // Refreshed and pushed at most every 5 s of real time, after events.
    const update = await waitFor(() => pushed.find((u) => u.kpis.received === expected), 'kpi push', 15_000);
    expect(KpiFigures.safeParse(update.kpis).success).toBe(true);
    expect(KpiSummary.safeParse(update.rolling).success).toBe(true);
    expect(update.rolling?.minSample).toBe(20);
    // A client connecting now gets the pushed figures in its snapshot.
    const late = new StreamClient(server.url, wall);
    clients.push(late);
    await late.connected();
    expect((await waitFor(() => late.snapshots[0], 'late snapshot')).kpis?.received).toBe(expected);
  });
});
