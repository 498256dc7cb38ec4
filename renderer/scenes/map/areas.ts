import type { Area } from '../../../protocol';
import type { GridStat } from '../../state/store';
import { LABEL_FONT, type maplibregl, theme } from './maplibre';

type Map = maplibregl.Map;

export function areasGeoJson(areas: readonly Area[]): GeoJSON.FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: areas.map((a) => ({
      type: 'Feature',
      properties: { id: a.id, level: a.level, name: a.name },
      geometry: { type: 'Polygon', coordinates: a.polygon },
    })),
  };
}

export function areaLabelsGeoJson(areas: readonly Area[]): GeoJSON.FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: areas
      .filter((a) => a.level !== 'district')
      .map((a) => ({
        type: 'Feature',
        properties: { id: a.id, level: a.level, name: a.name },
        geometry: { type: 'Point', coordinates: a.center },
      })),
  };
}

export type Steps = [number, number, number];

/**
 * Colour steps that fit the data: the median, 80th and 95th percentile of the grids that have any.
 * Fixed steps would paint a 100,000-case city all red and a quiet district all blue.
 */
export function quantileSteps(values: Iterable<number>, fallback: Steps): Steps {
  const v = [...values].filter((x) => x > 0).sort((a, b) => a - b);
  if (v.length === 0) return fallback;
  const q = (p: number) => v[Math.min(v.length - 1, Math.floor(p * v.length))] ?? 1;
  const a = Math.max(1, q(0.5));
  const b = Math.max(a + 1, q(0.8));
  const c = Math.max(b + 1, q(0.95));
  return [a, b, c];
}

/** Which colour step a grid's value falls in: 0 (below the first) to 3. */
export function gridLevel(value: number, steps: Steps): 0 | 1 | 2 | 3 {
  return value >= steps[2] ? 3 : value >= steps[1] ? 2 : value >= steps[0] ? 1 : 0;
}

/**
 * Grids are coloured by their step (feature-state `l`), not by their count: a count that moves
 * within its step changes nothing on screen, so it costs no feature-state update (each one makes
 * MapLibre rebuild the paint arrays of every tile holding the grid).
 */
export const GRID_FILL: maplibregl.ExpressionSpecification = [
  'match',
  ['coalesce', ['feature-state', 'l'], 0],
  1,
  theme.areaFill.low,
  2,
  theme.areaFill.mid,
  3,
  theme.areaFill.high,
  theme.areaFill.none,
];

export function defaultSteps(measure: 'open' | 'overdue'): Steps {
  const s = measure === 'overdue' ? theme.overdueSteps : theme.openSteps;
  return [s[0] ?? 1, s[1] ?? 4, s[2] ?? 8];
}

/** The street and community names: layers of small dots go below it. */
export const AREA_LABEL_LAYER = 'area-label';

/** Grid polygons coloured by a measure held in feature-state, boundaries by level, names. */
export function addAreaLayers(map: Map, measure: 'open' | 'overdue' | 'none'): void {
  map.addSource('areas', { type: 'geojson', data: areasGeoJson([]), promoteId: 'id' });
  map.addSource('area-labels', { type: 'geojson', data: areaLabelsGeoJson([]), promoteId: 'id' });
  map.addLayer({
    id: 'grid-fill',
    type: 'fill',
    source: 'areas',
    filter: ['==', ['get', 'level'], 'grid'],
    paint: {
      'fill-color': measure === 'none' ? theme.areaFill.none : GRID_FILL,
      'fill-opacity': 0.55,
    },
  });
  const line = (id: string, level: string, color: string, width: number) =>
    map.addLayer({
      id,
      type: 'line',
      source: 'areas',
      filter: ['==', ['get', 'level'], level],
      paint: { 'line-color': color, 'line-width': width },
    });
  line('grid-line', 'grid', theme.gridLine, 0.8);
  line('community-line', 'community', theme.communityLine, 1.5);
  line('street-line', 'street', theme.streetLine, 2.5);
  line('district-line', 'district', theme.districtLine, 3.5);
  map.addLayer({
    id: AREA_LABEL_LAYER,
    type: 'symbol',
    source: 'area-labels',
    filter: ['in', ['get', 'level'], ['literal', ['street', 'community']]],
    layout: {
      'text-field': ['get', 'name'],
      'text-font': LABEL_FONT,
      'text-size': ['match', ['get', 'level'], 'street', 26, 18],
      'text-allow-overlap': false,
      'text-padding': 6,
      'symbol-sort-key': ['match', ['get', 'level'], 'street', 0, 1],
    },
    paint: { 'text-color': theme.label, 'text-halo-color': theme.labelHalo, 'text-halo-width': 2 },
  });
}

export function setAreas(map: Map, areas: readonly Area[]): void {
  (map.getSource('areas') as maplibregl.GeoJSONSource | undefined)?.setData(areasGeoJson(areas));
  (map.getSource('area-labels') as maplibregl.GeoJSONSource | undefined)?.setData(areaLabelsGeoJson(areas));
}

/** The colour step each grid has on the map now; only changes of step reach MapLibre. */
export class GridLevels {
  private readonly shown = new Map<string, number>();

  constructor(private readonly measure: 'open' | 'overdue') {}

  /** Forget what was shown (the areas source was replaced). */
  clear(): void {
    this.shown.clear();
  }

  /** Sets the step of `ids` (every grid when omitted); returns how many changed on the map. */
  update(map: Map, grids: ReadonlyMap<string, GridStat>, steps: Steps, ids?: Iterable<string>): number {
    let changed = 0;
    for (const id of ids ?? grids.keys()) {
      const g = grids.get(id);
      const level = gridLevel((this.measure === 'overdue' ? g?.overdue : g?.open) ?? 0, steps);
      if ((this.shown.get(id) ?? 0) === level) continue;
      this.shown.set(id, level);
      map.setFeatureState({ source: 'areas', id }, { l: level });
      changed++;
    }
    return changed;
  }

  /** After new steps: grids whose step changed, counted over every grid shown or in `grids`. */
  refit(map: Map, grids: ReadonlyMap<string, GridStat>, steps: Steps): number {
    const ids = new Set([...this.shown.keys(), ...grids.keys()]);
    return this.update(map, grids, steps, ids);
  }
}

export function fitAreas(map: Map, bounds: [number, number, number, number] | null, animate = false): void {
  if (!bounds) return;
  map.fitBounds(
    [
      [bounds[0], bounds[1]],
      [bounds[2], bounds[3]],
    ],
    { padding: 40, animate },
  );
}
