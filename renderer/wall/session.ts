import { LoginResponse } from '../../protocol';
import type { GridwallBridge } from '../../protocol/ipc';

const TOKEN_KEY = 'gridwall.wall.token';

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

/**
 * The wall's credential, in order: the shell's device credential, `?token=` (remembered in
 * localStorage, so a wall provisioned once by URL keeps it), the remembered one, the demo user.
 * `refresh` skips the remembered token: the server has just refused it.
 */
export async function wallToken(origin: string, params: URLSearchParams, refresh = false): Promise<string> {
  const shell = shellBridge();
  if (shell) {
    const t = await shell.deviceToken();
    if (t) return t;
  }
  const fromUrl = params.get('token');
  if (fromUrl && !refresh) {
    localStorage.setItem(TOKEN_KEY, fromUrl);
    return fromUrl;
  }
  const remembered = localStorage.getItem(TOKEN_KEY);
  if (remembered && !refresh) return remembered;
  if (refresh) localStorage.removeItem(TOKEN_KEY);
  return demoLogin(origin);
}
