import type { MapSceneOptions } from '../../../protocol';
import type { CasesSlice, WallState } from '../../state/store';
import { defaultSteps, GridLevels, quantileSteps, type Steps, setAreas } from './areas';
import type { maplibregl } from './maplibre';

/** How often the colour steps are fitted to the data again, at most (the legend must not flicker). */
const STEPS_EVERY_MS = 30_000;

/**
 * The areas and the grids' colours: the areas' source when they change, each grid's step (feature
 * state) for the grids a batch touched, and the steps fitted to the data now and then.
 */
export class GridColours {
  private readonly levels: GridLevels;
  private readonly touched = new Set<string>();
  /** Every grid's step is due (a snapshot, new areas, a lost context). */
  reset = true;
  private areasDirty = true;
  private steps: Steps;
  private stepsAt = 0;

  constructor(
    private readonly map: maplibregl.Map,
    private readonly measure: MapSceneOptions['measure'],
    /** The steps changed (for the legend). */
    private readonly onSteps?: (steps: Steps) => void,
  ) {
    this.steps = defaultSteps(measure);
    this.levels = new GridLevels(measure);
  }

  get pending(): boolean {
    return this.touched.size > 0;
  }

  onAreas(): void {
    this.areasDirty = true;
    this.reset = true;
  }

  onCases(slice: CasesSlice): void {
    if (slice.delta.reset) this.reset = true;
    for (const g of slice.delta.grids) this.touched.add(g);
  }

  /** After a lost context the areas' source came back with its data but without feature state. */
  restore(): void {
    this.levels.clear();
    this.reset = true;
  }

  /** New areas to the map; true when they were set (the first ones are where the map fits). */
  flushAreas(s: WallState): boolean {
    if (!this.areasDirty || s.areas.list.length === 0) return false;
    this.areasDirty = false;
    setAreas(this.map, s.areas.list);
    // New area features: set every grid's step again (reset is on).
    this.levels.clear();
    return true;
  }

  /** Re-fits the colour steps to the data now and then (not per frame: the legend must not flicker). */
  flushSteps(s: WallState, now: number): void {
    if (!this.reset && now - this.stepsAt <= STEPS_EVERY_MS) return;
    this.stepsAt = performance.now();
    const measure = this.measure;
    const values = [...s.cases.grids.values()].map((g) => (measure === 'overdue' ? g.overdue : g.open));
    const next = quantileSteps(values, defaultSteps(measure));
    if (next.every((v, i) => v === this.steps[i])) return;
    this.steps = next;
    this.levels.refit(this.map, s.cases.grids, next);
    this.onSteps?.(next);
  }

  /** Each touched grid's step (every grid's after a reset). */
  flush(s: WallState): void {
    if (this.reset) {
      this.reset = false;
      this.levels.refit(this.map, s.cases.grids, this.steps);
    } else if (this.touched.size > 0) {
      this.levels.update(this.map, s.cases.grids, this.steps, this.touched);
    }
    this.touched.clear();
  }
}
