import { createHash, randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import type { DeviceCredential, Role } from '../../protocol';
import type { UserConfig } from '../config';
import { LoginLimits } from './loginLimits';

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

/** The same check off the event loop (libuv's pool): a burst of logins must not stall the stream. */
export function verifyPasswordAsync(password: string, stored: string): Promise<boolean> {
  const [scheme, saltHex, hashHex] = stored.split('$');
  if (scheme !== 'scrypt' || !saltHex || !hashHex) return Promise.resolve(false);
  const expected = Buffer.from(hashHex, 'hex');
  return new Promise((resolve, reject) =>
    scrypt(password, Buffer.from(saltHex, 'hex'), expected.length, (err, actual) =>
      err ? reject(err) : resolve(actual.length === expected.length && timingSafeEqual(actual, expected)),
    ),
  );
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
  /** One line of the audit log (logins are audited with `command_type: 'login'`). */
  insertAudit(a: LoginAudit): Promise<void>;
}

/** An audit row written for a login: who tried, from where, and what came of it. */
export interface LoginAudit {
  at: number;
  username: string;
  role: string;
  remote_address: string;
  command_id: string;
  command_type: string;
  case_id: string;
  result: string;
  detail: string | null;
}

export type LoginResult =
  | { ok: true; token: string; principal: Principal }
  /** `throttled`: too many failures from this address (or at this account); retry after the delay. */
  | { ok: false; reason: 'wrong' | 'throttled'; retryAfterMs: number };

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

/** An unknown username costs the same scrypt as a known one: the answer's time says nothing. */
let dummyHash: string | null = null;
const dummy = (): string => {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
};

/** Users from the config, people's sessions that expire, and walls' device credentials that do not. */
export class Auth {
  private readonly users: Map<string, UserConfig>;
  private readonly cache = new Map<string, Principal>();
  readonly limits = new LoginLimits();
  /** Called when credentials are revoked, so live connections using them are closed. */
  onRevoke: (tokenHashes: Set<string> | null, deviceId: string | null) => void = () => {};

  constructor(
    users: UserConfig[],
    private readonly storage: CredentialStore,
    private readonly sessionMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.users = new Map(users.map((u) => [u.username, u]));
    // Made now, so the first unknown username does not pay for it (and show by its time).
    dummy();
  }

  displayName(username: string): string {
    return this.users.get(username)?.displayName ?? username;
  }

  /**
   * Checks a password, within the per-address and per-account delays (`LoginLimits`); every try,
   * refused or not, goes to the audit log. Time is `now` (wall time), as for sessions.
   */
  async login(username: string, password: string, address = 'unknown'): Promise<LoginResult> {
    const now = this.now();
    const user = this.users.get(username);
    const verdict = this.limits.check(username, address, now);
    if (!verdict.ok) {
      await this.audit(
        username,
        user?.role ?? '',
        address,
        'throttled',
        `by ${verdict.by}, retry in ${Math.ceil(verdict.retryAfterMs / 1000)} s`,
      );
      return { ok: false, reason: 'throttled', retryAfterMs: verdict.retryAfterMs };
    }
    const valid = await verifyPasswordAsync(password, user?.passwordHash ?? dummy());
    if (!user || !valid) {
      this.limits.failed(username, address, this.now());
      await this.audit(username, user?.role ?? '', address, user ? 'wrong_password' : 'unknown_user', null);
      return { ok: false, reason: 'wrong', retryAfterMs: 0 };
    }
    this.limits.succeeded(username, address);
    await this.audit(username, user.role, address, 'ok', null);
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
    return { ok: true, token, principal };
  }

  private async audit(username: string, role: string, address: string, result: string, detail: string | null) {
    await this.storage.insertAudit({
      at: this.now(),
      username: username.slice(0, 64),
      role,
      remote_address: address.slice(0, 64),
      command_id: '',
      command_type: 'login',
      case_id: '',
      result,
      detail,
    });
  }

  /** Whether a live connection's session has ended (a device credential ends only by revocation). */
  hasExpired(principal: Principal): boolean {
    return principal.expiresAt !== null && principal.expiresAt <= this.now();
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
    if (this.hasExpired(principal)) {
      // Ended sessions leave the cache (it would otherwise grow with every login ever made).
      this.cache.delete(tokenHash);
      return null;
    }
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
