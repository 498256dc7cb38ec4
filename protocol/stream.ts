import { z } from 'zod';
import { Alert } from './alerts';
import { Area } from './areas';
import { Camera, CameraStatus, Sensor } from './cameras';
import { CasePatch } from './casePatch';
import { Case } from './cases';
import { Category } from './categories';
import type { Command, CommandAck } from './commands';
import { Id, Role, Timestamp } from './common';
import { InspectionPoint } from './inspection';
import { KpiFigures, KpiSummary } from './kpis';
import { Department, Worker, WorkerPositions } from './people';
import { PresentationMessage } from './presenter';

const seqd = { seq: z.number().int().positive(), at: Timestamp };

/**
 * Durable changes, in the server's event log with strictly increasing `seq`. A new case comes whole
 * (`case.upserted`), each change after that as a patch (`case.patched`: only what changed, applied
 * only on top of the version before it). The log holds them as sent, so a resume gets the same.
 */
export const StreamEvent = z.discriminatedUnion('type', [
  z.object({ ...seqd, type: z.literal('case.upserted'), payload: Case }),
  z.object({ ...seqd, type: z.literal('case.patched'), payload: CasePatch }),
  z.object({ ...seqd, type: z.literal('alert.raised'), payload: Alert }),
  z.object({
    ...seqd,
    type: z.literal('alert.cleared'),
    payload: z.object({ id: Id, clearedAt: Timestamp }),
  }),
  z.object({
    ...seqd,
    type: z.literal('camera.status'),
    payload: z.object({ id: Id, status: CameraStatus, at: Timestamp }),
  }),
  z.object({ ...seqd, type: z.literal('worker.updated'), payload: Worker }),
  z.object({
    ...seqd,
    type: z.literal('sensor.status'),
    payload: z.object({ id: Id, status: Sensor.shape.status, at: Timestamp }),
  }),
  z.object({ ...seqd, type: z.literal('areas.changed'), payload: z.object({ version: z.number().int() }) }),
]);
export type StreamEvent = z.infer<typeof StreamEvent>;
export type StreamEventType = StreamEvent['type'];

export const EventBatch = z.array(StreamEvent);
export type EventBatch = z.infer<typeof EventBatch>;

export const Snapshot = z.object({
  /** The `seq` of the last event this snapshot includes; events follow from seq + 1. */
  seq: z.number().int().nonnegative(),
  at: Timestamp,
  /** Whether personal data was removed for this connection (wall, presenter). */
  masked: z.boolean(),
  role: Role,
  /** Every case not closed, rejected or voided, plus those that ended in the last 24 h. */
  cases: z.array(Case),
  workers: z.array(Worker),
  cameras: z.array(Camera),
  sensors: z.array(Sensor),
  areas: z.array(Area),
  areasVersion: z.number().int(),
  departments: z.array(Department),
  categories: z.array(Category),
  /** Today's figures for the root area (counts of a running day; its rates count only what fell due by now). */
  kpis: KpiFigures.nullable(),
  /**
   * The root area's rates over the last 30 × 24 h (`rolling30`): what a rate tile should show. Always
   * sent by the server (optional only for older producers).
   */
  kpisRolling: KpiSummary.nullable().optional(),
  alerts: z.array(Alert),
  /** Fixed patrol check points (兴隆台's wall of round icons). */
  inspectionPoints: z.array(InspectionPoint).default([]),
});
export type Snapshot = z.infer<typeof Snapshot>;

/** The `kpis` push: today's figures, and the rolling-30-day summary (recomputed at most once a minute). */
export const KpiUpdate = z.object({ at: Timestamp, kpis: KpiFigures, rolling: KpiSummary.nullable().optional() });
export type KpiUpdate = z.infer<typeof KpiUpdate>;

export const ResyncNotice = z.object({
  /** `presentation`: a presentation started or stopped and this wall page's masking changed. */
  reason: z.enum(['too_far_behind', 'since_too_old', 'server_restart', 'presentation']),
});
export type ResyncNotice = z.infer<typeof ResyncNotice>;

/** Handshake: `io(url, { auth })`. */
export const StreamAuth = z.object({
  token: z.string().min(1).max(256),
  /** The last `seq` the client holds; without it (or when too old) the server sends a snapshot. */
  since: z.number().int().nonnegative().optional(),
  /**
   * What the page is: `wall` pages get masked data while a presentation runs, whatever their
   * credential; a `presenter` page gets presentation updates only (no case data).
   */
  surface: z.enum(['wall', 'console', 'presenter']).optional(),
});
export type StreamAuth = z.infer<typeof StreamAuth>;

/**
 * The client's receipt (`ack`): the last `seq` it took in. Sent at most every half second while
 * events come; from the first one the server holds the client to its lag bound (bytes or seconds
 * sent but not acknowledged) and resyncs or drops a client past it.
 */
export const StreamAck = z.object({ seq: z.number().int().nonnegative() });
export type StreamAck = z.infer<typeof StreamAck>;

/** socket.io event maps: both ends are typed from these; both ends still validate what arrives. */
export interface ServerToClientEvents {
  snapshot: (snapshot: Snapshot) => void;
  events: (batch: EventBatch) => void;
  positions: (positions: WorkerPositions) => void;
  kpis: (update: KpiUpdate) => void;
  resync: (notice: ResyncNotice) => void;
  presentation: (message: PresentationMessage) => void;
}
export interface ClientToServerEvents {
  command: (command: Command, ack: (answer: CommandAck) => void) => void;
  /** Ask for a fresh snapshot (after `resync`, or when the client finds a gap). */
  resync: () => void;
  ack: (ack: StreamAck) => void;
}

export const STREAM_MESSAGE_SCHEMAS = {
  snapshot: Snapshot,
  events: EventBatch,
  positions: WorkerPositions,
  kpis: KpiUpdate,
  resync: ResyncNotice,
  presentation: PresentationMessage,
} as const;
