import type { WindowRole } from '../../protocol/ipc';

/**
 * The shell's security policy, as pure functions that `app.ts` wires into Electron's hooks:
 * windows show the configured server or our own local pages and nothing else; no page opens windows;
 * permission requests are refused except the few the wall and console need; server pages get a strict
 * Content-Security-Policy on top of whatever the server sends.
 */

/** `https://host:port` of an http(s) URL; null for anything else (file:, javascript:, data:, garbage). */
export const httpOrigin = (url: string): string | null => {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : null;
  } catch {
    return null;
  }
};

export interface OriginPolicy {
  /** Origin of the configured server, e.g. `http://127.0.0.1:8080`. */
  serverOrigin: string;
  /** `file:` URL of the folder of our local pages (settings, connecting), ending in `/`. */
  localPagesUrl: string;
}

/** Whether `url` is one of our local pages: inside the pages folder, no `..` escaping it. */
export const isLocalPage = (url: string, policy: OriginPolicy): boolean => {
  try {
    const parsed = new URL(url);
    return (
      parsed.protocol === 'file:' && parsed.href.startsWith(policy.localPagesUrl) && !parsed.pathname.includes('..')
    );
  } catch {
    return false;
  }
};

export const isServerPage = (url: string, policy: OriginPolicy): boolean => httpOrigin(url) === policy.serverOrigin;

/** Which pages a window of this role may show (IPC checks it too, per message). */
export const urlAllowedFor = (role: WindowRole, url: string, policy: OriginPolicy): boolean =>
  role === 'wall' || role === 'console' ? isServerPage(url, policy) : isLocalPage(url, policy);

/**
 * A navigation the page itself starts (a link, `location.href`, a redirect). Wall and console pages may
 * move within the server (`/wall` → `/login` → `/wall`); local pages never navigate; main loads pages
 * with `loadURL`/`loadFile`, which does not come through here.
 */
export const navigationAllowed = (role: WindowRole, url: string, policy: OriginPolicy): boolean =>
  (role === 'wall' || role === 'console') && isServerPage(url, policy);

/** Permissions the pages need; everything else (camera, microphone, geolocation, notifications…) is refused. */
const PERMISSIONS_BY_ROLE: Record<WindowRole, readonly string[]> = {
  // The wall may go fullscreen itself (presenter mode) and play muted camera clips.
  wall: ['fullscreen'],
  // The console copies case codes to the clipboard.
  console: ['fullscreen', 'clipboard-sanitized-write'],
  settings: [],
  connecting: [],
};

export const permissionAllowed = (
  role: WindowRole | undefined,
  permission: string,
  requestingUrl: string,
  policy: OriginPolicy,
): boolean => {
  if (role === undefined) return false;
  if (!urlAllowedFor(role, requestingUrl, policy)) return false;
  return PERMISSIONS_BY_ROLE[role].includes(permission);
};

const wsOrigin = (origin: string): string => origin.replace(/^http/, 'ws');

/**
 * The Content-Security-Policy for server pages. No inline or remote script, no eval, no plugins, no
 * frames; data only from the server (HTTP and its socket.io WebSocket) and the operator's own tile
 * servers and video gateways. `blob:` workers are maplibre's; `blob:` media is hls.js's MediaSource. Inline styles stay
 * allowed because chart and map libraries set `style` attributes.
 */
export const buildCsp = (serverOrigin: string, extraOrigins: readonly string[] = []): string => {
  const extra = extraOrigins.map((o) => httpOrigin(o)).filter((o): o is string => o !== null);
  const data = [serverOrigin, wsOrigin(serverOrigin), ...extra];
  const directives: Array<[string, string[]]> = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'"]],
    ['worker-src', ["'self'", 'blob:']],
    ['style-src', ["'self'", "'unsafe-inline'"]],
    ['img-src', ["'self'", 'data:', 'blob:', ...extra]],
    ['font-src', ["'self'", 'data:']],
    ['connect-src', ["'self'", ...data]],
    // Camera streams: MP4 and HLS from the server's /media/ or the operator's video gateway.
    ['media-src', ["'self'", 'blob:', serverOrigin, ...extra]],
    ['object-src', ["'none'"]],
    ['frame-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'self'"]],
    ['frame-ancestors', ["'none'"]],
  ];
  return directives.map(([name, values]) => `${name} ${[...new Set(values)].join(' ')}`).join('; ');
};

/** CSP for our local pages (also in their `<meta>`): nothing but their own files. */
export const LOCAL_PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

type Headers = Record<string, string[] | string>;

/**
 * Response headers with our CSP added to documents from the server. A policy the server sends stays:
 * browsers enforce every policy, so ours can only make it stricter.
 */
export const withCsp = (
  url: string,
  resourceType: string,
  headers: Headers,
  csp: string,
  policy: OriginPolicy,
): Headers => {
  if (!isServerPage(url, policy) || (resourceType !== 'mainFrame' && resourceType !== 'subFrame')) return headers;
  const out: Headers = {};
  const existing: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'content-security-policy') existing.push(...(Array.isArray(value) ? value : [value]));
    else out[name] = value;
  }
  out['Content-Security-Policy'] = [...existing, csp];
  return out;
};

/**
 * Whether a request may leave the app at all (`session.webRequest.onBeforeRequest`): the server (HTTP
 * and WebSocket), the operator's tile servers, our local pages, and in-page schemes. Anything else —
 * a CDN, a font service, an analytics beacon — is cancelled: a command center has no internet and
 * loads no remote code.
 */
export const requestAllowed = (url: string, policy: OriginPolicy, extraOrigins: readonly string[]): boolean => {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  switch (parsed.protocol) {
    case 'data:':
    case 'blob:':
    case 'devtools:':
      return true;
    case 'file:':
      return isLocalPage(url, policy);
    case 'http:':
    case 'https:':
      return parsed.origin === policy.serverOrigin || extraOrigins.some((o) => httpOrigin(o) === parsed.origin);
    case 'ws:':
    case 'wss:':
      return parsed.origin.replace(/^ws/, 'http') === policy.serverOrigin;
    default:
      return false;
  }
};
