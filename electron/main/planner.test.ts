import { describe, expect, it } from 'vitest';
import type { DisplayInfo } from './display-grid';
import { diffPlans } from './plan-diff';
import { type PlanOptions, planWindows, type WallPlanInput, type WallScreen } from './planner';

const options: PlanOptions = {
  serverUrl: 'http://10.0.0.5:8080',
  language: 'zh-CN',
  consoleDisplay: 'off',
  wall: { kiosk: true, alwaysOnTop: true, hideCursorAfterSeconds: 5 },
};

const display = (id: number, x: number, y: number, extra: Partial<DisplayInfo> = {}): DisplayInfo => ({
  id,
  label: `D${id}`,
  bounds: { x, y, width: 1920, height: 1080 },
  scaleFactor: 1,
  rotation: 0,
  primary: id === 1,
  ...extra,
});

/** A cols × rows wall of 1080p panels, ids 1.. in reading order, starting at (x0, y0). */
const wallOfDisplays = (cols: number, rows: number, x0 = 0, y0 = 0, firstId = 1): DisplayInfo[] => {
  const out: DisplayInfo[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out.push(display(firstId + r * cols + c, x0 + c * 1920, y0 + r * 1080));
  }
  return out;
};

const gridLayout = (name: string, cols: number, rows: number): WallPlanInput => {
  const screens: WallScreen[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) screens.push({ index: r * cols + c, col: c, row: r, cols: 1, rows: 1 });
  }
  return { layout: name, screens };
};

const walls = (plan: ReturnType<typeof planWindows>) => plan.windows.filter((w) => w.role === 'wall');

