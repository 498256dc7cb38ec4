import { z } from 'zod';

/** Milliseconds since the Unix epoch. Every time on the wire is one of these. */
export const Timestamp = z.number().int().nonnegative();
export type Timestamp = z.infer<typeof Timestamp>;

export const Id = z.string().min(1).max(64);
export type Id = z.infer<typeof Id>;

export const Lng = z.number().min(-180).max(180);
export const Lat = z.number().min(-90).max(90);

export const LngLat = z.object({ lng: Lng, lat: Lat });
export type LngLat = z.infer<typeof LngLat>;

/** A GeoJSON position, [lng, lat]. */
export const Position = z.tuple([Lng, Lat]);
export type Position = z.infer<typeof Position>;

/** GeoJSON Polygon coordinates: an outer ring and optional holes, each ring closed. */
export const PolygonCoordinates = z.array(z.array(Position).min(4)).min(1);
export type PolygonCoordinates = z.infer<typeof PolygonCoordinates>;

export const Role = z.enum(['wall', 'presenter', 'supervisor', 'admin']);
export type Role = z.infer<typeof Role>;

/** Roles that may see residents' personal data and send commands. */
export const PRIVILEGED_ROLES: readonly Role[] = ['supervisor', 'admin'];
export const isPrivileged = (role: Role): boolean => PRIVILEGED_ROLES.includes(role);

/** One line that names each field a value failed on: `assignee.id: Too small; note: Required`. */
export function describeZodError(error: z.ZodError, root = 'body'): string {
  return error.issues.map((i) => `${i.path.join('.') || root}: ${i.message}`).join('; ');
}
