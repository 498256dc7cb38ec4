/**
 * The geometry under every preset: a jittered quad mesh whose cells are the atoms of all areas.
 *
 * Areas at every level are sets of whole cells, and every polygon is traced along cell edges whose
 * vertices are shared, so neighbours meet exactly (no gaps, no overlaps), children lie inside their
 * parents by construction, and the grids tile the root.
 */
import type { PolygonCoordinates, Position } from '../../protocol';
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

/** A binary min-heap of (priority, a, b) with typed storage: region growth pushes ~10^5 entries. */
class MinHeap {
  private prio: number[] = [];
  private a: number[] = [];
  private b: number[] = [];

  get size(): number {
    return this.prio.length;
  }

  push(p: number, a: number, b: number): void {
    const { prio, a: as, b: bs } = this;
    let i = prio.length;
    prio.push(p);
    as.push(a);
    bs.push(b);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((prio[parent] as number) <= p) break;
      prio[i] = prio[parent] as number;
      as[i] = as[parent] as number;
      bs[i] = bs[parent] as number;
      i = parent;
    }
    prio[i] = p;
    as[i] = a;
    bs[i] = b;
  }

  /** Pops the smallest entry into `out` as [priority, a, b]; false when empty. */
  pop(out: [number, number, number]): boolean {
    const { prio, a: as, b: bs } = this;
    const n = prio.length;
    if (n === 0) return false;
    out[0] = prio[0] as number;
    out[1] = as[0] as number;
    out[2] = bs[0] as number;
    const lp = prio.pop() as number;
    const la = as.pop() as number;
    const lb = bs.pop() as number;
    const m = n - 1;
    if (m === 0) return true;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= m) break;
      const r = l + 1;
      const child = r < m && (prio[r] as number) < (prio[l] as number) ? r : l;
      if ((prio[child] as number) >= lp) break;
      prio[i] = prio[child] as number;
      as[i] = as[child] as number;
      bs[i] = bs[child] as number;
      i = child;
    }
    prio[i] = lp;
    as[i] = la;
    bs[i] = lb;
    return true;
  }
}

export interface PartitionOptions {
  /** Target share of the parent's cells for each child (any positive scale). */
  weights: readonly number[];
  /** Fewest cells each child must get (e.g. its number of grids). */
  minCells: readonly number[];
  /**
   * Fixed seed cells (one per child), e.g. towns at their real seats; otherwise spread at random.
   * With fixed seeds the parts are a power diagram whose weights are tuned to the sizes (growth
   * from seats that are not where the sizes want them draws tentacles).
   */
  seeds?: readonly number[];
  /** Displacement (in cells) of each cell's position for the power diagram: wavy borders. */
  warp?: (i: number, j: number) => [number, number];
  /** Lloyd iterations after the first growth: more compact, rounder areas. */
  relax?: number;
}

/**
 * Splits a 4-connected set of cells into `weights.length` 4-connected parts of roughly the given
 * sizes: balanced growth from seeds over noisy cell costs, then Lloyd-relaxed.
 * Returns, for each part, its cells in ascending order. `owner` is scratch space of one entry per
 * mesh cell, −1 everywhere outside `cells` (it is left that way).
 */
