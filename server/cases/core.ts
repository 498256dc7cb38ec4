import type {
  Actor,
  Alert,
  Area,
  Assignee,
  Camera,
  Case,
  CaseReportParsed,
  Category,
  Command,
  CommandAck,
  Department,
  Sensor,
  Worker,
} from '../../protocol';
import { WorkingCalendar } from '../../protocol/calendar';
import { STAGE_OF } from '../../protocol/lifecycle';
import type { Clock } from '../clock';
import type { ServerConfig } from '../config';
import type { Geography, Storage } from '../storage/store';
import { DeadlinePolicy } from './deadlines';
import type { LifecycleEnv } from './lifecycle';
import { CaseOperations } from './operations';
import { EntityRegistry, type WorkerMove } from './registry';
import { DeadlineScheduler } from './scheduler';
import { type CommandOrigin, type EncodedAck, type PendingEvents, WritePath } from './writePath';

export type { CommandOrigin, EncodedAck, PendingEvents } from './writePath';

/**
 * The case server's core, as its callers see it: the registry of what the wall shows
 * (`EntityRegistry`), the one write path with group commit (`WritePath`), what each op does
 * (`CaseOperations`) and the deadline scheduler, put together. It holds no logic of its own.
 */
export class CaseCore {
  readonly deadlines: DeadlinePolicy;
  readonly scheduler = new DeadlineScheduler();
  readonly registry: EntityRegistry;
  readonly operations: CaseOperations;
  readonly writes: WritePath;

  constructor(
    readonly storage: Storage,
    readonly config: ServerConfig,
    readonly clock: Clock,
    categories: Category[],
  ) {
    this.registry = new EntityRegistry(config.categories ?? categories);
    this.deadlines = new DeadlinePolicy(new WorkingCalendar(config.calendar), config.limits, this.registry.categories);
    this.operations = new CaseOperations(this.registry, this.deadlines, config, () => clock.now());
    this.writes = new WritePath(storage, this.registry, this.scheduler, clock, (op, g) => this.operations.apply(op, g));
  }

  /** Loads everything from storage (seeding the geography on first start) and re-arms every deadline. */
  async start(seed: () => Geography): Promise<void> {
    let geo = await this.storage.loadGeography();
    if (geo.areas.length === 0) {
      await this.storage.saveGeography(seed());
      // Read back, so a first start and a restart hold everything in the same (stored) order.
      geo = await this.storage.loadGeography();
    }
    this.registry.loadGeography(geo);
    await this.writes.load();
    for (const c of await this.storage.loadActiveCases(this.endedSince())) {
      this.registry.cases.set(c.id, c);
      this.scheduler.track(c.id, c.deadline);
    }
    for (const a of await this.storage.activeAlerts()) this.registry.alerts.set(a.id, a);
  }

  // ---- the registry ----------------------------------------------------------------------------

  get cases(): Map<string, Case> {
    return this.registry.cases;
  }
  get alerts(): Map<string, Alert> {
    return this.registry.alerts;
  }
  get areas(): Area[] {
    return this.registry.areas;
  }
  get areasVersion(): number {
    return this.registry.areasVersion;
  }
  get areaById(): Map<string, Area> {
    return this.registry.areaById;
  }
  get workers(): Map<string, Worker> {
    return this.registry.workers;
  }
  get departments(): Map<string, Department> {
    return this.registry.departments;
  }
  get cameras(): Map<string, Camera> {
    return this.registry.cameras;
  }
  get sensors(): Map<string, Sensor> {
    return this.registry.sensors;
  }
  get categories(): Map<string, Category> {
    return this.registry.categories;
  }
  /** Workers moved since the last positions message. */
  get movedWorkers(): Set<string> {
    return this.registry.movedWorkers;
  }

  /** The grid whose polygon holds the point, if any. */
  gridAt(lng: number, lat: number): string | null {
    return this.registry.gridAt(lng, lat);
  }

