import type { Server, Socket } from 'socket.io';
import type {
  ClientToServerEvents,
  KpiFigures,
  KpiSummary,
  Presentation,
  ServerToClientEvents,
  Snapshot,
  StreamEvent,
  WorkerPositions,
} from '../../protocol';
import { StreamAck, StreamAuth } from '../../protocol';
import type { Auth, Principal } from '../access/auth';
import { maskCase, shouldMask } from '../access/masking';
import { tokenFromHandshakeCookie } from '../access/sessionCookie';
import type { CaseCore } from '../cases/core';
import type { HandleCommand } from './commands';
import { maskEvent, WorkerIndex } from './events';
import { PreEncoded } from './wire';

export interface SocketData {
  principal: Principal;
  remoteAddress: string;
  lagging: boolean;
  /** What the page said it is (`StreamAuth.surface`). */
  surface: StreamAuth['surface'] | null;
  /** What was sent and not yet acknowledged; null until the client's first `ack` after its snapshot. */
  acks: AckTrack | null;
  /** When the client was told to resync for lag (ms, `performance.now`); null when it is not lagging. */
  laggingSince: number | null;
  /** Bumped by every snapshot and lag resync: a resume still paging for an older stream of this socket stops. */
  streamGen: number;
}

/** Batches sent to one acknowledging client, oldest first: [last seq, bytes sent up to it, sent at]. */
interface AckTrack {
  pending: Array<[seq: number, cumulativeBytes: number, sentAt: number]>;
  sentBytes: number;
  ackedBytes: number;
}

/** How far a client may fall behind, and how a resume is paged (`StreamOptions.limits`). */
export interface StreamLimits {
  /** JSON characters sent to an acknowledging client and not acknowledged before it must resync (default 8 MB). */
  maxLagBytes?: number;
  /** Age of its oldest unacknowledged batch before it must resync (default 10 s). */
  maxLagMs?: number;
  /** A client told to resync that has not asked for its snapshot by then is dropped (default 60 s). */
  lagDropMs?: number;
  /** A resume missing more events than this gets a snapshot instead (default 50,000). */
  resumeMaxEvents?: number;
  /** Events in one page of a resume (default 500), and at most `resumePageBytes` of their JSON (default 1 MB). */
  resumePageEvents?: number;
  resumePageBytes?: number;
}

const LIMITS: Required<StreamLimits> = {
  maxLagBytes: 8 * 1024 * 1024,
  maxLagMs: 10_000,
  lagDropMs: 60_000,
  resumeMaxEvents: 50_000,
  resumePageEvents: 500,
  resumePageBytes: 1024 * 1024,
};
/** engine.io's socket as far as the stream reads it (its write buffer and transport are typed private). */
interface EngineConn {
  writeBuffer: Array<{ data?: unknown }>;
  transport: { writable: boolean; on(event: 'ready', fn: () => void): void; off(event: 'ready', fn: () => void): void };
  on(event: 'upgrade', fn: () => void): void;
  off(event: 'upgrade', fn: () => void): void;
}
type GwServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type GwSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const FULL = 'full';
const MASKED = 'masked';
const RING_MAX_BYTES = 64 * 1024 * 1024;
/** How often live sockets are checked for an ended session (a session ends within this, well under a second). */
const SWEEP_MS = 250;
/** Packets waiting for one client before it is told to resnapshot instead of buffering more. */
const MAX_BUFFERED_PACKETS = 400;

export interface StreamOptions {
  /**
   * Events kept in memory for resuming clients without a database read (default 20,000, and at
   * most 64 MB of their JSON: each holds a whole case, and a big ring is paid for in GC time on
   * every write). Older resumes read the log from the database.
   */
  ringSize?: number;
  /** Unsent packets one client may have before it is told to resnapshot (default 400). */
  maxBufferedPackets?: number;
  /** Today's district-wide KPIs for snapshots and periodic pushes; null while not available. */
  kpis?: () => Promise<KpiFigures | null>;
  /** The district-wide rolling-30-day summary for snapshots and pushes (slow-moving rates). */
  kpisRolling?: () => Promise<KpiSummary | null>;
  /** Extra snapshot fields (inspection points…) the core does not hold. */
  snapshotExtras?: () => Pick<Snapshot, 'inspectionPoints'>;
  /** [presenter hook] The presentation a page gets when it connects. */
  presentation?: () => Presentation | null;
  /** [presenter hook] Every published batch of events (the presenter's spotlight watches them). */
  onPublished?: (events: readonly StreamEvent[]) => void;
  /** Lag bounds and resume paging (defaults in `LIMITS`). */
  limits?: StreamLimits;
}

