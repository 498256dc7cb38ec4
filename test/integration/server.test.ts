import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Case, CasePage } from '../../protocol';
import type { RunningServer } from '../../server/app/start';
import { startServer } from '../../server/app/start';
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
const clients: StreamClient[] = [];
const connect = async (token: string, since?: number) => {
  const c = new StreamClient(server.url, token, since);
  clients.push(c);
  await c.ready();
  return c;
};
const report = (over: Record<string, unknown> = {}) =>
  reportCase(server.url, sup, { lng: server.preset.center[0], lat: server.preset.center[1], ...over });

beforeEach(async () => {
  dir = tempDir();
  server = await startTestServer(dir);
  sup = await login(server.url, 'supervisor');
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server.close();
  removeDir(dir);
});

describe('stream', () => {
  it('sends a snapshot of the district on connect, then each change as an event', async () => {
    const existing = await report();
    const c = await connect(sup);
    const snap = await waitFor(() => c.snapshots[0], 'snapshot');
    expect(snap.areas.filter((a) => a.level === 'grid').length).toBe(16);
    expect(snap.workers.length).toBeGreaterThan(0);
    expect(snap.departments.length).toBe(19);
    expect(snap.cases.map((x) => x.id)).toContain(existing.id);
    expect(snap.seq).toBe(server.core.lastSeq);

    const created = await report();
    const ev = await waitFor(() => c.caseEvents(created.id)[0], 'case event');
    expect(ev).toMatchObject({ status: 'reported', version: 1, reporter: { phone: '13987654321' } });
    expect(c.events.every((e, i) => i === 0 || e.seq === (c.events[i - 1]?.seq ?? 0) + 1)).toBe(true);
  });

  it('resumes after a disconnect with exactly the missed events: no gap, no duplicate', async () => {
    const first = await connect(sup);
    await waitFor(() => first.snapshots[0], 'snapshot');
    await report();
    await waitFor(() => first.events.length > 0, 'first events');
    const since = first.lastSeq;
    first.close();

    const missed: Case[] = [];
    for (let i = 0; i < 25; i++) missed.push(await report());
    await server.core.idle();

    const resumed = await connect(sup, since);
    await waitFor(() => resumed.lastSeq === server.core.lastSeq, 'caught up');
    const more = await report();
    await waitFor(() => resumed.caseEvents(more.id).length > 0, 'live event after resume');
    expect(resumed.snapshots).toHaveLength(0);
    const seqs = resumed.events.map((e) => e.seq);
    expect(seqs[0]).toBe(since + 1);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => since + 1 + i));
    for (const m of missed) expect(resumed.caseEvents(m.id)).toHaveLength(1);
  });

  it('a since older than the log keeps gets a snapshot instead', async () => {
    for (let i = 0; i < 5; i++) await report();
    await server.core.storage.pruneEvents(2);
    server.hub.flush();
    // Events still in memory serve a resume; a resume from before both memory and database snapshots.
    const c = await connect(sup, 0);
    await waitFor(() => c.snapshots.length + c.events.length > 0, 'first message');
    expect(c.snapshots.length === 1 || c.events[0]?.seq === 1).toBe(true);
  });

  it('a since ahead of the server (a data dir that was reset) gets a snapshot', async () => {
    const c = await connect(sup, 999_999);
    const snap = await waitFor(() => c.snapshots[0], 'snapshot');
    expect(snap.seq).toBe(server.core.lastSeq);
  });

  it('refuses a connection without a valid token', async () => {
    const bad = new StreamClient(server.url, 'not-a-token');
    await expect(bad.connected()).rejects.toThrow(/unauthorized/);
    bad.close();
  });
});

