import { z } from 'zod';
import { Id, LngLat, Role, Timestamp } from './common';

export const CaseSource = z.enum([
  'grid_worker',
  'hotline',
  'wechat',
  'app',
  'web',
  'sensor',
  'video',
  'drone',
  'open311',
  'work_order',
]);
export type CaseSource = z.infer<typeof CaseSource>;

export const CaseStatus = z.enum([
  'reported',
  'filed',
  'rejected',
  'dispatched',
  'accepted',
  'handled',
  'verified',
  'closed',
  'returned',
  'suspended',
  'voided',
]);
export type CaseStatus = z.infer<typeof CaseStatus>;

/** Statuses a case leaves the loop in. */
export const TERMINAL_STATUSES: readonly CaseStatus[] = ['closed', 'rejected', 'voided'];
export const isTerminal = (s: CaseStatus): boolean => TERMINAL_STATUSES.includes(s);

/** Levels a case climbs when a level cannot solve it (grid → community → street → district joint enforcement). */
export const CaseLevel = z.enum(['grid', 'community', 'street', 'district']);
export type CaseLevel = z.infer<typeof CaseLevel>;
export const CASE_LEVELS: readonly CaseLevel[] = CaseLevel.options;

export const Priority = z.enum(['urgent', 'normal']);
export type Priority = z.infer<typeof Priority>;

/** The stage whose time limit is running: which step the case waits for. */
export const Stage = z.enum(['file', 'dispatch', 'handle', 'verify', 'close']);
export type Stage = z.infer<typeof Stage>;

export const Assignee = z.object({
  kind: z.enum(['worker', 'department']),
  id: Id,
  name: z.string().max(64),
});
export type Assignee = z.infer<typeof Assignee>;

/**
 * Which clock a time limit counts in. Ordinary stages count working time (城管 limits are "working
 * days"); an urgent or sensor case counts calendar time: a smoke alarm raised at 22:00 does not wait
 * for the office to open.
 */
export const DeadlineClock = z.enum(['working', 'calendar']);
export type DeadlineClock = z.infer<typeof DeadlineClock>;

export const Deadline = z.object({
  stage: Stage,
  /** Absent: working time (how deadlines were set before clocks existed). */
  clock: DeadlineClock.optional(),
  level: CaseLevel,
  startedAt: Timestamp,
  /** Minutes of the deadline's clock allowed for this stage (from the config's limits). */
  limitMinutes: z.number().positive(),
  warnAt: Timestamp,
  dueAt: Timestamp,
  warned: z.boolean(),
  overdue: z.boolean(),
});
export type Deadline = z.infer<typeof Deadline>;

/** Personal data: never sent to `wall` or `presenter` connections (the server sends null). */
export const Reporter = z.object({
  name: z.string().max(32),
  phone: z.string().max(20),
});
export type Reporter = z.infer<typeof Reporter>;

export const Actor = z.object({
  id: Id,
  name: z.string().max(64),
  role: z.union([Role, z.enum(['system', 'worker', 'department', 'public'])]),
});
export type Actor = z.infer<typeof Actor>;

export const TimelineEntry = z.object({
  at: Timestamp,
  /** A command type, or `reported`, `warning`, `overdue`, `auto_filed`. */
  action: z.string().max(32),
  actor: Actor,
  from: CaseStatus.nullable(),
  to: CaseStatus,
  level: CaseLevel,
  note: z.string().max(2000).optional(),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const Satisfaction = z.enum(['satisfied', 'basic', 'unsatisfied']);
export type Satisfaction = z.infer<typeof Satisfaction>;

export const ExtensionRequest = z.object({
  requestedAt: Timestamp,
  minutes: z.number().int().positive(),
  reason: z.string().max(500),
});

/** Milestones the KPIs are computed from. */
export const Milestones = z.object({
  filedAt: Timestamp.nullable(),
  dispatchedAt: Timestamp.nullable(),
  handledAt: Timestamp.nullable(),
  closedAt: Timestamp.nullable(),
  /** When the close is due: end of the first handling limit, moved by approved extensions. */
  closeDueAt: Timestamp.nullable(),
});

export const Case = z.object({
  id: Id,
  /** Human code shown on screens and read out by phone, e.g. JF20261123-0042. */
  code: z.string().max(32),
  category: z.string().max(32),
  source: CaseSource,
  priority: Priority,
  description: z.string().max(2000),
  location: LngLat.extend({ address: z.string().max(200) }),
  gridId: Id,
  status: CaseStatus,
  level: CaseLevel,
  assignee: Assignee.nullable(),
  deadline: Deadline.nullable(),
  reporter: Reporter.nullable(),
  media: z.array(z.string().max(2048)).max(20),
  timeline: z.array(TimelineEntry),
  satisfaction: Satisfaction.nullable(),
  extension: ExtensionRequest.nullable(),
  milestones: Milestones,
  reworkCount: z.number().int().nonnegative(),
  extensionCount: z.number().int().nonnegative(),
  /** Set once any stage went past its limit. */
  everOverdue: z.boolean(),
  /** Handled at the grid by the worker who found it (small things stay in the grid). */
  selfHandled: z.boolean(),
  duplicateOf: Id.nullable(),
  version: z.number().int().positive(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Case = z.infer<typeof Case>;

/** What an intake (simulator, Open311, hotline desk) submits to create a case. */
export const CaseReport = z.object({
  category: z.string().min(1).max(32),
  source: CaseSource,
  priority: Priority.default('normal'),
  description: z.string().min(1).max(2000),
  location: LngLat.extend({ address: z.string().max(200).default('') }),
  reporter: Reporter.nullable().default(null),
  media: z.array(z.string().url().max(2048)).max(20).default([]),
  /** A grid worker who found and fixed it on the spot: the case is filed and closed at once. */
  selfHandled: z.boolean().default(false),
  reportedBy: Id.optional(),
});
export type CaseReport = z.input<typeof CaseReport>;
export type CaseReportParsed = z.output<typeof CaseReport>;
