import type { Camera } from '../../../protocol';
import type { CaseLite, WorkerLite } from '../../../protocol/lite';

/** 0 normal, 1 warned (80 % of its limit), 2 overdue. */
export function caseSeverity(c: CaseLite): 0 | 1 | 2 {
  return c.overdue ? 2 : c.warned ? 1 : 0;
}

/** A case on the map: short property names, they are cloned to MapLibre's worker on every update. */
export function caseFeature(c: CaseLite): GeoJSON.Feature<GeoJSON.Point> {
  return {
    type: 'Feature',
    properties: { id: c.id, st: c.status, sv: caseSeverity(c), u: c.priority === 'urgent' ? 1 : 0 },
    geometry: { type: 'Point', coordinates: [c.lng, c.lat] },
  };
}

export function workerFeature(w: WorkerLite): GeoJSON.Feature<GeoJSON.Point> | null {
  if (w.lng === null || w.lat === null) return null;
  return {
    type: 'Feature',
    properties: { id: w.id, d: w.onDuty ? 1 : 0 },
    geometry: { type: 'Point', coordinates: [w.lng, w.lat] },
  };
}

export function cameraFeature(c: Camera): GeoJSON.Feature<GeoJSON.Point> {
  return {
    type: 'Feature',
    properties: { id: c.id, s: c.status },
    geometry: { type: 'Point', coordinates: [c.position.lng, c.position.lat] },
  };
}

export const collection = (features: GeoJSON.Feature[]): GeoJSON.FeatureCollection => ({
  type: 'FeatureCollection',
  features,
});

/**
 * The changes for one GeoJSON source since its last update, merged so that each id appears once
 * (the latest wins): whatever happened in between, the source gets one `updateData` per frame.
 */
export class SourceDiff<T> {
  reset = true;
  readonly upserts = new Map<string, T>();
  readonly removes = new Set<string>();

  markReset(): void {
    this.reset = true;
    this.upserts.clear();
    this.removes.clear();
  }

  upsert(id: string, item: T): void {
    if (this.reset) return;
    this.removes.delete(id);
    this.upserts.set(id, item);
  }

  remove(id: string): void {
    if (this.reset) return;
    this.upserts.delete(id);
    this.removes.add(id);
  }

  get pending(): boolean {
    return this.reset || this.upserts.size > 0 || this.removes.size > 0;
  }

  clear(): void {
    this.reset = false;
    this.upserts.clear();
    this.removes.clear();
  }
}