describe('planWindows', () => {
  it('opens one kiosk wall window on a single monitor', () => {
    const plan = planWindows([display(1, 0, 0)], gridLayout('single', 1, 1), options);
    expect(plan.windows).toHaveLength(1);
    const [w] = plan.windows;
    expect(w).toMatchObject({
      key: 'wall:0',
      role: 'wall',
      screen: 0,
      bounds: { x: 0, y: 0, width: 1920, height: 1080 },
      displayIds: [1],
      kiosk: true,
      frameless: true,
      alwaysOnTop: true,
      orientation: 'landscape',
    });
    expect(w!.url).toBe('http://10.0.0.5:8080/wall?display=0&layout=single&lang=zh-CN');
    expect(plan.status.missingScreens).toEqual([]);
    expect(plan.status.warnings).toEqual([]);
  });

  it('puts screen N of a 3×2 layout on the display at its column and row', () => {
    // The OS lists displays in no particular order.
    const displays = wallOfDisplays(3, 2).reverse();
    const plan = planWindows(displays, gridLayout('wall-3x2', 3, 2), options);
    expect(walls(plan).map((w) => [w.screen, w.displayIds[0]])).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 4],
      [4, 5],
      [5, 6],
    ]);
    expect(walls(plan)[4]!.bounds).toEqual({ x: 1920, y: 1080, width: 1920, height: 1080 });
    expect(plan.status.missingScreens).toEqual([]);
  });

  it('finds the wall wherever the OS placed it, with negative coordinates', () => {
    const plan = planWindows(wallOfDisplays(3, 2, -3840, -1080), gridLayout('wall-3x2', 3, 2), options);
    expect(walls(plan)[0]!.bounds).toMatchObject({ x: -3840, y: -1080 });
    expect(walls(plan)[5]!.bounds).toMatchObject({ x: 0, y: 0 });
  });

  it('opens one window spanning a rectangular block of displays', () => {
    // A 4×3 wall: a 2×2 map in the middle of the top two rows, single screens around it.
    const screens: WallScreen[] = [
      { index: 0, col: 0, row: 0, cols: 1, rows: 1 },
      { index: 1, col: 1, row: 0, cols: 2, rows: 2 },
      { index: 2, col: 3, row: 0, cols: 1, rows: 1 },
      { index: 3, col: 0, row: 1, cols: 1, rows: 1 },
      { index: 4, col: 3, row: 1, cols: 1, rows: 1 },
      { index: 5, col: 0, row: 2, cols: 4, rows: 1 },
    ];
    const plan = planWindows(wallOfDisplays(4, 3), { layout: 'wall-4x3', screens }, options);
    expect(walls(plan)).toHaveLength(6);
    const map = walls(plan).find((w) => w.screen === 1)!;
    expect(map.bounds).toEqual({ x: 1920, y: 0, width: 3840, height: 2160 });
    expect(map.displayIds.sort()).toEqual([2, 3, 6, 7]);
    // A spanning window is placed by bounds: kiosk would snap it to one display.
    expect(map.kiosk).toBe(false);
    expect(map.alwaysOnTop).toBe(true);
    const ticker = walls(plan).find((w) => w.screen === 5)!;
    expect(ticker.bounds).toEqual({ x: 0, y: 2160, width: 7680, height: 1080 });
    expect(plan.status.warnings).toEqual([]);
  });

  it('treats one large display from a video-wall controller as the whole wall', () => {
    const controller = display(9, 0, 0, { bounds: { x: 0, y: 0, width: 7680, height: 2160 } });
    const plan = planWindows([controller], gridLayout('single', 1, 1), options);
    expect(plan.windows[0]!.bounds).toEqual({ x: 0, y: 0, width: 7680, height: 2160 });
  });

  it('plans mixed-DPI displays in DIP and keeps each window at its display scale', () => {
    // A 4K panel at 200 % (1920×1080 DIP) beside a 1080p panel at 100 %, and a 1440p workstation
    // monitor at 150 % below them for the console.
    const displays: DisplayInfo[] = [
      display(1, 0, 0, { scaleFactor: 2, primary: false }),
      display(2, 1920, 0, { scaleFactor: 1, primary: false }),
      display(3, 0, 1080, {
        bounds: { x: 0, y: 1080, width: 1706, height: 960 },
        workArea: { x: 0, y: 1080, width: 1706, height: 920 },
        scaleFactor: 1.5,
        primary: true,
      }),
    ];
    const plan = planWindows(displays, gridLayout('wall-2x1', 2, 1), { ...options, consoleDisplay: 'auto' });
    expect(walls(plan).map((w) => [w.screen, w.displayIds[0], w.scaleFactor])).toEqual([
      [0, 1, 2],
      [1, 2, 1],
    ]);
    const consoleWindow = plan.windows.find((w) => w.role === 'console')!;
    expect(consoleWindow).toMatchObject({
      displayIds: [3],
      scaleFactor: 1.5,
      bounds: { x: 0, y: 1080, width: 1706, height: 920 },
      kiosk: false,
      frameless: false,
    });
    expect(consoleWindow.url).toBe('http://10.0.0.5:8080/console?lang=zh-CN');
  });

  it('still spans a block of mixed scale factors, rendering at the lowest, and says so', () => {
    const displays = [display(1, 0, 0, { scaleFactor: 1 }), display(2, 1920, 0, { scaleFactor: 1.25 })];
    const plan = planWindows(
      displays,
      { layout: 'span', screens: [{ index: 0, col: 0, row: 0, cols: 2, rows: 1 }] },
      options,
    );
    expect(plan.windows[0]).toMatchObject({ bounds: { x: 0, y: 0, width: 3840, height: 1080 }, scaleFactor: 1 });
    expect(plan.status.warnings.map((w) => w.code)).toEqual(['span-mixed-scale']);
  });

  it('plans rotated portrait panels as portrait windows in the right columns', () => {
    // Three panels rotated 90°: the OS reports them 1080 wide and 1920 tall.
    const displays = [0, 1, 2].map((i) =>
      display(i + 1, i * 1080, 0, { rotation: 90, bounds: { x: i * 1080, y: 0, width: 1080, height: 1920 } }),
    );
    const plan = planWindows(displays, gridLayout('portrait-3', 3, 1), options);
    expect(walls(plan).map((w) => [w.screen, w.displayIds[0], w.orientation])).toEqual([
      [0, 1, 'portrait'],
      [1, 2, 'portrait'],
      [2, 3, 'portrait'],
    ]);
  });

  it('keeps a tall rotated panel in one row beside landscape ones', () => {
    // Row 0: landscape, portrait (taller), landscape; row 1: three landscape panels below.
    const displays = [
      display(1, 0, 0),
      display(2, 1920, 0, { rotation: 90, bounds: { x: 1920, y: 0, width: 1080, height: 1920 } }),
      display(3, 3000, 0),
      display(4, 0, 1080),
      display(5, 3000, 1080),
    ];
    const plan = planWindows(displays, gridLayout('mixed', 3, 2), options);
    expect(walls(plan).map((w) => [w.screen, w.displayIds[0]])).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 4],
      [5, 5],
    ]);
    // Screen 4 sits under the portrait panel, where no display is: reported, not dropped.
    expect(plan.status.missingScreens).toEqual([4]);
  });

  it('reports a display unplugged on the others and restores it when plugged back', () => {
    const layout = gridLayout('wall-3x2', 3, 2);
    const full = planWindows(wallOfDisplays(3, 2), layout, options);
    expect(full.status.missingScreens).toEqual([]);

    // The top-left panel goes: the OS keeps the others where they were.
    const unplugged = wallOfDisplays(3, 2).filter((d) => d.id !== 1);
    const degraded = planWindows(unplugged, layout, options, full.memory);
    expect(degraded.status.missingScreens).toEqual([0]);
    expect(degraded.status.warnings).toEqual([expect.objectContaining({ code: 'display-missing', screen: 0 })]);
    expect(walls(degraded).map((w) => w.screen)).toEqual([1, 2, 3, 4, 5]);
    // The other windows stay where they are: nothing to open or move, only screen 0 to close.
    expect(diffPlans(full.windows, degraded.windows)).toEqual({ open: [], close: ['wall:0'], update: [] });

    const replugged = planWindows(wallOfDisplays(3, 2), layout, options, degraded.memory);
    expect(replugged.status.missingScreens).toEqual([]);
    expect(replugged.windows).toEqual(full.windows);
    const diff = diffPlans(degraded.windows, replugged.windows);
    expect(diff.open.map((w) => w.key)).toEqual(['wall:0']);
    expect(diff.close).toEqual([]);
  });

  it('keeps the wall in place when a whole column is unplugged (remembered cells)', () => {
    const layout = gridLayout('wall-3x2', 3, 2);
    const full = planWindows(wallOfDisplays(3, 2), layout, options);
    // Both panels of the left column go; without memory the middle column would look like the first.
    const remaining = wallOfDisplays(3, 2).filter((d) => d.id !== 1 && d.id !== 4);
    const degraded = planWindows(remaining, layout, options, full.memory);
    expect(degraded.status.missingScreens).toEqual([0, 3]);
    expect(walls(degraded).map((w) => [w.screen, w.displayIds[0]])).toEqual([
      [1, 2],
      [2, 3],
      [4, 5],
      [5, 6],
    ]);
  });

  it('does not move a one-screen wall onto the workstation when its monitor goes', () => {
    const displays = [display(1, 0, 0, { primary: false }), display(2, 0, 1080, { primary: true })];
    const auto = { ...options, consoleDisplay: 'auto' as const };
    const full = planWindows(displays, gridLayout('single', 1, 1), auto);
    expect(walls(full)[0]!.displayIds).toEqual([1]);
    const degraded = planWindows([displays[1]!], gridLayout('single', 1, 1), auto, full.memory);
    expect(walls(degraded)).toEqual([]);
    expect(degraded.status.missingScreens).toEqual([0]);
    expect(degraded.windows.map((w) => [w.key, w.displayIds[0]])).toEqual([['console', 2]]);
  });

  it('sees a column missing in the middle from the gap it leaves, even without memory', () => {
    const remaining = wallOfDisplays(3, 1).filter((d) => d.id !== 2);
    const plan = planWindows(remaining, gridLayout('wall-3x1', 3, 1), options);
    expect(plan.status.missingScreens).toEqual([1]);
    expect(walls(plan).map((w) => [w.screen, w.displayIds[0]])).toEqual([
      [0, 1],
      [2, 3],
    ]);
  });

  it('reports every screen missing but the ones it has when the wall has fewer displays than the layout', () => {
    const plan = planWindows([display(1, 0, 0)], gridLayout('wall-3x2', 3, 2), options);
    expect(walls(plan).map((w) => w.screen)).toEqual([0]);
    expect(plan.status.missingScreens).toEqual([1, 2, 3, 4, 5]);
  });

  it('opens a spanning window over what is left of an incomplete block, with a warning', () => {
    const displays = wallOfDisplays(2, 2).filter((d) => d.id !== 4);
    const plan = planWindows(
      displays,
      { layout: 'span', screens: [{ index: 0, col: 0, row: 0, cols: 2, rows: 2 }] },
      options,
    );
    expect(plan.windows[0]!.bounds).toEqual({ x: 0, y: 0, width: 3840, height: 2160 });
    expect(plan.status.missingScreens).toEqual([]);
    expect(plan.status.warnings.map((w) => w.code)).toEqual(['span-incomplete']);
  });

  it('reserves the configured console display and builds the wall from the others', () => {
    // Workstation monitor (id 10) to the left of a 2×1 wall.
    const displays = [display(10, -1920, 0, { primary: true }), ...wallOfDisplays(2, 1)].map((d) => ({
      ...d,
      primary: d.id === 10,
    }));
    const plan = planWindows(displays, gridLayout('wall-2x1', 2, 1), { ...options, consoleDisplay: 10 });
    expect(walls(plan).map((w) => w.displayIds[0])).toEqual([1, 2]);
    expect(plan.windows.find((w) => w.role === 'console')!.displayIds).toEqual([10]);
  });

  it('falls back to a spare display when the configured console display is gone', () => {
    const displays = [...wallOfDisplays(2, 1), display(7, 0, 1080)];
    const plan = planWindows(displays, gridLayout('wall-2x1', 2, 1), { ...options, consoleDisplay: 42 });
    expect(plan.windows.find((w) => w.role === 'console')!.displayIds).toEqual([7]);
    expect(plan.status.warnings.map((w) => w.code)).toEqual(['console-display-missing']);
  });

  it('shares a one-monitor machine between wall and console, the wall stepping back', () => {
    const plan = planWindows([display(1, 0, 0)], gridLayout('single', 1, 1), { ...options, consoleDisplay: 'auto' });
    expect(plan.windows.map((w) => w.key)).toEqual(['wall:0', 'console']);
    expect(plan.windows[0]).toMatchObject({ kiosk: false, alwaysOnTop: false });
  });

  it('opens no console when it is off, and names displays the layout does not use', () => {
    const plan = planWindows(wallOfDisplays(3, 1), gridLayout('wall-2x1', 2, 1), options);
    expect(plan.windows.map((w) => w.key)).toEqual(['wall:0', 'wall:1']);
    expect(plan.status.warnings).toEqual([expect.objectContaining({ code: 'extra-displays' })]);
  });
});

describe('diffPlans', () => {
  it('moves a window in place when only its bounds change, and remakes it when its frame changes', () => {
    const a = planWindows(wallOfDisplays(2, 1), gridLayout('wall-2x1', 2, 1), options);
    const moved = wallOfDisplays(2, 1, 100, 0);
    const b = planWindows(moved, gridLayout('wall-2x1', 2, 1), options);
    const diff = diffPlans(a.windows, b.windows);
    expect(diff.update.map((u) => u.key)).toEqual(['wall:0', 'wall:1']);
    expect(diff.open).toEqual([]);
    const framed = b.windows.map((w) => ({ ...w, frameless: false }));
    expect(diffPlans(b.windows, framed)).toMatchObject({ close: ['wall:0', 'wall:1'] });
  });
});
