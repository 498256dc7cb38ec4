/**
 * The geometry under every preset: a jittered quad mesh whose cells are the atoms of all areas.
 *
 * Areas at every level are sets of whole cells, and every polygon is traced along cell edges whose
 * vertices are shared, so neighbours meet exactly (no gaps, no overlaps), children lie inside their
 * parents by construction, and the grids tile the root.
 */
import type { Position } from '../../protocol';
import type { Rng } from './random';

const KM_PER_DEG_LAT = 110.574;
const KM_PER_DEG_LNG_AT_EQUATOR = 111.32;

/** Degrees are rounded once, per vertex, so that every polygon sharing a vertex has the same numbers. */
const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

export interface MeshOptions {
  /** South-west corner of the mesh, [lng, lat]. */
  origin: Position;
  /** Cell side in kilometres before jitter. */
  cellKm: number;
  nx: number;
  ny: number;
  /**
   * Vertex jitter as a fraction of the cell side, per axis. At most 0.2 keeps every cell a convex
   * quad, which keeps bilinear points inside their cell.
   */
  jitter: number;
  /**
   * A smooth displacement in kilometres, applied after jitter, that bends the mesh's rows and
   * columns; keep its slope well under 1 or cells fold.
   */
  warp?: (xKm: number, yKm: number) => [number, number];
}

export class Mesh {
  readonly nx: number;
  readonly ny: number;
  readonly cellCount: number;
  readonly cellKm: number;
  /** Vertex (i, j), i in 0..nx, j in 0..ny, at index j * (nx + 1) + i. */
  readonly lng: Float64Array;
  readonly lat: Float64Array;
  /** Kilometres per degree of longitude at the mesh's latitude (for distances and areas). */
  readonly kmPerDegLng: number;

  constructor(opts: MeshOptions, rng: Rng) {
    if (opts.jitter < 0 || opts.jitter > 0.2) throw new Error('jitter must be within [0, 0.2]');
    this.nx = opts.nx;
    this.ny = opts.ny;
    this.cellCount = opts.nx * opts.ny;
    this.cellKm = opts.cellKm;
    const [lng0, lat0] = opts.origin;
    const midLat = lat0 + (opts.ny * opts.cellKm) / 2 / KM_PER_DEG_LAT;
    this.kmPerDegLng = KM_PER_DEG_LNG_AT_EQUATOR * Math.cos((midLat * Math.PI) / 180);
    const n = (opts.nx + 1) * (opts.ny + 1);
    this.lng = new Float64Array(n);
    this.lat = new Float64Array(n);
    for (let j = 0; j <= opts.ny; j++) {
      for (let i = 0; i <= opts.nx; i++) {
        // The mesh's outer frame stays straight: it is never part of a preset's outline, and
        // straight edges there cannot fold.
        const edgeI = i === 0 || i === opts.nx;
        const edgeJ = j === 0 || j === opts.ny;
        const dx = edgeI ? 0 : rng.range(-opts.jitter, opts.jitter);
        const dy = edgeJ ? 0 : rng.range(-opts.jitter, opts.jitter);
        let xKm = (i + dx) * opts.cellKm;
        let yKm = (j + dy) * opts.cellKm;
        if (opts.warp) {
          const [wx, wy] = opts.warp(xKm, yKm);
          xKm += wx;
          yKm += wy;
        }
        const v = j * (opts.nx + 1) + i;
        this.lng[v] = round6(lng0 + xKm / this.kmPerDegLng);
        this.lat[v] = round6(lat0 + yKm / KM_PER_DEG_LAT);
      }
    }
  }

  cellI(c: number): number {
    return c % this.nx;
  }

  cellJ(c: number): number {
    return Math.floor(c / this.nx);
  }

  vertex(i: number, j: number): number {
    return j * (this.nx + 1) + i;
  }

  /** The cell's corners, counter-clockwise from the south-west. */
  corners(c: number): [number, number, number, number] {
    const i = this.cellI(c);
    const j = this.cellJ(c);
    return [this.vertex(i, j), this.vertex(i + 1, j), this.vertex(i + 1, j + 1), this.vertex(i, j + 1)];
  }

  /** Up to four edge-sharing neighbours. */
  neighbours(c: number, out: number[]): number[] {
    out.length = 0;
    const i = this.cellI(c);
    const j = this.cellJ(c);
    if (i > 0) out.push(c - 1);
    if (i < this.nx - 1) out.push(c + 1);
    if (j > 0) out.push(c - this.nx);
    if (j < this.ny - 1) out.push(c + this.nx);
    return out;
  }

  /** A point of the cell by bilinear interpolation, u and v in [0, 1]; rounded to 1e-6°. */
  pointInCell(c: number, u: number, v: number): Position {
    const [a, b, cc, d] = this.corners(c);
    const lng =
      (1 - u) * (1 - v) * (this.lng[a] as number) +
      u * (1 - v) * (this.lng[b] as number) +
      u * v * (this.lng[cc] as number) +
      (1 - u) * v * (this.lng[d] as number);
    const lat =
      (1 - u) * (1 - v) * (this.lat[a] as number) +
      u * (1 - v) * (this.lat[b] as number) +
      u * v * (this.lat[cc] as number) +
      (1 - u) * v * (this.lat[d] as number);
    return [round6(lng), round6(lat)];
  }

  cellCenter(c: number): Position {
    return this.pointInCell(c, 0.5, 0.5);
  }

  /** A random point well inside the cell (away from its edges, so rounding cannot push it out). */
  randomPointInCell(c: number, rng: Rng): Position {
    return this.pointInCell(c, rng.range(0.1, 0.9), rng.range(0.1, 0.9));
  }

  position(v: number): Position {
    return [this.lng[v] as number, this.lat[v] as number];
  }
}
