import { describe, expect, it, vi } from 'vitest';
import type { WallStatus } from '../../protocol/ipc';
import { createBridge, type IpcRendererLike } from './bridge';

const fakeIpc = () => {
  const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  const ipc = {
    invoke: vi.fn<IpcRendererLike['invoke']>(async () => null),
    send: vi.fn<IpcRendererLike['send']>(),
    on: (channel: string, l: (event: unknown, ...args: unknown[]) => void) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(l);
    },
    removeListener: (channel: string, l: (event: unknown, ...args: unknown[]) => void) => {
      listeners.get(channel)?.delete(l);
    },
    emit: (channel: string, payload: unknown) => {
      for (const l of listeners.get(channel) ?? []) l({ sender: 'the IPC event' }, payload);
    },
  };
  return ipc;
};

describe('createBridge', () => {
  it('calls each contract channel with one payload at most', async () => {
    const ipc = fakeIpc();
    const bridge = createBridge(ipc);
    await bridge.windowInfo();
    await bridge.saveSettings({ layout: 'wall-3x2' });
    expect(ipc.invoke.mock.calls).toEqual([
      ['gridwall:window-info'],
      ['gridwall:settings-save', { layout: 'wall-3x2' }],
    ]);
    // The device credential never crosses the bridge: main puts it in an HttpOnly cookie.
    expect('deviceToken' in bridge).toBe(false);
  });

  it('hands the page the payload of an event, never the IPC event itself', () => {
    const ipc = fakeIpc();
    const bridge = createBridge(ipc);
    const seen: unknown[] = [];
    const off = bridge.onWallStatus((status) => seen.push(status));
    const status: WallStatus = { layout: 'x', missingScreens: [2], warnings: [] };
    ipc.emit('gridwall:wall-status', status);
    off();
    ipc.emit('gridwall:wall-status', status);
    expect(seen).toEqual([status]);
  });

  it('tells main the page is ready on its first subscription only', () => {
    const ipc = fakeIpc();
    const bridge = createBridge(ipc);
    bridge.onWallStatus(() => {});
    bridge.onWallStatus(() => {});
    expect(ipc.send.mock.calls).toEqual([['gridwall:ready']]);
  });

  it('is frozen and exposes nothing but its functions', () => {
    const bridge = createBridge(fakeIpc());
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(Object.keys(bridge).sort()).toEqual(
      [
        'displays',
        'getSettings',
        'isElectron',
        'log',
        'onWallStatus',
        'openSettings',
        'saveSettings',
        'windowInfo',
      ].sort(),
    );
  });

  it('caps log lines before they cross', () => {
    const ipc = fakeIpc();
    createBridge(ipc).log('error', 'x'.repeat(10_000));
    const [, record] = ipc.send.mock.calls[0]!;
    expect((record as { message: string }).message).toHaveLength(2000);
  });
});
