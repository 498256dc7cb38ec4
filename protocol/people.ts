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

/**
 * Volatile worker positions, coalesced per server tick: the latest state of each worker that
 * moved, not a history. They carry no sequence number; a client gets every worker's position in
 * its snapshot and again on every (re)connect.
 */
export const WorkerPositions = z.object({
  at: Timestamp,
  /** [workerId, lng, lat, onDuty ? 1 : 0] */
  positions: z.array(z.tuple([Id, z.number(), z.number(), z.union([z.literal(0), z.literal(1)])])),
});
export type WorkerPositions = z.infer<typeof WorkerPositions>;
