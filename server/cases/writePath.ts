import type { Actor, Camera, Case, CaseReportParsed, Command, CommandAck, Sensor, StreamEvent } from '../../protocol';
import type { Clock } from '../clock';
import type { Storage, WriteBatch } from '../storage/store';
import { caseJson } from './caseJson';
import { WriteGroup } from './group';
import type { EntityRegistry } from './registry';
import type { DeadlineScheduler } from './scheduler';

/** Who sent a command and from where: for the audit log and the timeline. */
export interface CommandOrigin {
  actor: Actor;
  username: string;
  role: string;
  remoteAddress: string;
}

/** A command's answer with its JSON text when the core already has it (sent as is, not encoded again). */
export interface EncodedAck {
  ack: CommandAck;
  json: string | null;
}

/** What goes through the write path: each op is applied in a write group and answered once it is committed. */
export type Op = { reject: (err: Error) => void } & (
  | { kind: 'command'; command: Command; origin: CommandOrigin; resolve: (answer: EncodedAck) => void }
  | { kind: 'report'; report: CaseReportParsed; actor: Actor; sensorId: string | null; resolve: (c: Case) => void }
  | { kind: 'deadline'; caseId: string; which: 'warning' | 'overdue'; resolve: () => void }
  | { kind: 'camera'; cameraId: string; status: Camera['status']; resolve: () => void }
  | { kind: 'sensor'; sensorId: string; status: Sensor['status']; resolve: () => void }
);

/** Applies one op to a group; returns how to answer its caller once the group is committed. */
export type ApplyOp = (op: Op, group: WriteGroup) => () => void;

/** Committed events not yet published, each with its JSON text (made once at emit, in the same order). */
export interface PendingEvents {
  events: StreamEvent[];
  texts: string[];
}

/** Ops taken into one write group at most: one transaction stays short enough not to stall the loop. */
const MAX_GROUP_OPS = 1000;
/** Bulk mode: ops gathered into one transaction (cases written once however often they changed). */
const BULK_OPS = 30_000;
/** Command answers kept in memory; older ids are answered from the database. */
const RECENT_ACKS = 20_000;

/**
 * The one write path: a queue of ops drained in groups, each group applied against an overlay of
 * the registry and committed in one transaction (group commit); only then do the caches change,
 * callers hear their answers and the group's events wait to be published.
 */
