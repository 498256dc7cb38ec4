import { describe, expect, it, vi } from 'vitest';
import type { WallStatus, WindowInfo } from '../../protocol/ipc';
import { EventOutbox, type IpcEventLike, type IpcMainLike, IpcRouter, type KnownWindow } from './ipc';

const SERVER = 'http://127.0.0.1:8080';

const windowOf = (key: string, role: KnownWindow['role']): KnownWindow => ({
  key,
  role,
  urlAllowed: (url) =>
    role === 'settings' || role === 'connecting'
      ? url.startsWith('file:///app/out/pages/')
      : url.startsWith(`${SERVER}/`),
});

const windows = new Map<number, KnownWindow>([
  [1, windowOf('wall:0', 'wall')],
  [2, windowOf('console', 'console')],
  [3, windowOf('settings', 'settings')],
]);

const pageOf: Record<number, string> = {
  1: `${SERVER}/wall?display=0&layout=single`,
  2: `${SERVER}/console`,
  3: 'file:///app/out/pages/settings.html',
};

/** An IPC event from the main frame (parent null) of webContents `id`, showing `url`. */
const event = (id: number, url = pageOf[id] ?? `${SERVER}/`, parent: unknown = null): IpcEventLike => ({
  sender: { id },
  senderFrame: { url, parent },
});

const status: WallStatus = { layout: 'single', missingScreens: [], warnings: [] };
const info: WindowInfo = {
  role: 'wall',
  screen: 0,
  layout: 'single',
  language: 'zh-CN',
  serverUrl: SERVER,
  appVersion: '0.1.0',
  status,
};

const makeRouter = () => {
  const refused = vi.fn();
  const saved = vi.fn();
  const logs = vi.fn();
  const router = new IpcRouter((id) => windows.get(id), refused)
    .handle('gridwall:window-info', () => info)
    .handle('gridwall:displays', () => [])
    .handle('gridwall:settings-save', (patch) => {
      saved(patch);
      return { ok: false, error: 'not in this test' };
    })
    .on('gridwall:log', (record, window) => logs(record, window.key));
  return { router, refused, saved, logs };
};

