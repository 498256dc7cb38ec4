import { z } from 'zod';
import {
  Alert,
  Area,
  Camera,
  Case,
  Category,
  type ClientToServerEvents,
  InspectionPoint,
  type Presentation,
  Sensor,
  type ServerToClientEvents,
  STREAM_MESSAGE_SCHEMAS,
  Worker,
} from '../../protocol';
import { applyCasePatch, type CasePatch, patchBase } from '../../protocol/casePatch';
import { type CaseLite, patchCaseLite, toCaseLite, toWorkerLite } from '../../protocol/lite';
import { unpackPositions } from '../../protocol/positions';
import { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF } from './backoff';
import { Coalescer } from './coalescer';
import type { ConnectionInfo, ConnectionState, SnapshotLite, StartOptions, StreamBatch, StreamCounters } from './types';

/** The server's messages, by name (the protocol's event map). */
export type StreamMessageName = keyof ServerToClientEvents;

/**
 * The part of a socket.io client socket the stream uses, typed by the protocol's event maps; a
 * server message is `unknown` until checked against its schema. Tests pass a fake.
 */
export interface StreamSocket {
  on(event: 'connect', listener: () => void): unknown;
  on(event: 'connect_error', listener: (err: unknown) => void): unknown;
  on(event: 'disconnect', listener: (reason: unknown) => void): unknown;
  on(event: StreamMessageName, listener: (message: unknown) => void): unknown;
  emit(event: 'resync', ...args: Parameters<ClientToServerEvents['resync']>): unknown;
  emit(event: 'ack', ...args: Parameters<ClientToServerEvents['ack']>): unknown;
  disconnect(): unknown;
  /** socket.io's Manager: its `ping` event is the server's heartbeat. */
  readonly io?: { on(event: 'ping', listener: () => void): unknown };
}

export type SocketFactory = (
  options: StartOptions,
  auth: { token: string; since?: number; surface?: StartOptions['surface'] },
) => StreamSocket;

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  random(): number;
}

export interface StreamClientHooks {
  /** Data is pending and the main thread may pull it. Called once per empty → pending transition. */
  onReady(): void;
  onConnection(info: ConnectionInfo): void;
  /** The server refused the token: the main thread logs in again and calls `setToken`. */
  onNeedToken(): void;
  /** The presentation the server sent (validated). */
  onPresentation?(presentation: Presentation | null): void;
  /** Fetches a full case (for the focused case); null when it cannot. */
  fetchCase?(options: StartOptions, id: string): Promise<unknown>;
}

// A snapshot's envelope is checked first, then each item on its own: one bad case must not throw
// away a snapshot of 100,000 good ones. So is an event batch: a bad event still takes its seq.
const SnapshotEnvelope = STREAM_MESSAGE_SCHEMAS.snapshot.extend({
  cases: z.array(z.unknown()),
  workers: z.array(z.unknown()),
  cameras: z.array(z.unknown()),
  sensors: z.array(z.unknown()),
  areas: z.array(z.unknown()),
  categories: z.array(z.unknown()),
  alerts: z.array(z.unknown()),
  inspectionPoints: z.array(z.unknown()).optional(),
});
const StreamEvent = STREAM_MESSAGE_SCHEMAS.events.element;

/** How each server message is checked before its handler sees it: the protocol's schema by name. */
const RECEIVE = {
  ...STREAM_MESSAGE_SCHEMAS,
  snapshot: SnapshotEnvelope,
  events: z.array(z.unknown()),
} satisfies Record<StreamMessageName, z.ZodType>;

type Received = { [E in StreamMessageName]: z.infer<(typeof RECEIVE)[E]> };
/** One handler per server message, given the message as checked and the time it arrived. */
type Handlers = { [E in StreamMessageName]: (message: Received[E], now: number) => void };
const MESSAGE_NAMES = Object.keys(RECEIVE) as StreamMessageName[];
/** How often, at most, the client tells the server the last seq it took in (the server's lag bound). */
export const ACK_MS = 500;

