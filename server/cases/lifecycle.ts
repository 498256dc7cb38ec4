import type {
  Actor,
  AlertKind,
  ApiError,
  Assignee,
  Case,
  CaseLevel,
  Command,
  Stage,
  TimelineEntry,
} from '../../protocol';
import { isTerminal } from '../../protocol';
import { allowedFrom, STAGE_OF, TRANSITIONS } from '../../protocol/lifecycle';
import type { DeadlinePolicy } from './deadlines';

export type Effect =
  | {
      type: 'raise';
      kind: AlertKind;
      severity: 'info' | 'warning' | 'critical';
      targetLevel: CaseLevel;
      stage: Stage | null;
    }
  | { type: 'clear'; kinds: readonly AlertKind[] };

export type Transition = { ok: true; case: Case; effects: Effect[] } | { ok: false; error: ApiError };

export interface LifecycleEnv {
  now: number;
  actor: Actor;
  deadlines: DeadlinePolicy;
  levels: readonly CaseLevel[];
  resolveAssignee(ref: { kind: 'worker' | 'department'; id: string }): Assignee | null;
  categoryExists(code: string): boolean;
}

const fail = (code: ApiError['code'], message: string, current?: Case): Transition => ({
  ok: false,
  error: current ? { code, message, current } : { code, message },
});

const ALL_CASE_ALERTS: readonly AlertKind[] = ['warning', 'overdue', 'escalation', 'urgent', 'sensor'];
const STAGE_ALERTS: readonly AlertKind[] = ['warning', 'overdue'];

/**
 * Applies one command to a case: the state machine of DESIGN.md with the side states of digital
 * city management (回退 return, 延期 extend, 挂账 suspend, 作废 void). Pure: the caller stores the
 * result, appends the event and turns the effects into alerts.
 */