export class WritePath {
  private seq = 0;
  private caseCounter = 0;
  private alertCounter = 0;
  private readonly queue: Op[] = [];
  private draining: Promise<void> | null = null;
  private readonly recentAcks = new Map<string, Case>();
  private pendingEvents: StreamEvent[] = [];
  private pendingTexts: string[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly committedListeners = new Set<(before: Case | null, after: Case) => void>();
  private closed = false;
  /** Bulk mode (the history fill): the groups gathered and not yet handed to storage, and the one being written. */
  private bulk: { gathered: BulkBatch; ops: number; writing: Promise<void> | null; inWrite: BulkBatch | null } | null =
    null;

  constructor(
    private readonly storage: Storage,
    private readonly registry: EntityRegistry,
    private readonly scheduler: DeadlineScheduler,
    private readonly clock: Clock,
    private readonly apply: ApplyOp,
  ) {}

  /** Reads where the log and the id counters stand. */
  async load(): Promise<void> {
    // A bulk fill logs no events but numbers them: its last seq is kept in meta.
    this.seq = Math.max(await this.storage.lastSeq(), Number((await this.storage.getMeta('bulkSeq')) ?? 0));
    this.caseCounter = Number((await this.storage.getMeta('caseCounter')) ?? 0);
    this.alertCounter = Number((await this.storage.getMeta('alertCounter')) ?? 0);
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** Called when events are waiting to be published. */
  onEvents(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Events committed since the last call, in seq order, with their JSON. */
  takePending(): PendingEvents {
    const taken = { events: this.pendingEvents, texts: this.pendingTexts };
    this.pendingEvents = [];
    this.pendingTexts = [];
    return taken;
  }

  /**
   * Called for each case a group changed, once the group is committed (in bulk mode: applied), with
   * the case as it was (null: new or not cached) and as it is: derived state (KPI rollups) follows
   * every write here, without reading the database.
   */
  onCommitted(listener: (before: Case | null, after: Case) => void): () => void {
    this.committedListeners.add(listener);
    return () => this.committedListeners.delete(listener);
  }

  /** Queues an op; it is answered through its own resolve/reject once its group is committed. */
  submit(op: Op): void {
    if (this.closed) {
      op.reject(new Error('server is shutting down'));
      return;
    }
    this.queue.push(op);
    if (!this.draining) this.draining = this.drain();
  }

  /** Resolves when every queued op is committed. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  async close(): Promise<void> {
    await this.idle();
    await this.endBulk();
    this.closed = true;
  }

  /**
   * Bulk mode, for filling history before anyone listens: each group is applied, reaches the caches
   * and answers its callers at once (the same rules, the same order), while its writes are gathered
   * and committed tens of thousands of ops per transaction on the writer thread, as the next ones
   * are applied. A case that changed many times is written once, and no event is logged: no client
   * can have seen these events, so the log (like a pruned one) starts after them and a `since`
   * from before gets a snapshot. A crash loses the gathered groups, never a part of one.
   */
  beginBulk(): void {
    this.bulk ??= { gathered: new BulkBatch(), ops: 0, writing: null, inWrite: null };
  }

  /** Leaves bulk mode once everything gathered is committed (a write that failed throws here). */
  async endBulk(): Promise<void> {
    const bulk = this.bulk;
    if (!bulk) return;
    await this.idle();
    await this.flushBulk();
    await bulk.writing;
    this.bulk = null;
  }

  /** Hands the gathered writes to storage after the write before them (one in flight: memory stays bounded). */
  private async flushBulk(): Promise<void> {
    const bulk = this.bulk;
    if (!bulk || bulk.ops === 0) return;
    await bulk.writing;
    const batch = bulk.gathered;
    bulk.gathered = new BulkBatch();
    bulk.ops = 0;
    bulk.inWrite = batch;
    bulk.writing = this.storage.commit(batch.toWriteBatch()).finally(() => {
      if (bulk.inWrite === batch) bulk.inWrite = null;
    });
  }

  private async drain(): Promise<void> {
    try {
      // Let every socket read in this turn of the event loop join the group: one transaction for
      // many ops, and under load groups grow with the load instead of one per incoming frame.
      await new Promise<void>((resolve) => setImmediate(resolve));
      while (this.queue.length > 0) {
        const ops = this.queue.splice(0, MAX_GROUP_OPS);
        try {
          await this.commitGroup(ops);
        } catch (err) {
          // Nothing of the group reached the caches; callers hear of it and may resend.
          console.error('write group failed:', err);
          for (const op of ops) op.reject(err as Error);
        }
      }
    } finally {
      // Cleared in the same turn that found the queue empty: an op queued after this starts a new drain.
      this.draining = null;
    }
  }

  private async commitGroup(ops: Op[]): Promise<void> {
    await this.prefetch(ops);
    const group = new WriteGroup(
      this.seq,
      this.caseCounter,
      this.alertCounter,
      this.registry.cases,
      this.recentAcks,
      () => this.clock.now(),
      this.bulk !== null,
    );
    const settle: Array<() => void> = [];
    for (const op of ops) settle.push(this.apply(op, group));
    const batch: WriteBatch = {
      // In bulk mode a case's JSON is made once, from its last version, when the gathered writes go out.
      cases: [...group.cases.values()].map((c) => ({
        case: c,
        json: this.bulk ? '' : (group.caseJson.get(c.id) ?? caseJson(c)),
        // The row as stored: the caches hold exactly what the last commit wrote (prefetch loads the rest).
        previous: this.registry.cases.get(c.id) ?? null,
      })),
      events: group.events.map((e, i) => ({
        seq: e.seq,
        at: e.at,
        type: e.type,
        payload: group.payloads[i] ?? JSON.stringify(e.payload),
      })),
      applied: group.applied,
      audit: group.audit,
      alerts: [...group.alerts.values()],
      meta: [
        { key: 'caseCounter', value: String(group.caseCounter) },
        { key: 'alertCounter', value: String(group.alertCounter) },
        ...[...group.meta].map(([key, value]) => ({ key, value })),
      ],
    };
    if (this.bulk) {
      batch.meta.push({ key: 'bulkSeq', value: String(group.seq) });
      this.bulk.gathered.add(batch);
      this.bulk.ops += ops.length;
      if (this.bulk.ops >= BULK_OPS) await this.flushBulk();
    } else {
      await this.storage.commit(batch);
    }
    this.merge(group);
    for (const s of settle) s();
    if (group.events.length > 0) for (const l of this.listeners) l();
  }

  /** Loads what the group needs from storage: answers of command ids seen before, cases not cached. */
  private async prefetch(ops: Op[]): Promise<void> {
    const ids: string[] = [];
    const missingCases = new Set<string>();
    for (const op of ops) {
      if (op.kind !== 'command') continue;
      if (!this.recentAcks.has(op.command.commandId)) ids.push(op.command.commandId);
      if (!this.registry.cases.has(op.command.caseId)) missingCases.add(op.command.caseId);
    }
    if (ids.length > 0) {
      for (const [id, a] of await this.storage.findApplied(ids)) {
        const stored = JSON.parse(a.ack) as { ok: true; seq: number };
        const [event] = await this.storage.eventsBetween(stored.seq - 1, stored.seq);
        // The log holds a changed case as a patch: then (and past the log's retention) the case as
        // it is now stands in for the case as it was.
        const c =
          event?.type === 'case.upserted'
            ? (JSON.parse(event.payload) as Case)
            : (this.registry.cases.get(a.caseId) ?? (await this.storage.getCase(a.caseId)));
        if (c) this.rememberAck(id, c);
      }
    }
    for (const id of missingCases) {
      // In bulk mode a case's latest writes may not be stored yet.
      const c = this.bulk?.gathered.caseOf(id) ?? this.bulk?.inWrite?.caseOf(id) ?? (await this.storage.getCase(id));
      // Ended long ago: loaded for this command only, not kept in the wall's working set.
      if (c) this.registry.cases.set(c.id, c);
    }
  }

  private rememberAck(commandId: string, answered: Case): void {
    this.recentAcks.set(commandId, answered);
    // Keep the recent ones (the cases they answered with); older ids are answered from the database.
    if (this.recentAcks.size > RECENT_ACKS) {
      const oldest = this.recentAcks.keys().next().value;
      if (oldest !== undefined) this.recentAcks.delete(oldest);
    }
  }

  /** The committed group reaches the caches, the deadline scheduler and the publish queue. */
  private merge(g: WriteGroup): void {
    this.seq = g.seq;
    this.caseCounter = g.caseCounter;
    this.alertCounter = g.alertCounter;
    for (const c of g.cases.values()) {
      if (this.committedListeners.size > 0) {
        const before = this.registry.cases.get(c.id) ?? null;
        for (const l of this.committedListeners) l(before, c);
      }
      this.registry.cases.set(c.id, c);
      this.scheduler.track(c.id, c.deadline);
    }
    for (const a of g.alerts.values()) {
      if (a.clearedAt === null) this.registry.alerts.set(a.id, a);
      else this.registry.alerts.delete(a.id);
    }
    for (const [id, ack] of g.appliedById) this.rememberAck(id, ack);
    for (const f of g.afterCommit) f();
    this.pendingEvents.push(...g.events);
    this.pendingTexts.push(...g.texts);
  }
}

/** The writes of many groups, gathered in bulk mode: each case once (as last put, over the row as stored before). */
class BulkBatch {
  private readonly cases = new Map<string, WriteBatch['cases'][number]>();
  private readonly alerts = new Map<string, WriteBatch['alerts'][number]>();
  private readonly meta = new Map<string, string>();
  private readonly applied: WriteBatch['applied'] = [];
  private readonly audit: WriteBatch['audit'] = [];

  add(b: WriteBatch): void {
    for (const c of b.cases) {
      const before = this.cases.get(c.case.id);
      this.cases.set(c.case.id, before ? { ...c, previous: before.previous } : c);
    }
    for (const a of b.alerts) this.alerts.set(a.id, a);
    for (const m of b.meta) this.meta.set(m.key, m.value);
    for (const a of b.applied) this.applied.push(a);
    for (const a of b.audit) this.audit.push(a);
  }

  caseOf(id: string): Case | undefined {
    return this.cases.get(id)?.case;
  }

  toWriteBatch(): WriteBatch {
    return {
      cases: [...this.cases.values()].map((c) => ({ ...c, json: caseJson(c.case) })),
      events: [],
      applied: this.applied,
      audit: this.audit,
      alerts: [...this.alerts.values()],
      meta: [...this.meta].map(([key, value]) => ({ key, value })),
    };
  }
}
