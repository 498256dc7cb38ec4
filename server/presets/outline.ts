/** Polygons from cells: the outline of a set of mesh cells, traced along shared vertices. */
import type { PolygonCoordinates, Position } from '../../protocol';
import type { Mesh } from './mesh';

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
