/**
 * The HttpOnly cookie that carries a wall's credential in browser mode and in the Electron shell,
 * so no page script can read it (issue 24). Browsers send a host's cookies to every port of it, so
 * the name carries the host and port the page was loaded from (the request's `Host`): two servers,
 * or a server and a proxy in front of it, on one machine never share a credential.
 */
export const SESSION_COOKIE_PREFIX = 'gridwall_';

export function sessionCookieName(host: string): string {
  return `${SESSION_COOKIE_PREFIX}${host.toLowerCase().replace(/[^a-z0-9]/g, '_')}`;
}