export function partitionCells(
  mesh: Mesh,
  cells: readonly number[],
  opts: PartitionOptions,
  rng: Rng,
  owner: Int32Array,
): number[][] {
  const k = opts.weights.length;
  if (k === 0) throw new Error('partition into zero parts');
  const minTotal = opts.minCells.reduce((s, m) => s + m, 0);
  if (minTotal > cells.length) throw new Error(`cannot fit ${minTotal} cells into ${cells.length}`);
  if (k === 1) return [[...cells].sort((a, b) => a - b)];

  const totalW = opts.weights.reduce((s, w) => s + w, 0);
  const quota = opts.weights.map((w, r) => Math.max(opts.minCells[r] as number, (w / totalW) * cells.length));
  // A part can end up walled in below its minimum by neighbours at theirs; then start again from
  // other seeds. Retries draw from the same seeded stream, so the result stays reproducible.
  const attempts = opts.seeds ? 1 : 8;
  let parts: number[][] = [];
  for (let attempt = 1; ; attempt++) {
    const cost = new Map<number, number>();
    for (const c of cells) cost.set(c, 1 + rng.range(0, 0.8));
    if (opts.seeds) {
      parts = powerDiagram(mesh, cells, opts.seeds, quota, opts.warp, owner);
    } else {
      let seeds = spreadSeeds(mesh, cells, k, rng);
      parts = grow(mesh, cells, seeds, quota, cost, owner);
      for (let it = 0; it < (opts.relax ?? 2); it++) {
        seeds = parts.map((p) => cellNearestCentroid(mesh, p));
        parts = grow(mesh, cells, seeds, quota, cost, owner);
      }
    }
    try {
      enforceMinimum(mesh, parts, opts.minCells, owner);
      break;
    } catch (err) {
      if (attempt >= attempts) {
        for (const c of cells) owner[c] = -1;
        throw err;
      }
    }
  }
  // Leave the scratch labels clean: the next call must not see this call's parts next door.
  for (const c of cells) owner[c] = -1;
  for (const p of parts) p.sort((a, b) => a - b);
  return parts;
}

/** k-means++ style seeding: each next seed far (with squared-distance odds) from those chosen. */
function spreadSeeds(mesh: Mesh, cells: readonly number[], k: number, rng: Rng): number[] {
  const seeds = [rng.pick(cells)];
  const d2 = cells.map(() => Number.POSITIVE_INFINITY);
  while (seeds.length < k) {
    const last = seeds[seeds.length - 1] as number;
    const li = mesh.cellI(last);
    const lj = mesh.cellJ(last);
    for (let n = 0; n < cells.length; n++) {
      const c = cells[n] as number;
      const di = mesh.cellI(c) - li;
      const dj = mesh.cellJ(c) - lj;
      const d = di * di + dj * dj;
      if (d < (d2[n] as number)) d2[n] = d;
    }
    seeds.push(cells[rng.weightedIndex(d2.map((d) => d * d))] as number);
  }
  return seeds;
}

