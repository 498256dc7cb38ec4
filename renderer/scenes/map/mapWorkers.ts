import type { WorkerLite } from '../../../protocol/lite';
import type { WallState, WorkersSlice } from '../../state/store';
import { DotLayer } from './dotLayer';
import { WORKER_DOTS, WORKER_OFF, WORKER_ON } from './mapStyle';

/** The grid workers on the live map: dots in a custom layer (see dotLayer.ts), moved in place. */
export class WorkersOnMap {
  readonly layer = new DotLayer('worker', {
    palette: WORKER_DOTS.palette,
    opacity: WORKER_DOTS.opacity,
    rim: WORKER_DOTS.rim,
    rimPx: WORKER_DOTS.rimPx,
    radius: WORKER_DOTS.radius,
  });
  /** The store's workers need loading whole (a snapshot). */
  reset = true;
  /** Dots moved since the map last drew them. */
  changed = false;

  constructor(private readonly shown: boolean) {}

  onWorkers(slice: WorkersSlice): void {
    const d = slice.delta;
    if (d.reset) this.reset = true;
    else if (!this.reset && this.shown && d.changed.length > 0) {
      // Into the dots' array as each batch comes; the map is asked to redraw them in the flush.
      for (const w of d.changed) this.put(w);
      this.changed = true;
    }
  }

  /** The source updates made (the layer asked to redraw). */
  flush(s: WallState): number {
    if (this.reset) {
      this.reset = false;
      this.layer.dots.clear();
      if (this.shown) for (const w of s.workers.byId.values()) this.put(w);
    } else if (!this.changed) return 0;
    this.changed = false;
    this.layer.changed();
    return 1;
  }

  /** Which kinds of dot are drawn now: on duty, off duty. */
  drawn(): { on: boolean; off: boolean } {
    const colours = this.layer.dots.colours();
    return { on: colours.has(WORKER_ON), off: colours.has(WORKER_OFF) };
  }

  private put(w: WorkerLite): void {
    const dots = this.layer.dots;
    if (w.lng === null || w.lat === null) dots.remove(w.id);
    else dots.set(w.id, w.lng, w.lat, w.onDuty ? WORKER_ON : WORKER_OFF);
  }
}
