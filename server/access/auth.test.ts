import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Storage } from '../storage/store';
import { Auth, hashPassword, isLoopbackHost, usesDemoPasswords, verifyPassword } from './auth';

describe('passwords', () => {
  it('stores a salted scrypt hash, never the password', () => {
    const h = hashPassword('s3cret');
    expect(h).toMatch(/^scrypt\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
    expect(h).not.toContain('s3cret');
    expect(hashPassword('s3cret')).not.toBe(h);
    expect(verifyPassword('s3cret', h)).toBe(true);
    expect(verifyPassword('S3cret', h)).toBe(false);
    expect(verifyPassword('s3cret', 'plain')).toBe(false);
  });

  it('recognises a demo config and loopback hosts', () => {
    expect(usesDemoPasswords([{ username: 'wall', role: 'wall', passwordHash: hashPassword('wall') }])).toBe(true);
    expect(usesDemoPasswords([{ username: 'wall', role: 'wall', passwordHash: hashPassword('x9!') }])).toBe(false);
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('::1')).toBe(true);
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
    expect(isLoopbackHost('192.168.1.10')).toBe(false);
  });
});

describe('sessions and device credentials', () => {
  let dir: string;
  let storage: Storage;
  let now: number;
  let auth: Auth;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gw-auth-'));
    storage = await Storage.openSqlite(dir);
    now = 1_000_000;
    auth = new Auth(
      [
        { username: 'supervisor', role: 'supervisor', passwordHash: hashPassword('supervisor') },
        { username: 'admin', role: 'admin', passwordHash: hashPassword('admin') },
      ],
      storage.access,
      3_600_000,
      () => now,
    );
  });
  afterEach(async () => {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a person session expires, renews, and survives a restart of the server', async () => {
    const login = await auth.login('supervisor', 'supervisor');
    if (!login.ok) throw new Error('login refused');
    expect(login.principal).toMatchObject({ role: 'supervisor', kind: 'session', expiresAt: now + 3_600_000 });
    const token = login.token;
    const restarted = new Auth(
      [{ username: 'supervisor', role: 'supervisor', passwordHash: hashPassword('x') }],
      storage.access,
      3_600_000,
      () => now,
    );
    expect(await restarted.authenticate(token)).toMatchObject({ username: 'supervisor' });
    now += 3_000_000;
    const p = await auth.authenticate(token);
    expect(p).not.toBeNull();
    if (p) await auth.renew(p);
    now += 3_000_000;
    expect(await auth.authenticate(token)).not.toBeNull();
    now += 3_600_000;
    expect(await auth.authenticate(token)).toBeNull();
  });

  it('slows an address after repeated failures, without locking the owner out elsewhere; audits each try', async () => {
    expect(await auth.login('supervisor', 'nope', '10.0.0.9')).toMatchObject({ ok: false, reason: 'wrong' });
    expect(await auth.login('ghost', 'ghost', '10.0.0.9')).toMatchObject({ ok: false, reason: 'wrong' });
    for (let i = 0; i < 9; i++) await auth.login('admin', 'wrong', '10.0.0.9');
    const refused = await auth.login('admin', 'admin', '10.0.0.9');
    expect(refused).toMatchObject({ ok: false, reason: 'throttled' });
    expect(await auth.login('admin', 'admin', '10.0.0.1')).toMatchObject({ ok: true });
    // The delay grows: 1 s after the first failure over the free ones, then 2 s, 4 s…
    now += refused.ok ? 0 : refused.retryAfterMs;
    expect(await auth.login('admin', 'wrong', '10.0.0.9')).toMatchObject({ ok: false, reason: 'wrong' });
    expect(await auth.login('admin', 'admin', '10.0.0.9')).toMatchObject({ ok: false, retryAfterMs: 2_000 });
    const audit = await storage.access.listAudit(100, null);
    expect(audit.map((a) => a.result).reverse()).toEqual([
      'wrong_password',
      'unknown_user',
      ...Array(9).fill('wrong_password'),
      'throttled',
      'ok',
      'wrong_password',
      'throttled',
    ]);
    expect(audit.every((a) => a.commandType === 'login')).toBe(true);
  });

  it('an unknown username costs the same password work as a known one', async () => {
    const time = async (username: string, i: number) => {
      const t = performance.now();
      await auth.login(username, 'wrong', `10.1.0.${i}`);
      return performance.now() - t;
    };
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 7; i++) {
      known.push(await time('supervisor', i));
      unknown.push(await time(`nobody-${i}`, i + 100));
    }
    const ratio = median(known) / median(unknown);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });

  it('a wall device credential never expires, and stops working once revoked', async () => {
    const { device, token } = await auth.createDevice('大屏一号', 'wall', 'admin');
    now += 365 * 86_400_000;
    expect(await auth.authenticate(token)).toMatchObject({ role: 'wall', kind: 'device', deviceId: device.id });
    const revoked: string[] = [];
    auth.onRevoke = (_t, id) => revoked.push(id ?? '');
    expect(await auth.revokeDevice(device.id)).toBe(true);
    expect(revoked).toEqual([device.id]);
    expect(await auth.authenticate(token)).toBeNull();
    expect(await auth.revokeDevice('dev-unknown')).toBe(false);
  });

  it('an unknown or oversized token is refused', async () => {
    expect(await auth.authenticate('nope')).toBeNull();
    expect(await auth.authenticate('x'.repeat(1000))).toBeNull();
    expect(await auth.authenticate(undefined)).toBeNull();
  });
});