function cellNearestCentroid(mesh: Mesh, part: readonly number[]): number {
  let si = 0;
  let sj = 0;
  for (const c of part) {
    si += mesh.cellI(c);
    sj += mesh.cellJ(c);
  }
  const ci = si / part.length;
  const cj = sj / part.length;
  let best = part[0] as number;
  let bestD = Number.POSITIVE_INFINITY;
  for (const c of part) {
    const d = (mesh.cellI(c) - ci) ** 2 + (mesh.cellJ(c) - cj) ** 2;
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

/**
 * A capacity-constrained power diagram: cell → argmin |p − seed|² − w, with the weights nudged
 * until sizes match quotas. Power cells are convex, but the parent is not, so a part may come out
 * in pieces: each keeps its largest piece and the strays join a neighbour.
 */
function powerDiagram(
  mesh: Mesh,
  cells: readonly number[],
  seeds: readonly number[],
  quota: readonly number[],
  warp: ((i: number, j: number) => [number, number]) | undefined,
  owner: Int32Array,
): number[][] {
  const k = seeds.length;
  const n = cells.length;
  const px = new Float64Array(n);
  const py = new Float64Array(n);
  cells.forEach((c, m) => {
    const i = mesh.cellI(c) + 0.5;
    const j = mesh.cellJ(c) + 0.5;
    const [wi, wj] = warp ? warp(i, j) : [0, 0];
    px[m] = i + wi;
    py[m] = j + wj;
  });
  const sx = seeds.map((c) => mesh.cellI(c) + 0.5);
  const sy = seeds.map((c) => mesh.cellJ(c) + 0.5);
  const w = new Float64Array(k);
  const label = new Int32Array(n);
  const size = new Int32Array(k);
  const assign = (): void => {
    size.fill(0);
    for (let m = 0; m < n; m++) {
      let best = 0;
      let bestD = Number.POSITIVE_INFINITY;
      for (let t = 0; t < k; t++) {
        const d =
          ((px[m] as number) - (sx[t] as number)) ** 2 +
          ((py[m] as number) - (sy[t] as number)) ** 2 -
          (w[t] as number);
        if (d < bestD) {
          bestD = d;
          best = t;
        }
      }
      label[m] = best;
      size[best] = (size[best] as number) + 1;
    }
  };
  // Raising w by Δ moves a border by Δ / (2 × seat distance): about πΔ/2 cells of area. Damped.
  for (let it = 0; it < 60; it++) {
    assign();
    for (let t = 0; t < k; t++) w[t] = (w[t] as number) + 0.5 * ((quota[t] as number) - (size[t] as number));
  }
  assign();

  // Keep each part's largest 4-connected piece (the one with its seat, when the seat is in it).
  for (let m = 0; m < n; m++) owner[cells[m] as number] = label[m] as number;
  const nb: number[] = [];
  const seen = new Set<number>();
  const keep = new Set<number>();
  for (let t = 0; t < k; t++) {
    let bestPiece: number[] = [];
    for (let m = 0; m < n; m++) {
      const c = cells[m] as number;
      if (label[m] !== t || seen.has(c)) continue;
      const piece = [c];
      seen.add(c);
      for (let h = 0; h < piece.length; h++) {
        for (const x of mesh.neighbours(piece[h] as number, nb)) {
          if (owner[x] === t && !seen.has(x)) {
            seen.add(x);
            piece.push(x);
          }
        }
      }
      if (piece.length > bestPiece.length) bestPiece = piece;
    }
    for (const c of bestPiece) keep.add(c);
  }
  const member = new Set(cells);
  for (const c of cells) if (!keep.has(c)) owner[c] = -1;
  const queue = cells.filter((c) => keep.has(c));
  for (let h = 0; h < queue.length; h++) {
    const c = queue[h] as number;
    for (const x of mesh.neighbours(c, nb)) {
      if (member.has(x) && owner[x] === -1) {
        owner[x] = owner[c] as number;
        queue.push(x);
      }
    }
  }
  const parts: number[][] = Array.from({ length: k }, () => []);
  for (const c of cells) (parts[owner[c] as number] as number[]).push(c);
  return parts;
}

/**
 * Balanced growth: the part furthest below its quota takes the next cell, the one nearest its seed
 * (noisy Dijkstra distance) on its frontier. Parts grow in step, so sizes end near quota, and
 * each part stays 4-connected because it only ever takes a neighbour of its own cells.
 */
function grow(
  mesh: Mesh,
  cells: readonly number[],
  seeds: readonly number[],
  quota: readonly number[],
  cost: ReadonlyMap<number, number>,
  owner: Int32Array,
): number[][] {
  const UNASSIGNED = -1;
  for (const c of cells) owner[c] = UNASSIGNED;
  const k = seeds.length;
  const parts: number[][] = Array.from({ length: k }, () => []);
  const frontier = Array.from({ length: k }, () => new MinHeap());
  const active = new Array<boolean>(k).fill(true);
  const nb: number[] = [];
  const top: [number, number, number] = [0, 0, 0];
  for (let r = 0; r < k; r++) (frontier[r] as MinHeap).push(0, seeds[r] as number, 0);
  let left = cells.length;
  while (left > 0) {
    let r = -1;
    let bestRatio = Number.POSITIVE_INFINITY;
    for (let q = 0; q < k; q++) {
      if (!active[q]) continue;
      const ratio = (parts[q] as number[]).length / (quota[q] as number);
      if (ratio < bestRatio) {
        bestRatio = ratio;
        r = q;
      }
    }
    if (r < 0) break;
    const heap = frontier[r] as MinHeap;
    let claimed = -1;
    let dist = 0;
    while (heap.pop(top)) {
      if (owner[top[1]] === UNASSIGNED) {
        claimed = top[1];
        dist = top[0];
        break;
      }
    }
    if (claimed < 0) {
      // Walled in: the others share what is left.
      active[r] = false;
      continue;
    }
    owner[claimed] = r;
    (parts[r] as number[]).push(claimed);
    left--;
    for (const n of mesh.neighbours(claimed, nb)) {
      const step = cost.get(n);
      // Only cells of the parent (those with a cost) may be claimed.
      if (step !== undefined && owner[n] === UNASSIGNED) heap.push(dist + step, n, 0);
    }
  }
  return parts;
}

/**
 * Moves border cells into parts smaller than their minimum, from neighbours that can spare them
 * without being cut in two, until every part has its minimum.
 */
function enforceMinimum(mesh: Mesh, parts: number[][], minCells: readonly number[], owner: Int32Array): void {
  const nb: number[] = [];
  const nb2: number[] = [];
  for (let guard = 0; guard < 100_000; guard++) {
    const r = parts.findIndex((p, idx) => p.length < (minCells[idx] as number));
    if (r < 0) return;
    const mine = parts[r] as number[];
    let moved = false;
    // An empty part starts from any cell of a part that can spare one.
    const candidates: number[] = [];
    if (mine.length === 0) {
      for (let o = 0; o < parts.length && candidates.length === 0; o++) {
        const theirs = parts[o] as number[];
        if (o !== r && theirs.length > (minCells[o] as number)) candidates.push(...theirs);
      }
    } else {
      for (const c of mine) {
        for (const n of mesh.neighbours(c, nb)) {
          const o = owner[n] as number;
          if (o >= 0 && o !== r && o < parts.length) candidates.push(n);
        }
      }
    }
    for (const n of candidates) {
      const o = owner[n] as number;
      const theirs = parts[o] as number[];
      if (theirs.length <= (minCells[o] as number)) continue;
      if (!staysConnectedWithout(mesh, theirs, n, owner, o, nb2)) continue;
      const at = theirs.indexOf(n);
      if (at < 0) continue;
      theirs.splice(at, 1);
      mine.push(n);
      owner[n] = r;
      moved = true;
      break;
    }
    if (!moved)
      throw new Error(
        `cannot give every area its minimum number of cells: ${parts.map((p) => p.length)} vs ${minCells}`,
      );
  }
  throw new Error('enforceMinimum did not settle');
}

function staysConnectedWithout(
  mesh: Mesh,
  part: readonly number[],
  removed: number,
  owner: Int32Array,
  r: number,
  nb: number[],
): boolean {
  if (part.length <= 1) return false;
  const start = part[0] === removed ? (part[1] as number) : (part[0] as number);
  const seen = new Set<number>([start, removed]);
  const queue = [start];
  for (let h = 0; h < queue.length; h++) {
    for (const n of mesh.neighbours(queue[h] as number, nb)) {
      if (owner[n] === r && !seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return seen.size === part.length;
}

/** Direction of each side's edge when walking the cell counter-clockwise: E, N, W, S. */
const SIDE_DI = [1, 0, -1, 0] as const;
const SIDE_DJ = [0, 1, 0, -1] as const;

/**
 * The outline of a 4-connected set of cells as GeoJSON polygon coordinates: one counter-clockwise
 * outer ring and clockwise holes (RFC 7946 winding). Where the set touches itself at a corner the
 * walk turns right, keeping to the ring of the gap it follows: the gap enclosed there becomes a
 * hole that touches the outer ring at that point (valid), not a pinched outer ring (invalid).
 * `inSet` must say true for exactly the given cells.
 */
export function outline(mesh: Mesh, cells: readonly number[], inSet: (c: number) => boolean): PolygonCoordinates {
  if (!isConnected(mesh, cells, inSet)) throw new Error('area is not one connected piece');
  const nx = mesh.nx;
  const ny = mesh.ny;
  const rowV = nx + 1;
  // Boundary edges, keyed cell * 4 + side, side 0 = south (walked east), 1 = east (north),
  // 2 = north (west), 3 = west (south); stored with their start vertex.
  const edges: number[] = [];
  const outgoing = new Map<number, number[]>();
  for (const c of cells) {
    const i = c % nx;
    const j = (c - i) / nx;
    const across = [
      j > 0 && inSet(c - nx),
      i < nx - 1 && inSet(c + 1),
      j < ny - 1 && inSet(c + nx),
      i > 0 && inSet(c - 1),
    ];
    const startV = [j * rowV + i, j * rowV + i + 1, (j + 1) * rowV + i + 1, (j + 1) * rowV + i];
    for (let s = 0; s < 4; s++) {
      if (across[s]) continue;
      const e = c * 4 + s;
      edges.push(e);
      const v = startV[s] as number;
      const list = outgoing.get(v);
      if (list) list.push(e);
      else outgoing.set(v, [e]);
    }
  }
  const endVertex = (e: number): number => {
    const c = e >> 2;
    const s = e & 3;
    const i = c % nx;
    const j = (c - i) / nx;
    return s === 0 ? j * rowV + i + 1 : s === 1 ? (j + 1) * rowV + i + 1 : s === 2 ? (j + 1) * rowV + i : j * rowV + i;
  };
  const startVertex = (e: number): number => {
    const c = e >> 2;
    const s = e & 3;
    const i = c % nx;
    const j = (c - i) / nx;
    return s === 0 ? j * rowV + i : s === 1 ? j * rowV + i + 1 : s === 2 ? (j + 1) * rowV + i + 1 : (j + 1) * rowV + i;
  };
  const used = new Set<number>();
  const outers: number[][] = [];
  const holes: number[][] = [];
  for (const e0 of edges) {
    if (used.has(e0)) continue;
    const ring: number[] = [];
    let e = e0;
    let area2 = 0;
    do {
      used.add(e);
      const a = startVertex(e);
      const b = endVertex(e);
      ring.push(a);
      area2 += (a % rowV) * Math.floor(b / rowV) - (b % rowV) * Math.floor(a / rowV);
      const out = outgoing.get(b) as number[];
      if (out.length === 1) {
        e = out[0] as number;
      } else {
        // Prefer right, then straight, then left, relative to the direction we came in.
        const s = e & 3;
        const inDi = SIDE_DI[s] as number;
        const inDj = SIDE_DJ[s] as number;
        let best = out[0] as number;
        let bestRank = 9;
        for (const cand of out) {
          const cs = cand & 3;
          const di = SIDE_DI[cs] as number;
          const dj = SIDE_DJ[cs] as number;
          const cross = inDi * dj - inDj * di;
          const dot = inDi * di + inDj * dj;
          const rank = cross < 0 ? 0 : dot > 0 ? 1 : cross > 0 ? 2 : 3;
          if (rank < bestRank) {
            bestRank = rank;
            best = cand;
          }
        }
        e = best;
      }
    } while (e !== e0);
    (area2 > 0 ? outers : holes).push(ring);
  }
  if (outers.length !== 1) throw new Error(`outline has ${outers.length} outer rings`);
  const toCoords = (ring: readonly number[]): Position[] => {
    const out = ring.map((v) => mesh.position(v));
    out.push(mesh.position(ring[0] as number));
    return out;
  };
  return [toCoords(outers[0] as number[]), ...holes.map(toCoords)];
}

function isConnected(mesh: Mesh, cells: readonly number[], inSet: (c: number) => boolean): boolean {
  if (cells.length === 0) return false;
  const nb: number[] = [];
  const seen = new Set<number>([cells[0] as number]);
  const queue = [cells[0] as number];
  for (let h = 0; h < queue.length; h++) {
    for (const n of mesh.neighbours(queue[h] as number, nb)) {
      if (!seen.has(n) && inSet(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return seen.size === cells.length;
}

/** Even-odd point-in-polygon over all rings (holes included); points on an edge count either way. */
export function pointInPolygon(p: Position, polygon: PolygonCoordinates): boolean {
  const [x, y] = p;
  let inside = false;
  for (const ring of polygon) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i] as Position;
      const [xj, yj] = ring[j] as Position;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}
