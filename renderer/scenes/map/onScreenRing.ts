import type { WallStore } from '../../state/store';
import { onScreenCameras } from '../video/onScreen';
import type { maplibregl } from './maplibre';

const SOURCE = 'video-on-screen';
/** Stroke of the ring: the video wall's accent, so the eye goes from a tile to its place. */
const RING_COLOR = '#35d7ff';

/**
 * Rings the cameras that a video scene of this wall shows (on this screen or another), at every
 * zoom: the camera dots themselves appear only from zoom 12. Returns the unsubscribe.
 */
export function ringOnScreenCameras(map: maplibregl.Map, store: WallStore, wall: string): () => void {
  const registry = onScreenCameras(wall);
  let ready = false;
  const update = () => {
    const source = ready ? (map.getSource(SOURCE) as maplibregl.GeoJSONSource | undefined) : undefined;
    if (!source) return;
    const cams = store.getState().cameras.byId;
    const features: GeoJSON.Feature[] = [];
    for (const id of registry.all()) {
      const c = cams.get(id);
      if (!c) continue;
      features.push({
        type: 'Feature',
        properties: { id },
        geometry: { type: 'Point', coordinates: [c.position.lng, c.position.lat] },
      });
    }
    void source.setData({ type: 'FeatureCollection', features });
    // What a test can read without reaching into the map.
    map.getContainer().dataset.camerasOnScreen = String(features.length);
  };
  const add = () => {
    if (map.getSource(SOURCE)) return;
    map.addSource(SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer({
      id: 'camera-on-screen',
      type: 'circle',
      source: SOURCE,
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 5, 15, 10],
        'circle-color': 'rgba(53, 215, 255, 0.25)',
        'circle-stroke-color': RING_COLOR,
        'circle-stroke-width': 2.5,
      },
    });
    ready = true;
    update();
  };
  if (map.isStyleLoaded()) add();
  else map.once('load', add);
  // After a lost GPU context the rebuilt style has the ring's source as it was at the loss.
  const onRestored = () => map.once('style.load', update);
  map.on('webglcontextrestored', onRestored);
  const offRegistry = registry.subscribe(update);
  // A new camera set (a snapshot) may place the same ids elsewhere.
  const offStore = store.subscribe((s, prev) => {
    if (s.cameras !== prev.cameras && s.cameras.delta.reset) update();
  });
  return () => {
    map.off('webglcontextrestored', onRestored);
    offRegistry();
    offStore();
  };
}
