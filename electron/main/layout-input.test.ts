import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWallPlanInput, wallPlanInputFromLayout, wallPlanInputFromName } from './layout-input';

const display = (index: number, extra: object = {}) => ({
  index,
  columns: 3,
  rows: 2,
  presets: [{ id: 'main', regions: [{ col: 0, row: 0, scene: 'map' }] }],
  ...extra,
});

describe('wallPlanInputFromLayout', () => {
  it('places displays by the CxR of the layout name', () => {
    const read = wallPlanInputFromLayout('wall-3x2', {
      name: 'wall-3x2',
      displays: [0, 1, 2, 3, 4, 5].map((i) => display(i)),
    });
    expect(read.ok && read.input.screens.map((s) => [s.index, s.col, s.row])).toEqual([
      [0, 0, 0],
      [1, 1, 0],
      [2, 2, 0],
      [3, 0, 1],
      [4, 1, 1],
      [5, 2, 1],
    ]);
  });

  it('uses an explicit wall placement with spans when the layout gives one', () => {
    const read = wallPlanInputFromLayout('control-room', {
      displays: [
        display(0, { wall: { col: 0, row: 0, colSpan: 2, rowSpan: 2 } }),
        display(1, { wall: { col: 2, row: 0 } }),
      ],
    });
    expect(read).toEqual({
      ok: true,
      input: {
        layout: 'control-room',
        screens: [
          { index: 0, col: 0, row: 0, cols: 2, rows: 2 },
          { index: 1, col: 2, row: 0, cols: 1, rows: 1 },
        ],
      },
    });
  });

  it('fills the arrangement row by row in the order of the file', () => {
    const read = wallPlanInputFromLayout('control-room', {
      arrangement: { columns: 2, rows: 2 },
      displays: [display(3), display(0), display(1), display(2)],
    });
    expect(read.ok && read.input.screens.map((s) => [s.index, s.col, s.row])).toEqual([
      [0, 1, 0],
      [1, 0, 1],
      [2, 1, 1],
      [3, 0, 0],
    ]);
  });

  it('reads the shipped layouts', () => {
    for (const [name, count, cols] of [
      ['single', 1, 1],
      ['wall-3x2', 6, 3],
      ['wall-4x3', 12, 4],
    ] as const) {
      const result = loadWallPlanInput(name, [resolve(import.meta.dirname, '../../resources/layouts')], {
        readText: (p) => (existsSync(p) ? readFileSync(p, 'utf8') : null),
      });
      expect(result.problem).toBeNull();
      expect(result.input.screens).toHaveLength(count);
      expect(Math.max(...result.input.screens.map((s) => s.col)) + 1).toBe(cols);
    }
  });

  it('puts displays in one row when nothing says otherwise', () => {
    const read = wallPlanInputFromLayout('lobby', { displays: [display(1), display(0)] });
    expect(read.ok && read.input.screens.map((s) => [s.index, s.col, s.row])).toEqual([
      [0, 0, 0],
      [1, 1, 0],
    ]);
  });

  it('refuses overlapping placements and layouts without displays', () => {
    const overlap = wallPlanInputFromLayout('x', {
      displays: [display(0, { wall: { col: 0, row: 0, colSpan: 2 } }), display(1, { wall: { col: 1, row: 0 } })],
    });
    expect(overlap).toEqual({ ok: false, error: 'layout x: displays 0 and 1 overlap on the wall' });
    expect(wallPlanInputFromLayout('x', { displays: [] }).ok).toBe(false);
  });
});

describe('loadWallPlanInput', () => {
  it('reads the first directory that has the file', () => {
    const files: Record<string, string> = {
      '/b/single.json': JSON.stringify({ displays: [display(0)] }),
    };
    const result = loadWallPlanInput('single', ['/a', '/b'], { readText: (p) => files[p] ?? null });
    expect(result.problem).toBeNull();
    expect(result.input.screens).toHaveLength(1);
  });

  it('falls back to the name when the file is missing or broken, and says why', () => {
    const missing = loadWallPlanInput('wall-4x3', ['/a'], { readText: () => null });
    expect(missing.input).toEqual(wallPlanInputFromName('wall-4x3'));
    expect(missing.input.screens).toHaveLength(12);
    expect(missing.problem).toMatch(/no file/);
    const broken = loadWallPlanInput('wall-2x1', ['/a'], { readText: () => '{nope' });
    expect(broken.input.screens).toHaveLength(2);
    expect(broken.problem).toMatch(/layout wall-2x1/);
  });
});
