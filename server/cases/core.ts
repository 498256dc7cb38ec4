import type {
  Actor,
  Alert,
  AlertKind,
  ApiError,
  Area,
  Assignee,
  Camera,
  Case,
  CaseLevel,
  CaseReportParsed,
  Category,
  Command,
  CommandAck,
  Department,
  Sensor,
  StreamEvent,
  Worker,
} from '../../protocol';
import { isTerminal } from '../../protocol';
import { WorkingCalendar } from '../../protocol/calendar';
import { STAGE_OF } from '../../protocol/lifecycle';
import type { Clock } from '../clock';
import type { ServerConfig } from '../config';
import type { AppliedCommand, AuditRecord, Geography, Storage, WriteBatch } from '../storage/store';
import { DeadlinePolicy } from './deadlines';
import { GridIndex } from './geo';
import { applyCommand, type Effect, type LifecycleEnv, markDeadline } from './lifecycle';
import { DeadlineScheduler } from './scheduler';

/** Who sent a command and from where: for the audit log and the timeline. */
export interface CommandOrigin {
  actor: Actor;
  username: string;
  role: string;
  remoteAddress: string;
}

type Op = { reject: (err: Error) => void } & (
  | { kind: 'command'; command: Command; origin: CommandOrigin; resolve: (answer: EncodedAck) => void }
  | { kind: 'report'; report: CaseReportParsed; actor: Actor; sensorId: string | null; resolve: (c: Case) => void }
  | { kind: 'deadline'; caseId: string; which: 'warning' | 'overdue'; resolve: () => void }
  | { kind: 'camera'; cameraId: string; status: Camera['status']; resolve: () => void }
  | { kind: 'sensor'; sensorId: string; status: Sensor['status']; resolve: () => void }
);

/** A command's answer with its JSON text when the core already has it (sent as is, not encoded again). */
export interface EncodedAck {
  ack: CommandAck;
  json: string | null;
}

/** Ops taken into one write group at most: one transaction stays short enough not to stall the loop. */
const MAX_GROUP_OPS = 1000;

/** Each event's JSON, made once when it is emitted and reused by the log and every room. */
export const eventText = new WeakMap<StreamEvent, string>();

const SYSTEM: Actor = { id: 'system', name: '系统', role: 'system' };

/** Ops of one write group, applied against an overlay of the caches and committed together. */
class Group {
  readonly cases = new Map<string, Case>();
  readonly alerts = new Map<string, Alert>();
  readonly events: StreamEvent[] = [];
  /** Each event's payload JSON, beside `events`: what the log stores. */
  readonly payloads: string[] = [];
  readonly applied: AppliedCommand[] = [];
  readonly appliedById = new Map<string, string>();
  /** The JSON text of each case as last put in this group: made once, stored, logged and acked. */
  readonly caseJson = new Map<string, string>();
  readonly audit: AuditRecord[] = [];
  readonly meta = new Map<string, string>();
  readonly afterCommit: Array<() => void> = [];
  constructor(
    public seq: number,
    public caseCounter: number,
    public alertCounter: number,
  ) {}
}

/**
 * The case server's core: caches of what the wall shows, the one write path (commands, intake,
 * deadline marks) with group commit, the deadline scheduler and the event log.
 */
export class CaseCore {
  readonly deadlines: DeadlinePolicy;
  readonly scheduler = new DeadlineScheduler();
  readonly cases = new Map<string, Case>();
  readonly alerts = new Map<string, Alert>();
  areas: Area[] = [];
  areasVersion = 1;
  readonly areaById = new Map<string, Area>();
  private gridIndex = new GridIndex([]);
  readonly workers = new Map<string, Worker>();
  readonly departments = new Map<string, Department>();
  readonly cameras = new Map<string, Camera>();
  readonly sensors = new Map<string, Sensor>();
  readonly categories = new Map<string, Category>();
  /** Workers moved since the last positions message. */
  readonly movedWorkers = new Set<string>();

