import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../protocol';
import type { RunningServer } from '../../server/app/start';
import { api, login, removeDir, startTestServer, tempDir } from './helpers';

/** Issue 24: a page trades its token for an HttpOnly cookie that HTTP and the stream accept. */
let dir: string;
let server: RunningServer;
let host: string;

beforeAll(async () => {
  dir = tempDir();
  server = await startTestServer(dir);
  host = new URL(server.url).host;
});
afterAll(async () => {
  await server.close();
  removeDir(dir);
});

const cookieName = () => `gridwall_${host.replace(/[^a-z0-9]/g, '_')}`;

async function exchange(token: string): Promise<Response> {
  return fetch(`${server.url}/api/session/cookie`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
}

function streamWithCookie(cookie: string, origin?: string, since?: number): Promise<Snapshot | string> {
  const socket = io(server.url, {
    auth: since === undefined ? {} : { since },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders: { cookie, ...(origin ? { origin } : {}) },
  });
  return new Promise((resolve) => {
    socket.on('snapshot', (s) => {
      socket.disconnect();
      resolve(s);
    });
    // A resume: the missed events, then positions, and no snapshot.
    socket.on('positions', () => {
      socket.disconnect();
      resolve('resumed');
    });
    socket.on('connect_error', (err) => {
      socket.disconnect();
      resolve(err.message);
    });
  });
}

describe('the session cookie', () => {
  it('is set HttpOnly and SameSite=Strict for this host, and the answer carries no token', async () => {
    const token = await login(server.url, 'wall');
    const res = await exchange(token);
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(
      new RegExp(`^${cookieName()}=${token}; Path=/; Max-Age=\\d+; HttpOnly; SameSite=Strict$`),
    );
    const body = await res.text();
    expect(body).not.toContain(token);
    expect(JSON.parse(body)).toMatchObject({ role: 'wall', kind: 'session' });
  });

  it('stands for the token over HTTP and on the stream; a wrong host, a foreign page or no token get nothing', async () => {
    const token = await login(server.url, 'wall');
    await exchange(token);
    const cookie = `${cookieName()}=${token}`;
    const state = (c: string) =>
      fetch(`${server.url}/api/session/cookie`, { headers: { cookie: c } }).then((r) => r.json());
    expect(await state(cookie)).toEqual({ active: true, role: 'wall', kind: 'session' });
    expect(await state(`${cookieName()}=not-a-token`)).toEqual({ active: false });
    const me = await fetch(`${server.url}/api/me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ role: 'wall' });
    // Another server on this host (another port) has its own cookie name: this one means nothing there.
    expect((await fetch(`${server.url}/api/me`, { headers: { cookie: `gridwall_other_8081=${token}` } })).status).toBe(
      401,
    );

    const snapshot = await streamWithCookie(cookie);
    expect(typeof snapshot === 'string' ? snapshot : snapshot.role).toBe('wall');
    expect(await streamWithCookie(cookie, undefined, server.core.lastSeq)).toBe('resumed');
    expect(await streamWithCookie(cookie, 'https://evil.example')).toMatch(/unauthorized/);
    expect(await streamWithCookie(`${cookieName()}=not-a-token`)).toMatch(/unauthorized/);
  });

  it('is given only for a bearer token, and a bearer token still wins over a cookie', async () => {
    const wall = await login(server.url, 'wall');
    const res = await fetch(`${server.url}/api/session/cookie`, {
      method: 'POST',
      headers: { cookie: `${cookieName()}=${wall}` },
    });
    expect(res.status).toBe(401);
    const sup = await login(server.url, 'supervisor');
    const me = await api<{ role: string }>(server.url, sup, '/api/me', {
      headers: { cookie: `${cookieName()}=${wall}` },
    });
    expect(me.body.role).toBe('supervisor');
  });
});
