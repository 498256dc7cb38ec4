import { describe, expect, it } from 'vitest';
import type { GridStat } from '../../state/store';
import { GridLevels } from './areas';

describe('GridLevels', () => {
  const fakeMap = () => {
    const calls: [string, number][] = [];
    const map = {
      setFeatureState: (f: { id?: string | number }, state: { l: number }) => calls.push([String(f.id), state.l]),
    } as unknown as Parameters<GridLevels['update']>[0];
    return { map, calls };
  };
  const stat = (open: number, overdue = 0) => ({ open, overdue }) as GridStat;

  it('tells the map only when a grid changes class', () => {
    const { map, calls } = fakeMap();
    const levels = new GridLevels('open');
    const grids = new Map([
      ['a', stat(1)],
      ['b', stat(0)],
      ['c', stat(9)],
    ]);
    expect(levels.update(map, grids, [1, 4, 8])).toBe(2);
    expect(calls).toEqual([
      ['a', 1],
      ['c', 3],
    ]);
    grids.set('a', stat(3));
    grids.set('c', stat(12));
    expect(levels.update(map, grids, [1, 4, 8], ['a', 'c'])).toBe(0);
    grids.set('a', stat(4));
    expect(levels.update(map, grids, [1, 4, 8], ['a'])).toBe(1);
    expect(calls.at(-1)).toEqual(['a', 2]);
  });

  it('re-classes every grid after new thresholds, and clears grids that left', () => {
    const { map, calls } = fakeMap();
    const levels = new GridLevels('overdue');
    const grids = new Map([
      ['a', stat(9, 2)],
      ['b', stat(9, 5)],
    ]);
    levels.update(map, grids, [1, 4, 8]);
    calls.length = 0;
    grids.delete('b');
    expect(levels.refit(map, grids, [2, 3, 4])).toBe(1);
    expect(calls).toEqual([['b', 0]]);
  });
});
