import type { Camera } from '../../../protocol';
import type { CamerasSlice, WallState } from '../../state/store';
import { AREA_LABEL_LAYER } from './areas';
import { cameraFeature, collection, SourceDiff } from './features';
import { type maplibregl, theme } from './maplibre';

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
        minzoom: 12,
        paint: {
          'circle-radius': 3.5,
          'circle-color': [
            'match',
            ['get', 's'],
            'online',
            theme.camera.online,
            'fault',
            theme.camera.fault,
            theme.camera.offline,
          ],
          'circle-stroke-color': '#06142b',
          'circle-stroke-width': 1,
        },
      },
      AREA_LABEL_LAYER,
    );
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
