/// <reference lib="webworker" />
import { StreamEvent } from '../../../protocol';
import { type Clock, StreamClient, type StreamSocket } from '../../../renderer/stream/client';
import { Handover } from '../../../renderer/stream/handover';
import type { FromWorker, ToWorker } from '../../../renderer/stream/types';
import { SyntheticDistrict } from '../synthetic';
import type { BenchConfig, BenchToWorker, NaiveFromWorker } from './protocol';

/**
 * The wall benchmark's stream worker: the real StreamClient (validation, seq, coalescing, one batch
 * per pull) fed by a synthetic district instead of socket.io. Messages go through a JSON round trip
 * first, as socket.io's decoder would make them. In `per-event` mode (the naive baseline) it skips
 * the coalescing and posts every validated event to the main thread on its own.
 */
declare const self: DedicatedWorkerGlobalScope;

const now = (): number => performance.timeOrigin + performance.now();
const TICK_MS = 50;
const POSITIONS_EVERY_MS = 200;
const KPIS_EVERY_MS = 5000;

let config: BenchConfig | null = null;
let district: SyntheticDistrict | null = null;
let client: StreamClient | null = null;
const handover = new Handover(
  () => client?.take() ?? null,
  (message: FromWorker) => self.postMessage(message),
);
let generated = 0;

class SyntheticSocket implements StreamSocket {
  private readonly listeners = new Map<string, ((...args: unknown[]) => void)[]>();
  on(event: string, listener: (...args: unknown[]) => void): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  emit(event: 'resync' | 'ack'): this {
    if (event === 'resync' && district) this.fire('snapshot', roundTrip(district.snapshot()));
    return this;
  }
  disconnect(): this {
    return this;
  }
  fire(event: string, payload: unknown): void {
    for (const l of this.listeners.get(event) ?? []) l(payload);
  }
}

/** What socket.io's JSON decoder would cost and produce. */
const roundTrip = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

let socket: SyntheticSocket | null = null;

function start(cfg: BenchConfig): void {
  config = cfg;
  district = new SyntheticDistrict({
    seed: 1,
    cases: cfg.cases,
    workers: cfg.workers,
    cameras: cfg.cameras,
    gridCols: 60,
    gridRows: 50,
    inspectionPoints: 0,
    endedInWindow: cfg.endedInWindow,
    startAt: Date.parse('2026-11-23T09:00:00+08:00'),
  });
  const d = district;
  // The server clock runs at `speed`, which the benchmark changes between phases without a jump.
  let serverClock = d.now;
  let lastClockAt = now();
  const serverTime = () => {
    const t = now();
    serverClock += (t - lastClockAt) * (config?.speed ?? 1);
    lastClockAt = t;
    return Math.round(serverClock);
  };

  if (cfg.mode === 'per-event') {
    const snap = d.snapshot();
    self.postMessage({
      type: 'naive-snapshot',
      snapshot: roundTrip(snap),
      receivedAt: now(),
    } satisfies NaiveFromWorker);
  } else {
    const clock: Clock = {
      now,
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      random: () => Math.random(),
    };
    client = new StreamClient(
      () => {
        socket = new SyntheticSocket();
        const s = socket;
        setTimeout(() => {
          s.fire('connect', undefined);
          s.fire('snapshot', roundTrip(d.snapshot()));
        }, 0);
        return s;
      },
      {
        onReady: () => handover.ready(),
        onConnection: (info) => self.postMessage({ type: 'connection', info } satisfies FromWorker),
        onNeedToken: () => undefined,
      },
      clock,
    );
    client.start({ origin: 'synthetic:', token: 'bench' });
  }

  let owed = 0;
  let lastTick = now();
  let lastPositions = lastTick;
  let lastKpis = lastTick;
  setInterval(() => {
    const t = now();
    owed += ((config?.rate ?? 0) * (t - lastTick)) / 1000;
    lastTick = t;
    const n = Math.floor(owed);
    owed -= n;
    const at = serverTime();
    if (n > 0) {
      const events: StreamEvent[] = [];
      for (let i = 0; i < n; i++) events.push(i % 100 === 99 ? d.nextAlertEvent(at) : d.nextCaseEvent(at));
      generated += n;
      deliverEvents(roundTrip(events), t);
    }
    if (t - lastPositions >= POSITIONS_EVERY_MS) {
      // Each worker reports every few seconds: rate/5 positions per 200 ms, at most every worker.
      const count = Math.min(
        d.workers.length,
        Math.round(((config?.positionsPerSecond ?? 0) * (t - lastPositions)) / 1000),
      );
      lastPositions = t;
      if (count > 0) {
        const moved = d.movePositions(at, count);
        deliver('positions', roundTrip(config?.mode === 'per-event' ? moved : d.pack(moved)), t);
      }
    }
    if (t - lastKpis >= KPIS_EVERY_MS) {
      lastKpis = t;
      deliver('kpis', roundTrip({ at, kpis: d.kpis() }), t);
    }
  }, TICK_MS);
}

function deliverEvents(events: unknown, receivedAt: number): void {
  if (config?.mode !== 'per-event') {
    socket?.fire('events', events);
    return;
  }
  for (const raw of events as unknown[]) {
    const parsed = StreamEvent.safeParse(raw);
    if (parsed.success)
      self.postMessage({ type: 'naive-event', event: parsed.data, receivedAt } satisfies NaiveFromWorker);
  }
}

function deliver(event: 'positions' | 'kpis', payload: unknown, receivedAt: number): void {
  if (config?.mode !== 'per-event') socket?.fire(event, payload);
  else if (event === 'positions')
    self.postMessage({ type: 'naive-positions', positions: payload, receivedAt } satisfies NaiveFromWorker);
}

self.onmessage = (ev: MessageEvent<ToWorker | BenchToWorker>) => {
  const msg = ev.data;
  switch (msg.type) {
    case 'bench-config':
      start(msg.config);
      return;
    case 'bench-rate':
      if (config) config = { ...config, rate: msg.rate, speed: msg.speed, positionsPerSecond: msg.positionsPerSecond };
      return;
    case 'bench-generated':
      self.postMessage({ type: 'bench-generated', generated } satisfies NaiveFromWorker);
      return;
    case 'pull':
      handover.pull();
      return;
    case 'focus':
      client?.setFocus(msg.caseId);
      return;
    case 'start':
    case 'token':
    case 'stop':
      return;
  }
};
