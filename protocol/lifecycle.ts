import type { CaseStatus, Stage } from './cases';
import type { CommandType } from './commands';

interface Transition {
  /** The statuses the command may start from; `any` for a command that works on every case. */
  readonly from: readonly CaseStatus[] | 'any';
  /** The status the command leads to; null where the case keeps its status. */
  readonly to: CaseStatus | null;
}

/**
 * The case state machine (DESIGN.md, with the side states of digital city management: 回退 return,
 * 延期 extend, 挂账 suspend, 作废 void). The one table: the server applies it, the console derives
 * which keys are live and what a queued command will lead to.
 */
export const TRANSITIONS: Readonly<Record<CommandType, Transition>> = {
  file: { from: ['reported'], to: 'filed' },
  reject: { from: ['reported'], to: 'rejected' },
  dispatch: { from: ['filed', 'returned', 'suspended'], to: 'dispatched' },
  accept: { from: ['dispatched'], to: 'accepted' },
  feedback: { from: ['dispatched', 'accepted'], to: 'handled' },
  // Escalation hands the case to the level above, where it waits to be dispatched again.
  escalate: { from: ['filed', 'dispatched', 'accepted', 'returned'], to: 'filed' },
  return: { from: ['dispatched', 'accepted'], to: 'returned' },
  extend: { from: ['dispatched', 'accepted'], to: null },
  suspend: { from: ['filed', 'dispatched', 'accepted', 'returned'], to: 'suspended' },
  void: { from: ['reported', 'filed', 'returned', 'suspended'], to: 'voided' },
  verify: { from: ['handled'], to: 'verified' },
  // Rework: back to the same assignee.
  reopen: { from: ['handled', 'verified'], to: 'dispatched' },
  close: { from: ['verified'], to: 'closed' },
  comment: { from: 'any', to: null },
};

/** Whether a command may be applied to a case in `status`. */
export function allowedFrom(command: CommandType, status: CaseStatus): boolean {
  const { from } = TRANSITIONS[command];
  return from === 'any' || from.includes(status);
}

/** The status a case in `status` has after `command` succeeds. */
export function statusAfter(command: CommandType, status: CaseStatus): CaseStatus {
  return TRANSITIONS[command].to ?? status;
}

/** The stage whose time limit runs while a case is in a status; null where no limit runs. */
export const STAGE_OF: Readonly<Record<CaseStatus, Stage | null>> = {
  reported: 'file',
  filed: 'dispatch',
  returned: 'dispatch',
  dispatched: 'handle',
  accepted: 'handle',
  handled: 'verify',
  verified: 'close',
  rejected: null,
  closed: null,
  suspended: null,
  voided: null,
};