/** Ended cases the client stops keeping (as the wall drops them): the snapshot's window. */
const ENDED_KEEP_MS = 24 * 60 * 60 * 1000;
/** Times a case is fetched again when the fetched version is still behind the patches seen. */
const REFETCH_TRIES = 3;

function parseItems<T>(schema: z.ZodType<T>, items: readonly unknown[], onInvalid: () => void): T[] {
  const out: T[] = [];
  for (const item of items) {
    const r = schema.safeParse(item);
    if (r.success) out.push(r.data);
    else onInvalid();
  }
  return out;
}

/**
 * The wall's end of the stream: one socket at a time, every message validated, events in strict
 * seq order, reconnect with jittered backoff resuming from the last seq, resnapshot when told or
 * when a seq is missing. What arrives is folded into a {@link Coalescer} until the main thread pulls.
 */
export class StreamClient {
  private options: StartOptions | null = null;
  private socket: StreamSocket | null = null;
  private lastSeq = 0;
  private hasState = false;
  private awaitingSnapshot = false;
  private attempt = 0;
  private retryTimer: unknown = null;
  private ackTimer: unknown = null;
  private state: ConnectionState = 'idle';
  private stateSince: number;
  private retryAt: number | null = null;
  private error: string | null = null;
  private lastHeartbeatAt: number | null = null;
  private readonly counters: StreamCounters = {
    invalid: 0,
    duplicates: 0,
    gaps: 0,
    snapshots: 0,
    reconnects: 0,
    events: 0,
  };
  readonly pending = new Coalescer();
  private focusedCaseId: string | null = null;
  /** The full focused case as last handed over: patches to it apply here. */
  private focused: Case | null = null;
  /**
   * Each case's slim record as last handed over, and `milestones.closedAt` where set (the slim
   * record folds it into `endedAt`): what patches apply on top of. No whole cases are kept.
   */
  private readonly cases = new Map<string, CaseLite>();
  private readonly closedAt = new Map<string, number>();
  private lastPrune = 0;
  /** Cases asked for again (a patch that did not apply), with the highest version seen since. */
  private readonly refetching = new Map<string, number>();
  /** The snapshot's workers in order: a packed position names a worker by its place here. */
  private workerIds: string[] = [];

  constructor(
    private readonly createSocket: SocketFactory,
    private readonly hooks: StreamClientHooks,
    private readonly clock: Clock,
    private readonly backoff: BackoffOptions = DEFAULT_BACKOFF,
  ) {
    this.stateSince = clock.now();
  }

  start(options: StartOptions): void {
    this.options = options;
    this.connect();
  }

  setToken(token: string): void {
    if (!this.options) return;
    this.options = { ...this.options, token };
    if (this.state === 'unauthorized') {
      this.setState('connecting');
      this.connect();
    }
  }

  stop(): void {
    this.clearRetry();
    this.dropSocket();
    this.setState('idle');
  }

  /** Hands over what is pending (at most once per frame: the main thread asks on rAF). */
  take(): StreamBatch | null {
    return this.pending.take(this.lastSeq, this.clock.now());
  }

  setFocus(caseId: string | null): void {
    this.focusedCaseId = caseId;
    if (this.focused?.id !== caseId) this.focused = null;
    this.pending.focusedCaseId = caseId;
    if (caseId && this.options && this.hooks.fetchCase) {
      const options = this.options;
      void this.hooks.fetchCase(options, caseId).then((raw) => {
        const parsed = Case.safeParse(raw);
        if (!parsed.success) {
          if (raw !== null) this.counters.invalid++;
          return;
        }
        if (this.focusedCaseId !== caseId) return;
        if (this.focused?.id === caseId && this.focused.version > parsed.data.version) return;
        this.focused = parsed.data;
        this.pending.setFocusedCase(parsed.data);
        this.hooks.onReady();
      });
    }
  }