export function applyCommand(current: Case, cmd: Command, env: LifecycleEnv): Transition {
  if (cmd.caseId !== current.id) return fail('invalid', 'command names another case');
  if (cmd.expectedVersion !== current.version) {
    return fail(
      'conflict',
      `case ${current.code} is at version ${current.version}, the command expected ${cmd.expectedVersion}`,
      current,
    );
  }
  if (!allowedFrom(cmd.type, current.status)) {
    return fail('illegal_transition', `cannot ${cmd.type} a case that is ${current.status}`, current);
  }

  const { now } = env;
  let next: Case = { ...current };
  let note: string | undefined;
  const effects: Effect[] = [];
  // The status each command leads to comes from the one table in protocol/lifecycle.ts.
  const target = TRANSITIONS[cmd.type].to;
  const moveTo = (): void => {
    if (!target) return;
    const status = target;
    next.status = status;
    const stage = STAGE_OF[status];
    next.deadline = stage ? env.deadlines.start(stage, next, now) : null;
    effects.push({ type: 'clear', kinds: isTerminal(status) ? ALL_CASE_ALERTS : STAGE_ALERTS });
  };

  switch (cmd.type) {
    case 'file': {
      if (cmd.category && !env.categoryExists(cmd.category)) return fail('invalid', `unknown category ${cmd.category}`);
      if (cmd.category) next.category = cmd.category;
      if (cmd.priority) next.priority = cmd.priority;
      next.milestones = { ...next.milestones, filedAt: now };
      moveTo();
      note = cmd.note;
      break;
    }
    case 'reject':
      moveTo();
      note = cmd.reason;
      break;
    case 'dispatch': {
      const assignee = env.resolveAssignee(cmd.assignee);
      if (!assignee) return fail('not_found', `no ${cmd.assignee.kind} with id ${cmd.assignee.id}`);
      next.assignee = assignee;
      moveTo();
      const handleDue = next.deadline?.dueAt ?? null;
      next.milestones = {
        ...next.milestones,
        dispatchedAt: next.milestones.dispatchedAt ?? now,
        closeDueAt: next.milestones.closeDueAt ?? handleDue,
      };
      effects.push({ type: 'clear', kinds: ['escalation', 'urgent'] });
      note = cmd.note;
      break;
    }
    case 'accept': {
      // Accepting does not restart the handling clock: the limit runs from dispatch.
      next.status = target ?? next.status;
      note = cmd.note;
      break;
    }
    case 'feedback':
      moveTo();
      next.extension = null;
      next.media = [...next.media, ...(cmd.media ?? [])].slice(-20);
      next.milestones = { ...next.milestones, handledAt: now };
      note = cmd.note;
      break;
    case 'escalate': {
      const from = env.levels.indexOf(current.level);
      const to = cmd.toLevel ? env.levels.indexOf(cmd.toLevel) : from + 1;
      if (from === env.levels.length - 1) {
        return fail(
          'illegal_transition',
          `case ${current.code} is already at the top level (${current.level})`,
          current,
        );
      }
      if (to <= from || to >= env.levels.length) {
        return fail('invalid', `cannot escalate from ${current.level} to ${cmd.toLevel ?? 'nothing'}`);
      }
      next.level = env.levels[to] as CaseLevel;
      next.assignee = null;
      next.extension = null;
      moveTo();
      effects.push({
        type: 'raise',
        kind: 'escalation',
        severity: 'warning',
        targetLevel: next.level,
        stage: 'dispatch',
      });
      note = cmd.reason;
      break;
    }
    case 'return':
      next.assignee = null;
      next.extension = null;
      moveTo();
      note = cmd.reason;
      break;
    case 'extend': {
      if (cmd.action === 'request') {
        if (current.extension)
          return fail('illegal_transition', 'an extension is already waiting for approval', current);
        next.extension = { requestedAt: now, minutes: cmd.minutes, reason: cmd.reason };
        note = cmd.reason;
      } else if (!current.extension || !current.deadline) {
        return fail('illegal_transition', 'no extension is waiting for approval', current);
      } else if (cmd.action === 'approve') {
        const extended = env.deadlines.extend(current.deadline, current.extension.minutes);
        const shift = extended.dueAt - current.deadline.dueAt;
        next.deadline = extended;
        next.milestones = {
          ...next.milestones,
          closeDueAt: next.milestones.closeDueAt === null ? null : next.milestones.closeDueAt + shift,
        };
        next.extension = null;
        next.extensionCount = current.extensionCount + 1;
        effects.push({ type: 'clear', kinds: STAGE_ALERTS });
        note = cmd.note;
      } else {
        next.extension = null;
        note = cmd.reason;
      }
      break;
    }
    case 'suspend':
      next.extension = null;
      moveTo();
      note = cmd.reason;
      break;
    case 'void':
      if (cmd.duplicateOf === current.id) return fail('invalid', 'a case cannot duplicate itself');
      next.duplicateOf = cmd.duplicateOf ?? null;
      moveTo();
      note = cmd.reason;
      break;
    case 'verify':
      moveTo();
      note = cmd.note;
      break;
    case 'reopen':
      if (!current.assignee)
        return fail('illegal_transition', 'a case without an assignee cannot be reworked', current);
      next.reworkCount = current.reworkCount + 1;
      moveTo();
      note = cmd.reason;
      break;
    case 'close':
      next.satisfaction = cmd.satisfaction ?? current.satisfaction;
      next.milestones = { ...next.milestones, closedAt: now };
      moveTo();
      note = cmd.note;
      break;
    case 'comment':
      note = cmd.note;
      break;
  }

  const entry: TimelineEntry = {
    at: now,
    action: cmd.type === 'extend' ? `extend.${cmd.action}` : cmd.type,
    actor: env.actor,
    from: current.status,
    to: next.status,
    level: next.level,
    ...(note ? { note } : {}),
  };
  next = { ...next, timeline: [...current.timeline, entry], version: current.version + 1, updatedAt: now };
  return { ok: true, case: next, effects };
}

/** Marks the running deadline as warned or overdue; null when the mark no longer applies (stale timer). */
export function markDeadline(current: Case, which: 'warning' | 'overdue', now: number, actor: Actor): Case | null {
  const d = current.deadline;
  if (!d) return null;
  if (which === 'warning' && (d.warned || d.overdue || now < d.warnAt)) return null;
  if (which === 'overdue' && (d.overdue || now < d.dueAt)) return null;
  const deadline = which === 'warning' ? { ...d, warned: true } : { ...d, warned: true, overdue: true };
  const entry: TimelineEntry = {
    at: now,
    action: which,
    actor,
    from: current.status,
    to: current.status,
    level: current.level,
  };
  return {
    ...current,
    deadline,
    everOverdue: current.everOverdue || which === 'overdue',
    timeline: [...current.timeline, entry],
    version: current.version + 1,
    updatedAt: now,
  };
}
