/**
 * Areas from cells: a parent's cells split into children of given sizes (balanced growth from
 * seeds, or a power diagram around fixed seats), each child one 4-connected piece.
 */
import type { Mesh } from './mesh';
import { MinHeap } from './minHeap';
import type { Rng } from './random';

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
