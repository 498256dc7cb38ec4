import type {
  Actor,
  Alert,
  AlertKind,
  ApiError,
  Case,
  CaseLevel,
  CaseReportParsed,
  Command,
  CommandAck,
} from '../../protocol';
import type { ServerConfig } from '../config';
import type { DeadlinePolicy } from './deadlines';
import type { WriteGroup } from './group';
import { applyCommand, type Effect, type LifecycleEnv, markDeadline } from './lifecycle';
import type { EntityRegistry } from './registry';
import type { CommandOrigin, EncodedAck, Op } from './writePath';

const SYSTEM: Actor = { id: 'system', name: '系统', role: 'system' };

/**
 * What each op does to a write group: commands through the lifecycle (with their audit records
 * and idempotent answers), new reports (with 金凤's automatic dispatch), deadline marks, camera
 * and sensor status, and the alerts that these raise and clear.
 */
export class CaseOperations {
  private readonly levels: readonly CaseLevel[];
  private readonly autoDispatch: Set<string>;

  constructor(
    private readonly registry: EntityRegistry,
    private readonly deadlines: DeadlinePolicy,
    private readonly config: ServerConfig,
    private readonly now: () => number,
  ) {
    this.levels = config.levels;
    this.autoDispatch = new Set(
      config.autoDispatchCategories ??
        [...registry.categories.values()].filter((c) => c.autoDispatch).map((c) => c.code),
    );
  }

  /** Applies one op to the group; returns how to answer its caller once the group is committed. */
  apply(op: Op, g: WriteGroup): () => void {
    switch (op.kind) {
      case 'command': {
        const answer = this.command(op.command, op.origin, g);
        return () => op.resolve(answer);
      }
      case 'report': {
        const c = this.report(op.report, op.actor, op.sensorId, g);
        return () => op.resolve(c);
      }
      case 'deadline': {
        this.deadline(op.caseId, op.which, g);
        return op.resolve;
      }
      case 'camera': {
        const cam = this.registry.cameras.get(op.cameraId);
        if (cam && cam.status !== op.status) {
          const at = this.now();
          const next = { ...cam, status: op.status, statusSince: at };
          g.afterCommit.push(() => this.registry.cameras.set(next.id, next));
          g.emit({ type: 'camera.status', payload: { id: cam.id, status: op.status, at } });
        }
        return op.resolve;
      }
      case 'sensor': {
        const s = this.registry.sensors.get(op.sensorId);
        if (s && s.status !== op.status) {
          const next = { ...s, status: op.status };
          g.afterCommit.push(() => this.registry.sensors.set(next.id, next));
          g.emit({ type: 'sensor.status', payload: { id: s.id, status: op.status, at: this.now() } });
        }
        return op.resolve;
      }
    }
  }

  lifecycleEnv(now: number, actor: Actor): LifecycleEnv {
    return {
      now,
      actor,
      deadlines: this.deadlines,
      levels: this.levels,
      resolveAssignee: (ref) => this.registry.resolveAssignee(ref),
      categoryExists: (code) => this.registry.categories.has(code),
    };
  }

  private command(command: Command, origin: CommandOrigin, g: WriteGroup): EncodedAck {
    const known = g.knownAck(command.commandId);
    if (known) return { ack: { ok: true, case: known }, json: null };
    const now = this.now();
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
    const current = g.caseOf(command.caseId);
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
    g.putCase(result.case);
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
    const caseJson = g.caseJson.get(result.case.id);
    const json = caseJson === undefined ? null : `{"ok":true,"case":${caseJson}}`;
    g.appliedById.set(command.commandId, result.case);
    audit('ok', null);
    return { ack, json };
  }

  private report(report: CaseReportParsed, actor: Actor, sensorId: string | null, g: WriteGroup): Case {
    const now = this.now();
    g.caseCounter += 1;
    const n = g.caseCounter;
    const gridId =
      this.registry.gridAt(report.location.lng, report.location.lat) ??
      this.registry.nearestGrid(report.location.lng, report.location.lat);
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
    const category = this.registry.categories.get(c.category);
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
    g.putCase(c);
    return c;
  }

  private deadline(caseId: string, which: 'warning' | 'overdue', g: WriteGroup): void {
    const current = g.caseOf(caseId);
    if (!current) return;
    const now = this.now();
    const marked = markDeadline(current, which, now, SYSTEM);
    if (!marked?.deadline) return;
    g.putCase(marked);
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

  private applyEffects(g: WriteGroup, c: Case, effects: Effect[], now: number): void {
    for (const e of effects) {
      if (e.type === 'clear') this.clearCaseAlerts(g, c.id, e.kinds, now);
      else this.raise(g, c, e.kind, e.severity, e.targetLevel, e.stage, null, now);
    }
  }

  private raise(
    g: WriteGroup,
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
    g.emit({ type: 'alert.raised', payload: alert });
  }

  private clearCaseAlerts(g: WriteGroup, caseId: string, kinds: readonly AlertKind[], now: number): void {
    const candidates = new Map<string, Alert>();
    for (const a of this.registry.alerts.values()) if (a.caseId === caseId) candidates.set(a.id, a);
    for (const a of g.alerts.values()) if (a.caseId === caseId) candidates.set(a.id, a);
    for (const a of candidates.values()) {
      if (a.clearedAt !== null || !kinds.includes(a.kind)) continue;
      g.alerts.set(a.id, { ...a, clearedAt: now });
      g.emit({ type: 'alert.cleared', payload: { id: a.id, clearedAt: now } });
    }
  }
}

function localDate(t: number, offsetMinutes: number): string {
  return new Date(t + offsetMinutes * 60_000).toISOString().slice(0, 10).replaceAll('-', '');
}
