import { sessionCookieName } from '../../protocol/sessionCookie';

/** Browsers keep a cookie at most 400 days; a device credential's cookie asks for that. */
const MAX_AGE_S = 400 * 86_400;

interface Headers {
  host?: string;
  cookie?: string;
  origin?: string;
}

/** The credential in this host's session cookie, if any. */
export function tokenFromCookie(headers: Headers): string | undefined {
  if (!headers.cookie || !headers.host) return undefined;
  const name = sessionCookieName(headers.host);
  for (const part of headers.cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return value === '' ? undefined : value;
    }
  }
  return undefined;
}

/**
 * For a socket handshake: the cookie only when the page is of this server's own origin (a socket
 * is no fetch: the browser does not stop another site's page from opening one; SameSite=Strict
 * already keeps the cookie off it, this says so again).
 */
export function tokenFromHandshakeCookie(headers: Headers): string | undefined {
  if (headers.origin && headers.host) {
    try {
      if (new URL(headers.origin).host !== headers.host) return undefined;
    } catch {
      return undefined;
    }
  }
  return tokenFromCookie(headers);
}

/** `Set-Cookie` for a credential: HttpOnly, SameSite=Strict, until the credential expires. */
export function sessionCookie(host: string, token: string, expiresAt: number | null, now: number, secure: boolean) {
  const maxAge =
    expiresAt === null ? MAX_AGE_S : Math.max(0, Math.min(MAX_AGE_S, Math.floor((expiresAt - now) / 1000)));
  return `${sessionCookieName(host)}=${token}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

export const clearSessionCookie = (host: string): string =>
  `${sessionCookieName(host)}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict`;
