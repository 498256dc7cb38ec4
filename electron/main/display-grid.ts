/**
 * Displays and the physical grid they form: the geometry the window planner (`planner.ts`) matches a
 * layout's screens against. Where each display sits (column and row, inferred from where the OS
 * placed them, gaps of unplugged displays kept), where on that grid the wall starts, the order a
 * person reads the displays in. Pure, like the planner.
 */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type Rotation = 0 | 90 | 180 | 270;

/** A display as `screen.getAllDisplays()` reports it: bounds in DIP, already rotated by the OS. */
export interface DisplayInfo {
  id: number;
  label: string;
  bounds: Rect;
  /** The area without task bars; the console window fills it. Defaults to `bounds`. */
  workArea?: Rect;
  scaleFactor: number;
  rotation: Rotation;
  primary: boolean;
}

export interface Cell {
  col: number;
  row: number;
}

export const cellKey = (col: number, row: number): string => `${col},${row}`;

export const sameRect = (a: Rect, b: Rect): boolean =>
  a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;

export const unionRect = (rects: readonly Rect[]): Rect => {
  const left = Math.min(...rects.map((r) => r.x));
  const top = Math.min(...rects.map((r) => r.y));
  const right = Math.max(...rects.map((r) => r.x + r.width));
  const bottom = Math.max(...rects.map((r) => r.y + r.height));
  return { x: left, y: top, width: right - left, height: bottom - top };
};

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

interface Interval {
  id: number;
  start: number;
  size: number;
}

/**
 * Groups displays into columns (or rows) along one axis: two displays share a column when their
 * intervals overlap by more than half of the smaller one. A cluster is compared by the intersection of
 * its members, so a tall rotated panel does not pull the next row into its own. A gap of about one
 * display between clusters is a column with no display now (unplugged) and keeps its index.
 */
export const clusterAxis = (items: readonly Interval[]): Map<number, number> => {
  const clusters: Array<{ core: [number, number]; ends: number[]; starts: number[]; ids: number[] }> = [];
  for (const item of [...items].sort((a, b) => a.start - b.start || a.id - b.id)) {
    const end = item.start + item.size;
    let best: (typeof clusters)[number] | undefined;
    let bestOverlap = 0;
    for (const cluster of clusters) {
      const [cs, ce] = cluster.core;
      const overlap = Math.min(ce, end) - Math.max(cs, item.start);
      if (overlap > 0.5 * Math.min(ce - cs, item.size) && overlap > bestOverlap) {
        best = cluster;
        bestOverlap = overlap;
      }
    }
    if (best) {
      best.core = [Math.max(best.core[0], item.start), Math.min(best.core[1], end)];
      best.ids.push(item.id);
      best.starts.push(item.start);
      best.ends.push(end);
    } else {
      clusters.push({ core: [item.start, end], ends: [end], starts: [item.start], ids: [item.id] });
    }
  }
  clusters.sort((a, b) => a.core[0] - b.core[0]);
  const typical = median(items.map((i) => i.size));
  const index = new Map<number, number>();
  let position = 0;
  clusters.forEach((cluster, i) => {
    if (i > 0) {
      const previous = clusters[i - 1]!;
      const gap = Math.min(...cluster.starts) - Math.max(...previous.ends);
      position += 1 + Math.max(0, Math.round(gap / typical));
    }
    for (const id of cluster.ids) index.set(id, position);
  });
  return index;
};

/** Physical grid cell of each display, inferred from where the OS places them. */
export const inferGrid = (displays: readonly DisplayInfo[]): Map<number, Cell> => {
  const cols = clusterAxis(displays.map((d) => ({ id: d.id, start: d.bounds.x, size: d.bounds.width })));
  const rows = clusterAxis(displays.map((d) => ({ id: d.id, start: d.bounds.y, size: d.bounds.height })));
  const grid = new Map<number, Cell>();
  for (const d of displays) grid.set(d.id, { col: cols.get(d.id)!, row: rows.get(d.id)! });
  return grid;
};

/** The block of the physical grid the wall uses: the most displays covered, then the top-left one. */
export const chooseOrigin = (occupied: Set<string>, cells: Cell[], size: { cols: number; rows: number }): Cell => {
  if (cells.length === 0) return { col: 0, row: 0 };
  const minCol = Math.min(...cells.map((c) => c.col));
  const maxCol = Math.max(...cells.map((c) => c.col));
  const minRow = Math.min(...cells.map((c) => c.row));
  const maxRow = Math.max(...cells.map((c) => c.row));
  let best: Cell = { col: minCol, row: minRow };
  let bestCount = -1;
  let bestShift = Number.POSITIVE_INFINITY;
  // Origins range so the block may hang past the grid: a 3×2 wall with a whole column missing still fits.
  // On equal counts the block starting nearest the top-left display wins: missing displays are assumed
  // at the far end rather than before the first one.
  for (let row = minRow - size.rows + 1; row <= maxRow; row++) {
    for (let col = minCol - size.cols + 1; col <= maxCol; col++) {
      let count = 0;
      for (let r = 0; r < size.rows; r++) {
        for (let c = 0; c < size.cols; c++) if (occupied.has(cellKey(col + c, row + r))) count++;
      }
      const shift = Math.abs(row - minRow) + Math.abs(col - minCol);
      if (count > bestCount || (count === bestCount && shift < bestShift)) {
        best = { col, row };
        bestCount = count;
        bestShift = shift;
      }
    }
  }
  return best;
};

export const orientationOf = (r: Rect): 'landscape' | 'portrait' => (r.height > r.width ? 'portrait' : 'landscape');

/** Displays in the order a person reads the wall (top row first, left to right); the primary first on ties. */
export const byPosition = (a: DisplayInfo, b: DisplayInfo): number =>
  a.bounds.y - b.bounds.y || a.bounds.x - b.bounds.x || Number(b.primary) - Number(a.primary) || a.id - b.id;
