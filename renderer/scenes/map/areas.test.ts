import { describe, expect, it } from 'vitest';
import type { GridStat } from '../../state/store';
import { AREA_LABEL_LAYER, addAreaLayers, GridLevels } from './areas';

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

describe('addAreaLayers', () => {
  const labelLayer = (textScale?: number) => {
    const layers: { id: string; layout?: Record<string, unknown>; paint?: Record<string, unknown> }[] = [];
    const map = {
      addSource: () => undefined,
      addLayer: (l: (typeof layers)[number]) => layers.push(l),
    } as unknown as Parameters<typeof addAreaLayers>[0];
    addAreaLayers(map, 'open', textScale);
    const label = layers.find((l) => l.id === AREA_LABEL_LAYER);
    if (!label) throw new Error('no label layer');
    return label;
  };

  it('grows the street and community names (and their halo) with the canvas’s type factor (4K: 4/3)', () => {
    const plain = labelLayer();
    expect(plain.layout?.['text-size']).toEqual(['match', ['get', 'level'], 'street', 28, 22]);
    const k = 4 / 3;
    const big = labelLayer(k);
    const size = big.layout?.['text-size'] as unknown[];
    // 22 px on the 4K canvas (2560 wide) is 16.5 px at 1080p: × 4/3 brings it back to 22.
    expect(size.slice(-3)).toEqual(['street', 28 * k, 22 * k]);
    expect((22 * k * 1920) / 2560).toBeGreaterThanOrEqual(22);
    expect(big.paint?.['text-halo-width']).toBe(3 * k);
  });
});