  nearestGrid(lng: number, lat: number): string {
    return this.registry.nearestGrid(lng, lat);
  }

  resolveAssignee(ref: { kind: 'worker' | 'department'; id: string }): Assignee | null {
    return this.registry.resolveAssignee(ref);
  }

  /** Moves workers; sent to clients as one coalesced positions message per tick. */
  moveWorkers(updates: readonly WorkerMove[]): void {
    this.registry.moveWorkers(updates, this.clock.now());
  }

  /** Cases the snapshot carries: everything in the loop plus those that ended in the last 24 h. */
  snapshotCases(): Case[] {
    return this.registry.casesSince(this.endedSince());
  }

  /** Drops cases that ended before the snapshot window from the working set (memory stays flat). */
  evictEnded(): number {
    return this.registry.evictEndedBefore(this.endedSince());
  }

  stageOf(c: Case) {
    return STAGE_OF[c.status];
  }

  lifecycleEnv(now: number, actor: Actor): LifecycleEnv {
    return this.operations.lifecycleEnv(now, actor);
  }

  // ---- the write path --------------------------------------------------------------------------

  get lastSeq(): number {
    return this.writes.lastSeq;
  }

  /** Called when events are waiting to be published. */
  onEvents(listener: () => void): () => void {
    return this.writes.onEvents(listener);
  }

  /** Events committed since the last call, in seq order, each with its JSON text. */
  takePending(): PendingEvents {
    return this.writes.takePending();
  }

  /** Applies a command; a storage failure answers `unavailable` (nothing was applied: resend it). */
  async command(command: Command, origin: CommandOrigin): Promise<CommandAck> {
    return (await this.commandEncoded(command, origin)).ack;
  }

  /** `command`, with the answer's JSON when it was made at commit: the stream sends that text as is. */
  async commandEncoded(command: Command, origin: CommandOrigin): Promise<EncodedAck> {
    try {
      return await new Promise((resolve, reject) =>
        this.writes.submit({ kind: 'command', command, origin, resolve, reject }),
      );
    } catch (err) {
      return { ack: { ok: false, error: { code: 'unavailable', message: (err as Error).message } }, json: null };
    }
  }

  report(report: CaseReportParsed, actor: Actor, sensorId: string | null = null): Promise<Case> {
    return new Promise((resolve, reject) =>
      this.writes.submit({ kind: 'report', report, actor, sensorId, resolve, reject }),
    );
  }

  setCameraStatus(cameraId: string, status: Camera['status']): Promise<void> {
    return new Promise((resolve, reject) => this.writes.submit({ kind: 'camera', cameraId, status, resolve, reject }));
  }

  setSensorStatus(sensorId: string, status: Sensor['status']): Promise<void> {
    return new Promise((resolve, reject) => this.writes.submit({ kind: 'sensor', sensorId, status, resolve, reject }));
  }

  /** Runs the deadline marks that are due; returns when they are committed. */
  async runDeadlines(): Promise<number> {
    const due = this.scheduler.takeDue(this.clock.now());
    await Promise.all(
      due.map(
        (m) =>
          new Promise<void>((resolve, reject) =>
            this.writes.submit({ kind: 'deadline', caseId: m.caseId, which: m.which, resolve, reject }),
          ),
      ),
    );
    return due.length;
  }

  /** Runs `fill` with the write path in bulk mode (see `WritePath.beginBulk`); resolves once all is committed. */
  async bulk(fill: () => Promise<void>): Promise<void> {
    this.writes.beginBulk();
    try {
      await fill();
    } finally {
      await this.writes.endBulk();
    }
  }

  /** Resolves when every queued op is committed. */
  idle(): Promise<void> {
    return this.writes.idle();
  }

  close(): Promise<void> {
    return this.writes.close();
  }

  private endedSince(): number {
    return this.clock.now() - this.config.snapshotClosedHours * 3_600_000;
  }
}
