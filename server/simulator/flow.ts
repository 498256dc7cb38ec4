/**
 * The people around a case, as a planner: given a case as it is now and what fate drew for it,
 * who does what next, and when. Pure: the simulator sends the step as a command through the core
 * and plans again from whatever the core answers, so a case moved by someone else (a supervisor at
 * the console, a deadline mark) is simply planned from where it now stands.
 */
import type { Actor, Case, CaseLevel, CaseStatus, Command, Reporter, Satisfaction } from '../../protocol';
import type { Rng } from '../presets/random';
import {
  closeNote,
  ESCALATE_REASONS,
  EXTEND_REASONS,
  FEEDBACK_NOTES,
  REJECT_REASONS,
  REOPEN_REASONS,
  RETURN_REASONS,
  SELF_FEEDBACK_NOTES,
  SUSPEND_REASONS,
} from './content';
import type { FlowOdds } from './profile';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** A command without the fields the simulator fills in when it sends it. */
export type CommandBody = Command extends infer C
  ? C extends Command
    ? Omit<C, 'commandId' | 'caseId' | 'expectedVersion'>
    : never
  : never;

/** What is decided for a case when it appears: the turns its life will take. */
export interface Fate {
  reject: boolean;
  /** At the grid level, the center sends it to the category's department rather than a grid worker. */
  toDepartment: boolean;
  escalations: number;
  escalateByCenter: boolean;
  returns: boolean;
  extension: 'none' | 'approve' | 'refuse';
  rework: boolean;
  /** Days booked as unsolvable (挂账) before it is dispatched again; 0: never. */
  suspendDays: number;
  /** Days the handling drags on past its limit (a hard case); 0: it does not. */
  stallDays: number;
  /** Uniform in [0, 1): where the rating falls (see `satisfactionOf`). */
  ratingRoll: number;
}

export interface Step {
  at: number;
  /** The status the step was planned from: when the case is elsewhere, plan again. */
  from: CaseStatus;
  actor: Actor;
  body: CommandBody;
}

/** The simulator's memory of one case. */
export interface SimCase {
  id: string;
  rng: Rng;
  fate: Fate;
  selfHandled: boolean;
  /** The grid worker who reported it (and fixes it, when self-handled). */
  reporterWorker: string | null;
  duplicateOf: string | null;
  sensorId: string | null;
  reporter: Reporter | null;
  escalated: number;
  returned: boolean;
  extensionAsked: boolean;
  reworked: boolean;
  suspended: boolean;
  /** Bumped when a new step is planned: queue entries of older steps are skipped. */
  token: number;
  step: Step | null;
  /** Conflicts in a row (a retry after each, then plan afresh). */
  tries: number;
}

export interface PlanContext {
  levels: readonly CaseLevel[];
  flow: FlowOdds;
  center: Actor;
  addWorkingMinutes(start: number, minutes: number): number;
  /** A grid worker of the grid (any, when `rng` is given; else the first), or null. */
  gridWorker(gridId: string, rng?: Rng): Actor | null;
  /** The department that takes the category, if the server knows it. */
  department(category: string): Actor | null;
  departmentById(id: string): Actor | null;
  /** The grid chief of the community the grid belongs to, if any. */
  communityChief(gridId: string): Actor | null;
  workerActor(id: string): Actor | null;
}

export function drawFate(rng: Rng, flow: FlowOdds, rejectOdds: number, departmentHeavy: boolean): Fate {
  const e = rng.float();
  const [e1, e2, e3] = flow.escalate;
  const escalations = e < e3 ? 3 : e < e3 + e2 ? 2 : e < e3 + e2 + e1 ? 1 : 0;
  const ext = rng.float();
  return {
    reject: rng.chance(rejectOdds),
    toDepartment: rng.chance(departmentHeavy ? flow.toDepartment.heavy : flow.toDepartment.light),
    escalations,
    escalateByCenter: rng.chance(flow.escalateByCenter),
    returns: rng.chance(flow.returned),
    extension: ext < flow.extension * flow.extensionApproved ? 'approve' : ext < flow.extension ? 'refuse' : 'none',
    rework: rng.chance(flow.rework),
    suspendDays: rng.chance(flow.suspend) ? rng.range(flow.suspendDays[0], flow.suspendDays[1]) : 0,
    ratingRoll: rng.float(),
    stallDays: rng.chance(flow.stall) ? rng.range(flow.stallDays[0], flow.stallDays[1]) : 0,
  };
}