describe('IpcRouter', () => {
  it('answers a valid request from an app window', async () => {
    const { router, refused } = makeRouter();
    await expect(router.invoke('gridwall:window-info', event(1), [])).resolves.toEqual(info);
    expect(refused).not.toHaveBeenCalled();
  });

  it('refuses a channel that is not in the contract', async () => {
    const { router, refused } = makeRouter();
    await expect(router.invoke('gridwall:shell-exec', event(1), ['rm -rf /'])).rejects.toThrow('refused');
    expect(refused).toHaveBeenCalledWith('gridwall:shell-exec', 'unknown-channel', 'gridwall:shell-exec');
  });

  it('refuses a bad payload before the handler sees it', async () => {
    const { router, refused, saved } = makeRouter();
    await expect(
      router.invoke('gridwall:settings-save', event(3), [{ serverUrl: 'javascript:alert(1)' }]),
    ).rejects.toThrow('refused');
    await expect(router.invoke('gridwall:settings-save', event(3), [{ layout: 'a' }, 'extra'])).rejects.toThrow(
      'refused',
    );
    await expect(router.invoke('gridwall:window-info', event(1), [{ unexpected: true }])).rejects.toThrow('refused');
    expect(saved).not.toHaveBeenCalled();
    expect(refused.mock.calls.map((c) => c[1])).toEqual(['bad-payload', 'bad-payload', 'bad-payload']);
  });

  it('does not answer senders outside a known app window', async () => {
    const { router, refused } = makeRouter();
    await expect(router.invoke('gridwall:window-info', event(42), [])).rejects.toThrow('refused');
    expect(refused).toHaveBeenCalledWith('gridwall:window-info', 'foreign-sender', expect.any(String));
  });

  it('does not answer an iframe inside an app window', async () => {
    const { router, refused } = makeRouter();
    await expect(
      router.invoke('gridwall:window-info', event(1, `${SERVER}/embed`, { url: SERVER }), []),
    ).rejects.toThrow('refused');
    expect(refused.mock.calls[0]![1]).toBe('subframe');
  });

  it('does not answer an app window that shows a page from elsewhere', async () => {
    const { router, refused } = makeRouter();
    await expect(router.invoke('gridwall:window-info', event(1, 'https://evil.example/'), [])).rejects.toThrow(
      'refused',
    );
    expect(refused.mock.calls[0]![1]).toBe('wrong-origin');
  });

  it('lets each window role use only its channels', async () => {
    const { router, refused } = makeRouter();
    // A wall window may not change settings nor list the displays; the console may list them.
    await expect(router.invoke('gridwall:settings-save', event(1), [{ layout: 'single' }])).rejects.toThrow('refused');
    await expect(router.invoke('gridwall:displays', event(1), [])).rejects.toThrow('refused');
    await expect(router.invoke('gridwall:displays', event(2, `${SERVER}/console`), [])).resolves.toEqual([]);
    expect(refused.mock.calls.map((c) => c[1])).toEqual(['role-not-allowed', 'role-not-allowed']);
  });

  it('checks its own answers against the contract', async () => {
    const router = new IpcRouter(
      (id) => windows.get(id),
      () => {},
    ).handle('gridwall:window-info', () => ({ ...info, role: 'root' }) as unknown as WindowInfo);
    await expect(router.invoke('gridwall:window-info', event(1), [])).rejects.toThrow('invalid response');
  });

  it('drops one-way messages that fail the checks and delivers the rest', () => {
    const { router, refused, logs } = makeRouter();
    router.receive('gridwall:log', event(1), [{ level: 'warn', message: 'map tiles slow' }]);
    router.receive('gridwall:log', event(1), [{ level: 'panic', message: 'x' }]);
    router.receive('gridwall:log', event(77), [{ level: 'info', message: 'x' }]);
    router.receive('gridwall:log', event(1), [{ level: 'info', message: 'x'.repeat(5000) }]);
    expect(logs).toHaveBeenCalledTimes(1);
    expect(logs).toHaveBeenCalledWith({ level: 'warn', message: 'map tiles slow' }, 'wall:0');
    expect(refused.mock.calls.map((c) => c[1])).toEqual(['bad-payload', 'foreign-sender', 'bad-payload']);
  });

  it('registers every contract channel on ipcMain and removes them again', async () => {
    const handlers = new Map<string, (event: IpcEventLike, ...args: unknown[]) => unknown>();
    const listeners = new Map<string, (event: IpcEventLike, ...args: unknown[]) => void>();
    const ipcMain: IpcMainLike = {
      handle: (c, l) => handlers.set(c, l),
      on: (c, l) => listeners.set(c, l),
      removeHandler: (c) => handlers.delete(c),
      removeAllListeners: (c) => listeners.delete(c),
    };
    const { router } = makeRouter();
    const detach = router.attach(ipcMain);
    expect([...handlers.keys()]).toContain('gridwall:settings-get');
    expect([...listeners.keys()]).toEqual(['gridwall:log', 'gridwall:ready']);
    await expect(handlers.get('gridwall:window-info')!(event(1))).resolves.toEqual(info);
    // A contract channel without a handler still goes through the checks, and then fails plainly.
    await expect(handlers.get('gridwall:displays')!(event(99))).rejects.toThrow('refused');
    detach();
    expect(handlers.size + listeners.size).toBe(0);
  });
});

describe('EventOutbox', () => {
  it('holds events until the page is ready, keeping only the newest', () => {
    const deliver = vi.fn();
    const outbox = new EventOutbox(deliver);
    outbox.send('gridwall:wall-status', { ...status, missingScreens: [1] });
    outbox.send('gridwall:wall-status', { ...status, missingScreens: [1, 2] });
    expect(deliver).not.toHaveBeenCalled();
    outbox.markReady();
    expect(deliver).toHaveBeenCalledExactlyOnceWith('gridwall:wall-status', { ...status, missingScreens: [1, 2] });
  });

  it('gives a reloaded page the last state again once it is ready', () => {
    const deliver = vi.fn();
    const outbox = new EventOutbox(deliver);
    outbox.markReady();
    outbox.send('gridwall:wall-status', status);
    outbox.markNotReady();
    outbox.markReady();
    expect(deliver).toHaveBeenCalledTimes(2);
  });

  it('refuses to send what the contract does not allow', () => {
    const outbox = new EventOutbox(() => {});
    expect(() => outbox.send('gridwall:wall-status', { layout: 'x' } as WallStatus)).toThrow('invalid event');
  });
});