  get connection(): ConnectionInfo {
    return {
      state: this.state,
      since: this.stateSince,
      attempt: this.attempt,
      retryAt: this.retryAt,
      lastSeq: this.lastSeq,
      counters: { ...this.counters },
      error: this.error,
      lastHeartbeatAt: this.lastHeartbeatAt,
    };
  }

  private connect(): void {
    const options = this.options;
    if (!options) return;
    this.clearRetry();
    this.dropSocket();
    const auth: { token: string; since?: number; surface?: StartOptions['surface'] } = { token: options.token };
    if (options.surface) auth.surface = options.surface;
    // Resume from the last seq; without state (or while a snapshot is owed) the server sends one.
    if (this.hasState && !this.awaitingSnapshot) auth.since = this.lastSeq;
    if (this.state !== 'reconnecting') this.setState('connecting');
    const socket = this.createSocket(options, auth);
    this.socket = socket;
    const mine =
      (fn: (...args: unknown[]) => void) =>
      (...args: unknown[]) => {
        if (this.socket === socket) fn(...args);
      };
    socket.on(
      'connect',
      mine(() => {
        this.attempt = 0;
        this.error = null;
        this.lastHeartbeatAt = this.clock.now();
        this.setState('live');
      }),
    );
    // A quiet server is not a dead one: its heartbeat says the screen is still current.
    socket.io?.on(
      'ping',
      mine(() => {
        this.lastHeartbeatAt = this.clock.now();
        this.notifyConnection();
      }),
    );
    socket.on(
      'connect_error',
      mine((err) => {
        const message = err instanceof Error ? err.message : String(err);
        if (/unauthori[sz]ed|invalid token|forbidden/i.test(message)) {
          this.error = message;
          this.dropSocket();
          this.setState('unauthorized');
          this.hooks.onNeedToken();
          return;
        }
        this.scheduleReconnect(message);
      }),
    );
    socket.on(
      'disconnect',
      mine((reason) => this.scheduleReconnect(typeof reason === 'string' ? reason : 'disconnected')),
    );
    for (const name of MESSAGE_NAMES)
      socket.on(
        name,
        mine((raw) => this.receive(name, raw)),
      );
  }

  private readonly handlers: Handlers = {
    snapshot: (m, now) => this.onSnapshot(m, now),
    events: (m, now) => this.onEvents(m, now),
    positions: (m, now) => {
      if (!this.hasState) return;
      const positions = m.n === this.workerIds.length ? unpackPositions(m.packed, this.workerIds) : null;
      if (!positions) {
        // Indices into another list than ours: our workers are off, and only a snapshot mends them.
        this.counters.invalid++;
        this.requestSnapshot();
        return;
      }
      this.addAndSignal(() => this.pending.addPositions(m.at, positions, now));
    },
    kpis: (m, now) => this.addAndSignal(() => this.pending.addKpis(m.at, m.kpis, m.rolling, now)),
    presentation: (m) => this.hooks.onPresentation?.(m.presentation),
    resync: () => this.requestSnapshot(),
  };

  /** Checks a server message against its schema and hands it to its handler; counts a bad one. */
  private receive<E extends StreamMessageName>(name: E, raw: unknown): void {
    const now = this.clock.now();
    const r = RECEIVE[name].safeParse(raw);
    if (r.success) {
      (this.handlers[name] as (message: unknown, now: number) => void)(r.data, now);
      return;
    }
    this.counters.invalid++;
    // Told to resnapshot whatever the reason: a notice we cannot read still means our state is off.
    if (name === 'resync') this.requestSnapshot();
  }

  private requestSnapshot(): void {
    this.awaitingSnapshot = true;
    this.socket?.emit('resync');
  }

