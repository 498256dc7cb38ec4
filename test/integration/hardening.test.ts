import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { RunningServer } from '../../server/app/start';
import { ManualClock } from '../../server/clock';
import { Storage } from '../../server/storage/store';
import { api, login, removeDir, reportCase, StreamClient, startTestServer, tempDir, waitFor } from './helpers';

let dir = '';
let server: RunningServer | null = null;
const clients: Array<{ close(): void }> = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.close();
  server = null;
  removeDir(dir);
});

const stream = (url: string, token: string, since?: number): StreamClient => {
  const c = new StreamClient(url, token, since);
  clients.push(c);
  return c;
};

/**
 * A socket.io client on a bare WebSocket, so a test can stop its reading at the TCP level (the
 * kernel's buffers then fill and the server sees back-pressure). It answers pings, and can ack.
 */
class RawClient {
  readonly ws: WebSocket;
  snapshotSeq = -1;
  lastSeq = 0;
  seqs: number[] = [];
  resyncs = 0;
  closed = false;
  private paused = false;
  constructor(
    url: string,
    auth: Record<string, unknown>,
    private readonly options: { ackEach?: boolean; pauseAfterConnect?: boolean; keepSeqs?: boolean } = {},
  ) {
    this.ws = new WebSocket(`${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
    this.ws.on('close', () => {
      this.closed = true;
    });
    this.ws.on('message', (data: Buffer) => {
      const text = data.toString();
      if (text.startsWith('0')) {
        this.ws.send(`40${JSON.stringify(auth)}`);
        if (this.options.pauseAfterConnect) this.pause();
      } else if (text === '2') this.ws.send('3');
      else if (text.startsWith('42[')) this.onMessage(JSON.parse(text.slice(2)) as [string, unknown]);
      else if (text.startsWith('43')) this.answered.add(Number(/^43(\d+)/.exec(text)?.[1]));
    });
    clients.push(this);
  }
  private onMessage([name, payload]: [string, unknown]): void {
    if (name === 'snapshot') {
      this.snapshotSeq = (payload as { seq: number }).seq;
      this.lastSeq = this.snapshotSeq;
    } else if (name === 'events') {
      for (const e of payload as Array<{ seq: number }>) {
        if (this.options.keepSeqs) this.seqs.push(e.seq);
        this.lastSeq = Math.max(this.lastSeq, e.seq);
      }
      if (this.options.ackEach) this.ack();
    } else if (name === 'resync') this.resyncs += 1;
  }
  ack(): void {
    this.ws.send(`42${JSON.stringify(['ack', { seq: this.lastSeq }])}`);
  }
  private answered = new Set<number>();
  private nextId = 1;
  /** Resolves once the server answered a (malformed) command sent now: it has read everything sent before. */
  async roundTrip(): Promise<void> {
    const id = this.nextId++;
    this.ws.send(`42${id}${JSON.stringify(['command', {}])}`);
    await waitFor(() => this.answered.has(id), 'the server to answer');
  }
  private get tcp(): { pause(): void; resume(): void } {
    return (this.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
  }
  pause(): void {
    this.paused = true;
    this.tcp.pause();
  }
  resume(): void {
    if (this.paused) this.tcp.resume();
    this.paused = false;
  }
  close(): void {
    this.ws.terminate();
  }
}

/** Bytes the server holds in its own memory for one socket: engine.io's write buffer and ws's. */
function heldBytes(socket: unknown): number {
  const conn = (
    socket as { conn: { writeBuffer: Array<{ data?: unknown }>; transport: { socket?: { bufferedAmount?: number } } } }
  ).conn;
  let n = conn.transport.socket?.bufferedAmount ?? 0;
  for (const p of conn.writeBuffer) n += typeof p.data === 'string' ? Buffer.byteLength(p.data) : 0;
  return n;
}

/** POST /api/login from a given loopback address (127.0.0.0/8 is all ours on Linux). */
function loginFrom(
  url: string,
  localAddress: string,
  username: string,
  password: string,
): Promise<{ status: number; retryAfter: string | undefined; body: string }> {
  const body = JSON.stringify({ username, password });
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/api/login`,
      {
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => {
          text += d.toString();
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: res.headers['retry-after'] as string | undefined,
            body: text,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('sessions end on the stream too', () => {
  it('an expired session is closed within a second, gets no batch and no snapshot on resync', async () => {
    dir = tempDir();
    const sessionClock = new ManualClock(Date.now());
    server = await startTestServer(dir, { sessionNow: () => sessionClock.now() });
    const url = server.url;
    const old = stream(url, await login(url, 'supervisor'));
    await old.ready();
    const closed = new Promise<number>((resolve) => old.socket.on('disconnect', () => resolve(Date.now())));
    const snapshots = old.snapshots.length;
    const events = old.events.length;

    sessionClock.advance(server.config.sessionHours * 3_600_000 + 1);
    const expiredAt = Date.now();
    // Asking for a snapshot after expiry, and a case reported by someone else, bring it nothing.
    old.socket.emit('resync');
    const other = await login(url, 'supervisor');
    const c = await reportCase(url, other, { lng: server.preset.center[0], lat: server.preset.center[1] });
    const watcher = stream(url, other);
    await watcher.ready();
    await waitFor(() => old.socket.disconnected, 'the expired socket to be closed', 2_000);
    expect((await closed) - expiredAt).toBeLessThan(1_000);
    expect(old.snapshots.length).toBe(snapshots);
    expect(old.events.length).toBe(events);
    expect(old.raw.join('\n')).not.toContain(c.id);
    expect(server.hub.stats.sessionsEnded).toBe(1);
  });

  it('logging out closes that session’s sockets at once; a wall device keeps streaming', async () => {
    dir = tempDir();
    const sessionClock = new ManualClock(Date.now());
    server = await startTestServer(dir, { sessionNow: () => sessionClock.now() });
    const url = server.url;
    const sup = await login(url, 'supervisor');
    const admin = await login(url, 'admin');
    const device = await api<{ token: string }>(url, admin, '/api/devices', {
      method: 'POST',
      body: JSON.stringify({ name: '大屏', role: 'wall' }),
    });
    const s = stream(url, sup);
    const wall = stream(url, device.body.token);
    await Promise.all([s.ready(), wall.ready()]);
    expect((await api(url, sup, '/api/logout', { method: 'POST' })).status).toBe(200);
    await waitFor(() => s.socket.disconnected, 'the logged-out socket to be closed', 2_000);
    // A device credential has no expiry: a year on, it still streams.
    sessionClock.advance(365 * 86_400_000);
    const c = await reportCase(url, await login(url, 'admin'), {
      lng: server.preset.center[0],
      lat: server.preset.center[1],
    });
    await waitFor(() => wall.caseEvents(c.id).length > 0, 'the wall to get the new case');
    expect(wall.socket.connected).toBe(true);
  });
});

describe('login abuse', () => {
  it('200 wrong passwords from one address are refused, the owner logs in from another, all audited', async () => {
    dir = tempDir();
    server = await startTestServer(dir);
    const url = server.url;
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    for (let i = 0; i < 200; i++) {
      const r = await loginFrom(url, '127.0.0.1', 'supervisor', `guess-${i}`);
      statuses.push(r.status);
      if (r.status === 429) retryAfter ??= r.retryAfter;
      if (r.status === 429) expect(JSON.parse(r.body)).toMatchObject({ error: { code: 'rate_limited' } });
    }
    const checked = statuses.filter((s) => s === 401).length;
    // Only the free tries (and one per expired delay) get a password check; the rest are refused unchecked.
    expect(checked).toBeLessThanOrEqual(15);
    expect(statuses.filter((s) => s === 429).length).toBe(200 - checked);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    // The account's owner, elsewhere, is not locked out.
    expect((await loginFrom(url, '127.0.0.2', 'supervisor', 'supervisor')).status).toBe(200);
    // The attacker's address stays refused even with the right password.
    expect((await loginFrom(url, '127.0.0.1', 'supervisor', 'supervisor')).status).toBe(429);

    const admin = await loginFrom(url, '127.0.0.3', 'admin', 'admin');
    const token = (JSON.parse(admin.body) as { token: string }).token;
    const audit = await api<{ items: Array<{ commandType: string; result: string; remoteAddress: string }> }>(
      url,
      token,
      '/api/audit?limit=1000',
    );
    const logins = audit.body.items.filter((a) => a.commandType === 'login');
    expect(logins.filter((a) => a.result === 'wrong_password').length).toBe(checked);
    expect(logins.filter((a) => a.result === 'throttled').length).toBe(201 - checked);
    expect(logins.filter((a) => a.result === 'ok').map((a) => a.remoteAddress)).toEqual(['127.0.0.3', '127.0.0.2']);
  });
});

describe('back-pressure from acknowledgements', () => {
  it('a client that acknowledges, then stops reading, is resynced within the bound and dropped after', async () => {
    dir = tempDir();
    server = await startTestServer(dir, { streamLimits: { maxLagMs: 1_000, lagDropMs: 2_000 } });
    const url = server.url;
    const sup = await login(url, 'supervisor');
    const slow = new RawClient(url, { token: sup });
    const reader = new RawClient(url, { token: sup }, { ackEach: true });
    await waitFor(() => slow.snapshotSeq >= 0 && reader.snapshotSeq >= 0, 'both snapshots');
    slow.ack();
    reader.ack();
    await Promise.all([slow.roundTrip(), reader.roundTrip()]);
    const sockets = () => [...(server?.io.sockets.sockets.values() ?? [])];
    slow.pause();
    const sentAt = Date.now();
    for (let i = 0; i < 3; i++)
      await reportCase(url, sup, { lng: server.preset.center[0], lat: server.preset.center[1] });
    await waitFor(() => server?.hub.stats.resnapshots === 1, 'the slow client to be told to resync', 5_000);
    // maxLagMs plus one sweep (250 ms) and the reports' own time.
    expect(Date.now() - sentAt).toBeLessThan(2_000);
    expect(reader.resyncs).toBe(0);
    // It never asks for its snapshot (it does not read): dropped after lagDropMs.
    await waitFor(() => server?.hub.stats.lagDrops === 1, 'the slow client to be dropped', 5_000);
    expect(sockets().length).toBe(1);
    expect(reader.closed).toBe(false);
  });
});

describe('resume that streams', () => {
  it('eight since: 0 resumes that do not read hold one page each; one that reads gets every event', async () => {
    dir = tempDir();
    server = await startTestServer(dir);
    let url = server.url;
    const admin = await login(url, 'admin');
    const device = await api<{ token: string }>(url, admin, '/api/devices', {
      method: 'POST',
      body: JSON.stringify({ name: '大屏', role: 'wall' }),
    });
    const c = await reportCase(url, admin, { lng: server.preset.center[0], lat: server.preset.center[1] });
    await server.close();
    server = null;
    // A sizeable log, written straight into the event table: 3,000 events of ~6 KB (18 MB of JSON).
    const storage = await Storage.openSqlite(dir);
    let seq = await storage.lastSeq();
    const big = { ...c, description: `${c.description}${'现场情况说明'.repeat(330)}` };
    for (let chunk = 0; chunk < 15; chunk++) {
      const rows = Array.from({ length: 200 }, () => {
        seq += 1;
        return { seq, at: c.createdAt, type: 'case.upserted', payload: JSON.stringify({ ...big, version: seq }) };
      });
      await storage.db.insertInto('events').values(rows).execute();
    }
    await storage.close();
    server = await startTestServer(dir);
    url = server.url;
    const lastSeq = seq;
    const heapBefore = process.memoryUsage().heapUsed;
    const walls = Array.from(
      { length: 8 },
      () => new RawClient(url, { token: device.body.token, since: 0 }, { pauseAfterConnect: true, keepSeqs: true }),
    );
    const hub = server.hub;
    const rooms = server.io.sockets.adapter.rooms;
    // Each resume has sent what the kernel's buffers take and waits for its reader (or, unpaged, is done).
    await waitFor(
      () => (hub.stats.resumesWaiting ?? 0) + (rooms.get('masked')?.size ?? 0) === 8,
      'eight resumes waiting for their readers',
    );
    const held = [...server.io.sockets.sockets.values()].map(heldBytes);
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    console.log(
      `resume: held per socket ${held.map((b) => (b / 1e6).toFixed(2)).join(', ')} MB; heap +${(heapGrowth / 1e6).toFixed(0)} MB`,
    );
    expect(held.length).toBe(8);
    // One page (at most 1 MB of JSON characters; CJK text is 3 bytes a character) and the frame around it.
    for (const b of held) expect(b).toBeLessThan(3.5 * 1024 * 1024);
    expect(heapGrowth).toBeLessThan(150 * 1024 * 1024);

    const reading = walls[0] as RawClient;
    reading.resume();
    await waitFor(() => reading.lastSeq === lastSeq, 'the reading wall to get every event', 60_000);
    expect(reading.seqs).toEqual(Array.from({ length: lastSeq }, (_, i) => i + 1));
  });

  it('a resume further back than the bound gets a snapshot instead', async () => {
    dir = tempDir();
    server = await startTestServer(dir, { streamLimits: { resumeMaxEvents: 2 } });
    const sup = await login(server.url, 'supervisor');
    for (let i = 0; i < 3; i++)
      await reportCase(server.url, sup, { lng: server.preset.center[0], lat: server.preset.center[1] });
    const s = stream(server.url, sup, 0);
    await s.ready();
    expect(s.snapshots.length).toBe(1);
    expect(s.events.length).toBe(0);
  });
});

describe('HTTP errors', () => {
  it('a refused path is 403 forbidden, not unavailable', async () => {
    dir = tempDir();
    server = await startTestServer(dir);
    const res = await fetch(`${server.url}/media/%00`);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } });
  });
});
