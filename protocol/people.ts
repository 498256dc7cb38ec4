import { z } from 'zod';
import { Id, LngLat, Timestamp } from './common';

export const WorkerKind = z.enum(['grid_worker', 'grid_chief', 'staff']);
export type WorkerKind = z.infer<typeof WorkerKind>;

export const Worker = z.object({
  id: Id,
  name: z.string().min(1).max(32),
  kind: WorkerKind,
  gridId: Id,
  onDuty: z.boolean(),
  position: LngLat.nullable(),
  lastSeen: Timestamp.nullable(),
});
export type Worker = z.infer<typeof Worker>;

export const Department = z.object({
  id: Id,
  name: z.string().min(1).max(64),
  nameEn: z.string().max(64).optional(),
  /** Category codes this department takes when the center dispatches by category. */
  categories: z.array(z.string()),
});
export type Department = z.infer<typeof Department>;

/** One worker's position as the renderer holds it: [workerId, lng, lat, onDuty ? 1 : 0]. */
export const PositionTuple = z.tuple([Id, z.number(), z.number(), z.union([z.literal(0), z.literal(1)])]);
export type PositionTuple = z.infer<typeof PositionTuple>;

/** Worker positions decoded (or as a synthetic source makes them): what the renderer's stores take. */
export const WorkerPositionTuples = z.object({ at: Timestamp, positions: z.array(PositionTuple) });
export type WorkerPositionTuples = z.infer<typeof WorkerPositionTuples>;

/**
 * Volatile worker positions, coalesced per server tick: the latest state of each worker that
 * moved, not a history. They carry no sequence number; a client gets every worker's position in
 * its snapshot and again on every (re)connect. Packed (protocol/positions.ts): a worker is its
 * index in the snapshot's `workers` list, 11 bytes a position, base64.
 */
export const WorkerPositions = z.object({
  at: Timestamp,
  /** How many workers the list holds that the indices point into (a client with another list asks again). */
  n: z.number().int().nonnegative(),
  /** Per worker, big-endian: u24 index << 1 | onDuty, i32 lng × 1e7, i32 lat × 1e7; base64. */
  packed: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/),
});
export type WorkerPositions = z.infer<typeof WorkerPositions>;