  private onSnapshot(s: Received['snapshot'], now: number): void {
    const bad = () => {
      this.counters.invalid++;
    };
    const cases = parseItems(Case, s.cases, bad);
    const focused = this.focusedCaseId ? (cases.find((c) => c.id === this.focusedCaseId) ?? null) : null;
    this.focused = focused;
    this.cases.clear();
    this.closedAt.clear();
    for (const c of cases) this.keep(c);
    // Every listed worker keeps its place, valid or not: positions name workers by it.
    this.workerIds = s.workers.map((w) => {
      const id = typeof w === 'object' && w !== null ? (w as { id?: unknown }).id : undefined;
      return typeof id === 'string' ? id : '';
    });
    const lite: SnapshotLite = {
      seq: s.seq,
      at: s.at,
      masked: s.masked,
      role: s.role,
      cases: [...this.cases.values()],
      workers: parseItems(Worker, s.workers, bad).map(toWorkerLite),
      cameras: parseItems(Camera, s.cameras, bad),
      sensors: parseItems(Sensor, s.sensors, bad),
      areas: parseItems(Area, s.areas, bad),
      areasVersion: s.areasVersion,
      categories: parseItems(Category, s.categories, bad),
      departments: s.departments,
      kpis: s.kpis,
      kpisRolling: s.kpisRolling ?? null,
      alerts: parseItems(Alert, s.alerts, bad),
      inspectionPoints: s.inspectionPoints ? parseItems(InspectionPoint, s.inspectionPoints, bad) : null,
    };
    this.lastSeq = s.seq;
    this.hasState = true;
    this.awaitingSnapshot = false;
    this.counters.snapshots++;
    this.scheduleAck();
    this.notifyConnection();
    this.addAndSignal(() => this.pending.addSnapshot(lite, now, focused));
  }

  private onEvents(items: unknown[], now: number): void {
    if (!this.hasState || this.awaitingSnapshot) return;
    const accepted: z.infer<typeof StreamEvent>[] = [];
    for (const item of items) {
      const r = StreamEvent.safeParse(item);
      if (!r.success) {
        this.counters.invalid++;
        // A bad event still takes its seq: asking again would bring the same bad event.
        const seq = (item as { seq?: unknown } | null)?.seq;
        if (typeof seq === 'number' && Number.isInteger(seq) && seq === this.lastSeq + 1) this.lastSeq = seq;
        continue;
      }
      const e = r.data;
      if (e.seq <= this.lastSeq) {
        this.counters.duplicates++;
        continue;
      }
      if (e.seq !== this.lastSeq + 1 && this.options?.resyncOnGap !== false) {
        // A hole: the events in it are lost to us, and only a snapshot can fill it.
        this.counters.gaps++;
        this.requestSnapshot();
        break;
      }
      this.lastSeq = e.seq;
      accepted.push(e);
    }
    if (accepted.length === 0) return;
    this.scheduleAck();
    this.counters.events += accepted.length;
    this.addAndSignal(() => {
      for (const e of accepted) {
        if (e.type === 'case.upserted') this.onWholeCase(e.payload, true);
        else if (e.type === 'case.patched') this.onPatch(e.payload);
      }
      this.pending.addEvents(accepted, now);
      this.prune();
    });
  }

  /** Keeps a case's slim record (and its close time) for the patches that follow; returns the record. */
  private keep(c: Case): CaseLite {
    const lite = toCaseLite(c);
    this.cases.set(c.id, lite);
    if (c.milestones.closedAt === null) this.closedAt.delete(c.id);
    else this.closedAt.set(c.id, c.milestones.closedAt);
    return lite;
  }

  /** A whole case: from an event (which the coalescer hands over itself) or fetched after a gap. */
  private onWholeCase(c: Case, fromEvent: boolean): void {
    const had = this.cases.get(c.id);
    if (had && had.version >= c.version) return;
    const lite = this.keep(c);
    if (c.id === this.focusedCaseId) this.focused = c;
    if (fromEvent) return;
    this.pending.addCase(lite);
    if (c.id === this.focusedCaseId) this.pending.setFocusedCase(c);
  }

