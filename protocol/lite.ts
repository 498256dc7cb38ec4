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
  const ended = c.status === 'closed' || c.status === 'rejected' || c.status === 'voided';
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
    endedAt: ended ? (c.milestones.closedAt ?? c.updatedAt) : null,
    version: c.version,
  };
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
