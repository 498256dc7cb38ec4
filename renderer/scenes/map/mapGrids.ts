import type { ClassSteps, GridMeasure } from '../../../protocol';
import type { CasesSlice, WallState } from '../../state/store';
import { GridLevels, setAreas } from './areas';
import type { maplibregl } from './maplibre';

/**
 * The areas and the grids' colours: the areas' source when they change, and each grid's class
 * (feature state) for the grids a batch touched. The classes' thresholds are the server's
 * (`GET /api/map`), the same on every display: until they are known no grid is coloured.
 */
export class GridColours {
  private readonly levels: GridLevels;
  private readonly touched = new Set<string>();
  /** Every grid's class is due (a snapshot, new areas, new thresholds, a lost context). */
  private all = true;
  private areasDirty = true;
  private steps: ClassSteps | null = null;

  constructor(
    private readonly map: maplibregl.Map,
    measure: GridMeasure,
  ) {
    this.levels = new GridLevels(measure);
  }

  /** Every grid's class is due and can be set (the thresholds are known). */
  get reset(): boolean {
    return this.all && this.steps !== null;
  }

  get pending(): boolean {
    return this.touched.size > 0 && this.steps !== null;
  }

  /** The thresholds came (once per page, from the server's config). */
  setClasses(steps: ClassSteps): void {
    if (this.steps && steps.every((v, i) => v === this.steps?.[i])) return;
    this.steps = steps;
    this.all = true;
  }

  onAreas(): void {
    this.areasDirty = true;
    this.all = true;
  }

  onCases(slice: CasesSlice): void {
    if (slice.delta.reset) this.all = true;
    for (const g of slice.delta.grids) this.touched.add(g);
  }

  /** After a lost context the areas' source came back with its data but without feature state. */
  restore(): void {
    this.levels.clear();
    this.all = true;
  }

  /** New areas to the map; true when they were set (the first ones are where the map fits). */
  flushAreas(s: WallState): boolean {
    if (!this.areasDirty || s.areas.list.length === 0) return false;
    this.areasDirty = false;
    setAreas(this.map, s.areas.list);
    // New area features: set every grid's class again (reset is on).
    this.levels.clear();
    return true;
  }

  /** Each touched grid's class (every grid's after a reset); nothing before the thresholds are known. */
  flush(s: WallState): void {
    const steps = this.steps;
    if (!steps) return;
    if (this.all) {
      this.all = false;
      this.levels.refit(this.map, s.cases.grids, steps);
    } else if (this.touched.size > 0) {
      this.levels.update(this.map, s.cases.grids, steps, this.touched);
    }
    this.touched.clear();
  }
}
