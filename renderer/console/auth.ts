import { z } from 'zod';
import { isPrivileged, LoginResponse, Role } from '../../protocol';

/**
 * A supervisor's session on the console. The token is kept in sessionStorage: a reload (or a
 * crashed window coming back) stays logged in, a closed window does not. The session slides
 * forward while the supervisor works; one that ran out asks for the password again over the
 * screen as it is, so nothing typed or selected is lost.
 */

export interface SessionInfo {
  token: string;
  username: string;
  role: Role;
  expiresAt: number | null;
}

const StoredSession = z.object({
  token: z.string().min(1),
  username: z.string(),
  role: Role,
  expiresAt: z.number().nullable(),
});

const Me = z.object({ username: z.string(), role: Role, expiresAt: z.number().nullable() });
const Renewed = z.object({ expiresAt: z.number().nullable() });

const STORAGE_KEY = 'gridwall.console.session';

export type LoginError = 'credentials' | 'throttled' | 'role' | 'network' | 'server';

export type LoginResult =
  | { ok: true; session: SessionInfo }
  | { ok: false; error: LoginError; role?: Role; retryAfterS?: number };

export async function login(origin: string, username: string, password: string): Promise<LoginResult> {
  let res: Response;
  try {
    res = await fetch(`${origin}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
  } catch {
    return { ok: false, error: 'network' };
  }
  if (res.status === 401 || res.status === 400) return { ok: false, error: 'credentials' };
  if (res.status === 429) {
    // The server slows repeated failures down; say how long to wait instead of "server error".
    const retryAfterS = Math.max(1, Number(res.headers.get('retry-after')) || 1);
    return { ok: false, error: 'throttled', retryAfterS };
  }
  if (!res.ok) return { ok: false, error: 'server' };
  const parsed = LoginResponse.safeParse(await res.json().catch(() => null));
  if (!parsed.success) return { ok: false, error: 'server' };
  const s = parsed.data;
  if (!isPrivileged(s.role)) {
    // A wall or presenter account: its token is of no use here; end it at once.
    void fetch(`${origin}/api/logout`, { method: 'POST', headers: { authorization: `Bearer ${s.token}` } }).catch(
      () => undefined,
    );
    return { ok: false, error: 'role', role: s.role };
  }
  return { ok: true, session: { token: s.token, username: s.username, role: s.role, expiresAt: s.expiresAt } };
}

export type CheckResult =
  | { ok: true; session: SessionInfo }
  | { ok: false; error: 'expired' | 'role' | 'network'; role?: Role };

/** Checks a token the page already holds (after a reload, or given by the Electron shell). */
export async function checkToken(origin: string, token: string): Promise<CheckResult> {
  let res: Response;
  try {
    res = await fetch(`${origin}/api/me`, { headers: { authorization: `Bearer ${token}` } });
  } catch {
    return { ok: false, error: 'network' };
  }
  if (res.status === 401) return { ok: false, error: 'expired' };
  if (!res.ok) return { ok: false, error: 'network' };
  const parsed = Me.safeParse(await res.json().catch(() => null));
  if (!parsed.success) return { ok: false, error: 'network' };
  if (!isPrivileged(parsed.data.role)) return { ok: false, error: 'role', role: parsed.data.role };
  return { ok: true, session: { token, ...parsed.data } };
}

export type RenewResult = { ok: true; expiresAt: number | null } | { ok: false; error: 'expired' | 'network' };

export async function renew(origin: string, token: string): Promise<RenewResult> {
  try {
    const res = await fetch(`${origin}/api/session/renew`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    if (res.status === 401) return { ok: false, error: 'expired' };
    if (!res.ok) return { ok: false, error: 'network' };
    const parsed = Renewed.safeParse(await res.json().catch(() => null));
    return parsed.success ? { ok: true, expiresAt: parsed.data.expiresAt } : { ok: false, error: 'network' };
  } catch {
    return { ok: false, error: 'network' };
  }
}

export function loadStoredSession(storage: Pick<Storage, 'getItem'> = sessionStorage): SessionInfo | null {
  try {
    const raw = storage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const parsed = StoredSession.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function storeSession(
  session: SessionInfo | null,
  storage: Pick<Storage, 'setItem' | 'removeItem'> = sessionStorage,
): void {
  if (session) storage.setItem(STORAGE_KEY, JSON.stringify(session));
  else storage.removeItem(STORAGE_KEY);
}

export interface RenewalState {
  expiresAt: number | null;
  lastRenewAt: number;
  lastActivityAt: number;
}

export interface RenewalPolicy {
  /** Renew at most this often. */
  everyMs: number;
  /** Only while the supervisor did something this recently: an abandoned desk lets its session run out. */
  activeWithinMs: number;
}

export const DEFAULT_RENEWAL: RenewalPolicy = { everyMs: 5 * 60_000, activeWithinMs: 30 * 60_000 };

/** What the session timer should do now. */
export function renewalStep(
  now: number,
  s: RenewalState,
  policy: RenewalPolicy = DEFAULT_RENEWAL,
): 'expired' | 'renew' | 'wait' {
  if (s.expiresAt !== null && now >= s.expiresAt) return 'expired';
  if (s.expiresAt === null) return 'wait';
  const active = now - s.lastActivityAt <= policy.activeWithinMs;
  return active && now - s.lastRenewAt >= policy.everyMs ? 'renew' : 'wait';
}
