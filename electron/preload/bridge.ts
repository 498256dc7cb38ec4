import type {
  GridwallBridge,
  IpcEventChannel,
  IpcInvokeChannel,
  IpcInvokeRequest,
  IpcInvokeResponse,
  IpcSendChannel,
  IpcSendPayload,
  WallStatus,
} from '../../protocol/ipc';

/**
 * The bridge a page gets as `window.gridwall`: one function per channel, nothing else. The page never
 * sees `ipcRenderer` or an IPC event (which would let it reach the sender and other channels). Types
 * come from `protocol/ipc.ts`; the channel names here are checked against it by the compiler. Main
 * validates everything that arrives, so the preload stays free of zod and small.
 */

/** The part of `ipcRenderer` the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

const INVOKE = {
  windowInfo: 'gridwall:window-info',
  settingsGet: 'gridwall:settings-get',
  settingsSave: 'gridwall:settings-save',
  displays: 'gridwall:displays',
  openSettings: 'gridwall:open-settings',
} as const satisfies Record<string, IpcInvokeChannel>;

const SEND = { log: 'gridwall:log', ready: 'gridwall:ready' } as const satisfies Record<string, IpcSendChannel>;
const EVENTS = { wallStatus: 'gridwall:wall-status' } as const satisfies Record<string, IpcEventChannel>;

export const createBridge = (ipc: IpcRendererLike): GridwallBridge => {
  const invoke = <C extends IpcInvokeChannel>(channel: C, payload?: IpcInvokeRequest<C>) =>
    (payload === undefined ? ipc.invoke(channel) : ipc.invoke(channel, payload)) as Promise<IpcInvokeResponse<C>>;
  const send = <C extends IpcSendChannel>(channel: C, payload?: IpcSendPayload<C>) => {
    if (payload === undefined) ipc.send(channel);
    else ipc.send(channel, payload);
  };
  let readySent = false;

  return Object.freeze({
    isElectron: true as const,
    windowInfo: () => invoke(INVOKE.windowInfo),
    getSettings: () => invoke(INVOKE.settingsGet),
    saveSettings: (patch) => invoke(INVOKE.settingsSave, patch),
    displays: () => invoke(INVOKE.displays),
    openSettings: async () => {
      await invoke(INVOKE.openSettings);
    },
    log: (level, message) => send(SEND.log, { level, message: String(message).slice(0, 2000) }),
    onWallStatus: (listener: (status: WallStatus) => void) => {
      const wrapped = (_event: unknown, payload: unknown) => listener(payload as WallStatus);
      ipc.on(EVENTS.wallStatus, wrapped);
      // Main holds events until the page listens; the first subscription says so.
      if (!readySent) {
        readySent = true;
        send(SEND.ready);
      }
      return () => {
        ipc.removeListener(EVENTS.wallStatus, wrapped);
      };
    },
  } satisfies GridwallBridge);
};