export function satisfactionOf(flow: FlowOdds, roll: number, reworked: boolean): Satisfaction {
  const unsatisfied = reworked ? flow.unsatisfiedAfterRework : flow.unsatisfied;
  return roll < unsatisfied ? 'unsatisfied' : roll < unsatisfied + flow.basic ? 'basic' : 'satisfied';
}

const assigneeActor = (c: Case): Actor | null =>
  c.assignee
    ? { id: c.assignee.id, name: c.assignee.name, role: c.assignee.kind === 'worker' ? 'worker' : 'department' }
    : null;

/** The next step for the case, or null when nothing more is to be done (or no one can do it). */
export function plan(ctx: PlanContext, sc: SimCase, c: Case, now: number): Step | null {
  const { rng, fate } = sc;
  const { flow } = ctx;
  const step = (at: number, actor: Actor, body: CommandBody): Step => ({
    at: Math.max(Math.round(at), now + 1000),
    from: c.status,
    actor,
    body,
  });
  const minutes = (lo: number, hi: number): number => now + rng.range(lo, hi) * MINUTE;
  /** When `frac` of the running stage's limit has passed, in the clock the limit counts in. */
  const stageAt = (frac: number): number => {
    const d = c.deadline;
    if (!d) return now + frac * 60 * MINUTE;
    const minutes = frac * d.limitMinutes;
    return d.clock === 'calendar' ? d.startedAt + minutes * MINUTE : ctx.addWorkingMinutes(d.startedAt, minutes);
  };
  /** The center works round the clock, mostly well inside its limits; a few slip past them. */
  const centerAt = (): number => {
    if (sc.selfHandled) return minutes(0.5, 3);
    if (rng.chance(flow.centerLate)) return stageAt(rng.range(0.85, 1.4));
    return minutes(0.05 * limit(), 0.6 * limit());
  };
  const limit = (): number => c.deadline?.limitMinutes ?? 30;
  const handleAt = (lo: number, hi: number): number => {
    const r = rng.float();
    const { warned, overdue } = flow.handleLate;
    const frac = r < overdue ? rng.range(1.02, 1.6) : r < overdue + warned ? rng.range(0.8, 0.99) : rng.range(lo, hi);
    return stageAt(frac);
  };
  const verifyAt = (): number =>
    rng.chance(flow.verifyLate) ? stageAt(rng.range(0.85, 1.3)) : stageAt(rng.range(0.05, 0.7));
  const canEscalate = ctx.levels.indexOf(c.level) < ctx.levels.length - 1;
  const assignee = assigneeActor(c);
  const verifier = ctx.gridWorker(c.gridId) ?? ctx.center;

  switch (c.status) {
    case 'reported': {
      if (sc.duplicateOf && sc.duplicateOf !== c.id)
        return step(centerAt(), ctx.center, {
          type: 'void',
          reason: '重复上报，已并入原案件处理',
          duplicateOf: sc.duplicateOf,
        });
      if (fate.reject && !sc.selfHandled)
        return step(centerAt(), ctx.center, { type: 'reject', reason: rng.pick(REJECT_REASONS) });
      return step(centerAt(), ctx.center, { type: 'file' });
    }
    case 'filed': {
      if (canEscalate && fate.escalateByCenter && sc.escalated < fate.escalations && !sc.selfHandled)
        return step(centerAt(), ctx.center, { type: 'escalate', reason: rng.pick(ESCALATE_REASONS) });
      const to = chooseAssignee(ctx, sc, c);
      if (!to) return null;
      return step(centerAt(), ctx.center, { type: 'dispatch', assignee: to });
    }
    case 'returned': {
      const to = chooseAssignee(ctx, sc, c);
      if (!to) return null;
      return step(centerAt(), ctx.center, { type: 'dispatch', assignee: to, note: '重新派遣' });
    }
    case 'suspended': {
      const to = chooseAssignee(ctx, sc, c);
      if (!to) return null;
      const at = now + Math.max(1, fate.suspendDays) * DAY;
      return step(at, ctx.center, { type: 'dispatch', assignee: to, note: '挂账问题具备处置条件，重新派遣' });
    }
    case 'dispatched': {
      if (!assignee) return null;
      if (sc.selfHandled && assignee.id === sc.reporterWorker)
        return step(minutes(1, 10), assignee, { type: 'feedback', note: rng.pick(SELF_FEEDBACK_NOTES) });
      const acceptAt = assignee.role === 'worker' ? minutes(2, 30) : ctx.addWorkingMinutes(now, rng.range(5, 60));
      if (fate.returns && !sc.returned && !sc.reworked)
        return step(acceptAt, assignee, { type: 'return', reason: rng.pick(RETURN_REASONS) });
      return step(acceptAt, assignee, { type: 'accept' });
    }
    case 'accepted': {
      if (!assignee) return null;
      if (c.extension) {
        return fate.extension === 'refuse'
          ? step(minutes(10, 90), ctx.center, {
              type: 'extend',
              action: 'refuse',
              reason: '处置时限内可完成，不予延期',
            })
          : step(minutes(10, 90), ctx.center, { type: 'extend', action: 'approve', note: '同意延期' });
      }
      if (fate.suspendDays > 0 && !sc.suspended)
        return step(stageAt(rng.range(0.2, 0.6)), ctx.center, { type: 'suspend', reason: rng.pick(SUSPEND_REASONS) });
      if (canEscalate && sc.escalated < fate.escalations)
        return step(stageAt(rng.range(0.3, 0.9)), assignee, { type: 'escalate', reason: rng.pick(ESCALATE_REASONS) });
      if (fate.extension !== 'none' && !sc.extensionAsked) {
        const more = Math.max(60, Math.round((c.deadline?.limitMinutes ?? 480) * rng.range(0.5, 1.5)));
        return step(stageAt(rng.range(0.5, 0.75)), assignee, {
          type: 'extend',
          action: 'request',
          minutes: Math.min(more, 60 * 24 * 90),
          reason: rng.pick(EXTEND_REASONS),
        });
      }
      if (fate.stallDays > 0 && !sc.selfHandled)
        return step(stageAt(1) + fate.stallDays * DAY, assignee, { type: 'feedback', note: rng.pick(FEEDBACK_NOTES) });
      return step(handleAt(0.05, 0.75), assignee, { type: 'feedback', note: rng.pick(FEEDBACK_NOTES) });
    }
    case 'handled': {
      if (sc.selfHandled) return step(minutes(2, 20), ctx.center, { type: 'verify', note: '照片核实，处置到位' });
      if (fate.rework && !sc.reworked)
        return step(verifyAt(), verifier, { type: 'reopen', reason: rng.pick(REOPEN_REASONS) });
      return step(verifyAt(), verifier, { type: 'verify', note: '现场核查，处置到位' });
    }
    case 'verified': {
      const satisfaction = satisfactionOf(flow, fate.ratingRoll, sc.reworked || c.reworkCount > 0);
      const at = sc.selfHandled
        ? minutes(1, 10)
        : rng.chance(flow.verifyLate)
          ? stageAt(rng.range(0.85, 1.3))
          : stageAt(rng.range(0.05, 0.7));
      return step(at, ctx.center, { type: 'close', satisfaction, note: closeNote(c.reporter, satisfaction) });
    }
    default:
      return null;
  }
}

