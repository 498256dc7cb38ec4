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
    expect(login?.principal).toMatchObject({ role: 'supervisor', kind: 'session', expiresAt: now + 3_600_000 });
    const token = login?.token ?? '';
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

  it('refuses wrong passwords and locks out after repeated failures', async () => {
    expect(await auth.login('supervisor', 'nope')).toBeNull();
    expect(await auth.login('ghost', 'ghost')).toBeNull();
    for (let i = 0; i < 5; i++) await auth.login('admin', 'wrong');
    expect(await auth.login('admin', 'admin')).toBeNull();
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
