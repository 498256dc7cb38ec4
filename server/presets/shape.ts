/**
 * What a preset's geography looks like before it is cut into areas: its spec (size, shape, streets),
 * the root's outline on the mesh (noise, a shape test, a clean mask), and where labels go.
 */

import type { AreaLevel, Position } from '../../protocol';
import type { Mesh } from './mesh';
import type { Rng } from './random';

export const KM_PER_DEG_LAT = 110.574;
export const KM_PER_DEG_LNG_AT_EQUATOR = 111.32;

export interface StreetSpec {
  /** 满城北街街道, 长安镇: a 镇 has villages (村) besides communities (社区). */
  name: string;
  /** Where the street's seat is, for presets after a real place; otherwise spread at random. */
  at?: Position;
  /** Relative land area. */
  area: number;
}

export type RootShape =
  | { kind: 'rect' }
  /** An ellipse filling the box, its edge wobbling by `wobble` (a fraction of the radius). */
  | { kind: 'ellipse'; wobble: number }
  /** A smooth blob around the streets' seats, sized by their areas (a county-level city). */
  | { kind: 'towns'; wobble: number };

export interface GeographySpec {
  rootName: string;
  rootCode: string;
  rootLevel: Extract<AreaLevel, 'district' | 'city'>;
  center: Position;
  widthKm: number;
  heightKm: number;
  shape: RootShape;
  streets: readonly StreetSpec[];
  communities: number;
  grids: number;
  /** Mesh cells per grid on average: more gives rounder grids and slower generation. */
  cellsPerGrid: number;
  /** Grids per street ∝ area^gridExponent: below 1, dense small towns get more grids per km². */
  gridExponent: number;
  /** Share of a 镇's communities that are villages (村). */
  villageShare: number;
  /** Community stems used first (real-sounding names for the place), before generated ones. */
  communityStems?: readonly string[];
}

/** A smooth value noise in [−1, 1] over kilometres: bilinear between random lattice values. */
export function valueNoise(
  rng: Rng,
  spacingKm: number,
  widthKm: number,
  heightKm: number,
): (x: number, y: number) => number {
  const cols = Math.ceil(widthKm / spacingKm) + 3;
  const rows = Math.ceil(heightKm / spacingKm) + 3;
  const v = Array.from({ length: cols * rows }, () => rng.range(-1, 1));
  const at = (i: number, j: number): number =>
    v[Math.min(rows - 1, Math.max(0, j)) * cols + Math.min(cols - 1, Math.max(0, i))] as number;
  const smooth = (t: number): number => t * t * (3 - 2 * t);
  return (x, y) => {
    const fx = (x + widthKm / 2) / spacingKm + 1;
    const fy = (y + heightKm / 2) / spacingKm + 1;
    const i = Math.floor(fx);
    const j = Math.floor(fy);
    const u = smooth(fx - i);
    const w = smooth(fy - j);
    const top = at(i, j) * (1 - u) + at(i + 1, j) * u;
    const bottom = at(i, j + 1) * (1 - u) + at(i + 1, j + 1) * u;
    return top * (1 - w) + bottom * w;
  };
}

/** Whether a point (km from the box centre) lies in the root shape. */
export function shapeTest(spec: GeographySpec, rng: Rng, kmPerDegLng: number): (x: number, y: number) => boolean {
  const shape = spec.shape;
  if (shape.kind === 'rect') return () => true;
  const noise = valueNoise(rng, Math.max(spec.widthKm, spec.heightKm) / 6, spec.widthKm, spec.heightKm);
  if (shape.kind === 'ellipse') {
    const a = (spec.widthKm / 2) * (1 - shape.wobble);
    const b = (spec.heightKm / 2) * (1 - shape.wobble);
    return (x, y) => Math.hypot(x / a, y / b) <= 1 + shape.wobble * noise(x, y);
  }
  // Metaballs around the seats: a smooth outline that follows where the towns are, no scallops.
  const totalArea = spec.streets.reduce((s, t) => s + t.area, 0);
  const balls = spec.streets.map((t) => {
    const at = t.at ?? spec.center;
    return {
      x: (at[0] - spec.center[0]) * kmPerDegLng,
      y: (at[1] - spec.center[1]) * KM_PER_DEG_LAT,
      // 1.2 × the radius of a disc of the town's share of the box's inscribed land.
      sigma: 1.2 * Math.sqrt(((t.area / totalArea) * spec.widthKm * spec.heightKm * 0.6) / Math.PI),
    };
  });
  return (x, y) => {
    let field = 0;
    for (const b of balls) field += Math.exp(-((x - b.x) ** 2 + (y - b.y) ** 2) / (b.sigma * b.sigma));
    return field >= 0.3 * (1 + shape.wobble * noise(x, y));
  };
}

