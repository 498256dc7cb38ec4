import { useEffect, useRef } from 'react';
import type { Area } from '../../../protocol';
import type { CaseLite } from '../../../protocol/lite';
import { loadLayout } from '../../layout/layouts';
import { addAreaLayers, setAreas } from '../../scenes/map/areas';
import { collection } from '../../scenes/map/features';
import { createMap, type maplibregl, theme } from '../../scenes/map/maplibre';
import type { WallState } from '../../state/store';
import { useConsole } from '../context';

const baseMap = (() => {
  const name = new URLSearchParams(location.search).get('layout') ?? 'single';
  const loaded = loadLayout(name);
  return loaded.ok ? loaded.layout.baseMap : null;
})();

/**
 * A small map of the case: its grid among the community's grids, the case, and the grid's
 * workers (on duty bright). The wall's offline style and area layers, at a workstation's scale.
 */
export function MiniMap(props: { c: CaseLite }) {
  const runtime = useConsole();
  const ref = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const loaded = useRef(false);
  const redraw = useRef<(() => void) | null>(null);
  const { c } = props;

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const map = createMap(el, { pixelRatio: globalThis.devicePixelRatio || 1, baseMap, interactive: true });
    mapRef.current = map;
    map.on('load', () => {
      addAreaLayers(map, 'none');
      map.addLayer({
        id: 'mini-grid',
        type: 'line',
        source: 'areas',
        filter: ['==', ['get', 'id'], ''],
        paint: { 'line-color': theme.focus, 'line-width': 3 },
      });
      map.addSource('mini-workers', { type: 'geojson', data: collection([]) });
      map.addLayer({
        id: 'mini-worker',
        type: 'circle',
        source: 'mini-workers',
        paint: {
          'circle-radius': 5,
          'circle-color': ['case', ['==', ['get', 'd'], 1], theme.worker, theme.workerOff],
          'circle-stroke-color': '#06142b',
          'circle-stroke-width': 1,
        },
      });
      map.addSource('mini-case', { type: 'geojson', data: collection([]) });
      map.addLayer({
        id: 'mini-case-halo',
        type: 'circle',
        source: 'mini-case',
        paint: {
          'circle-radius': 16,
          'circle-color': 'rgba(255, 243, 107, 0.2)',
          'circle-stroke-color': theme.focus,
          'circle-stroke-width': 3,
        },
      });
      map.addLayer({
        id: 'mini-case',
        type: 'circle',
        source: 'mini-case',
        paint: {
          'circle-radius': 6,
          'circle-color': theme.overdue,
          'circle-stroke-color': '#fff',
          'circle-stroke-width': 2,
        },
      });
      loaded.current = true;
      el.dataset.loaded = '1';
      redraw.current?.();
    });
    const ro = new ResizeObserver(() => map.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      map.remove();
      mapRef.current = null;
      loaded.current = false;
    };
  }, []);

  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    const draw = () => {
      if (!loaded.current) return;
      const s = runtime.store.getState();
      const areas = nearbyAreas(s, c.gridId);
      setAreas(map, areas);
      map.setFilter('mini-grid', ['==', ['get', 'id'], c.gridId]);
      (map.getSource('mini-case') as maplibregl.GeoJSONSource | undefined)?.setData(
        collection([{ type: 'Feature', geometry: { type: 'Point', coordinates: [c.lng, c.lat] }, properties: {} }]),
      );
      const grids = new Set(areas.filter((a) => a.level === 'grid').map((a) => a.id));
      const workers = [...s.workers.byId.values()].filter(
        (w) => grids.has(w.gridId) && w.lng !== null && w.lat !== null,
      );
      (map.getSource('mini-workers') as maplibregl.GeoJSONSource | undefined)?.setData(
        collection(
          workers.map((w) => ({
            type: 'Feature' as const,
            geometry: { type: 'Point' as const, coordinates: [w.lng as number, w.lat as number] },
            properties: { d: w.onDuty ? 1 : 0 },
          })),
        ),
      );
      map.jumpTo({ center: [c.lng, c.lat], zoom: 14 });
      ref.current?.setAttribute('data-center', `${c.lng.toFixed(5)},${c.lat.toFixed(5)}`);
    };
    redraw.current = draw;
    draw();
    return () => {
      redraw.current = null;
    };
  }, [runtime, c.gridId, c.lng, c.lat]);

  return <div className="gc-minimap" ref={ref} data-testid="case-minimap" />;
}

/** The case's community and its grids (or just the grid when it has no parent). */
function nearbyAreas(s: WallState, gridId: string): Area[] {
  const grid = s.areas.byId.get(gridId);
  if (!grid) return [];
  const community = grid.parentId ? s.areas.byId.get(grid.parentId) : undefined;
  if (!community) return [grid];
  return [community, ...s.areas.list.filter((a) => a.parentId === community.id)];
}
