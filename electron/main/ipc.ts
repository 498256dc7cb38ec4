import type { z } from 'zod';
import {
  type IpcEventChannel,
  IpcEventContract,
  type IpcEventPayload,
  type IpcInvokeChannel,
  IpcInvokeContract,
  type IpcInvokeResponse,
  type IpcSendChannel,
  IpcSendContract,
  isIpcInvokeChannel,
  isIpcSendChannel,
  type WindowRole,
} from '../../protocol/ipc';

/**
 * Main's side of the bridge. Every message is checked before a handler sees it:
 * the channel is one of ours, the sender is one of the app's own windows (by webContents id) and its
 * main frame (no iframe), the page is where that window should be (its URL is allowed for the window),
 * the window's role may use the channel, and the payload passes the channel's schema.
 */

export interface KnownWindow {
  key: string;
  role: WindowRole;
  /** Whether a page at this URL may speak for the window (the server origin, or our local pages). */
  urlAllowed(url: string): boolean;
}

/** What Electron tells about who sent a message (`event.sender`, `event.senderFrame`). */
export interface IpcSenderInfo {
  webContentsId: number;
  /** null when the frame is gone (navigated away or destroyed) before the message was handled. */
  frameUrl: string | null;
  isMainFrame: boolean;
}

export type IpcRefusal =
  | 'unknown-channel'
  | 'foreign-sender'
  | 'subframe'
  | 'wrong-origin'
  | 'role-not-allowed'
  | 'bad-payload';

export type IpcCheck<T> =
  | { ok: true; window: KnownWindow; payload: T }
  | { ok: false; reason: IpcRefusal; detail: string };

type WindowLookup = (webContentsId: number) => KnownWindow | undefined;

const checkSender = (
  sender: IpcSenderInfo,
  lookup: WindowLookup,
  roles: readonly WindowRole[],
  channel: string,
): IpcCheck<never> | KnownWindow => {
  const window = lookup(sender.webContentsId);
  if (!window) {
    return { ok: false, reason: 'foreign-sender', detail: `webContents ${sender.webContentsId} is not an app window` };
  }
  if (!sender.isMainFrame) return { ok: false, reason: 'subframe', detail: `a frame inside ${window.key}` };
  if (sender.frameUrl === null || !window.urlAllowed(sender.frameUrl)) {
    return { ok: false, reason: 'wrong-origin', detail: `${window.key} is at ${sender.frameUrl ?? 'no page'}` };
  }
  if (!roles.includes(window.role)) {
    return { ok: false, reason: 'role-not-allowed', detail: `${window.role} window may not use ${channel}` };
  }
  return window;
};

