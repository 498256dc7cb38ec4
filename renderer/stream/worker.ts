/// <reference lib="webworker" />
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../protocol';
import { type Clock, StreamClient, type StreamSocket } from './client';
import { Handover } from './handover';
import type { FromWorker, StartOptions, ToWorker } from './types';

/**
 * The stream's Web Worker: socket.io, JSON parsing and validation of every message happen here, off
 * the main thread. The main thread pulls one coalesced batch per animation frame.
 */
declare const self: DedicatedWorkerGlobalScope;

const post = (message: FromWorker): void => self.postMessage(message);

const clock: Clock = {
  // Epoch milliseconds with sub-millisecond precision, comparable with the main thread's.
  now: () => performance.timeOrigin + performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  random: () => Math.random(),
};

const createSocket = (
  options: StartOptions,
  auth: { token: string; since?: number; surface?: StartOptions['surface'] },
): StreamSocket => {
  // Typed by the protocol's event maps (what the server sends, what the client may emit).
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(options.origin, {
    path: options.path ?? '/socket.io',
    auth,
    transports: ['websocket'],
    // The client runs its own jittered backoff so that it can choose `since` on every attempt.
    reconnection: false,
    forceNew: true,
    timeout: 10_000,
  });
  return socket;
};

const client = new StreamClient(
  createSocket,
  {
    onReady: () => handover.ready(),
    onConnection: (info) => post({ type: 'connection', info }),
    onNeedToken: () => post({ type: 'need-token' }),
    onPresentation: (presentation) => post({ type: 'presentation', presentation }),
    fetchCase: async (options, id) => {
      try {
        const res = await fetch(`${options.origin}/api/cases/${encodeURIComponent(id)}`, {
          headers: {
            authorization: `Bearer ${options.token}`,
            ...(options.surface ? { 'x-gridwall-surface': options.surface } : {}),
          },
        });
        return res.ok ? ((await res.json()) as unknown) : null;
      } catch {
        return null;
      }
    },
  },
  clock,
);

const handover = new Handover(
  () => client.take(),
  (message) => post(message),
);

self.onmessage = (ev: MessageEvent<ToWorker>) => {
  const msg = ev.data;
  switch (msg.type) {
    case 'start':
      client.start(msg.options);
      return;
    case 'token':
      client.setToken(msg.token);
      return;
    case 'pull':
      handover.pull();
      return;
    case 'focus':
      client.setFocus(msg.caseId);
      return;
    case 'stop':
      client.stop();
      return;
  }
};
