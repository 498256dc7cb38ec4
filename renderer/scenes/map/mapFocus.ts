import type { MapSceneOptions } from '../../../protocol';
import type { WallState } from '../../state/store';
import { collection } from './features';
import { type maplibregl, theme } from './maplibre';

export const FOCUS_LAYER = 'focus-halo';

/** The focused case's halo, over everything; the map follows it when the scene says so. */
export class FocusHalo {
  dirty = true;
  /** Whether the focused case was found (by the store or its full record) at the last flush. */
  private onMap = false;

  constructor(
    private readonly map: maplibregl.Map,
    private readonly scene: MapSceneOptions,
  ) {}

  addLayer(): void {
    this.map.addSource('focus', { type: 'geojson', data: collection([]) });
    this.map.addLayer({
      id: FOCUS_LAYER,
      type: 'circle',
      source: 'focus',
      paint: {
        'circle-radius': 26,
        'circle-color': 'rgba(255, 243, 107, 0.18)',
        'circle-stroke-color': theme.focus,
        'circle-stroke-width': 4,
      },
    });
  }

  onState(s: WallState, prev: WallState): void {
    if (s.focus !== prev.focus) this.dirty = true;
    // A focused case not on the map yet may come with the next cases.
    if (s.cases !== prev.cases && s.focus.caseId !== null && !this.onMap) this.dirty = true;
  }

  flush(s: WallState): void {
    this.dirty = false;
    const source = this.map.getSource('focus') as maplibregl.GeoJSONSource | undefined;
    if (!source) return;
    const id = s.focus.caseId;
    const c = id ? s.cases.byId.get(id) : undefined;
    const full = s.focusedCase && s.focusedCase.id === id ? s.focusedCase : null;
    const pos = c ? { lng: c.lng, lat: c.lat } : full ? full.location : null;
    this.onMap = pos !== null;
    void source.setData(
      collection(
        pos ? [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [pos.lng, pos.lat] } }] : [],
      ),
    );
    if (pos && this.scene.followFocus) {
      this.map.flyTo({ center: [pos.lng, pos.lat], zoom: Math.max(this.map.getZoom(), 15), duration: 1500 });
    }
  }
}
