import type { CaseLite } from '../../../protocol/lite';
import { mercator, unmercator } from './dotLayer';
import { caseFeature, caseSeverity } from './features';

/**
 * The wall's open cases clustered by us, incrementally, for one zoom level at a time.
 *
 * MapLibre's clustered GeoJSON source re-clusters every point in its worker on each update (100,000
 * cases at city scale, once a second), then re-tiles, and the main thread parses and uploads the
 * tiles that come back. Here a case that changes moves between two cells of a grid (a few additions),
 * and the map gets only what is on screen: a few hundred clusters and single cases.
 *
 * Cells are `2 × radiusPx` wide at the level's scale. A cluster is drawn at its cases' centroid;
 * when that lands within `radiusPx` of a neighbouring cell's centroid (cases crowding a shared
 * edge), the two are drawn as one, as supercluster merges points within its radius: two circles
 * never sit on top of each other, and a cluster stays where its cases are.
 */
export interface CaseClusterOptions {
  /** Cluster radius in CSS pixels at the level's scale (MapLibre's `clusterRadius`). */
  radiusPx: number;
  /** The last level that clusters; above it every case is drawn on its own (`clusterMaxZoom`). */
  maxZoom: number;
  /** Clusters' feature ids start with it (default `cluster`): two sets of clusters on one map keep apart. */
  idPrefix?: string;
}

interface Point {
  id: string;
  x: number;
  y: number;
  /** The case as the store had it when it last changed on the map; drawn alone from it. */
  c: CaseLite;
  /** Severity (2: overdue, which a cluster counts) and urgency, as the case was last set. */
  sv: 0 | 1 | 2;
  u: 0 | 1;
  /** Its cell, and its neighbours in the cell's list (a list, not a set: no hashing per change). */
  cell: Cell | null;
  prev: Point | null;
  next: Point | null;
}

interface Cell {
  key: number;
  cx: number;
  cy: number;
  head: Point | null;
  n: number;
  sx: number;
  sy: number;
  /** Overdue and urgent cases in the cell. */
  ov: number;
  ur: number;
}

/** [west, south, east, north] in degrees. */
export type Bounds = [number, number, number, number];

/** Cases as MapLibre's cluster labels abbreviate them: 1234 → 1.2k, 12345 → 12k. */
export function abbreviate(count: number): string {
  if (count >= 10_000) return `${Math.round(count / 1000)}k`;
  if (count >= 1000) return `${Math.round(count / 100) / 10}k`;
  return String(count);
}

export class CaseClusters {
  private readonly points = new Map<string, Point>();
  /** By {@link cellKey}: numbers, not strings, as each case binned looks one up. */
  private readonly cells = new Map<number, Cell>();
  private level = -1;
  /** The cells each cluster of the last {@link features} was made of, by feature id. */
  private readonly groups = new Map<string, Cell[]>();

  constructor(private readonly options: CaseClusterOptions) {}

  get size(): number {
    return this.points.size;
  }

  /** The zoom level the cells are for: whole levels, as tiles are. */
  private levelFor(zoom: number): number {
    return Math.max(0, Math.min(Math.floor(zoom), this.options.maxZoom + 1));
  }

  /** Re-bins every case when the map crosses a whole zoom level; true when it did. */
  setZoom(zoom: number): boolean {
    const level = this.levelFor(zoom);
    if (level === this.level) return false;
    this.level = level;
    this.cells.clear();
    this.groups.clear();
    for (const p of this.points.values()) {
      p.cell = null;
      this.bin(p);
    }
    return true;
  }

  /**
   * Adds a case or updates it; false when nothing the map shows changed (its place, status,
   * severity, urgency), which is most case events: a comment, an assignee, a deadline.
   */
  set(c: CaseLite): boolean {
    const sv = caseSeverity(c);
    const u = c.priority === 'urgent' ? 1 : 0;
    let p = this.points.get(c.id);
    if (p && p.c.lng === c.lng && p.c.lat === c.lat) {
      const shown = p.c.status === c.status && p.sv === sv && p.u === u;
      const cell = p.cell;
      if (cell) {
        cell.ov += (sv === 2 ? 1 : 0) - (p.sv === 2 ? 1 : 0);
        cell.ur += u - p.u;
      }
      p.c = c;
      p.sv = sv;
      p.u = u;
      return !shown;
    }
    const [x, y] = mercator(c.lng, c.lat);
    if (p) this.unbin(p);
    else {
      p = { id: c.id, x, y, c, sv, u, cell: null, prev: null, next: null };
      this.points.set(c.id, p);
    }
    p.x = x;
    p.y = y;
    p.c = c;
    p.sv = sv;
    p.u = u;
    this.bin(p);
    return true;
  }

  /** False for a case that was not on the map. */
  remove(id: string): boolean {
    const p = this.points.get(id);
    if (!p) return false;
    this.unbin(p);
    this.points.delete(id);
    return true;
  }

  clear(): void {
    this.points.clear();
    this.cells.clear();
    this.groups.clear();
  }