const checkPayload = <S extends z.ZodType>(
  schema: S,
  args: readonly unknown[],
  window: KnownWindow,
  channel: string,
): IpcCheck<z.infer<S>> => {
  // Every channel carries at most one argument; extra ones are a caller we did not write.
  if (args.length > 1) return { ok: false, reason: 'bad-payload', detail: `${channel}: ${args.length} arguments` };
  const parsed = schema.safeParse(args[0]);
  if (!parsed.success) {
    return { ok: false, reason: 'bad-payload', detail: `${channel}: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
  }
  return { ok: true, window, payload: parsed.data };
};

export const checkInvoke = (
  channel: string,
  args: readonly unknown[],
  sender: IpcSenderInfo,
  lookup: WindowLookup,
): IpcCheck<unknown> & { channel?: IpcInvokeChannel } => {
  if (!isIpcInvokeChannel(channel)) return { ok: false, reason: 'unknown-channel', detail: channel };
  const contract = IpcInvokeContract[channel];
  const window = checkSender(sender, lookup, contract.roles, channel);
  if ('ok' in window) return window;
  return checkPayload(contract.request, args, window, channel);
};

export const checkSend = (
  channel: string,
  args: readonly unknown[],
  sender: IpcSenderInfo,
  lookup: WindowLookup,
): IpcCheck<unknown> => {
  if (!isIpcSendChannel(channel)) return { ok: false, reason: 'unknown-channel', detail: channel };
  const contract = IpcSendContract[channel];
  const window = checkSender(sender, lookup, contract.roles, channel);
  if ('ok' in window) return window;
  return checkPayload(contract.payload, args, window, channel);
};

/** The part of an Electron IPC event the router reads. */
export interface IpcEventLike {
  sender: { id: number };
  senderFrame: { url: string; parent: unknown } | null;
}

/** The part of `ipcMain` the router uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void;
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): void;
  removeHandler(channel: string): void;
  removeAllListeners(channel: string): void;
}

type InvokeHandler<C extends IpcInvokeChannel> = (
  payload: z.infer<(typeof IpcInvokeContract)[C]['request']>,
  window: KnownWindow,
) => IpcInvokeResponse<C> | Promise<IpcInvokeResponse<C>>;

type SendHandler<C extends IpcSendChannel> = (
  payload: z.infer<(typeof IpcSendContract)[C]['payload']>,
  window: KnownWindow,
) => void;

export const senderInfo = (event: IpcEventLike): IpcSenderInfo => ({
  webContentsId: event.sender.id,
  frameUrl: event.senderFrame?.url ?? null,
  isMainFrame: event.senderFrame !== null && event.senderFrame.parent === null,
});

export class IpcRouter {
  private readonly invokeHandlers = new Map<IpcInvokeChannel, InvokeHandler<IpcInvokeChannel>>();
  private readonly sendHandlers = new Map<IpcSendChannel, SendHandler<IpcSendChannel>>();

  constructor(
    private readonly lookup: WindowLookup,
    private readonly onRefused: (channel: string, reason: IpcRefusal, detail: string) => void,
  ) {}

  handle<C extends IpcInvokeChannel>(channel: C, handler: InvokeHandler<C>): this {
    this.invokeHandlers.set(channel, handler as unknown as InvokeHandler<IpcInvokeChannel>);
    return this;
  }

  on<C extends IpcSendChannel>(channel: C, handler: SendHandler<C>): this {
    this.sendHandlers.set(channel, handler as unknown as SendHandler<IpcSendChannel>);
    return this;
  }

  /** Runs one invoke as `ipcMain.handle` would; a refusal rejects without saying why (the log says). */
  async invoke(channel: string, event: IpcEventLike, args: readonly unknown[]): Promise<unknown> {
    const check = checkInvoke(channel, args, senderInfo(event), this.lookup);
    if (!check.ok) {
      this.onRefused(channel, check.reason, check.detail);
      throw new Error('refused');
    }
    const handler = this.invokeHandlers.get(channel as IpcInvokeChannel);
    if (!handler) throw new Error('not handled');
    const response = await handler(check.payload as never, check.window);
    // Our own answers are checked too: a page must never receive what the contract does not promise.
    const parsed = IpcInvokeContract[channel as IpcInvokeChannel].response.safeParse(response);
    if (!parsed.success) throw new Error(`invalid response on ${channel}`);
    return parsed.data;
  }

  receive(channel: string, event: IpcEventLike, args: readonly unknown[]): void {
    const check = checkSend(channel, args, senderInfo(event), this.lookup);
    if (!check.ok) {
      this.onRefused(channel, check.reason, check.detail);
      return;
    }
    this.sendHandlers.get(channel as IpcSendChannel)?.(check.payload as never, check.window);
  }

  /** Registers every channel of the contract on `ipcMain`, handled or not, so none escapes the checks. */
  attach(ipcMain: IpcMainLike): () => void {
    const invokeChannels = Object.keys(IpcInvokeContract) as IpcInvokeChannel[];
    const sendChannels = Object.keys(IpcSendContract) as IpcSendChannel[];
    for (const channel of invokeChannels)
      ipcMain.handle(channel, (event, ...args) => this.invoke(channel, event, args));
    for (const channel of sendChannels) ipcMain.on(channel, (event, ...args) => this.receive(channel, event, args));
    return () => {
      for (const channel of invokeChannels) ipcMain.removeHandler(channel);
      for (const channel of sendChannels) ipcMain.removeAllListeners(channel);
    };
  }
}

/**
 * Events for one window wait until its page says it is ready (it has not subscribed yet, or it is
 * reloading); each channel carries a state, not a history, so only the newest is kept, and a page that
 * becomes ready again (after a reload) gets it again.
 */
export class EventOutbox {
  private ready = false;
  private readonly latest = new Map<IpcEventChannel, unknown>();

  constructor(private readonly deliver: (channel: IpcEventChannel, payload: unknown) => void) {}

  send<C extends IpcEventChannel>(channel: C, payload: IpcEventPayload<C>): void {
    const parsed = IpcEventContract[channel].payload.safeParse(payload);
    if (!parsed.success) throw new Error(`invalid event on ${channel}`);
    this.latest.set(channel, parsed.data);
    if (this.ready) this.deliver(channel, parsed.data);
  }

  /** The page said `gridwall:ready`. */
  markReady(): void {
    this.ready = true;
    for (const [channel, payload] of this.latest) this.deliver(channel, payload);
  }

  /** The page is going away (navigation, reload, crash): hold events until it is ready again. */
  markNotReady(): void {
    this.ready = false;
  }
}
