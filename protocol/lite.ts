import { type CasePatch, patchBase } from './casePatch';
import type { Case, CaseLevel, CaseSource, CaseStatus, DeadlineClock, Priority, Stage } from './cases';
import type { Worker } from './people';

/**
 * The renderer's slim records of a case and a worker: the stream's worker makes them from what the
 * server sends (one implementation, here), the stores hold them, the wall and the console read them.
 */

/**
 * What the wall keeps of a case. The full case (timeline, media, reporter) is large; 100,000 of them
 * cloned from the worker every frame would cost the main thread more than the whole frame budget,
 * so the worker hands over this slim record and the full case only for the focused one.
 */
export interface CaseLite {
  id: string;
  code: string;
  category: string;
  source: CaseSource;
  priority: Priority;
  status: CaseStatus;
  level: CaseLevel;
  lng: number;
  lat: number;
  gridId: string;
  address: string;
  stage: Stage | null;
  dueAt: number | null;
  /** The clock the running limit counts in (absent: working time). */
  clock?: DeadlineClock;
  warned: boolean;
  overdue: boolean;
  /** Who has it (name and id), and whether the assignee's request for more time waits for approval. */
  assignee: string | null;
  assigneeId: string | null;
  extensionRequested: boolean;
  createdAt: number;
  updatedAt: number;
  /** When the case left the loop (closed, rejected, voided); null while it is open. */
  endedAt: number | null;
  version: number;
}

export interface WorkerLite {
  id: string;
  name: string;
  gridId: string;
  onDuty: boolean;
  lng: number | null;
  lat: number | null;
  lastSeen: number | null;
}

export function toCaseLite(c: Case): CaseLite {
  return {
    id: c.id,
    code: c.code,
    category: c.category,
    source: c.source,
    priority: c.priority,
    status: c.status,
    level: c.level,
    lng: c.location.lng,
    lat: c.location.lat,
    gridId: c.gridId,
    address: c.location.address,
    stage: c.deadline?.stage ?? null,
    dueAt: c.deadline?.dueAt ?? null,
    ...(c.deadline?.clock ? { clock: c.deadline.clock } : {}),
    warned: c.deadline?.warned ?? false,
    overdue: c.deadline?.overdue ?? false,
    assignee: c.assignee?.name ?? null,
    assigneeId: c.assignee?.id ?? null,
    extensionRequested: c.extension !== null,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    endedAt: endedAt(c.status, c.milestones.closedAt, c.updatedAt),
    version: c.version,
  };
}

const endedAt = (status: CaseStatus, closedAt: number | null, updatedAt: number): number | null =>
  status === 'closed' || status === 'rejected' || status === 'voided' ? (closedAt ?? updatedAt) : null;

/**
 * The slim record a patch makes from `lite` (the renderer keeps no whole cases). `closedAt` is the
 * case's `milestones.closedAt`, which the slim record folds into `endedAt`. Null when the patch
 * does not apply on top of this version: the caller asks for the whole case.
 */
export function patchCaseLite(
  lite: CaseLite,
  closedAt: number | null,
  p: CasePatch,
): { lite: CaseLite; closedAt: number | null } | null {
  if (lite.id !== p.id || lite.version !== patchBase(p)) return null;
  const next: CaseLite = { ...lite, version: p.v };
  const s = p.set ?? {};
  const m = p.merge ?? {};
  if (s.code !== undefined) next.code = s.code;
  if (s.category !== undefined) next.category = s.category;
  if (s.source !== undefined) next.source = s.source;
  if (s.priority !== undefined) next.priority = s.priority;
  if (s.status !== undefined) next.status = s.status;
  if (s.level !== undefined) next.level = s.level;
  if (s.gridId !== undefined) next.gridId = s.gridId;
  if (s.createdAt !== undefined) next.createdAt = s.createdAt;
  if (s.updatedAt !== undefined) next.updatedAt = s.updatedAt;
  const loc = s.location ?? m.location;
  if (loc?.lng !== undefined) next.lng = loc.lng;
  if (loc?.lat !== undefined) next.lat = loc.lat;
  if (loc?.address !== undefined) next.address = loc.address;
  if (s.deadline !== undefined) {
    const d = s.deadline;
    next.stage = d?.stage ?? null;
    next.dueAt = d?.dueAt ?? null;
    next.warned = d?.warned ?? false;
    next.overdue = d?.overdue ?? false;
    delete next.clock;
    if (d?.clock) next.clock = d.clock;
  } else if (m.deadline) {
    // A merge only comes into a deadline that is there: the slim record has its parts.
    if (lite.stage === null) return null;
    const d = m.deadline;
    if (d.stage !== undefined) next.stage = d.stage;
    if (d.dueAt !== undefined) next.dueAt = d.dueAt;
    if (d.warned !== undefined) next.warned = d.warned;
    if (d.overdue !== undefined) next.overdue = d.overdue;
    if (d.clock !== undefined) next.clock = d.clock;
  }
  if (s.assignee !== undefined) {
    next.assignee = s.assignee?.name ?? null;
    next.assigneeId = s.assignee?.id ?? null;
  }
  if (s.extension !== undefined) next.extensionRequested = s.extension !== null;
  let closed = closedAt;
  if (s.milestones) closed = s.milestones.closedAt;
  else if (m.milestones?.closedAt !== undefined) closed = m.milestones.closedAt;
  next.endedAt = endedAt(next.status, closed, next.updatedAt);
  return { lite: next, closedAt: closed };
}

export function toWorkerLite(w: Worker): WorkerLite {
  return {
    id: w.id,
    name: w.name,
    gridId: w.gridId,
    onDuty: w.onDuty,
    lng: w.position?.lng ?? null,
    lat: w.position?.lat ?? null,
    lastSeen: w.lastSeen,
  };
}
