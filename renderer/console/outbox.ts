import type { ApiError, Case, Command, CommandAck } from '../../protocol';

/**
 * The console's outbox: every command goes in here first, is persisted, and leaves only when the
 * server has given a definite answer. Commands are sent one at a time, in the order they were
 * made, so a replay after an outage happens in that order too; each carries its `commandId`, so a
 * command the server applied just before the link dropped (its answer lost) is answered again,
 * not applied twice.
 */

export type OutboxState = 'queued' | 'failed';
/** The server's refusal, or `blocked`: the command it was built on was refused. */
export type OutboxErrorCode = ApiError['code'] | 'blocked';

export interface OutboxEntry {
  /** Order of creation (also the storage key). */
  seq: number;
  command: Command;
  /** For the operator: which case, shown while the command waits or after it failed. */
  caseCode: string;
  username: string;
  createdAt: number;
  state: OutboxState;
  /**
   * The command queued before this one for the same case: its answer decides this one's
   * `expectedVersion` (the version after it), since this one was made on top of it.
   */
  after: string | null;
  attempts: number;
  /** Why a failed command was refused; `blocked` when the command it built on failed. */
  error: (Omit<ApiError, 'code'> & { code: OutboxErrorCode }) | null;
  failedAt: number | null;
}

/** Where entries survive a reload (IndexedDB in the browser, a Map in tests). */
export interface OutboxStorage {
  load(): Promise<OutboxEntry[]>;
  put(entry: OutboxEntry): Promise<void>;
  delete(seq: number): Promise<void>;
}

export type SendResult =
  | { kind: 'ack'; ack: CommandAck }
  /** No answer: the network or the server is away. The command may or may not have been applied. */
  | { kind: 'offline'; reason: string }
  /** The session is gone: the operator must log in again before anything more is sent. */
  | { kind: 'unauthorized' };

export type Send = (command: Command) => Promise<SendResult>;

export interface OutboxTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface OutboxStatus {
  /** Commands waiting to be sent or being sent. */
  waiting: number;
  /** The last attempt got no answer: the console is offline until one gets through. */
  offline: boolean;
  /** Held until the operator logs in again. */
  needsLogin: boolean;
  sending: boolean;
  failed: OutboxEntry[];
  /** Waiting commands, oldest first. */
  queued: OutboxEntry[];
}

export interface AppliedNotice {
  entry: OutboxEntry;
  case: Case;
}

export interface OutboxOptions {
  /** Retry delays while offline: doubles from `retryBaseMs` up to `retryMaxMs`. */
  retryBaseMs?: number;
  retryMaxMs?: number;
}

const TRANSIENT: ReadonlySet<ApiError['code']> = new Set(['unavailable']);

export class Outbox {
  private entries: OutboxEntry[] = [];
  private nextSeq = 1;
  private sending = false;
  private offline = false;
  private needsLogin = false;
  private retryTimer: unknown = null;
  private kicked = false;
  private retryDelay: number;
  private loaded = false;
  private ready: Promise<void> | null = null;
  private writes: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<(status: OutboxStatus) => void>();
  private readonly appliedListeners = new Set<(notice: AppliedNotice) => void>();
  /** The version each case reached with our last applied command (the stream may not have it yet). */
  readonly ackedVersions = new Map<string, number>();
  private status: OutboxStatus;

  constructor(
    private readonly storage: OutboxStorage,
    private send: Send,
    private readonly timers: OutboxTimers,
    private readonly options: OutboxOptions = {},
  ) {
    this.retryDelay = options.retryBaseMs ?? 1000;
    this.status = this.makeStatus();
  }

  /** Loads what a previous page left, then starts sending it. Commands enqueued meanwhile wait for it. */
  init(): Promise<void> {
    this.ready ??= (async () => {
      const stored = await this.storage.load();
      stored.sort((a, b) => a.seq - b.seq);
      this.entries = stored;
      this.nextSeq = Math.max(1, ...stored.map((e) => e.seq + 1));
      this.loaded = true;
      this.changed();
      this.pump();
    })();
    return this.ready;
  }

