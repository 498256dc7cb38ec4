import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/app/start';
import { ManualClock } from '../../server/clock';
import { api, login, removeDir, reportCase, StreamClient, startTestServer, tempDir, waitFor } from './helpers';

let dir = '';
let server: RunningServer | null = null;
const clients: StreamClient[] = [];
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

describe('HTTP errors', () => {
  it('a refused path is 403 forbidden, not unavailable', async () => {
    dir = tempDir();
    server = await startTestServer(dir);
    const res = await fetch(`${server.url}/media/%00`);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } });
  });
});
