import { describe, expect, it } from 'vitest';
import { generatePreset } from '../presets';
import { GridIndex, pointInRing } from './geo';

describe('GridIndex', () => {
  const preset = generatePreset('district', 3);
  const index = new GridIndex(preset.areas);
  const grids = preset.areas.filter((a) => a.level === 'grid');

  it('finds the grid of each grid’s own label point, agreeing with a scan of every polygon', () => {
    for (const g of grids) {
      const [lng, lat] = g.center;
      const scanned = grids.filter((x) => x.polygon[0] && pointInRing(lng, lat, x.polygon[0])).map((x) => x.id);
      expect(scanned).toEqual([g.id]);
      expect(index.gridAt(lng, lat)).toBe(g.id);
    }
  });

  it('answers null far outside the district, and the nearest grid still names one', () => {
    expect(index.gridAt(0, 0)).toBeNull();
    expect(grids.map((g) => g.id)).toContain(index.nearestGrid(preset.bbox[2] + 0.01, preset.center[1]));
  });
});