/** Packets of a socket's write buffer that carry events (socket.io's encoding: `2["events",…`). */
const countEventPackets = (buffer: ReadonlyArray<{ data?: unknown }>): number => {
  let n = 0;
  for (const p of buffer) if (typeof p.data === 'string' && p.data.startsWith('2["events"')) n += 1;
  return n;
};

/** The handshake's `auth`; without a token in it, the page's HttpOnly session cookie stands for one. */
const handshakeAuth = (h: { auth: unknown; headers: Parameters<typeof tokenFromHandshakeCookie>[0] }): unknown => {
  const given = h.auth as { token?: unknown } | undefined;
  return given?.token ? given : { ...given, token: tokenFromHandshakeCookie(h.headers) };
};

/**
 * Fans the event log out to sockets: a snapshot or the exact events after `since` on connect,
 * then one `events` batch per flush to each role room (encoded once per room), with masking
 * done per room on the server.
 */
export class StreamHub {
  private ring: StreamEvent[] = [];
  /** Each ring event's JSON length (UTF-16 units), beside `ring`: the ring is bounded by their sum too. */
  private ringSizes: number[] = [];
  private ringBytes = 0;
  /** While a presentation runs, wall pages get masked data whatever their credential. */
  private wallsMasked = false;
  private flushedSeq: number;
  private readonly ringSize: number;
  private readonly workerIndex: WorkerIndex;
  readonly stats = {
    resnapshots: 0,
    badCommands: 0,
    flushes: 0,
    eventsSent: 0,
    sessionsEnded: 0,
    /** Clients dropped for not coming back after a lag resync. */
    lagDrops: 0,
    /** Resumes now waiting for their client to read the page sent (gauge). */
    resumesWaiting: 0,
    /** Resumes answered with a snapshot because they were too far back. */
    resumesTooOld: 0,
  };
  private readonly limits: Required<StreamLimits>;
  private sweepTimer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly io: GwServer,
    private readonly core: CaseCore,
    private readonly auth: Auth,
    private readonly commands: HandleCommand,
    private readonly options: StreamOptions = {},
  ) {
    this.ringSize = options.ringSize ?? 20_000;
    this.limits = { ...LIMITS, ...options.limits };
    this.flushedSeq = core.lastSeq;
    this.workerIndex = new WorkerIndex(core.workers);
    io.use((socket, next) => {
      const parsed = StreamAuth.safeParse(handshakeAuth(socket.handshake));
      if (!parsed.success) return next(new Error('unauthorized: auth must be { token, since? }'));
      this.auth.authenticate(parsed.data.token).then(
        (principal) => {
          if (!principal) return next(new Error('unauthorized: unknown or expired token'));
          socket.data.principal = principal;
          socket.data.remoteAddress = socket.handshake.address;
          socket.data.lagging = false;
          socket.data.surface = parsed.data.surface ?? null;
          socket.data.acks = null;
          socket.data.laggingSince = null;
          socket.data.streamGen = 0;
          next();
        },
        (err: Error) => next(err),
      );
    });
    io.on('connection', (socket) => {
      this.startSweep();
      this.onConnection(socket, StreamAuth.safeParse(handshakeAuth(socket.handshake)).data?.since).catch(
        (err: Error) => {
          console.error('stream connection failed:', err.message);
          socket.disconnect(true);
        },
      );
    });
    auth.onRevoke = (tokenHashes, deviceId) => {
      for (const s of this.io.sockets.sockets.values()) {
        const p = s.data.principal;
        if ((tokenHashes && p && tokenHashes.has(p.tokenHash)) || (deviceId && p?.deviceId === deviceId))
          s.disconnect(true);
      }
    };
  }

  get lastFlushedSeq(): number {
    return this.flushedSeq;
  }

  /** Publishes committed events: one batch per room. Called once per server tick. */
  flush(): void {
    const { events, texts } = this.core.takePending();
    if (events.length === 0) return;
    this.ring.push(...events);
    for (const t of texts) {
      this.ringSizes.push(t.length);
      this.ringBytes += t.length;
    }
    if (this.ring.length > this.ringSize * 1.25 || this.ringBytes > RING_MAX_BYTES * 1.25) {
      let drop = Math.max(0, this.ring.length - this.ringSize);
      let bytes = this.ringBytes;
      for (let i = 0; i < this.ring.length && (i < drop || bytes > RING_MAX_BYTES); i++) {
        bytes -= this.ringSizes[i] ?? 0;
        drop = i + 1;
      }
      this.ring = this.ring.slice(drop);
      this.ringSizes = this.ringSizes.slice(drop);
      this.ringBytes = bytes;
    }
    this.flushedSeq = events[events.length - 1]?.seq ?? this.flushedSeq;
    this.stats.flushes += 1;
    this.stats.eventsSent += events.length;
    // No batch to a socket whose session ended since the last sweep.
    this.endExpiredSessions();
    const rooms = this.io.sockets.adapter.rooms;
    this.recordRoomSend(events, texts);
    if (rooms.get(FULL)?.size) {
      // The events' JSON was made at commit: every supervisor socket gets the same text.
      const text = `[${texts.join(',')}]`;
      this.io.to(FULL).emit('events', new PreEncoded(text) as unknown as StreamEvent[]);
    }
    if (rooms.get(MASKED)?.size) this.io.to(MASKED).emit('events', this.masked(events));
    this.dropLaggards();
    this.options.onPublished?.(events);
  }

  /**
   * [presenter hook] Turns the presenter masking of wall pages on or off. A wall page whose masking
   * changes leaves its room at once (no further message of the old kind reaches it) and is told to
   * resnapshot, which it gets with the new masking.
   */
  setWallMasking(on: boolean): void {
    if (this.wallsMasked === on) return;
    this.wallsMasked = on;
    for (const socket of this.io.sockets.sockets.values()) {
      if (socket.data.surface !== 'wall' || shouldMask(socket.data.principal.role)) continue;
      socket.leave(FULL);
      socket.leave(MASKED);
      socket.emit('resync', { reason: 'presentation' });
    }
  }

  /** [presenter hook] Sends the presentation to every page. */
  broadcastPresentation(presentation: Presentation | null): void {
    this.io.emit('presentation', { presentation });
  }

  private masksFor(socket: GwSocket): boolean {
    return shouldMask(socket.data.principal.role) || (this.wallsMasked && socket.data.surface === 'wall');
  }

  /** Sends the workers that moved since the last call, to everyone, as one volatile (packed) message. */
  flushPositions(): void {
    if (this.core.movedWorkers.size === 0) return;
    const msg = this.workerIndex.pack(this.core.clock.now(), this.core.movedWorkers);
    this.core.movedWorkers.clear();
    this.io.volatile.emit('positions', msg);
  }

  /**
   * Events as the masked room gets them. A patch is masked with its case from the registry (just
   * committed, so there); one that cannot be is left out, and the seq gap sends the client to a
   * snapshot rather than past a patch that might carry personal data.
   */
  private masked(events: readonly StreamEvent[]): StreamEvent[] {
    const out: StreamEvent[] = [];
    for (const e of events) {
      const m = maskEvent(e, (id) => this.core.cases.get(id));
      if (m) out.push(m);
    }
    return out;
  }

  async pushKpis(): Promise<void> {
    const kpis = await this.options.kpis?.();
    const rolling = (await this.options.kpisRolling?.()) ?? null;
    if (kpis) this.io.emit('kpis', { at: this.core.clock.now(), kpis, rolling });
  }

  private dropLaggards(): void {
    for (const socket of this.io.sockets.sockets.values()) {
      if (socket.data.lagging) continue;
      // engine.io keeps unsent packets in writeBuffer (typed private): the event batches in it are
      // the client's lag. Acks count only for the check's cost: a console pipelining commands gets
      // hundreds of them between two writes, and is not behind for that.
      const buffer = (socket.conn as unknown as { writeBuffer: Array<{ data?: unknown }> }).writeBuffer;
      const max = this.options.maxBufferedPackets ?? MAX_BUFFERED_PACKETS;
      if (buffer.length > max && countEventPackets(buffer) > max) {
        this.tellToResync(socket);
      }
    }
  }

  // ── Sessions on the stream ──────────────────────────────────────────────────────────────────
  // A person's session that expires closes its sockets: checked before every batch and snapshot,
  // and by a sweep every SWEEP_MS while any socket is open (revocation closes them at once: onRevoke).

  /** Closes `socket` if its session has expired; true when it did. */
  private sessionEnded(socket: GwSocket): boolean {
    if (!this.auth.hasExpired(socket.data.principal)) return false;
    socket.leave(FULL);
    socket.leave(MASKED);
    if (socket.connected) {
      this.stats.sessionsEnded += 1;
      socket.disconnect(true);
    }
    return true;
  }

  private endExpiredSessions(): void {
    for (const socket of this.io.sockets.sockets.values()) this.sessionEnded(socket);
  }

  /** The sweep runs while sockets are open, and stops by itself once none are (no timer to close). */
  private startSweep(): void {
    if (this.sweepTimer) return;
    this.sweepTimer = setInterval(() => this.sweep(), SWEEP_MS);
    this.sweepTimer.unref();
  }

  private sweep(): void {
    if (this.io.sockets.sockets.size === 0) {
      if (this.sweepTimer) clearInterval(this.sweepTimer);
      this.sweepTimer = null;
      return;
    }
    this.endExpiredSessions();
    this.checkAckLag();
  }

  private roomOf(socket: GwSocket): string {
    return this.masksFor(socket) ? MASKED : FULL;
  }

  private async onConnection(socket: GwSocket, since: number | undefined): Promise<void> {
    socket.on('command', (raw, ack) => void this.onCommand(socket, raw, ack));
    if (this.options.presentation) socket.emit('presentation', { presentation: this.options.presentation() });
    // The presenter's page follows the presentation only: no case data to a tablet.
    if (socket.data.surface === 'presenter') return;
    socket.on('resync', () => {
      if (!this.sessionEnded(socket)) void this.sendSnapshot(socket);
    });
    socket.on('ack', (raw) => this.onAck(socket, raw));
    if (since === undefined || since > this.core.lastSeq) {
      await this.sendSnapshot(socket);
      return;
    }
    await this.resume(socket, since);
  }

  private async sendSnapshot(socket: GwSocket): Promise<void> {
    const kpis = (await this.options.kpis?.()) ?? null;
    const kpisRolling = (await this.options.kpisRolling?.()) ?? null;
    if (!socket.connected || this.sessionEnded(socket)) return;
    this.flush();
    const role = socket.data.principal.role;
    const masked = this.masksFor(socket);
    const cases = this.core.snapshotCases();
    const snapshot: Snapshot = {
      seq: this.flushedSeq,
      at: this.core.clock.now(),
      masked,
      role,
      cases: masked ? cases.map(maskCase) : cases,
      workers: [...this.core.workers.values()],
      cameras: [...this.core.cameras.values()],
      sensors: [...this.core.sensors.values()],
      areas: this.core.areas,
      areasVersion: this.core.areasVersion,
      departments: [...this.core.departments.values()],
      categories: [...this.core.categories.values()],
      kpis,
      kpisRolling,
      alerts: [...this.core.alerts.values()],
      inspectionPoints: [],
      ...this.options.snapshotExtras?.(),
    };
    socket.data.lagging = false;
    socket.data.laggingSince = null;
    socket.data.streamGen += 1;
    // Untracked until it acks again: reading and checking a big snapshot may take the client longer
    // than maxLagMs, and the batches queued behind it must not count as lag meanwhile.
    socket.data.acks = null;
    socket.emit('snapshot', snapshot);
    socket.join(this.roomOf(socket));
  }

  // ── Resume: paged, sent as the client reads ─────────────────────────────────────────────────
  // A resume sends the missed events a page at a time (at most resumePageEvents events and
  // resumePageBytes of JSON), read from the ring or the database, and sends the next page only once
  // the client has taken the last one off the server (the transport wrote it out). A client that
  // does not read holds one page in the server's memory, whatever the log's size.

  private async resume(socket: GwSocket, since: number): Promise<void> {
    const gen = socket.data.streamGen;
    if (this.flushedSeq - since > this.limits.resumeMaxEvents) {
      this.stats.resumesTooOld += 1;
      await this.sendSnapshot(socket);
      return;
    }
    let cursor = since;
    let firstKept: number | null = null;
    for (;;) {
      if (!socket.connected || socket.data.streamGen !== gen || this.sessionEnded(socket)) return;
      this.flush();
      const ringStart = this.ring[0]?.seq ?? this.flushedSeq + 1;
      let page: StreamEvent[];
      let bytes: number;
      if (cursor >= ringStart - 1) {
        const from = cursor + 1 - ringStart;
        const take = this.pageLength(this.ringSizes, from);
        page = this.ring.slice(from, from + take);
        bytes = this.ringSizes.slice(from, from + take).reduce((a, b) => a + b, 0);
        if (from + take >= this.ring.length) {
          // The last page: sent and joined in this same turn, so no live batch slips between them.
          if (!this.follows(page, cursor, this.flushedSeq)) return this.sendSnapshot(socket);
          if (!this.sendPage(socket, page, bytes)) return this.sendSnapshot(socket);
          socket.join(this.roomOf(socket));
          socket.emit('positions', this.allPositions());
          return;
        }
      } else {
        firstKept ??= await this.core.storage.firstSeq();
        if (firstKept === 0 || cursor < firstKept - 1) return this.sendSnapshot(socket);
        const rows = await this.core.storage.eventsBetween(
          cursor,
          Math.min(cursor + this.limits.resumePageEvents, ringStart - 1),
        );
        const take = this.pageLength(
          rows.map((r) => r.payload.length),
          0,
        );
        page = rows
          .slice(0, take)
          .map((r) => ({ seq: r.seq, at: r.at, type: r.type, payload: JSON.parse(r.payload) }) as StreamEvent);
        bytes = rows.slice(0, take).reduce((a, r) => a + r.payload.length, 0);
        if (!socket.connected || socket.data.streamGen !== gen) return;
      }
      const last = page.at(-1)?.seq ?? cursor;
      if (page.length === 0 || !this.follows(page, cursor, last)) return this.sendSnapshot(socket);
      if (!this.sendPage(socket, page, bytes)) return this.sendSnapshot(socket);
      cursor = last;
      this.stats.resumesWaiting += 1;
      const read = await this.written(socket);
      this.stats.resumesWaiting -= 1;
      if (!read) return;
    }
  }

  /** How many of the items from `from` (with these JSON sizes) make one page. */
  private pageLength(sizes: readonly number[], from: number): number {
    let n = 0;
    let bytes = 0;
    while (from + n < sizes.length && n < this.limits.resumePageEvents) {
      bytes += sizes[from + n] ?? 0;
      if (n > 0 && bytes > this.limits.resumePageBytes) break;
      n += 1;
    }
    return n;
  }

  /** Whether `page` is exactly the events after `since`, up to `last`. */
  private follows(page: readonly StreamEvent[], since: number, last: number): boolean {
    return page.every((e, i) => e.seq === since + i + 1) && (page.at(-1)?.seq ?? since) === last;
  }

  /** False when a masked page holds a patch whose case is no longer at hand to mask it: the caller sends a snapshot. */
  private sendPage(socket: GwSocket, page: StreamEvent[], bytes: number): boolean {
    if (page.length === 0) return true;
    const out = this.masksFor(socket) ? this.masked(page) : page;
    if (out.length !== page.length) return false;
    socket.emit('events', out);
    this.recordSend(socket, page[page.length - 1]?.seq ?? 0, bytes);
    return true;
  }

  /**
   * Resolves true once everything queued for `socket` has left the process (its transport wrote
   * it all to the kernel), false if the socket closed or its stream was replaced first.
   */
  private written(socket: GwSocket): Promise<boolean> {
    const conn = socket.conn as unknown as EngineConn;
    return new Promise((resolve) => {
      const check = (): void => {
        if (!socket.connected) finish(false);
        else if (conn.writeBuffer.length === 0 && conn.transport.writable) finish(true);
      };
      let transport = conn.transport;
      const onUpgrade = (): void => {
        transport.off('ready', check);
        transport = conn.transport;
        transport.on('ready', check);
        check();
      };
      const onClose = (): void => finish(false);
      const finish = (ok: boolean): void => {
        transport.off('ready', check);
        conn.off('upgrade', onUpgrade);
        socket.off('disconnect', onClose);
        resolve(ok);
      };
      transport.on('ready', check);
      conn.on('upgrade', onUpgrade);
      socket.on('disconnect', onClose);
      // Checked after this turn: the page just emitted is in the write buffer until then.
      setImmediate(check);
    });
  }

  // ── Back-pressure from acknowledgements ─────────────────────────────────────────────────────
  // The server's own buffers do not show a slow reader: the kernel's socket buffers (MBs) hide it.
  // A client that acknowledges (`ack` with the last seq it took in) is held to a bound instead:
  // JSON sent and not acknowledged (maxLagBytes), or the age of its oldest unacknowledged batch
  // (maxLagMs). Past it the client leaves its room and is told to resync; one that does not ask for
  // its snapshot within lagDropMs is dropped.

  private onAck(socket: GwSocket, raw: unknown): void {
    const parsed = StreamAck.safeParse(raw);
    if (!parsed.success) return;
    socket.data.acks ??= { pending: [], sentBytes: 0, ackedBytes: 0 };
    const track = socket.data.acks;
    while (track.pending.length > 0 && (track.pending[0]?.[0] ?? Number.POSITIVE_INFINITY) <= parsed.data.seq) {
      track.ackedBytes = track.pending.shift()?.[1] ?? track.ackedBytes;
    }
  }

  /** Notes a batch sent to one socket (only acknowledging clients keep the record). */
  private recordSend(socket: GwSocket, lastSeq: number, bytes: number): void {
    const track = socket.data.acks;
    if (!track) return;
    track.sentBytes += bytes;
    track.pending.push([lastSeq, track.sentBytes, performance.now()]);
  }

  /** Notes a published batch for every acknowledging socket in a room. */
  private recordRoomSend(events: readonly StreamEvent[], texts: readonly string[]): void {
    const lastSeq = events[events.length - 1]?.seq ?? 0;
    let bytes = 2;
    for (const t of texts) bytes += t.length + 1;
    const rooms = this.io.sockets.adapter.rooms;
    for (const room of [FULL, MASKED]) {
      for (const id of rooms.get(room) ?? []) {
        const socket = this.io.sockets.sockets.get(id);
        if (socket) this.recordSend(socket, lastSeq, bytes);
      }
    }
  }

  private checkAckLag(): void {
    const now = performance.now();
    for (const socket of this.io.sockets.sockets.values()) {
      const since = socket.data.laggingSince;
      if (since !== null) {
        if (now - since > this.limits.lagDropMs) {
          this.stats.lagDrops += 1;
          socket.disconnect(true);
        }
        continue;
      }
      const track = socket.data.acks;
      const oldest = track?.pending[0];
      if (!track || !oldest) continue;
      if (track.sentBytes - track.ackedBytes > this.limits.maxLagBytes || now - oldest[2] > this.limits.maxLagMs)
        this.tellToResync(socket);
    }
  }

  /** Out of its room (nothing more is queued for it) and told to ask for a snapshot. */
  private tellToResync(socket: GwSocket): void {
    socket.data.lagging = true;
    socket.data.laggingSince = performance.now();
    socket.data.streamGen += 1;
    socket.data.acks = null;
    socket.leave(FULL);
    socket.leave(MASKED);
    this.stats.resnapshots += 1;
    socket.emit('resync', { reason: 'too_far_behind' });
  }

  private allPositions(): WorkerPositions {
    return this.workerIndex.pack(this.core.clock.now());
  }

  private async onCommand(socket: GwSocket, raw: unknown, ack: unknown): Promise<void> {
    const answer = await this.commands(raw, {
      principal: socket.data.principal,
      remoteAddress: socket.data.remoteAddress,
    });
    if (answer.malformed) this.stats.badCommands += 1;
    // The case's JSON was made once at commit (for the log and the stream): the ack reuses it.
    if (typeof ack === 'function') ack(answer.json === null ? answer.ack : new PreEncoded(answer.json));
  }
}
