import { describe, expect, it } from 'vitest';
import {
  ClassSteps,
  classRanges,
  DEFAULT_GRID_CLASSES,
  GridClassesConfig,
  gridClass,
  MapConfigAnswer,
  rangeLabel,
} from './mapClasses';

describe('grid colour classes', () => {
  it('puts a count in its class by absolute thresholds', () => {
    const steps: ClassSteps = [3, 5, 8];
    expect([0, 1, 2, 3, 4, 5, 7, 8, 9, 500].map((v) => gridClass(v, steps))).toEqual([0, 0, 0, 1, 1, 2, 2, 3, 3, 3]);
    expect([0, 1, 2, 3, 4].map((v) => gridClass(v, DEFAULT_GRID_CLASSES.overdue))).toEqual([0, 1, 2, 2, 3]);
  });

  it('gives the same class for the same count and config whatever the other grids hold (every display, every day)', () => {
    const config = GridClassesConfig.parse(JSON.parse(JSON.stringify({ open: [3, 5, 8], overdue: [1, 2, 4] })));
    const quiet = [0, 0, 1, 4];
    const busy = [4, 30, 60, 90];
    // A display that holds a quiet district and one that holds a busy one class a grid of 4 alike.
    const classOf4 = (others: number[]) => [...others, 4].map((v) => gridClass(v, config.open)).at(-1);
    expect(classOf4(quiet)).toBe(1);
    expect(classOf4(busy)).toBe(1);
    // After a restart: the config parsed again gives the same thresholds.
    expect(GridClassesConfig.parse(JSON.parse(JSON.stringify(config)))).toEqual(config);
  });

  it('writes each class’s range for the legend, calmest first', () => {
    expect(classRanges([3, 5, 8]).map(rangeLabel)).toEqual(['0–2', '3–4', '5–7', '≥8']);
    expect(classRanges([1, 2, 4]).map(rangeLabel)).toEqual(['0', '1', '2–3', '≥4']);
  });

  it('defaults to the documented thresholds and refuses thresholds that do not rise', () => {
    expect(GridClassesConfig.parse({})).toEqual({ open: [3, 5, 8], overdue: [1, 2, 4] });
    expect(GridClassesConfig.parse({ open: [10, 20, 40] }).overdue).toEqual([1, 2, 4]);
    expect(ClassSteps.safeParse([3, 3, 8]).success).toBe(false);
    expect(ClassSteps.safeParse([0, 2, 3]).success).toBe(false);
    expect(ClassSteps.safeParse([1.5, 2, 3]).success).toBe(false);
    expect(ClassSteps.safeParse([1, 2]).success).toBe(false);
    expect(MapConfigAnswer.safeParse({ gridClasses: { open: [3, 5, 8], overdue: [1, 2, 4] } }).success).toBe(true);
  });
});