  /** What the map draws within `bounds`: clusters (with `point_count`) and single cases. */
  features(bounds: Bounds): GeoJSON.Feature<GeoJSON.Point>[] {
    const [west, south, east, north] = bounds;
    const inside = (lng: number, lat: number) => lng >= west && lng <= east && lat >= south && lat <= north;
    const out: GeoJSON.Feature<GeoJSON.Point>[] = [];
    this.groups.clear();
    if (this.level > this.options.maxZoom) {
      for (const p of this.points.values()) if (inside(p.c.lng, p.c.lat)) out.push(caseFeature(p.c));
      return out;
    }
    const seeds: Cell[] = [];
    for (const cell of this.cells.values()) {
      if (inside(...unmercator(cell.sx / cell.n, cell.sy / cell.n))) seeds.push(cell);
    }
    // The biggest first: a small cell on the edge of a big one joins it, not the other way round.
    seeds.sort((a, b) => b.n - a.n || a.key - b.key);
    const taken = new Set<Cell>();
    const r = this.options.radiusPx / (512 * 2 ** this.level);
    for (const cell of seeds) {
      if (taken.has(cell)) continue;
      taken.add(cell);
      const group = [cell];
      const x = cell.sx / cell.n;
      const y = cell.sy / cell.n;
      for (let dx = -1; dx <= 1; dx++) {
        for (let dy = -1; dy <= 1; dy++) {
          const other = this.cells.get(cellKey(cell.cx + dx, cell.cy + dy));
          if (!other || taken.has(other)) continue;
          if (Math.hypot(other.sx / other.n - x, other.sy / other.n - y) > r) continue;
          taken.add(other);
          group.push(other);
        }
      }
      if (group.length === 1 && cell.n === 1) {
        if (cell.head) out.push(caseFeature(cell.head.c));
        continue;
      }
      let n = 0;
      let sx = 0;
      let sy = 0;
      let ov = 0;
      let ur = 0;
      for (const g of group) {
        n += g.n;
        sx += g.sx;
        sy += g.sy;
        ov += g.ov;
        ur += g.ur;
      }
      const id = `${this.options.idPrefix ?? 'cluster'}:${this.level}:${cell.key}`;
      this.groups.set(id, group);
      out.push({
        type: 'Feature',
        properties: { id, cluster: true, point_count: n, point_count_abbreviated: abbreviate(n), ov, ur },
        geometry: { type: 'Point', coordinates: unmercator(sx / n, sy / n) },
      });
    }
    return out;
  }

  /**
   * The zoom at which a cluster (by its feature id, from the last {@link features}) comes apart
   * into more than one piece, or the first level that draws every case alone; null for an id that
   * is no cluster now.
   */
  expansionZoom(featureId: string): number | null {
    const group = this.groups.get(featureId);
    const first = group?.[0]?.head;
    if (!group || !first) return null;
    const last = this.options.maxZoom + 1;
    for (let z = this.level + 1; z < last; z++) {
      const size = this.cellSize(z);
      const key = cellKey(Math.floor(first.x / size), Math.floor(first.y / size));
      for (const cell of group) {
        for (let p = cell.head; p; p = p.next) {
          if (cellKey(Math.floor(p.x / size), Math.floor(p.y / size)) !== key) return z;
        }
      }
    }
    return last;
  }

  /** A cell's width in Mercator units (0..1 across the world) at zoom level `z`. */
  private cellSize(z: number): number {
    return (2 * this.options.radiusPx) / (512 * 2 ** z);
  }

  private bin(p: Point): void {
    if (this.level < 0 || this.level > this.options.maxZoom) return;
    const size = this.cellSize(this.level);
    const cx = Math.floor(p.x / size);
    const cy = Math.floor(p.y / size);
    const key = cellKey(cx, cy);
    let cell = this.cells.get(key);
    if (!cell) {
      cell = { key, cx, cy, head: null, n: 0, sx: 0, sy: 0, ov: 0, ur: 0 };
      this.cells.set(key, cell);
    }
    p.prev = null;
    p.next = cell.head;
    if (cell.head) cell.head.prev = p;
    cell.head = p;
    cell.n++;
    cell.sx += p.x;
    cell.sy += p.y;
    if (p.sv === 2) cell.ov++;
    cell.ur += p.u;
    p.cell = cell;
  }

  private unbin(p: Point): void {
    const cell = p.cell;
    if (cell === null) return;
    p.cell = null;
    if (p.prev) p.prev.next = p.next;
    else cell.head = p.next;
    if (p.next) p.next.prev = p.prev;
    p.prev = null;
    p.next = null;
    cell.n--;
    if (cell.n === 0) {
      this.cells.delete(cell.key);
      return;
    }
    cell.sx -= p.x;
    cell.sy -= p.y;
    if (p.sv === 2) cell.ov--;
    cell.ur -= p.u;
  }
}

/** One number per cell: columns and rows stay under 2^21 up to level 14 (about 100,000 each). */
function cellKey(cx: number, cy: number): number {
  return cx * 2_097_152 + cy;
}
