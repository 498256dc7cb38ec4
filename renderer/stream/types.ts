import type {
  Alert,
  Area,
  Camera,
  CameraStatus,
  Case,
  Category,
  Department,
  InspectionPoint,
  KpiFigures,
  KpiSummary,
  Presentation,
  Role,
  Sensor,
} from '../../protocol';
import type { CaseLite, WorkerLite } from '../../protocol/lite';

export type ConnectionState = 'idle' | 'connecting' | 'live' | 'reconnecting' | 'unauthorized';

export interface StreamCounters {
  /** Messages (or items inside one) that failed validation and were dropped. */
  invalid: number;
  /** Events at or below the last seq, ignored. */
  duplicates: number;
  /** Times a hole in the seq made the client ask for a new snapshot. */
  gaps: number;
  snapshots: number;
  reconnects: number;
  events: number;
}

export interface ConnectionInfo {
  state: ConnectionState;
  /** Local time the state was entered. */
  since: number;
  attempt: number;
  /** Local time of the next connection attempt while reconnecting. */
  retryAt: number | null;
  lastSeq: number;
  counters: StreamCounters;
  error: string | null;
  /** Local time of the server's last heartbeat (socket.io ping) on the current connection. */
  lastHeartbeatAt: number | null;
}

/** The snapshot as the main thread gets it: slim cases, everything else as sent. */
export interface SnapshotLite {
  seq: number;
  at: number;
  masked: boolean;
  role: Role;
  cases: CaseLite[];
  workers: WorkerLite[];
  cameras: Camera[];
  sensors: Sensor[];
  areas: Area[];
  areasVersion: number;
  categories: Category[];
  /** Departments and the categories they take (the console's dispatch suggestions). */
  departments: Department[];
  kpis: KpiFigures | null;
  /** The root area's rates over the last 30 × 24 h: what a rate tile shows (today's are over a partial day). */
  kpisRolling: KpiSummary | null;
  alerts: Alert[];
  inspectionPoints: InspectionPoint[] | null;
}

/** Everything that arrived since the last hand-over, coalesced: at most one of these per frame. */
export interface StreamBatch {
  /** When present it replaces the whole state; the rest of the batch applies after it. */
  snapshot: SnapshotLite | null;
  /** The latest version of each case that changed. */
  cases: CaseLite[];
  /** The full focused case, when it changed (or was asked for). */
  focusedCase: Case | null;
  workers: WorkerLite[];
  /** [id, lng, lat, onDuty]: the latest position of each worker that moved. */
  positions: [string, number, number, 0 | 1][];
  cameras: { id: string; status: CameraStatus; at: number }[];
  sensors: { id: string; status: Sensor['status']; at: number }[];
  alertsRaised: Alert[];
  alertsCleared: { id: string; clearedAt: number }[];
  inspectionPoints: InspectionPoint[];
  kpis: KpiFigures | null;
  kpisRolling: KpiSummary | null;
  areasVersion: number | null;
  lastSeq: number;
  /** Latest server timestamp seen, to run the wall's clock on the server's (possibly simulated) time. */
  serverAt: number | null;
  /** Local receive times (epoch ms, sub-ms precision) of the messages in this batch: lag measurement. */
  receivedAt: number[];
  /** How many stream messages and durable events this batch folds together. */
  messages: number;
  events: number;
  /** When the worker handed the batch over. */
  sentAt: number;
}

export interface StartOptions {
  /** Origin of the server, e.g. `http://127.0.0.1:8080`. */
  origin: string;
  token: string;
  path?: string;
  /** Resync when the seq jumps by more than one. */
  resyncOnGap?: boolean;
  /** What the page is (a `wall` page is masked while a presentation runs). */
  surface?: 'wall' | 'console' | 'presenter';
}

/** Main thread → stream worker. */
export type ToWorker =
  | { type: 'start'; options: StartOptions }
  | { type: 'token'; token: string }
  | { type: 'pull' }
  | { type: 'focus'; caseId: string | null }
  | { type: 'stop' };

/** Stream worker → main thread. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'batch'; batch: StreamBatch | null }
  | { type: 'connection'; info: ConnectionInfo }
  /** The presentation changed: handed over at once, never coalesced or held by a pause. */
  | { type: 'presentation'; presentation: Presentation | null }
  | { type: 'need-token' };
