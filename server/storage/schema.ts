import type { Generated } from 'kysely';
import type { LoginAudit, SessionRecord } from '../access/auth';

/**
 * Tables, written once for SQLite and PostgreSQL: whole records are JSON text in `data`, with the
 * columns that queries filter or sort on beside them. Times are milliseconds since the epoch.
 */
export interface MetaTable {
  key: string;
  value: string;
}
export interface EntityTable {
  id: string;
  data: string;
}
export interface AreaTable extends EntityTable {
  level: string;
  parent_id: string | null;
}
export interface WorkerTable extends EntityTable {
  grid_id: string;
}
export interface CaseTable {
  id: string;
  code: string;
  category: string;
  source: string;
  status: string;
  level: string;
  grid_id: string;
  priority: string;
  phone: string | null;
  /** Address and description, for search with a portable LIKE (no JSON functions). */
  search_text: string;
  /** 1 while the case is in the loop (not closed, rejected or voided). */
  active: number;
  created_at: number;
  updated_at: number;
  filed_at: number | null;
  dispatched_at: number | null;
  handled_at: number | null;
  closed_at: number | null;
  close_due_at: number | null;
  due_at: number | null;
  ever_overdue: number;
  self_handled: number;
  rework_count: number;
  extension_count: number;
  satisfaction: string | null;
  version: number;
  data: string;
}
export interface EventTable {
  seq: number;
  at: number;
  type: string;
  payload: string;
}
export interface AppliedCommandTable {
  command_id: string;
  case_id: string;
  at: number;
  ack: string;
}
export interface AlertTable {
  id: string;
  case_id: string | null;
  kind: string;
  active: number;
  raised_at: number;
  cleared_at: number | null;
  data: string;
}
/** Defined with the credentials it keeps (access/auth.ts). */
export type SessionTable = SessionRecord;
export interface DeviceTable {
  id: string;
  name: string;
  role: string;
  created_at: number;
  created_by: string;
  revoked_at: number | null;
  last_used_at: number | null;
}
/** The audit row's columns are the access layer's (`LoginAudit`); commands write the same shape. */
export interface AuditTable extends LoginAudit {
  id: Generated<number>;
}

export interface Database {
  meta: MetaTable;
  areas: AreaTable;
  workers: WorkerTable;
  departments: EntityTable;
  cameras: EntityTable;
  sensors: EntityTable;
  inspection_points: EntityTable;
  cases: CaseTable;
  events: EventTable;
  applied_commands: AppliedCommandTable;
  alerts: AlertTable;
  sessions: SessionTable;
  devices: DeviceTable;
  audit: AuditTable;
}
