import type { ConsoleDisplay, UiLanguage, WallStatus, WallWarning, WallWindowOptions } from '../../protocol/ipc';
import type { Page } from '../../protocol/routes';

/**
 * The window planner: from the displays the OS reports and the chosen layout to the windows to open.
 * Pure: no Electron here, so every arrangement (3×2 walls, spanning blocks, mixed DPI, rotated panels,
 * hot-plug) is unit-tested. `electron/main/windows.ts` applies a plan; `diffPlans` says what changed.
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

/**
 * One screen of a wall layout: its place on the wall's grid of displays (column and row from the
 * top-left, 0-based) and how many displays it covers. A screen covering more than one display is
 * shown by one window spanning that rectangular block (what video-wall controllers present).
 */
export interface WallScreen {
  /** The `display=N` of `/wall?display=N&layout=NAME`. */
  index: number;
  col: number;
  row: number;
  /** Columns and rows covered; 1 × 1 unless the screen spans a block. */
  cols: number;
  rows: number;
}

/** What the planner needs of a layout; see `layout-input.ts` for reading it from a layout file. */
export interface WallPlanInput {
  layout: string;
  screens: WallScreen[];
}

export interface PlanOptions {
  serverUrl: string;
  language: UiLanguage;
  consoleDisplay: ConsoleDisplay;
  wall: WallWindowOptions;
}

/** Where each display sat on the physical grid, so a display that goes away keeps its neighbours in place. */
export interface PlanMemory {
  cells: Array<{ displayId: number; col: number; row: number; bounds: Rect }>;
  /** Where the wall started on that grid, for a wall of this size: it stays there while displays come and go. */
  origin?: { col: number; row: number; cols: number; rows: number };
}

export interface PlannedWindow {
  /** Stable across re-plans: `wall:N` or `console`. */
  key: string;
  role: 'wall' | 'console';
  screen: number | null;
  url: string;
  bounds: Rect;
  displayIds: number[];
  /** The scale factor the window renders at (the lowest of its displays for a span). */
  scaleFactor: number;
  orientation: 'landscape' | 'portrait';
  /** Kiosk (fullscreen on one display); spanning windows are placed by bounds instead. */
  kiosk: boolean;
  frameless: boolean;
  alwaysOnTop: boolean;
  /** Hide the cursor after this many idle seconds (0: never). */
  hideCursorAfterSeconds: number;
}

export interface WallPlan {
  layout: string;
  windows: PlannedWindow[];
  status: WallStatus;
  memory: PlanMemory;
}

interface Cell {
  col: number;
  row: number;
}

const cellKey = (col: number, row: number): string => `${col},${row}`;

const sameRect = (a: Rect, b: Rect): boolean =>
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

/** Uses remembered cells when every display now present was seen before at the same place. */
const gridFromMemory = (displays: readonly DisplayInfo[], memory: PlanMemory | undefined): Map<number, Cell> | null => {
  if (!memory || displays.length === 0) return null;
  const grid = new Map<number, Cell>();
  for (const d of displays) {
    const known = memory.cells.find((c) => c.displayId === d.id);
    if (!known || !sameRect(known.bounds, d.bounds)) return null;
    grid.set(d.id, { col: known.col, row: known.row });
  }
  return grid;
};

/** The wall's extent in grid cells. */
export const wallSize = (input: WallPlanInput): { cols: number; rows: number } => ({
  cols: Math.max(1, ...input.screens.map((s) => s.col + s.cols)),
  rows: Math.max(1, ...input.screens.map((s) => s.row + s.rows)),
});