/** The largest 4-connected piece of the mask with its holes filled: one outline, no enclaves. */
export function cleanMask(mesh: Mesh, mask: Uint8Array): void {
  const n = mesh.cellCount;
  const label = new Int32Array(n).fill(-1);
  const nb: number[] = [];
  let bestLabel = -1;
  let bestSize = 0;
  let next = 0;
  for (let s = 0; s < n; s++) {
    if (!mask[s] || label[s] !== -1) continue;
    const queue = [s];
    label[s] = next;
    for (let h = 0; h < queue.length; h++) {
      for (const m of mesh.neighbours(queue[h] as number, nb)) {
        if (mask[m] && label[m] === -1) {
          label[m] = next;
          queue.push(m);
        }
      }
    }
    if (queue.length > bestSize) {
      bestSize = queue.length;
      bestLabel = next;
    }
    next++;
  }
  // Outside = reachable from the mesh frame without crossing the kept piece; the rest is inside.
  const outside = new Uint8Array(n);
  const queue: number[] = [];
  for (let c = 0; c < n; c++) {
    const i = mesh.cellI(c);
    const j = mesh.cellJ(c);
    const onFrame = i === 0 || j === 0 || i === mesh.nx - 1 || j === mesh.ny - 1;
    if (onFrame && label[c] !== bestLabel) {
      outside[c] = 1;
      queue.push(c);
    }
  }
  for (let h = 0; h < queue.length; h++) {
    for (const m of mesh.neighbours(queue[h] as number, nb)) {
      if (!outside[m] && label[m] !== bestLabel) {
        outside[m] = 1;
        queue.push(m);
      }
    }
  }
  for (let c = 0; c < n; c++) mask[c] = outside[c] ? 0 : 1;
}

export function centroidIJ(mesh: Mesh, cells: readonly number[]): [number, number] {
  let si = 0;
  let sj = 0;
  for (const c of cells) {
    si += mesh.cellI(c);
    sj += mesh.cellJ(c);
  }
  return [si / cells.length, sj / cells.length];
}

/** The region's cell nearest its centroid: its centre is a label point inside the region. */
export function labelCell(mesh: Mesh, cells: readonly number[]): number {
  const [ci, cj] = centroidIJ(mesh, cells);
  let best = cells[0] as number;
  let bestD = Number.POSITIVE_INFINITY;
  for (const c of cells) {
    const d = (mesh.cellI(c) - ci) ** 2 + (mesh.cellJ(c) - cj) ** 2;
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

export const labelPoint = (mesh: Mesh, cells: readonly number[]): Position => mesh.cellCenter(labelCell(mesh, cells));

/** Orders parts north to south in bands, west to east within a band, so numbers read like a map. */
export function readingOrder<T>(mesh: Mesh, items: T[], cellsOf: (t: T) => readonly number[]): T[] {
  const avg = items.reduce((s, t) => s + cellsOf(t).length, 0) / items.length;
  const band = Math.max(1, 1.5 * Math.sqrt(avg));
  const keyed = items.map((t) => {
    const [ci, cj] = centroidIJ(mesh, cellsOf(t));
    return { t, row: Math.floor((mesh.ny - cj) / band), ci };
  });
  keyed.sort((a, b) => a.row - b.row || a.ci - b.ci);
  return keyed.map((k) => k.t);
}
