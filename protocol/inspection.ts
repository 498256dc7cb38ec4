import { z } from 'zod';
import { Id, LngLat, Timestamp } from './common';

export const InspectionPointState = z.enum(['normal', 'issue', 'unchecked']);
export type InspectionPointState = z.infer<typeof InspectionPointState>;

/** A fixed place checked on each patrol (兴隆台: 3,319 points of 116 kinds), one round icon on the wall. */
export const InspectionPoint = z.object({
  id: Id,
  /** Kind code, e.g. P007; the same kind shares an icon and a colour. */
  kind: z.string().min(1).max(32),
  kindName: z.string().min(1).max(32),
  position: LngLat,
  gridId: Id,
  state: InspectionPointState,
  lastCheckedAt: Timestamp.nullable(),
});
export type InspectionPoint = z.infer<typeof InspectionPoint>;

/** Rented-flat supervision tier: the number of scheduled patrols a month (东莞, 1 to 4). */
export const RentedFlatTier = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);
export type RentedFlatTier = z.infer<typeof RentedFlatTier>;

/** A rented flat (or a building of them) that gets scheduled patrol work orders by tier. */
export const RentedFlat = z.object({
  id: Id,
  gridId: Id,
  position: LngLat,
  tier: RentedFlatTier,
  address: z.string().min(1).max(128),
});
export type RentedFlat = z.infer<typeof RentedFlat>;