  /** Storage writes, one after another in the order made: a delete never overtakes its put. */
  private write(op: () => Promise<void>): Promise<void> {
    const next = this.writes.then(op, op);
    this.writes = next.catch(() => undefined);
    return next;
  }

  setSender(send: Send): void {
    this.send = send;
  }

  /**
   * Adds a command. It is on disk before this resolves; sending starts at once. A command on a
   * case that still has one waiting is chained to it.
   */
  async enqueue(command: Command, meta: { caseCode: string; username: string }): Promise<OutboxEntry> {
    await this.init();
    const before = this.lastQueuedFor(command.caseId);
    const entry: OutboxEntry = {
      seq: this.nextSeq++,
      command,
      caseCode: meta.caseCode,
      username: meta.username,
      createdAt: this.timers.now(),
      state: 'queued',
      after: before ? before.command.commandId : null,
      attempts: 0,
      error: null,
      failedAt: null,
    };
    // In memory at once (a chained command must see it), on disk before it is counted as
    // waiting and before this resolves; it is never sent before it is on disk (see sendOne).
    this.entries.push(entry);
    const written = this.write(() => this.storage.put({ ...entry }));
    this.pump();
    await written;
    this.changed();
    return entry;
  }

  /** The newest waiting command on a case, if any. */
  lastQueuedFor(caseId: string): OutboxEntry | undefined {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i];
      if (e && e.state === 'queued' && e.command.caseId === caseId) return e;
    }
    return undefined;
  }

  queuedFor(caseId: string): OutboxEntry[] {
    return this.entries.filter((e) => e.state === 'queued' && e.command.caseId === caseId);
  }

  /** Try now: the stream is back, or the operator logged in again. */
  kick(): void {
    // A kick during a send that then fails must not be lost: that failure retries at once.
    if (this.sending) this.kicked = true;
    this.needsLogin = false;
    if (this.retryTimer !== null) {
      this.timers.clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
    this.retryDelay = this.options.retryBaseMs ?? 1000;
    this.changed();
    this.pump();
  }

  /** Removes a failed entry the operator has seen (or redone). */
  async dismiss(seq: number): Promise<void> {
    const i = this.entries.findIndex((e) => e.seq === seq && e.state === 'failed');
    if (i < 0) return;
    this.entries.splice(i, 1);
    this.changed();
    await this.write(() => this.storage.delete(seq));
  }

  subscribe(listener: (status: OutboxStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onApplied(listener: (notice: AppliedNotice) => void): () => void {
    this.appliedListeners.add(listener);
    return () => this.appliedListeners.delete(listener);
  }

  getStatus(): OutboxStatus {
    return this.status;
  }

  private makeStatus(): OutboxStatus {
    const queued = this.entries.filter((e) => e.state === 'queued');
    return {
      waiting: queued.length,
      offline: this.offline,
      needsLogin: this.needsLogin,
      sending: this.sending,
      failed: this.entries.filter((e) => e.state === 'failed'),
      queued,
    };
  }

  private changed(): void {
    this.status = this.makeStatus();
    for (const l of this.listeners) l(this.status);
  }

  private pump(): void {
    if (!this.loaded || this.sending || this.needsLogin || this.retryTimer !== null) return;
    const head = this.entries.find((e) => e.state === 'queued');
    if (!head) {
      if (this.offline) {
        this.offline = false;
        this.changed();
      }
      return;
    }
    this.sending = true;
    this.changed();
    void this.sendOne(head).finally(() => {
      this.sending = false;
      this.changed();
      this.pump();
    });
  }

  private async sendOne(entry: OutboxEntry): Promise<void> {
    // Never send what is not on disk yet: a page that dies mid-send must still have the command.
    await this.writes;
    this.kicked = false;
    entry.attempts++;
    let result: SendResult;
    try {
      result = await this.send(entry.command);
    } catch (err) {
      result = { kind: 'offline', reason: err instanceof Error ? err.message : String(err) };
    }
    if (result.kind === 'unauthorized') {
      if (this.kicked) this.kicked = false;
      else this.needsLogin = true;
      return;
    }
    if (result.kind === 'offline' || (!result.ack.ok && TRANSIENT.has(result.ack.error.code))) {
      this.offline = true;
      this.scheduleRetry();
      return;
    }
    this.offline = false;
    this.retryDelay = this.options.retryBaseMs ?? 1000;
    const ack = result.ack;
    if (ack.ok) {
      await this.applied(entry, ack.case);
    } else {
      await this.failed(entry, ack.error);
    }
  }

  private async applied(entry: OutboxEntry, c: Case): Promise<void> {
    const known = this.ackedVersions.get(c.id) ?? 0;
    if (c.version > known) this.ackedVersions.set(c.id, c.version);
    // What was built on this command now expects the version this command produced; stored
    // before this one is deleted, so a reload in between replays this one (answered again, not
    // applied again) rather than losing the link.
    const writes: Promise<void>[] = [];
    for (const next of this.entries) {
      if (next.state === 'queued' && next.after === entry.command.commandId) {
        next.after = null;
        next.command = { ...next.command, expectedVersion: c.version };
        const copy = { ...next };
        writes.push(this.write(() => this.storage.put(copy)));
      }
    }
    this.entries = this.entries.filter((e) => e !== entry);
    writes.push(this.write(() => this.storage.delete(entry.seq)));
    for (const l of this.appliedListeners) l({ entry, case: c });
    await Promise.all(writes);
  }

  private async failed(entry: OutboxEntry, error: OutboxEntry['error']): Promise<void> {
    const now = this.timers.now();
    entry.state = 'failed';
    entry.error = error;
    entry.failedAt = now;
    const writes: Promise<void>[] = [];
    const copy = { ...entry };
    writes.push(this.write(() => this.storage.put(copy)));
    // A command built on a refused one cannot stand: it fails with it, for the operator to redo.
    let parent = entry.command.commandId;
    for (const next of this.entries) {
      if (next.state === 'queued' && next.after === parent) {
        next.state = 'failed';
        next.error = { code: 'blocked', message: `depends on ${parent}` };
        next.failedAt = now;
        const blocked = { ...next };
        writes.push(this.write(() => this.storage.put(blocked)));
        parent = next.command.commandId;
      }
    }
    await Promise.all(writes);
  }

  private scheduleRetry(): void {
    if (this.kicked) {
      this.kicked = false;
      return;
    }
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.options.retryMaxMs ?? 10_000, this.retryDelay * 2);
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = null;
      this.pump();
    }, delay);
  }
}

/** Client-made command ids: unique per console and command, at least 8 characters. */
export function newCommandId(random: () => number = Math.random, now = Date.now()): string {
  const r = Math.floor(random() * 36 ** 8)
    .toString(36)
    .padStart(8, '0');
  return `c-${now.toString(36)}-${r}`;
}

/** The version a new command on a case should expect: the newest the console knows of. */
export function expectedVersionFor(streamVersion: number, outbox: Outbox, caseId: string): number {
  return Math.max(streamVersion, outbox.ackedVersions.get(caseId) ?? 0);
}

/** Storage for unit tests and for browsers without IndexedDB (then a reload does lose the outbox). */
export class MemoryOutboxStorage implements OutboxStorage {
  readonly rows = new Map<number, OutboxEntry>();
  async load(): Promise<OutboxEntry[]> {
    return [...this.rows.values()].map((e) => structuredClone(e));
  }
  async put(entry: OutboxEntry): Promise<void> {
    this.rows.set(entry.seq, structuredClone(entry));
  }
  async delete(seq: number): Promise<void> {
    this.rows.delete(seq);
  }
}
