import type { ConsoleDisplay, UiLanguage, WallStatus, WallWarning, WallWindowOptions } from '../../protocol/ipc';
import {
  byPosition,
  type Cell,
  cellKey,
  chooseOrigin,
  type DisplayInfo,
  inferGrid,
  orientationOf,
  type Rect,
  sameRect,
  unionRect,
} from './display-grid';
import { consoleUrl, wallUrl } from './page-urls';

/**
 * The window planner: from the displays the OS reports and the chosen layout to the windows to open.
 * Pure: no Electron here, so every arrangement (3×2 walls, spanning blocks, mixed DPI, rotated panels,
 * hot-plug) is unit-tested. The displays' grid is `display-grid.ts`, the pages' URLs `page-urls.ts`;
 * `electron/main/windows.ts` applies a plan; `diffPlans` (`plan-diff.ts`) says what changed.
 */

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
