import { z } from 'zod';

/**
 * The map's grid colour classes: absolute thresholds from the server's config (`gridClasses`),
 * served to every page at `GET /api/map`, so a colour means the same number of cases on every
 * display, in the preview, every day and after a restart. Never fitted to the data: a quiet night
 * is calm and a bad morning is red, and the two can be told apart.
 */

export const GridMeasure = z.enum(['open', 'overdue']);
export type GridMeasure = z.infer<typeof GridMeasure>;

/**
 * Where the classes above the calmest start: `[3, 5, 8]` makes 0–2, 3–4, 5–7 and ≥8. Whole
 * numbers of cases, at least 1, strictly increasing.
 */
export const ClassSteps = z
  .tuple([z.number().int().min(1), z.number().int().min(2), z.number().int().min(3)])
  .refine(([a, b, c]) => a < b && b < c, { message: 'each step must be above the one before' });
export type ClassSteps = z.infer<typeof ClassSteps>;

/**
 * Defaults tuned on the district preset (金凤: 592 grids, ≈ 800 cases a day): on a normal working day
 * most grids are in the calmest class, red only where cases pile up (docs/map.md has the
 * measured distribution). A city or a busier center sets its own in the config.
 */
export const DEFAULT_GRID_CLASSES: Readonly<Record<GridMeasure, ClassSteps>> = {
  open: [3, 5, 8],
  overdue: [1, 2, 4],
};

export const GridClassesConfig = z.object({
  /** Open cases in a grid (every case not closed, rejected or voided). */
  open: ClassSteps.default(DEFAULT_GRID_CLASSES.open),
  /** Overdue open cases in a grid. */
  overdue: ClassSteps.default(DEFAULT_GRID_CLASSES.overdue),
});
export type GridClassesConfig = z.output<typeof GridClassesConfig>;

/** GET /api/map: what every map on every page colours its grids by. */
export const MapConfigAnswer = z.object({ gridClasses: GridClassesConfig });
export type MapConfigAnswer = z.output<typeof MapConfigAnswer>;

export type GridClass = 0 | 1 | 2 | 3;

/** The class of a grid's count: 0 (calmest, below the first step) to 3 (at or above the last). */
export function gridClass(value: number, steps: ClassSteps): GridClass {
  return value >= steps[2] ? 3 : value >= steps[1] ? 2 : value >= steps[0] ? 1 : 0;
}

/** Each class's range of counts, calmest first; the last has no upper end. */
export function classRanges(steps: ClassSteps): Array<{ min: number; max: number | null }> {
  return [
    { min: 0, max: steps[0] - 1 },
    { min: steps[0], max: steps[1] - 1 },
    { min: steps[1], max: steps[2] - 1 },
    { min: steps[2], max: null },
  ];
}

/** A class's range as a legend writes it: "0–2", "3", "≥10". */
export function rangeLabel(range: { min: number; max: number | null }): string {
  if (range.max === null) return `≥${range.min}`;
  return range.max === range.min ? String(range.min) : `${range.min}–${range.max}`;
}