  /**
   * A patch applies only on top of the version before it. An older or repeated one is ignored; one
   * that finds another version (a gap) or no case makes the client ask for the whole case.
   */
  private onPatch(p: CasePatch): void {
    const had = this.cases.get(p.id);
    if (had && had.version >= p.v) {
      this.counters.duplicates++;
      return;
    }
    const next = had ? patchCaseLite(had, this.closedAt.get(p.id) ?? null, p) : null;
    if (!next) {
      this.counters.gaps++;
      this.refetch(p.id, p.v);
      return;
    }
    this.cases.set(p.id, next.lite);
    if (next.closedAt === null) this.closedAt.delete(p.id);
    else this.closedAt.set(p.id, next.closedAt);
    this.pending.addCase(next.lite);
    if (p.id === this.focusedCaseId) {
      const full = this.focused && this.focused.version === patchBase(p) ? applyCasePatch(this.focused, p) : null;
      if (full) {
        this.focused = full;
        this.pending.setFocusedCase(full);
      } else if (!this.focused || this.focused.version < p.v) {
        this.setFocus(p.id);
      }
    }
  }

  /** Asks the server for a whole case (a patch found a gap); without a way to, for a snapshot. */
  private refetch(id: string, seen: number, tries = REFETCH_TRIES): void {
    const options = this.options;
    const wanted = Math.max(seen, this.refetching.get(id) ?? 0);
    const inFlight = this.refetching.has(id);
    this.refetching.set(id, wanted);
    if (inFlight) return;
    if (!options || !this.hooks.fetchCase) {
      this.refetching.delete(id);
      this.requestSnapshot();
      return;
    }
    void this.hooks.fetchCase(options, id).then((raw) => {
      const target = this.refetching.get(id) ?? wanted;
      this.refetching.delete(id);
      const parsed = Case.safeParse(raw);
      if (!parsed.success) {
        this.requestSnapshot();
        return;
      }
      this.addAndSignal(() => this.onWholeCase(parsed.data, false));
      // The server may answer before its stream reaches the patches we saw: ask once more.
      if (parsed.data.version < target && tries > 1) this.refetch(id, target, tries - 1);
    });
  }

  /** Forgets cases that ended a day ago (server time), as the wall does: memory stays flat. */
  private prune(): void {
    const now = this.pending.latestServerAt;
    if (now === null || now - this.lastPrune < 60_000) return;
    this.lastPrune = now;
    for (const [id, c] of this.cases) {
      if (c.endedAt !== null && c.endedAt < now - ENDED_KEEP_MS) {
        this.cases.delete(id);
        this.closedAt.delete(id);
      }
    }
  }

  private addAndSignal(add: () => void): void {
    const wasEmpty = this.pending.isEmpty;
    add();
    if (wasEmpty) this.hooks.onReady();
  }

  private scheduleReconnect(reason: string): void {
    this.dropSocket();
    this.error = reason;
    const delay = backoffDelay(this.attempt, this.clock.random(), this.backoff);
    this.attempt++;
    this.counters.reconnects++;
    this.retryAt = this.clock.now() + delay;
    this.setState('reconnecting');
    this.clearRetry();
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = null;
      this.retryAt = null;
      this.connect();
    }, delay);
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  /** One `ack` per ACK_MS at most, with the newest seq when it goes (the server's lag bound counts on it). */
  private scheduleAck(): void {
    if (this.ackTimer !== null) return;
    this.ackTimer = this.clock.setTimeout(() => {
      this.ackTimer = null;
      this.socket?.emit('ack', { seq: this.lastSeq });
    }, ACK_MS);
  }

  private dropSocket(): void {
    const s = this.socket;
    this.socket = null;
    s?.disconnect();
  }

  private setState(state: ConnectionState): void {
    if (state !== this.state) {
      this.state = state;
      this.stateSince = this.clock.now();
    }
    this.notifyConnection();
  }

  private notifyConnection(): void {
    this.hooks.onConnection(this.connection);
  }
}
