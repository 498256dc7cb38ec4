import { LoginResponse } from '../../protocol';
import type { GridwallBridge } from '../../protocol/ipc';

/** Where an older wall kept `?token=`: read once, moved into the cookie, then deleted. */
const LEGACY_TOKEN_KEY = 'gridwall.wall.token';

/**
 * The wall's credential as the page holds it: nothing. It lives in an HttpOnly cookie that the
 * server set (browser mode) or the Electron shell set (its device credential), which no page
 * script can read; HTTP and the stream send it by themselves. An empty token tells the stream
 * worker and the fetches to send no `Authorization` of their own.
 */
export const COOKIE_CREDENTIAL = '';

/** The Electron shell's bridge, when the page runs in one of its windows. */
export function shellBridge(): GridwallBridge | null {
  const b = (globalThis as { gridwall?: GridwallBridge }).gridwall;
  return b?.isElectron ? b : null;
}

async function demoLogin(origin: string): Promise<string> {
  // The demo `wall` user exists on a loopback server only; a real wall has a device credential.
  const res = await fetch(`${origin}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'wall', password: 'wall' }),
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const parsed = LoginResponse.safeParse(await res.json());
  if (!parsed.success) throw new Error('bad login response');
  return parsed.data.token;
}

/** Trades a token for the HttpOnly session cookie; false where the server refuses it. */
async function toCookie(origin: string, token: string): Promise<boolean> {
  const res = await fetch(`${origin}/api/session/cookie`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  }).catch(() => null);
  return res?.ok === true;
}

/** Whether the session cookie (ours, or the shell's device credential) is accepted now. */
async function cookieWorks(origin: string): Promise<boolean> {
  const res = await fetch(`${origin}/api/session/cookie`).catch(() => null);
  if (!res?.ok) return false;
  const body = (await res.json().catch(() => null)) as { active?: unknown } | null;
  return body?.active === true;
}

/** `?token=` leaves the address bar and the history entry: it is not to be copied or bookmarked. */
function dropTokenFromUrl(params: URLSearchParams): void {
  if (!params.has('token') || typeof location === 'undefined') return;
  const url = new URL(location.href);
  url.searchParams.delete('token');
  history.replaceState(history.state, '', url);
}

/**
 * The wall's credential, in order: `?token=` (provisioning by URL; taken once), a token an older
 * version left in localStorage, the cookie from before (a reload; in Electron the shell's device
 * credential), the demo user. Each is traded for the HttpOnly cookie and forgotten. `refresh`: the
 * server has just refused the cookie.
 */
export async function wallToken(origin: string, params: URLSearchParams, refresh = false): Promise<string> {
  const given = refresh ? null : (params.get('token') ?? localStorage.getItem(LEGACY_TOKEN_KEY));
  localStorage.removeItem(LEGACY_TOKEN_KEY);
  dropTokenFromUrl(params);
  params.delete('token');
  if (given && (await toCookie(origin, given))) return COOKIE_CREDENTIAL;
  if (!refresh && (await cookieWorks(origin))) return COOKIE_CREDENTIAL;
  const demo = await demoLogin(origin);
  // A server without the exchange (older) still takes the bearer token.
  return (await toCookie(origin, demo)) ? COOKIE_CREDENTIAL : demo;
}
