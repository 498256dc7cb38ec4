import type { CaseLevel, CaseStatus, CommandType } from '../../protocol';
import { CASE_LEVELS } from '../../protocol';
import { allowedFrom } from '../../protocol/lifecycle';

/**
 * The supervisor's actions: one key each, the command each sends, and which cases allow it. The
 * statuses come from the state machine's one table in protocol/lifecycle.ts.
 */
export const ACTIONS = [
  'file',
  'reject',
  'dispatch',
  'escalate',
  'approveExtension',
  'refuseExtension',
  'return',
  'suspend',
  'void',
  'verify',
  'reopen',
  'close',
  'comment',
] as const;
export type ActionId = (typeof ACTIONS)[number];

export interface ActionDef {
  id: ActionId;
  /** The key (lower case; Shift is not needed). */
  key: string;
  command: CommandType;
  /** What the dialog asks for. */
  dialog: 'file' | 'reason' | 'dispatch' | 'escalate' | 'void' | 'close' | 'note';
  /** Asking for a reason is required by the protocol. */
  reasonRequired: boolean;
}

export const ACTION_DEFS: Record<ActionId, ActionDef> = {
  file: { id: 'file', key: 'f', command: 'file', dialog: 'file', reasonRequired: false },
  reject: { id: 'reject', key: 'x', command: 'reject', dialog: 'reason', reasonRequired: true },
  dispatch: { id: 'dispatch', key: 'd', command: 'dispatch', dialog: 'dispatch', reasonRequired: false },
  escalate: { id: 'escalate', key: 'e', command: 'escalate', dialog: 'escalate', reasonRequired: true },
  approveExtension: { id: 'approveExtension', key: 'y', command: 'extend', dialog: 'note', reasonRequired: false },
  refuseExtension: { id: 'refuseExtension', key: 'n', command: 'extend', dialog: 'reason', reasonRequired: true },
  return: { id: 'return', key: 'b', command: 'return', dialog: 'reason', reasonRequired: true },
  suspend: { id: 'suspend', key: 's', command: 'suspend', dialog: 'reason', reasonRequired: true },
  void: { id: 'void', key: 'z', command: 'void', dialog: 'void', reasonRequired: true },
  verify: { id: 'verify', key: 'v', command: 'verify', dialog: 'note', reasonRequired: false },
  reopen: { id: 'reopen', key: 'o', command: 'reopen', dialog: 'reason', reasonRequired: true },
  close: { id: 'close', key: 'c', command: 'close', dialog: 'close', reasonRequired: false },
  comment: { id: 'comment', key: 'm', command: 'comment', dialog: 'note', reasonRequired: true },
};

export const ACTION_BY_KEY: ReadonlyMap<string, ActionId> = new Map(ACTIONS.map((a) => [ACTION_DEFS[a].key, a]));

export interface ActionTarget {
  status: CaseStatus;
  level: CaseLevel;
  extensionRequested: boolean;
  hasAssignee: boolean;
}

/** Whether an action applies to a case as the console now believes it to be. */
export function actionAllowed(action: ActionId, c: ActionTarget): boolean {
  const def = ACTION_DEFS[action];
  if (!allowedFrom(def.command, c.status)) return false;
  switch (action) {
    case 'approveExtension':
    case 'refuseExtension':
      return c.extensionRequested;
    case 'escalate':
      return CASE_LEVELS.indexOf(c.level) < CASE_LEVELS.length - 1;
    case 'reopen':
      return c.hasAssignee;
    default:
      return true;
  }
}

export function nextLevel(level: CaseLevel): CaseLevel | null {
  return CASE_LEVELS[CASE_LEVELS.indexOf(level) + 1] ?? null;
}
