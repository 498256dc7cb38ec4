import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { DeviceCredential, Role } from '../../protocol';
import type { UserConfig } from '../config';

const KEY_LENGTH = 32;

export function hashPassword(password: string, salt = randomBytes(16)): string {
  return `scrypt$${salt.toString('hex')}$${scryptSync(password, salt, KEY_LENGTH).toString('hex')}`;
}

export function verifyPassword(password: string, stored: string): boolean {
  const [scheme, saltHex, hashHex] = stored.split('$');
  if (scheme !== 'scrypt' || !saltHex || !hashHex) return false;
  const expected = Buffer.from(hashHex, 'hex');
  const actual = scryptSync(password, Buffer.from(saltHex, 'hex'), expected.length);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A config whose users log in with their own name as password: fine on loopback, never on a network. */
export const usesDemoPasswords = (users: UserConfig[]): boolean =>
  users.some((u) => verifyPassword(u.username, u.passwordHash));

export const isLoopbackHost = (host: string): boolean =>
  host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);

/** A session or device token as kept (the `sessions` table's row): only its hash is stored. */
export interface SessionRecord {
  token_hash: string;
  username: string;
  role: string;
  /** `session` for a person, `device` for a wall's credential. */
  kind: string;
  device_id: string | null;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
}

/** Where sessions and device credentials are kept (the server's storage: `Storage.access`). */
export interface CredentialStore {
  insertSession(s: SessionRecord): Promise<void>;
  findSession(tokenHash: string): Promise<SessionRecord | null>;
  updateSessionExpiry(tokenHash: string, expiresAt: number): Promise<void>;
  revokeSessions(where: { tokenHash?: string; deviceId?: string }, at: number): Promise<void>;
  insertDevice(d: DeviceCredential): Promise<void>;
  markDevice(id: string, set: { revoked_at?: number; last_used_at?: number }): Promise<number>;
}

export interface Principal {
  username: string;
  role: Role;
  kind: 'session' | 'device';
  deviceId: string | null;
  expiresAt: number | null;
  tokenHash: string;
}

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
const newToken = (): string => randomBytes(32).toString('base64url');

const MAX_FAILURES = 5;
const LOCKOUT_MS = 60_000;

/** Users from the config, people's sessions that expire, and walls' device credentials that do not. */
export class Auth {
  private readonly users: Map<string, UserConfig>;
  private readonly cache = new Map<string, Principal>();
  private readonly failures = new Map<string, { count: number; until: number }>();
  /** Called when credentials are revoked, so live connections using them are closed. */
  onRevoke: (tokenHashes: Set<string> | null, deviceId: string | null) => void = () => {};

  constructor(
    users: UserConfig[],
    private readonly storage: CredentialStore,
    private readonly sessionMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.users = new Map(users.map((u) => [u.username, u]));
  }

  displayName(username: string): string {
    return this.users.get(username)?.displayName ?? username;
  }

  async login(username: string, password: string): Promise<{ token: string; principal: Principal } | null> {
    const now = Date.now();
    const f = this.failures.get(username);
    if (f && f.count >= MAX_FAILURES && f.until > now) return null;
    const user = this.users.get(username);
    if (!user || !verifyPassword(password, user.passwordHash)) {
      const count = (f && f.until > now ? f.count : 0) + 1;
      this.failures.set(username, { count, until: now + LOCKOUT_MS });
      return null;
    }
    this.failures.delete(username);
    const token = newToken();
    const principal: Principal = {
      username,
      role: user.role,
      kind: 'session',
      deviceId: null,
      expiresAt: this.now() + this.sessionMs,
      tokenHash: hashToken(token),
    };
    await this.storage.insertSession({
      token_hash: principal.tokenHash,
      username,
      role: user.role,
      kind: 'session',
      device_id: null,
      created_at: this.now(),
      expires_at: principal.expiresAt,
      revoked_at: null,
    });
    this.cache.set(principal.tokenHash, principal);
    return { token, principal };
  }

  async authenticate(token: string | undefined | null): Promise<Principal | null> {
    if (!token || token.length > 256) return null;
    const tokenHash = hashToken(token);
    let principal = this.cache.get(tokenHash) ?? null;
    if (!principal) {
      const row = await this.storage.findSession(tokenHash);
      if (!row || row.revoked_at !== null) return null;
      // A user removed from the config loses access even with a live session.
      if (row.kind === 'session' && !this.users.has(row.username)) return null;
      principal = {
        username: row.username,
        role: row.role as Role,
        kind: row.kind as Principal['kind'],
        deviceId: row.device_id,
        expiresAt: row.expires_at,
        tokenHash,
      };
      this.cache.set(tokenHash, principal);
    }
    if (principal.expiresAt !== null && principal.expiresAt <= this.now()) return null;
    return principal;
  }

  /** Slides a person's session forward; a device credential has nothing to renew. */
  async renew(principal: Principal): Promise<number | null> {
    if (principal.kind === 'device') return null;
    const expiresAt = this.now() + this.sessionMs;
    await this.storage.updateSessionExpiry(principal.tokenHash, expiresAt);
    principal.expiresAt = expiresAt;
    return expiresAt;
  }

  async logout(principal: Principal): Promise<void> {
    await this.storage.revokeSessions({ tokenHash: principal.tokenHash }, this.now());
    this.cache.delete(principal.tokenHash);
    this.onRevoke(new Set([principal.tokenHash]), null);
  }

  async createDevice(name: string, role: 'wall' | 'presenter', createdBy: string) {
    const token = newToken();
    const device: DeviceCredential = {
      id: `dev-${randomBytes(6).toString('hex')}`,
      name,
      role,
      createdAt: this.now(),
      createdBy,
      revokedAt: null,
      lastUsedAt: null,
    };
    await this.storage.insertDevice(device);
    await this.storage.insertSession({
      token_hash: hashToken(token),
      username: `device:${name}`,
      role,
      kind: 'device',
      device_id: device.id,
      created_at: device.createdAt,
      expires_at: null,
      revoked_at: null,
    });
    return { device, token };
  }

  async revokeDevice(id: string): Promise<boolean> {
    const at = this.now();
    const n = await this.storage.markDevice(id, { revoked_at: at });
    if (n === 0) return false;
    await this.storage.revokeSessions({ deviceId: id }, at);
    for (const [hash, p] of this.cache) if (p.deviceId === id) this.cache.delete(hash);
    this.onRevoke(null, id);
    return true;
  }
}
