import { type Area, type ClassSteps, type GridMeasure, gridClass } from '../../../protocol';
import type { GridStat } from '../../state/store';
import { LABEL_FONT, type maplibregl, theme } from './maplibre';
import { gridFill } from './mapStyle';

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

/** The street and community names: every dot, case and cluster goes below them. */
export const AREA_LABEL_LAYER = 'area-label';

/**
 * Grid polygons coloured by their class of a measure (feature-state `l`; each measure its own ramp,
 * mapStyle.ts), boundaries by level, names.
 */
export function addAreaLayers(map: Map, measure: GridMeasure | 'none', textScale = 1): void {
  map.addSource('areas', { type: 'geojson', data: areasGeoJson([]), promoteId: 'id' });
  map.addSource('area-labels', { type: 'geojson', data: areaLabelsGeoJson([]), promoteId: 'id' });
  map.addLayer({
    id: 'grid-fill',
    type: 'fill',
    source: 'areas',
    filter: ['==', ['get', 'level'], 'grid'],
    paint: {
      // The ramps' colours carry their own opacity (the legend shows them as drawn).
      'fill-color': measure === 'none' ? theme.areaFill.none : gridFill(measure),
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
      // Grown on a canvas whose small text grows (4/3 on a 4K screen, `--gw-type`), as CSS text is.
      'text-size': ['match', ['get', 'level'], 'street', 28 * textScale, 22 * textScale],
      'text-allow-overlap': false,
      'text-padding': 6 * textScale,
      'symbol-sort-key': ['match', ['get', 'level'], 'street', 0, 1],
    },
    // Drawn over every dot and cluster (they are added below this layer): a wide dark halo keeps
    // a name readable over a cluster's colour.
    paint: { 'text-color': theme.label, 'text-halo-color': theme.labelHalo, 'text-halo-width': 3 * textScale },
  });
}

export function setAreas(map: Map, areas: readonly Area[]): void {
  (map.getSource('areas') as maplibregl.GeoJSONSource | undefined)?.setData(areasGeoJson(areas));
  (map.getSource('area-labels') as maplibregl.GeoJSONSource | undefined)?.setData(areaLabelsGeoJson(areas));
}

/** The colour class each grid has on the map now; only changes of class reach MapLibre. */
export class GridLevels {
  private readonly shown = new Map<string, number>();

  constructor(private readonly measure: GridMeasure) {}

  /** Forget what was shown (the areas source was replaced). */
  clear(): void {
    this.shown.clear();
  }

  /** Sets the class of `ids` (every grid when omitted); returns how many changed on the map. */
  update(map: Map, grids: ReadonlyMap<string, GridStat>, steps: ClassSteps, ids?: Iterable<string>): number {
    let changed = 0;
    for (const id of ids ?? grids.keys()) {
      const g = grids.get(id);
      const level = gridClass((this.measure === 'overdue' ? g?.overdue : g?.open) ?? 0, steps);
      if ((this.shown.get(id) ?? 0) === level) continue;
      this.shown.set(id, level);
      map.setFeatureState({ source: 'areas', id }, { l: level });
      changed++;
    }
    return changed;
  }

  /** Every grid shown or in `grids` (after a reset, or new classes); returns how many changed. */
  refit(map: Map, grids: ReadonlyMap<string, GridStat>, steps: ClassSteps): number {
    const ids = new Set([...this.shown.keys(), ...grids.keys()]);
    return this.update(map, grids, steps, ids);
  }
}

export function fitAreas(
  map: Map,
  bounds: [number, number, number, number] | null,
  animate = false,
  padding: number | maplibregl.PaddingOptions = 40,
  duration?: number,
): void {
  if (!bounds) return;
  map.fitBounds(
    [
      [bounds[0], bounds[1]],
      [bounds[2], bounds[3]],
    ],
    duration === undefined ? { padding, animate } : { padding, animate, duration },
  );
}
