/** Small plane geometry on lng/lat for the simulator: fine at the scale of a grid (a few hundred metres). */
import type { Position } from '../../protocol';
import { pointInRing, type Ring } from '../cases/geo';
import type { Rng } from '../presets/random';

export { pointInRing, type Ring };

const METERS_PER_DEG_LAT = 110_574;

export const metersPerDegLng = (lat: number): number => 111_320 * Math.cos((lat * Math.PI) / 180);

export interface Box {
  west: number;
  south: number;
  east: number;
  north: number;
}

export function ringBox(ring: Ring): Box {
  let west = Number.POSITIVE_INFINITY;
  let south = Number.POSITIVE_INFINITY;
  let east = Number.NEGATIVE_INFINITY;
  let north = Number.NEGATIVE_INFINITY;
  for (const [x, y] of ring) {
    west = Math.min(west, x);
    east = Math.max(east, x);
    south = Math.min(south, y);
    north = Math.max(north, y);
  }
  return { west, south, east, north };
}

/** A uniform point inside the ring (rejection sampling in its box); `fallback` after many misses. */
export function randomPointInRing(rng: Rng, ring: Ring, box: Box, fallback: Position): Position {
  for (let i = 0; i < 64; i++) {
    const x = rng.range(box.west, box.east);
    const y = rng.range(box.south, box.north);
    if (pointInRing(x, y, ring)) return [x, y];
  }
  return [fallback[0], fallback[1]];
}

/** Distance in metres (equirectangular: exact enough inside a district). */
export function distanceMeters(a: Position, b: Position): number {
  const lat = (a[1] + b[1]) / 2;
  const dx = (b[0] - a[0]) * metersPerDegLng(lat);
  const dy = (b[1] - a[1]) * METERS_PER_DEG_LAT;
  return Math.hypot(dx, dy);
}

/** Whether the straight segment stays inside the ring (checked at `samples` points). */
export function segmentInRing(a: Position, b: Position, ring: Ring, samples = 8): boolean {
  for (let k = 1; k < samples; k++) {
    const t = k / samples;
    if (!pointInRing(a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, ring)) return false;
  }
  return true;
}

/** A point moved by up to `meters` in a random direction. */
export function jitter(rng: Rng, p: Position, meters: number): Position {
  const r = meters * Math.sqrt(rng.float());
  const a = rng.range(0, 2 * Math.PI);
  return [p[0] + (r * Math.cos(a)) / metersPerDegLng(p[1]), p[1] + (r * Math.sin(a)) / METERS_PER_DEG_LAT];
}

/** Rounds to 6 decimals (about 10 cm): smaller messages, same map. */
export const round6 = (v: number): number => Math.round(v * 1e6) / 1e6;