describe('commands', () => {
  it('two supervisors dispatch the same case at once: one wins, the other gets a conflict', async () => {
    const c = await report();
    const sup2 = await login(server.url, 'admin');
    const a = await connect(sup);
    const b = await connect(sup2);
    const filed = await a.command({ commandId: commandId(), caseId: c.id, expectedVersion: 1, type: 'file' });
    expect(filed.ok).toBe(true);
    const [ra, rb] = await Promise.all([
      a.command({
        commandId: commandId(),
        caseId: c.id,
        expectedVersion: 2,
        type: 'dispatch',
        assignee: { kind: 'department', id: 'dept-urban' },
      }),
      b.command({ commandId: commandId(), caseId: c.id, expectedVersion: 2, type: 'reject', reason: '重复' }),
    ]);
    const outcomes = [ra, rb].map((r) => (r.ok ? 'ok' : r.error.code)).sort();
    expect(outcomes).toEqual(['conflict', 'ok']);
    const loser = ra.ok ? rb : ra;
    expect(!loser.ok && loser.error.current?.version).toBe(3);
    // Every client sees the one applied change.
    await waitFor(
      () => a.caseEvents(c.id).some((x) => x.version === 3) && b.caseEvents(c.id).some((x) => x.version === 3),
      'both see v3',
    );
  });

  it('the same commandId twice applies once and answers the same', async () => {
    const c = await report();
    const s = await connect(sup);
    const cmd = { commandId: commandId(), caseId: c.id, expectedVersion: 1, type: 'file' as const };
    const first = await s.command(cmd);
    const again = await s.command(cmd);
    expect(again).toEqual(first);
    const byHttp = await api<{ ok: boolean; case: Case }>(server.url, sup, '/api/commands', {
      method: 'POST',
      body: JSON.stringify(cmd),
    });
    expect(byHttp.body).toEqual(first);
    expect((await api<Case>(server.url, sup, `/api/cases/${c.id}`)).body.version).toBe(2);
  });

  it('the same commandId is still answered the same after a restart', async () => {
    const c = await report();
    const cmd = { commandId: commandId(), caseId: c.id, expectedVersion: 1, type: 'file' as const };
    const first = await api(server.url, sup, '/api/commands', { method: 'POST', body: JSON.stringify(cmd) });
    await server.close();
    server = await startTestServer(dir);
    sup = await login(server.url, 'supervisor');
    const again = await api(server.url, sup, '/api/commands', { method: 'POST', body: JSON.stringify(cmd) });
    expect(again.body).toEqual(first.body);
    expect(server.core.cases.get(c.id)?.version).toBe(2);
  });

  it('bad input gets a typed error, changes nothing and never crashes the server', async () => {
    const c = await report();
    const s = await connect(sup);
    const seqBefore = server.core.lastSeq;
    const bad: unknown[] = [
      null,
      'file',
      { type: 'file' },
      { commandId: commandId(), caseId: c.id, expectedVersion: '1', type: 'file' },
      { commandId: commandId(), caseId: c.id, expectedVersion: 1, type: 'teleport' },
      { commandId: commandId(), caseId: c.id, expectedVersion: 1, type: 'reject' },
      { commandId: commandId(), caseId: c.id, expectedVersion: 1, type: 'comment', note: 'x'.repeat(5000) },
    ];
    for (const raw of bad) {
      const ack = await s.socket.timeout(10_000).emitWithAck('command', raw as never);
      expect(ack).toMatchObject({ ok: false, error: { code: 'invalid' } });
    }
    expect(
      await s.command({ commandId: commandId(), caseId: 'c-nope', expectedVersion: 1, type: 'file' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await s.command({ commandId: commandId(), caseId: c.id, expectedVersion: 1, type: 'verify' })).toMatchObject(
      {
        ok: false,
        error: { code: 'illegal_transition' },
      },
    );
    // A message over the size limit closes that one socket; the server goes on.
    const big = await connect(sup);
    const oversized = {
      commandId: commandId(),
      caseId: c.id,
      expectedVersion: 1,
      type: 'comment',
      note: 'x'.repeat(2_000_000),
    };
    (big.socket.emit as (event: string, payload: unknown) => void)('command', oversized);
    await waitFor(() => !big.socket.connected, 'oversized socket closed');
    const http = await api<{ error: { code: string } }>(server.url, sup, '/api/commands', {
      method: 'POST',
      body: JSON.stringify({ note: 'x'.repeat(300_000) }),
    });
    expect(http.status).toBe(413);
    expect(http.body.error.code).toBe('invalid');
    const malformed = await fetch(`${server.url}/api/commands`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sup}`, 'content-type': 'application/json' },
      body: '{"oops',
    });
    expect(malformed.status).toBe(400);
    expect(server.core.lastSeq).toBe(seqBefore);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });

  it('wall and presenter may not send commands', async () => {
    const c = await report();
    for (const user of ['wall', 'presenter']) {
      const token = await login(server.url, user);
      const s = await connect(token);
      expect(await s.command({ commandId: commandId(), caseId: c.id, expectedVersion: 1, type: 'file' })).toMatchObject(
        {
          ok: false,
          error: { code: 'forbidden' },
        },
      );
      const http = await api(server.url, token, '/api/commands', {
        method: 'POST',
        body: JSON.stringify({ commandId: commandId(), caseId: c.id, expectedVersion: 1, type: 'file' }),
      });
      expect(http.status).toBe(403);
    }
    expect(server.core.cases.get(c.id)?.version).toBe(1);
  });

  it('every applied command is in the audit log, which only admin reads', async () => {
    const c = await report();
    await api(server.url, sup, '/api/commands', {
      method: 'POST',
      body: JSON.stringify({ commandId: 'audit-cmd-1', caseId: c.id, expectedVersion: 1, type: 'file' }),
    });
    expect((await api(server.url, sup, '/api/audit')).status).toBe(403);
    const admin = await login(server.url, 'admin');
    const audit = await api<{
      items: Array<{ username: string; commandId: string; result: string; remoteAddress: string }>;
    }>(server.url, admin, '/api/audit');
    expect(audit.body.items).toContainEqual(
      expect.objectContaining({
        username: 'supervisor',
        commandId: 'audit-cmd-1',
        result: 'ok',
        remoteAddress: '127.0.0.1',
      }),
    );
  });
});

describe('personal data', () => {
  it('a wall token never receives a phone number or reporter name, in the stream or over HTTP', async () => {
    const c = await report();
    const wallToken = await login(server.url, 'wall');
    const wall = await connect(wallToken);
    await waitFor(() => wall.snapshots[0], 'snapshot');
    const s = await connect(sup);
    await s.command({
      commandId: commandId(),
      caseId: c.id,
      expectedVersion: 1,
      type: 'comment',
      note: '已回电 139 8765 4321，李秀英称已清理',
    });
    const later = await report();
    await waitFor(() => wall.caseEvents(later.id).length > 0 && wall.caseEvents(c.id).length > 0, 'wall events');
    const resumed = await connect(wallToken, 0);
    await waitFor(() => resumed.lastSeq === server.core.lastSeq, 'resume');
    const http = [
      await api(server.url, wallToken, `/api/cases/${c.id}`),
      await api(server.url, wallToken, '/api/cases?limit=50'),
      await api(server.url, wallToken, '/api/cases?q=13987654321'),
    ];
    const everything = [...wall.raw, ...resumed.raw, ...http.map((h) => JSON.stringify(h.body))].join('\n');
    expect(everything).toContain(c.code);
    for (const secret of ['13987654321', '139 8765 4321', '李秀英']) expect(everything).not.toContain(secret);
    // The supervisor does see them.
    expect(JSON.stringify(s.caseEvents(c.id))).toContain('李秀英');
    const found = await api<CasePage>(server.url, sup, '/api/cases?q=13987654321');
    expect(found.body.items.map((x) => x.id)).toContain(c.id);
  });
});

describe('persistence', () => {
  it('a restart on the same data dir gives the same snapshot', async () => {
    const s = await connect(sup);
    const c = await report({ priority: 'urgent' });
    await s.command({ commandId: commandId(), caseId: c.id, expectedVersion: 1, type: 'file' });
    await report();
    // [kpis] Snapshots carry the latest pushed figures (at most one push interval old): refresh them now.
    await server.kpis.todayFigures(0);
    await server.kpis.rollingSummary(0);
    const before = await connect(sup);
    const snapBefore = await waitFor(() => before.snapshots[0], 'snapshot');
    await server.close();
    server = await startTestServer(dir);
    sup = await login(server.url, 'supervisor');
    const after = await connect(sup);
    const snapAfter = await waitFor(() => after.snapshots[0], 'snapshot after restart');
    const strip = (x: typeof snapBefore) => ({
      ...x,
      at: 0,
      workers: x.workers.map((w) => ({ ...w, lastSeen: null })),
      kpis: x.kpis ? { ...x.kpis, computedAt: 0 } : null,
      // The rolling window ends now: its bounds move with the clock, its counts must not.
      kpisRolling: x.kpisRolling
        ? { received: x.kpisRolling.received, filed: x.kpisRolling.filed, pending: x.kpisRolling.pending }
        : null,
    });
    expect(snapAfter.cases).toEqual(snapBefore.cases);
    expect(snapAfter.alerts).toEqual(snapBefore.alerts);
    expect(strip(snapAfter)).toEqual(strip(snapBefore));
    // New reports continue the numbering: nothing duplicated.
    const next = await report();
    expect(Number(next.id.slice(1))).toBe(Number(c.id.slice(1)) + 2);
  });

  it('HTTP lists cases with filters and pages', async () => {
    const made: Case[] = [];
    for (let i = 0; i < 7; i++) made.push(await report({ source: i % 2 ? 'wechat' : 'hotline' }));
    const page1 = await api<CasePage>(server.url, sup, '/api/cases?limit=3&source=wechat');
    expect(page1.body.total).toBe(3);
    expect(page1.body.items).toHaveLength(3);
    const all = await api<CasePage>(server.url, sup, '/api/cases?limit=4');
    const next = await api<CasePage>(server.url, sup, `/api/cases?limit=4&cursor=${all.body.next}`);
    const ids = [...all.body.items, ...next.body.items].map((c) => c.id);
    expect(new Set(ids).size).toBe(7);
    expect((await api(server.url, sup, '/api/cases?status=nonsense')).status).toBe(400);
    expect((await api(server.url, sup, '/api/cases/c-unknown')).status).toBe(404);
    expect((await fetch(`${server.url}/api/cases`)).status).toBe(401);
  });
});

describe('device credentials', () => {
  it('admin creates a wall credential that streams without logging in, and revoking it disconnects the wall', async () => {
    const admin = await login(server.url, 'admin');
    const created = await api<{ device: { id: string }; token: string }>(server.url, admin, '/api/devices', {
      method: 'POST',
      body: JSON.stringify({ name: '指挥大厅 1 号屏' }),
    });
    expect(created.status).toBe(201);
    const wall = await connect(created.body.token);
    const snap = await waitFor(() => wall.snapshots[0], 'snapshot');
    expect(snap).toMatchObject({ role: 'wall', masked: true });
    await api(server.url, admin, `/api/devices/${created.body.device.id}`, { method: 'DELETE' });
    await waitFor(() => !wall.socket.connected, 'revoked wall disconnected');
    expect((await api(server.url, created.body.token, '/api/cases')).status).toBe(401);
  });
});

describe('start-up', () => {
  it('refuses the demo config on a non-loopback host', async () => {
    const other = tempDir();
    await expect(startServer({ host: '0.0.0.0', port: 0, dataDir: other, preset: 'small' })).rejects.toThrow(
      /demo passwords/,
    );
    removeDir(other);
  });

  it('npm run server prints its address when ready and shuts down cleanly on SIGTERM', async () => {
    const other = tempDir();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'server/main.ts', '--port', '0', '--data', other, '--preset', 'small', '--no-sim'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const url = await waitFor(
      () => /GridWall server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1],
      'listening line',
      30_000,
    );
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    removeDir(other);
  });
});