  private seq = 0;
  private caseCounter = 0;
  private alertCounter = 0;
  private readonly queue: Op[] = [];
  private draining: Promise<void> | null = null;
  private readonly recentAcks = new Map<string, string>();
  private readonly pending: StreamEvent[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly levels: readonly CaseLevel[];
  private readonly autoDispatch: Set<string>;
  private closed = false;

  constructor(
    readonly storage: Storage,
    readonly config: ServerConfig,
    readonly clock: Clock,
    categories: Category[],
  ) {
    for (const c of config.categories ?? categories) this.categories.set(c.code, c);
    this.deadlines = new DeadlinePolicy(new WorkingCalendar(config.calendar), config.limits, this.categories);
    this.levels = config.levels;
    this.autoDispatch = new Set(
      config.autoDispatchCategories ?? [...this.categories.values()].filter((c) => c.autoDispatch).map((c) => c.code),
    );
  }

  /** Loads everything from storage (seeding the geography on first start) and re-arms every deadline. */
  async start(seed: () => Geography): Promise<void> {
    let geo = await this.storage.loadGeography();
    if (geo.areas.length === 0) {
      await this.storage.saveGeography(seed());
      // Read back, so a first start and a restart hold everything in the same (stored) order.
      geo = await this.storage.loadGeography();
    }
    this.areas = geo.areas;
    this.gridIndex = new GridIndex(geo.areas);
    for (const a of geo.areas) this.areaById.set(a.id, a);
    for (const w of geo.workers) this.workers.set(w.id, w);
    for (const d of geo.departments) this.departments.set(d.id, d);
    for (const c of geo.cameras) this.cameras.set(c.id, c);
    for (const s of geo.sensors) this.sensors.set(s.id, s);

    this.seq = await this.storage.lastSeq();
    this.caseCounter = Number((await this.storage.getMeta('caseCounter')) ?? 0);
    this.alertCounter = Number((await this.storage.getMeta('alertCounter')) ?? 0);
    const endedSince = this.clock.now() - this.config.snapshotClosedHours * 3_600_000;
    for (const c of await this.storage.loadActiveCases(endedSince)) {
      this.cases.set(c.id, c);
      this.scheduler.track(c.id, c.deadline);
    }
    for (const a of await this.storage.activeAlerts()) this.alerts.set(a.id, a);
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** Called when events are waiting to be published. */
  onEvents(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Events committed since the last call, in seq order. */
  takePending(): StreamEvent[] {
    return this.pending.splice(0, this.pending.length);
  }

  // ---- the write path --------------------------------------------------------------------------

  /** Applies a command; a storage failure answers `unavailable` (nothing was applied: resend it). */
  async command(command: Command, origin: CommandOrigin): Promise<CommandAck> {
    return (await this.commandEncoded(command, origin)).ack;
  }

  /** `command`, with the answer's JSON when it was made at commit: the stream sends that text as is. */
  async commandEncoded(command: Command, origin: CommandOrigin): Promise<EncodedAck> {
    try {
      return await new Promise((resolve, reject) =>
        this.enqueue({ kind: 'command', command, origin, resolve, reject }),
      );
    } catch (err) {
      return { ack: { ok: false, error: { code: 'unavailable', message: (err as Error).message } }, json: null };
    }
  }

  report(report: CaseReportParsed, actor: Actor, sensorId: string | null = null): Promise<Case> {
    return new Promise((resolve, reject) => this.enqueue({ kind: 'report', report, actor, sensorId, resolve, reject }));
  }

  setCameraStatus(cameraId: string, status: Camera['status']): Promise<void> {
    return new Promise((resolve, reject) => this.enqueue({ kind: 'camera', cameraId, status, resolve, reject }));
  }

  setSensorStatus(sensorId: string, status: Sensor['status']): Promise<void> {
    return new Promise((resolve, reject) => this.enqueue({ kind: 'sensor', sensorId, status, resolve, reject }));
  }

  /** Runs the deadline marks that are due; returns when they are committed. */
  async runDeadlines(): Promise<number> {
    const due = this.scheduler.takeDue(this.clock.now());
    await Promise.all(
      due.map(
        (m) =>
          new Promise<void>((resolve, reject) =>
            this.enqueue({ kind: 'deadline', caseId: m.caseId, which: m.which, resolve, reject }),
          ),
      ),
    );
    return due.length;
  }

  /** Resolves when every queued op is committed. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  async close(): Promise<void> {
    await this.idle();
    this.closed = true;
  }

  private enqueue(op: Op): void {
    if (this.closed) {
      op.reject(new Error('server is shutting down'));
      return;
    }
    this.queue.push(op);
    if (!this.draining) this.draining = this.drain();
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
    const group = new Group(this.seq, this.caseCounter, this.alertCounter);
    const settle: Array<() => void> = [];
    for (const op of ops) settle.push(this.process(op, group));
    const batch: WriteBatch = {
      cases: [...group.cases.values()].map((c) => ({
        case: c,
        json: group.caseJson.get(c.id) ?? JSON.stringify(c),
        // The row as stored: the caches hold exactly what the last commit wrote (prefetch loads the rest).
        previous: this.cases.get(c.id) ?? null,
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
    await this.storage.commit(batch);
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
      if (!this.cases.has(op.command.caseId)) missingCases.add(op.command.caseId);
    }
    if (ids.length > 0) {
      for (const [id, a] of await this.storage.findApplied(ids)) {
        const stored = JSON.parse(a.ack) as { ok: true; seq: number };
        const [event] = await this.storage.eventsBetween(stored.seq - 1, stored.seq);
        // Past the log's retention the case as it is now stands in for the case as it was.
        const c = event
          ? (JSON.parse(event.payload) as Case)
          : (this.cases.get(a.caseId) ?? (await this.storage.getCase(a.caseId)));
        if (c) this.rememberAck(id, JSON.stringify({ ok: true, case: c } satisfies CommandAck));
      }
    }
    for (const id of missingCases) {
      const c = await this.storage.getCase(id);
      // Ended long ago: loaded for this command only, not kept in the wall's working set.
      if (c) this.cases.set(c.id, c);
    }
  }

  private rememberAck(commandId: string, ack: string): void {
    this.recentAcks.set(commandId, ack);
    // Each ack holds a whole case: keep the recent ones; older ids are answered from the database.
    if (this.recentAcks.size > 20_000) {
      const oldest = this.recentAcks.keys().next().value;
      if (oldest !== undefined) this.recentAcks.delete(oldest);
    }
  }

  private merge(g: Group): void {
    this.seq = g.seq;
    this.caseCounter = g.caseCounter;
    this.alertCounter = g.alertCounter;
    for (const c of g.cases.values()) {
      this.cases.set(c.id, c);
      this.scheduler.track(c.id, c.deadline);
    }
    for (const a of g.alerts.values()) {
      if (a.clearedAt === null) this.alerts.set(a.id, a);
      else this.alerts.delete(a.id);
    }
    for (const [id, ack] of g.appliedById) this.rememberAck(id, ack);
    for (const f of g.afterCommit) f();
    this.pending.push(...g.events);
  }

  private emit(
    g: Group,
    event: Omit<StreamEvent, 'seq' | 'at'> & { type: StreamEvent['type'] },
    payloadJson?: string,
  ): void {
    g.seq += 1;
    const at = this.clock.now();
    const e = { ...event, seq: g.seq, at } as StreamEvent;
    const payload = payloadJson ?? JSON.stringify(e.payload);
    eventText.set(e, `{"type":"${e.type}","payload":${payload},"seq":${e.seq},"at":${at}}`);
    g.events.push(e);
    g.payloads.push(payload);
  }

  private caseOf(g: Group, id: string): Case | undefined {
    return g.cases.get(id) ?? this.cases.get(id);
  }

  private putCase(g: Group, c: Case): void {
    const json = JSON.stringify(c);
    g.cases.set(c.id, c);
    g.caseJson.set(c.id, json);
    this.emit(g, { type: 'case.upserted', payload: c }, json);
  }

  /** Applies one op to the group; returns how to answer its caller once the group is committed. */
  private process(op: Op, g: Group): () => void {
    switch (op.kind) {
      case 'command': {
        const answer = this.processCommand(op.command, op.origin, g);
        return () => op.resolve(answer);
      }
      case 'report': {
        const c = this.processReport(op.report, op.actor, op.sensorId, g);
        return () => op.resolve(c);
      }
      case 'deadline': {
        this.processDeadline(op.caseId, op.which, g);
        return op.resolve;
      }
      case 'camera': {
        const cam = this.cameras.get(op.cameraId);
        if (cam && cam.status !== op.status) {
          const at = this.clock.now();
          const next = { ...cam, status: op.status, statusSince: at };
          g.afterCommit.push(() => this.cameras.set(next.id, next));
          this.emit(g, { type: 'camera.status', payload: { id: cam.id, status: op.status, at } });
        }
        return op.resolve;
      }
      case 'sensor': {
        const s = this.sensors.get(op.sensorId);
        if (s && s.status !== op.status) {
          const next = { ...s, status: op.status };
          g.afterCommit.push(() => this.sensors.set(next.id, next));
          this.emit(g, { type: 'sensor.status', payload: { id: s.id, status: op.status, at: this.clock.now() } });
        }
        return op.resolve;
      }
    }
  }

  private processCommand(command: Command, origin: CommandOrigin, g: Group): EncodedAck {
    const known = this.recentAcks.get(command.commandId) ?? g.appliedById.get(command.commandId);
    if (known) return { ack: JSON.parse(known) as CommandAck, json: known };
    const now = this.clock.now();
    const audit = (result: string, detail: string | null) =>
      g.audit.push({
        at: now,
        username: origin.username,
        role: origin.role,
        remote_address: origin.remoteAddress,
        command_id: command.commandId,
        command_type: command.type,
        case_id: command.caseId,
        result,
        detail,
      });
    const current = this.caseOf(g, command.caseId);
    if (!current) {
      const error: ApiError = { code: 'not_found', message: `no case with id ${command.caseId}` };
      audit(error.code, error.message);
      return { ack: { ok: false, error }, json: null };
    }
    const result = applyCommand(current, command, this.lifecycleEnv(now, origin.actor));
    if (!result.ok) {
      // Refusals are not remembered under the command id: the sender may fix and resend it.
      audit(result.error.code, result.error.message);
      return { ack: { ok: false, error: result.error }, json: null };
    }
    this.putCase(g, result.case);
    const caseEventSeq = g.seq;
    this.applyEffects(g, result.case, result.effects, now);
    const ack: CommandAck = { ok: true, case: result.case };
    // Stored as a pointer to the event that holds the case: the log already has the whole case.
    g.applied.push({
      commandId: command.commandId,
      caseId: command.caseId,
      at: now,
      ack: JSON.stringify({ ok: true, seq: caseEventSeq }),
    });
    const json = `{"ok":true,"case":${g.caseJson.get(result.case.id)}}`;
    g.appliedById.set(command.commandId, json);
    audit('ok', null);
    return { ack, json };
  }

  lifecycleEnv(now: number, actor: Actor): LifecycleEnv {
    return {
      now,
      actor,
      deadlines: this.deadlines,
      levels: this.levels,
      resolveAssignee: (ref) => this.resolveAssignee(ref),
      categoryExists: (code) => this.categories.has(code),
    };
  }

  resolveAssignee(ref: { kind: 'worker' | 'department'; id: string }): Assignee | null {
    const found = ref.kind === 'worker' ? this.workers.get(ref.id) : this.departments.get(ref.id);
    return found ? { kind: ref.kind, id: found.id, name: found.name } : null;
  }

  private processReport(report: CaseReportParsed, actor: Actor, sensorId: string | null, g: Group): Case {
    const now = this.clock.now();
    g.caseCounter += 1;
    const n = g.caseCounter;
    const gridId =
      this.gridAt(report.location.lng, report.location.lat) ??
      this.nearestGrid(report.location.lng, report.location.lat);
    let c: Case = {
      id: `c${n}`,
      code: `${localDate(now, this.config.calendar.utcOffsetMinutes)}-${String(n).padStart(6, '0')}`,
      category: report.category,
      source: report.source,
      priority: report.priority,
      description: report.description,
      location: { lng: report.location.lng, lat: report.location.lat, address: report.location.address },
      gridId,
      status: 'reported',
      level: 'grid',
      assignee: null,
      deadline: null,
      reporter: report.reporter,
      media: report.media,
      timeline: [{ at: now, action: 'reported', actor, from: null, to: 'reported', level: 'grid' }],
      satisfaction: null,
      extension: null,
      milestones: { filedAt: null, dispatchedAt: null, handledAt: null, closedAt: null, closeDueAt: null },
      reworkCount: 0,
      extensionCount: 0,
      everOverdue: false,
      selfHandled: report.selfHandled,
      duplicateOf: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    c.deadline = this.deadlines.start('file', c, now);
    if (report.priority === 'urgent') this.raise(g, c, 'urgent', 'critical', 'grid', 'file', null, now);
    if (sensorId) this.raise(g, c, 'sensor', 'warning', 'grid', 'file', sensorId, now);

    // 金凤's oil-fume monitors: monitor → warn → dispatch → handle, with no one in the loop.
    const category = this.categories.get(c.category);
    if (report.source === 'sensor' && category && this.autoDispatch.has(category.code) && category.departmentId) {
      const env = this.lifecycleEnv(now, SYSTEM);
      const filed = applyCommand(
        c,
        { commandId: `auto-file-${c.id}`, caseId: c.id, expectedVersion: 1, type: 'file', note: 'auto' },
        env,
      );
      if (filed.ok) {
        const dispatched = applyCommand(
          filed.case,
          {
            commandId: `auto-dispatch-${c.id}`,
            caseId: c.id,
            expectedVersion: filed.case.version,
            type: 'dispatch',
            assignee: { kind: 'department', id: category.departmentId },
            note: 'auto',
          },
          env,
        );
        c = dispatched.ok ? dispatched.case : filed.case;
      }
    }
    this.putCase(g, c);
    return c;
  }

  private processDeadline(caseId: string, which: 'warning' | 'overdue', g: Group): void {
    const current = this.caseOf(g, caseId);
    if (!current) return;
    const now = this.clock.now();
    const marked = markDeadline(current, which, now, SYSTEM);
    if (!marked?.deadline) return;
    this.putCase(g, marked);
    const stage = marked.deadline.stage;
    if (which === 'warning') {
      this.raise(g, marked, 'warning', 'warning', marked.level, stage, null, now);
    } else {
      this.clearCaseAlerts(g, marked.id, ['warning'], now);
      // 襄阳: a level that neither solves nor escalates in time is reported to the level above.
      const i = this.levels.indexOf(marked.level);
      const target = this.levels[Math.min(i + 1, this.levels.length - 1)] ?? marked.level;
      this.raise(g, marked, 'overdue', 'critical', target, stage, null, now);
    }
  }

  private applyEffects(g: Group, c: Case, effects: Effect[], now: number): void {
    for (const e of effects) {
      if (e.type === 'clear') this.clearCaseAlerts(g, c.id, e.kinds, now);
      else this.raise(g, c, e.kind, e.severity, e.targetLevel, e.stage, null, now);
    }
  }

  private raise(
    g: Group,
    c: Case,
    kind: AlertKind,
    severity: Alert['severity'],
    targetLevel: CaseLevel,
    stage: Alert['stage'],
    sensorId: string | null,
    now: number,
  ): void {
    g.alertCounter += 1;
    const alert: Alert = {
      id: `a${g.alertCounter}`,
      kind,
      severity,
      caseId: c.id,
      caseCode: c.code,
      category: c.category,
      gridId: c.gridId,
      targetLevel,
      stage,
      sensorId,
      raisedAt: now,
      clearedAt: null,
    };
    g.alerts.set(alert.id, alert);
    this.emit(g, { type: 'alert.raised', payload: alert });
  }

  private clearCaseAlerts(g: Group, caseId: string, kinds: readonly AlertKind[], now: number): void {
    const candidates = new Map<string, Alert>();
    for (const a of this.alerts.values()) if (a.caseId === caseId) candidates.set(a.id, a);
    for (const a of g.alerts.values()) if (a.caseId === caseId) candidates.set(a.id, a);
    for (const a of candidates.values()) {
      if (a.clearedAt !== null || !kinds.includes(a.kind)) continue;
      g.alerts.set(a.id, { ...a, clearedAt: now });
      this.emit(g, { type: 'alert.cleared', payload: { id: a.id, clearedAt: now } });
    }
  }

  // ---- geography helpers -----------------------------------------------------------------------

  /** The grid whose polygon holds the point, if any. */
  gridAt(lng: number, lat: number): string | null {
    return this.gridIndex.gridAt(lng, lat);
  }

  nearestGrid(lng: number, lat: number): string {
    return this.gridIndex.nearestGrid(lng, lat) ?? '';
  }

  /** Moves workers; sent to clients as one coalesced positions message per tick. */
  moveWorkers(updates: Array<{ id: string; lng: number; lat: number; onDuty: boolean }>): void {
    const at = this.clock.now();
    for (const u of updates) {
      const w = this.workers.get(u.id);
      if (!w) continue;
      this.workers.set(u.id, { ...w, position: { lng: u.lng, lat: u.lat }, onDuty: u.onDuty, lastSeen: at });
      this.movedWorkers.add(u.id);
    }
  }

  /** Cases the snapshot carries: everything in the loop plus those that ended in the last 24 h. */
  snapshotCases(): Case[] {
    const endedSince = this.clock.now() - this.config.snapshotClosedHours * 3_600_000;
    const out: Case[] = [];
    for (const c of this.cases.values()) {
      if (!isTerminal(c.status) || c.updatedAt >= endedSince) out.push(c);
    }
    return out;
  }

  /** Drops cases that ended before the snapshot window from the working set (memory stays flat). */
  evictEnded(): number {
    const endedSince = this.clock.now() - this.config.snapshotClosedHours * 3_600_000;
    let n = 0;
    for (const [id, c] of this.cases) {
      if (isTerminal(c.status) && c.updatedAt < endedSince) {
        this.cases.delete(id);
        n += 1;
      }
    }
    return n;
  }

  stageOf(c: Case) {
    return STAGE_OF[c.status];
  }
}

function localDate(t: number, offsetMinutes: number): string {
  return new Date(t + offsetMinutes * 60_000).toISOString().slice(0, 10).replaceAll('-', '');
}