/** Who the center sends the case to at its level; after a return (回退), the other one. */
function chooseAssignee(ctx: PlanContext, sc: SimCase, c: Case): { kind: 'worker' | 'department'; id: string } | null {
  const asRef = (a: Actor | null) =>
    a ? { kind: a.role === 'worker' ? ('worker' as const) : ('department' as const), id: a.id } : null;
  // After a return (回退) the center sends it to the other kind of assignee.
  const flip = c.status === 'returned';
  if (c.level === 'grid') {
    if (sc.selfHandled && sc.reporterWorker) {
      const w = ctx.workerActor(sc.reporterWorker);
      if (w) return asRef(w);
    }
    const worker = ctx.gridWorker(c.gridId, sc.rng);
    const dept = ctx.department(c.category);
    const wantDept = sc.fate.toDepartment !== flip;
    return asRef(wantDept ? (dept ?? worker) : (worker ?? dept));
  }
  if (c.level === 'community') {
    const chief = ctx.communityChief(c.gridId);
    const dept = ctx.department(c.category) ?? ctx.departmentById('dept-community');
    return asRef(flip ? (dept ?? chief) : (chief ?? dept));
  }
  // Street and district: the departments, in joint enforcement (大联动).
  const dept = ctx.department(c.category);
  const other = ctx.departmentById('dept-enforce');
  return asRef(flip && other && other.id !== dept?.id ? other : (dept ?? other ?? ctx.gridWorker(c.gridId)));
}
