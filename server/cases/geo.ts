import Flatbush from 'flatbush';
import type { Area } from '../../protocol';

export type Ring = ReadonlyArray<readonly [number, number]>;

/** Ray casting on one ring (lng/lat treated as a plane: fine at the scale of a grid). */
export function pointInRing(x: number, y: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as readonly [number, number];
    const [xj, yj] = ring[j] as readonly [number, number];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Which grid holds a point: an R-tree of the grids' boxes, then the polygon test on the few candidates. */
export class GridIndex {
  private readonly grids: Area[];
  private readonly tree: Flatbush | null;

  constructor(areas: readonly Area[]) {
    this.grids = areas.filter((a) => a.level === 'grid' && a.polygon[0]);
    if (this.grids.length === 0) {
      this.tree = null;
      return;
    }
    const tree = new Flatbush(this.grids.length);
    for (const g of this.grids) {
      let minX = Number.POSITIVE_INFINITY;
      let minY = Number.POSITIVE_INFINITY;
      let maxX = Number.NEGATIVE_INFINITY;
      let maxY = Number.NEGATIVE_INFINITY;
      for (const [x, y] of g.polygon[0] ?? []) {
        minX = Math.min(minX, x);
        minY = Math.min(minY, y);
        maxX = Math.max(maxX, x);
        maxY = Math.max(maxY, y);
      }
      tree.add(minX, minY, maxX, maxY);
    }
    tree.finish();
    this.tree = tree;
  }

  /** The grid whose polygon holds the point, or null outside every grid. */
  gridAt(lng: number, lat: number): string | null {
    if (!this.tree) return null;
    for (const i of this.tree.search(lng, lat, lng, lat)) {
      const g = this.grids[i];
      if (g?.polygon[0] && pointInRing(lng, lat, g.polygon[0])) return g.id;
    }
    return null;
  }

  /** The grid whose box is nearest to the point (for a report just outside the district's edge). */
  nearestGrid(lng: number, lat: number): string | null {
    const [i] = this.tree?.neighbors(lng, lat, 1) ?? [];
    return i === undefined ? null : (this.grids[i]?.id ?? null);
  }
}