/** The block of the physical grid the wall uses: the most displays covered, then the top-left one. */
const chooseOrigin = (occupied: Set<string>, cells: Cell[], size: { cols: number; rows: number }): Cell => {
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

/**
 * The URL of a page under the server's base URL, keeping a path prefix (a reverse proxy):
 * `pageUrl('http://h/gw', 'wall')` is `http://h/gw/wall`.
 */
const pageUrl = (serverUrl: string, page: Page, params: Record<string, string>): string => {
  const base = new URL(serverUrl);
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  base.search = '';
  base.hash = '';
  const url = new URL(page, base);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
};

export const wallUrl = (serverUrl: string, screen: number, layout: string, language: UiLanguage): string =>
  pageUrl(serverUrl, 'wall', { display: String(screen), layout, lang: language });

export const consoleUrl = (serverUrl: string, language: UiLanguage): string =>
  pageUrl(serverUrl, 'console', { lang: language });

/** The presenter's page (a laptop or tablet beside the wall, not a wall window). */
export const presenterUrl = (serverUrl: string, language: UiLanguage): string =>
  pageUrl(serverUrl, 'presenter', { lang: language });

export const previewUrl = (serverUrl: string, layout: string, language: UiLanguage): string =>
  pageUrl(serverUrl, 'preview', { layout, lang: language });

const orientationOf = (r: Rect): 'landscape' | 'portrait' => (r.height > r.width ? 'portrait' : 'landscape');

/** Displays in the order a person reads the wall (top row first, left to right); the primary first on ties. */
const byPosition = (a: DisplayInfo, b: DisplayInfo): number =>
  a.bounds.y - b.bounds.y || a.bounds.x - b.bounds.x || Number(b.primary) - Number(a.primary) || a.id - b.id;

export const planWindows = (
  displays: readonly DisplayInfo[],
  input: WallPlanInput,
  options: PlanOptions,
  memory?: PlanMemory,
): WallPlan => {
  const warnings: WallWarning[] = [];
  const byId = new Map(displays.map((d) => [d.id, d]));

  let consoleChoice: ConsoleDisplay = options.consoleDisplay;
  if (typeof consoleChoice === 'number' && !byId.has(consoleChoice)) {
    warnings.push({
      code: 'console-display-missing',
      screen: null,
      detail: `console display ${consoleChoice} is not connected; using another`,
    });
    consoleChoice = 'auto';
  }
  const reservedConsole = typeof consoleChoice === 'number' ? byId.get(consoleChoice) : undefined;
  const candidates = displays.filter((d) => d.id !== reservedConsole?.id);

  const remembered = gridFromMemory(candidates, memory);
  const grid = remembered ?? inferGrid(candidates);
  const displayAt = new Map<string, DisplayInfo>();
  for (const d of [...candidates].sort(byPosition)) {
    const cell = grid.get(d.id)!;
    // Two displays in one cell (mirrored or overlapping): the first in reading order wins.
    if (!displayAt.has(cellKey(cell.col, cell.row))) displayAt.set(cellKey(cell.col, cell.row), d);
  }
  const size = wallSize(input);
  // With remembered cells the wall stays where it was: a display going away does not move it.
  const kept = memory?.origin;
  const origin =
    remembered && kept && kept.cols === size.cols && kept.rows === size.rows
      ? { col: kept.col, row: kept.row }
      : chooseOrigin(new Set(displayAt.keys()), [...grid.values()], size);

  const windows: PlannedWindow[] = [];
  const missingScreens: number[] = [];
  const used = new Set<number>();
  for (const screen of [...input.screens].sort((a, b) => a.index - b.index)) {
    const present: DisplayInfo[] = [];
    for (let r = 0; r < screen.rows; r++) {
      for (let c = 0; c < screen.cols; c++) {
        const d = displayAt.get(cellKey(origin.col + screen.col + c, origin.row + screen.row + r));
        if (d && !used.has(d.id)) present.push(d);
      }
    }
    if (present.length === 0) {
      missingScreens.push(screen.index);
      warnings.push({
        code: 'display-missing',
        screen: screen.index,
        detail: `no display at column ${screen.col + 1}, row ${screen.row + 1} of the wall`,
      });
      continue;
    }
    for (const d of present) used.add(d.id);
    const spanning = screen.cols * screen.rows > 1;
    if (spanning && present.length < screen.cols * screen.rows) {
      warnings.push({
        code: 'span-incomplete',
        screen: screen.index,
        detail: `${present.length} of ${screen.cols * screen.rows} displays of the block are connected`,
      });
    }
    const scales = new Set(present.map((d) => d.scaleFactor));
    if (scales.size > 1) {
      warnings.push({
        code: 'span-mixed-scale',
        screen: screen.index,
        detail: `the block mixes scale factors ${[...scales].sort().join(', ')}; it renders at the lowest`,
      });
    }
    const bounds = present.length === 1 ? present[0]!.bounds : unionRect(present.map((d) => d.bounds));
    windows.push({
      key: `wall:${screen.index}`,
      role: 'wall',
      screen: screen.index,
      url: wallUrl(options.serverUrl, screen.index, input.layout, options.language),
      bounds,
      displayIds: present.map((d) => d.id),
      scaleFactor: Math.min(...scales),
      orientation: orientationOf(bounds),
      // Kiosk is fullscreen on one display; a window spanning several is placed by its bounds.
      kiosk: options.wall.kiosk && present.length === 1,
      frameless: true,
      alwaysOnTop: options.wall.alwaysOnTop,
      hideCursorAfterSeconds: options.wall.hideCursorAfterSeconds,
    });
  }

  const unused = candidates.filter((d) => !used.has(d.id)).sort(byPosition);
  let consoleHost: DisplayInfo | undefined;
  if (consoleChoice !== 'off') {
    consoleHost = reservedConsole ?? unused.find((d) => d.primary) ?? unused[0];
    if (!consoleHost) {
      // No display to spare (a one-monitor machine): the console shares the primary display, and the
      // wall window there steps back so the console can be used.
      consoleHost = displays.find((d) => d.primary) ?? [...displays].sort(byPosition)[0];
      for (const w of windows) {
        if (consoleHost && w.displayIds.includes(consoleHost.id)) {
          w.kiosk = false;
          w.alwaysOnTop = false;
        }
      }
    }
  }
  const extras = unused.filter((d) => d.id !== consoleHost?.id);
  if (extras.length > 0) {
    warnings.push({
      code: 'extra-displays',
      screen: null,
      detail: `displays ${extras.map((d) => d.id).join(', ')} are not part of layout ${input.layout}`,
    });
  }
  if (consoleHost) {
    const area = consoleHost.workArea ?? consoleHost.bounds;
    windows.push({
      key: 'console',
      role: 'console',
      screen: null,
      url: consoleUrl(options.serverUrl, options.language),
      bounds: area,
      displayIds: [consoleHost.id],
      scaleFactor: consoleHost.scaleFactor,
      orientation: orientationOf(area),
      kiosk: false,
      frameless: false,
      alwaysOnTop: false,
      hideCursorAfterSeconds: 0,
    });
  }

  const previousCells = new Map((memory?.cells ?? []).map((c) => [c.displayId, c]));
  const taken = new Set<string>();
  const cells: PlanMemory['cells'] = [];
  for (const d of candidates) {
    const cell = grid.get(d.id)!;
    taken.add(cellKey(cell.col, cell.row));
    cells.push({ displayId: d.id, col: cell.col, row: cell.row, bounds: d.bounds });
    previousCells.delete(d.id);
  }
  // Absent displays stay remembered, unless another display now sits in their cell; after a fresh
  // inference the old cells are in another frame of reference and are dropped.
  if (remembered) for (const c of previousCells.values()) if (!taken.has(cellKey(c.col, c.row))) cells.push(c);

  return {
    layout: input.layout,
    windows,
    status: { layout: input.layout, missingScreens, warnings },
    memory: { cells, origin: { ...origin, ...size } },
  };
};

export interface PlanDiff {
  open: PlannedWindow[];
  close: string[];
  /** Same window, new bounds, URL or flags that can change in place. */
  update: Array<{ key: string; before: PlannedWindow; after: PlannedWindow }>;
}

/** Frame and role are fixed when a window is made; changing them means a new window. */
const needsNewWindow = (a: PlannedWindow, b: PlannedWindow): boolean =>
  a.frameless !== b.frameless || a.role !== b.role;

const samePlacement = (a: PlannedWindow, b: PlannedWindow): boolean =>
  sameRect(a.bounds, b.bounds) &&
  a.url === b.url &&
  a.kiosk === b.kiosk &&
  a.alwaysOnTop === b.alwaysOnTop &&
  a.hideCursorAfterSeconds === b.hideCursorAfterSeconds;

/** What to do to go from the windows of one plan to those of the next, without restarting. */
export const diffPlans = (before: readonly PlannedWindow[], after: readonly PlannedWindow[]): PlanDiff => {
  const old = new Map(before.map((w) => [w.key, w]));
  const diff: PlanDiff = { open: [], close: [], update: [] };
  for (const w of after) {
    const prev = old.get(w.key);
    old.delete(w.key);
    if (!prev) diff.open.push(w);
    else if (needsNewWindow(prev, w)) {
      diff.close.push(w.key);
      diff.open.push(w);
    } else if (!samePlacement(prev, w)) diff.update.push({ key: w.key, before: prev, after: w });
  }
  diff.close.push(...old.keys());
  return diff;
};
