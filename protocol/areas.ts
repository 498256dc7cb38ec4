import { z } from 'zod';
import { Id, PolygonCoordinates, Position } from './common';

/** Five levels from city down to grid (襄阳). A district preset starts at `district`. */
export const AreaLevel = z.enum(['city', 'district', 'street', 'community', 'grid']);
export type AreaLevel = z.infer<typeof AreaLevel>;

export const Area = z.object({
  id: Id,
  /** Administrative code, e.g. 640106001003012 for a grid. */
  code: z.string().min(1).max(32),
  name: z.string().min(1).max(64),
  level: AreaLevel,
  parentId: Id.nullable(),
  polygon: PolygonCoordinates,
  /** A point inside the polygon where its label goes. */
  center: Position,
});
export type Area = z.infer<typeof Area>;
