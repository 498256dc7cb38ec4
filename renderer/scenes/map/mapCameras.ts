import type { Camera } from '../../../protocol';
import type { CamerasSlice, WallState } from '../../state/store';
import { AREA_LABEL_LAYER } from './areas';
import { cameraFeature, collection, SourceDiff } from './features';
import type { maplibregl } from './maplibre';
import { CAMERA_LOOK, CAMERA_MIN_ZOOM, type MarkLook } from './mapStyle';

/** A camera's look by its status (mapStyle.ts: the legend reads the same). */
function byStatus<K extends keyof MarkLook>(key: K): maplibregl.ExpressionSpecification {
  const l = CAMERA_LOOK;
  return ['match', ['get', 's'], 'online', l.online[key], 'fault', l.fault[key], l.offline[key]];
}

/** The cameras on the live map: a GeoJSON source fed its diff (`updateData`) once per flush. */
export class CamerasOnMap {
  private readonly diff = new SourceDiff<Camera>();

  constructor(private readonly map: maplibregl.Map) {}

  /** Many small dots: under the area names, which must stay readable from across the room. */
  addLayer(visible: boolean): void {
    this.map.addSource('cameras', { type: 'geojson', data: collection([]), promoteId: 'id' });
    this.map.addLayer(
      {
        id: 'camera',
        type: 'circle',
        source: 'cameras',
        layout: { visibility: visible ? 'visible' : 'none' },
        minzoom: CAMERA_MIN_ZOOM,
        paint: {
          'circle-radius': byStatus('radius'),
          'circle-color': byStatus('fill'),
          'circle-stroke-color': byStatus('stroke'),
          'circle-stroke-width': byStatus('strokeWidth'),
        },
      },
      AREA_LABEL_LAYER,
    );
  }

  /** Which statuses are drawn now (none below the cameras' zoom, or on a map that hides them). */
  drawn(s: WallState, visible: boolean): { online: boolean; offline: boolean; fault: boolean } {
    const out = { online: false, offline: false, fault: false };
    if (!visible || this.map.getZoom() < CAMERA_MIN_ZOOM) return out;
    for (const c of s.cameras.byId.values()) {
      out[c.status] = true;
      if (out.online && out.offline && out.fault) break;
    }
    return out;
  }

  get reset(): boolean {
    return this.diff.reset;
  }

  get pending(): boolean {
    return this.diff.pending;
  }

  markReset(): void {
    this.diff.markReset();
  }

  onCameras(slice: CamerasSlice): void {
    const d = slice.delta;
    if (d.reset) this.diff.markReset();
    for (const c of d.changed) this.diff.upsert(c.id, c);
  }

  /** The source updates made. */
  flush(s: WallState): number {
    const diff = this.diff;
    if (!diff.pending) return 0;
    const source = this.map.getSource('cameras') as maplibregl.GeoJSONSource | undefined;
    if (!source) return 0;
    if (diff.reset) {
      const features: GeoJSON.Feature[] = [];
      for (const c of s.cameras.byId.values()) features.push(cameraFeature(c));
      void source.setData(collection(features));
    } else {
      const add: GeoJSON.Feature[] = [];
      for (const c of diff.upserts.values()) add.push(cameraFeature(c));
      void source.updateData({ add, remove: [...diff.removes] });
    }
    diff.clear();
    return 1;
  }
}
