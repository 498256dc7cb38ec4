import { z } from 'zod';
import { Case, CaseLevel, Priority, Satisfaction } from './cases';
import { Id } from './common';

const Reason = z.string().trim().min(1).max(500);
const Note = z.string().trim().max(2000);

const base = {
  /** Client-made id: the same id sent twice is applied once and answered the same. */
  commandId: z.string().min(8).max(64),
  caseId: Id,
  /** The case version the sender saw; a stale one is refused with `conflict`. */
  expectedVersion: z.number().int().positive(),
};

export const FileCommand = z.object({
  ...base,
  type: z.literal('file'),
  priority: Priority.optional(),
  category: z.string().min(1).max(32).optional(),
  note: Note.optional(),
});
export const RejectCommand = z.object({ ...base, type: z.literal('reject'), reason: Reason });
export const DispatchCommand = z.object({
  ...base,
  type: z.literal('dispatch'),
  assignee: z.object({ kind: z.enum(['worker', 'department']), id: Id }),
  note: Note.optional(),
});
export const AcceptCommand = z.object({ ...base, type: z.literal('accept'), note: Note.optional() });
export const FeedbackCommand = z.object({
  ...base,
  type: z.literal('feedback'),
  note: Note.min(1),
  media: z.array(z.string().url().max(2048)).max(20).optional(),
});
export const EscalateCommand = z.object({
  ...base,
  type: z.literal('escalate'),
  reason: Reason,
  /** Defaults to the next level up. */
  toLevel: CaseLevel.optional(),
});
/** 回退: the assignee returns a wrongly assigned case to the center. */
export const ReturnCommand = z.object({ ...base, type: z.literal('return'), reason: Reason });
/** 延期: the assignee asks for more time; a supervisor approves or refuses. */
export const ExtendCommand = z.discriminatedUnion('action', [
  z.object({
    ...base,
    type: z.literal('extend'),
    action: z.literal('request'),
    minutes: z
      .number()
      .int()
      .positive()
      .max(60 * 24 * 90),
    reason: Reason,
  }),
  z.object({ ...base, type: z.literal('extend'), action: z.literal('approve'), note: Note.optional() }),
  z.object({ ...base, type: z.literal('extend'), action: z.literal('refuse'), reason: Reason }),
]);
/** 挂账: booked as not solvable now; left out of the filed count. */
export const SuspendCommand = z.object({ ...base, type: z.literal('suspend'), reason: Reason });
/** 作废: a duplicate or invalid report, voided. */
export const VoidCommand = z.object({
  ...base,
  type: z.literal('void'),
  reason: Reason,
  duplicateOf: Id.optional(),
});
export const VerifyCommand = z.object({ ...base, type: z.literal('verify'), note: Note.optional() });
/** Verification failed or the problem came back: rework by the same assignee. */
export const ReopenCommand = z.object({ ...base, type: z.literal('reopen'), reason: Reason });
export const CloseCommand = z.object({
  ...base,
  type: z.literal('close'),
  satisfaction: Satisfaction.optional(),
  note: Note.optional(),
});
export const CommentCommand = z.object({ ...base, type: z.literal('comment'), note: Note.min(1) });

export const Command = z.union([
  FileCommand,
  RejectCommand,
  DispatchCommand,
  AcceptCommand,
  FeedbackCommand,
  EscalateCommand,
  ReturnCommand,
  ExtendCommand,
  SuspendCommand,
  VoidCommand,
  VerifyCommand,
  ReopenCommand,
  CloseCommand,
  CommentCommand,
]);
export type Command = z.infer<typeof Command>;
export type CommandType = Command['type'];
export const COMMAND_TYPES = [
  'file',
  'reject',
  'dispatch',
  'accept',
  'feedback',
  'escalate',
  'return',
  'extend',
  'suspend',
  'void',
  'verify',
  'reopen',
  'close',
  'comment',
] as const satisfies readonly CommandType[];

export const ErrorCode = z.enum([
  'invalid',
  'forbidden',
  'not_found',
  'conflict',
  'illegal_transition',
  'unauthorized',
  'unavailable',
  /** Too many failed logins from this address or at this account: try again after `Retry-After`. */
  'rate_limited',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ApiError = z.object({
  code: ErrorCode,
  message: z.string(),
  /** On `conflict`: the case as it is now, so the console can show it and offer a redo. */
  current: Case.optional(),
});
export type ApiError = z.infer<typeof ApiError>;

export const CommandAck = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), case: Case }),
  z.object({ ok: z.literal(false), error: ApiError }),
]);
export type CommandAck = z.infer<typeof CommandAck>;
