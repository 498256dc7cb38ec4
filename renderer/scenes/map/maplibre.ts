import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { Protocol } from 'pmtiles';
import { z } from 'zod';
import { type BaseMap, BaseMap as BaseMapSchema } from '../../../protocol';
import baseStyle from '../../../resources/map/base-style.json';
import theme from '../../../resources/map/theme.json';

// MapLibre 6 finds its worker next to its own module; a bundler moves that module, so the worker
// file is emitted as an asset of ours and named here, once, before any map exists.
maplibregl.setWorkerUrl(workerUrl);
maplibregl.addProtocol('pmtiles', new Protocol().tile);

export { maplibregl, theme };

/**
 * CJK and Latin labels are drawn in the page (the style has no glyphs URL: offline), first with the
 * bundled GridWall Sans (resources/fonts), then with system CJK fonts for what its subset lacks.
 */
export const LOCAL_FONTS =
  '"GridWall Sans", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei", sans-serif';
/** MapLibre takes the CSS family and the weight ("Bold") from these names: see fonts.css. */
export const LABEL_FONT = ['GridWall Sans Bold', 'Noto Sans CJK SC Bold', 'Microsoft YaHei Bold'];

/** A base map URL as MapLibre needs it: absolute, `/…` taken from the page's server. */
function absolute(url: string): string {
  return url.startsWith('/') && !url.startsWith('//') ? `${location.origin}${url}` : url;
}

export const BASE_LAYER = 'base';

function baseSource(baseMap: BaseMap): maplibregl.RasterSourceSpecification {
  if (baseMap.type === 'pmtiles') return { type: 'raster', url: `pmtiles://${absolute(baseMap.url)}`, tileSize: 256 };
  const source: maplibregl.RasterSourceSpecification = {
    type: 'raster',
    // Not an encoded URL: `{z}` must stay as it is.
    tiles: baseMap.tiles.map(absolute),
    tileSize: baseMap.tileSize,
  };
  if (baseMap.minzoom !== undefined) source.minzoom = baseMap.minzoom;
  if (baseMap.maxzoom !== undefined) source.maxzoom = baseMap.maxzoom;
  return source;
}

const baseLayer: maplibregl.RasterLayerSpecification = {
  id: BASE_LAYER,
  type: 'raster',
  source: BASE_LAYER,
  paint: { 'raster-opacity': 0.6 },
};

export function baseStyleWith(baseMap: BaseMap | null): maplibregl.StyleSpecification {
  const style = structuredClone(baseStyle) as maplibregl.StyleSpecification;
  if (!baseMap) return style;
  style.sources = { ...style.sources, [BASE_LAYER]: baseSource(baseMap) };
  style.layers = [...style.layers, baseLayer];
  return style;
}

/** Origins a map may load from: the page's server, and the hosts a layout's base map names. */
export function allowedOrigins(baseMap: BaseMap | null): string[] {
  const origins = [location.origin];
  const urls = !baseMap ? [] : baseMap.type === 'xyz' ? baseMap.tiles : [baseMap.url];
  for (const url of urls) {
    try {
      const origin = new URL(absolute(url).replace(/[{}]/g, '')).origin;
      if (origin !== 'null' && !origins.includes(origin)) origins.push(origin);
    } catch {
      // Not a URL: MapLibre will fail on it and say so.
    }
  }
  return origins;
}

const ServedBaseMap = z.object({ baseMap: BaseMapSchema.nullable() });
let served: Promise<BaseMap | null> | null = null;

/** The base map the page's server serves from its config (`/api/basemap`), asked once per page. */
export function servedBaseMap(): Promise<BaseMap | null> {
  served ??= fetch(`${location.origin}/api/basemap`)
    .then((res) => (res.ok ? res.json() : null))
    .then((raw: unknown) => {
      const parsed = ServedBaseMap.safeParse(raw);
      return parsed.success ? parsed.data.baseMap : null;
    })
    .catch(() => null);
  return served;
}

/** Puts a base map right above the background, under every layer of the wall's own data. */
function addBaseMap(map: maplibregl.Map, baseMap: BaseMap): void {
  if (map.getSource(BASE_LAYER)) return;
  map.addSource(BASE_LAYER, baseSource(baseMap));
  const above = map.getStyle().layers.find((l) => l.id !== 'background');
  map.addLayer(baseLayer, above?.id);
}

export function createMap(
  container: HTMLElement,
  options: { pixelRatio: number; baseMap: BaseMap | null; interactive?: boolean },
): maplibregl.Map {
  // A layout's base map is in the style from the start; otherwise the server's, once it answers.
  const own = options.baseMap;
  let origins = allowedOrigins(own);
  const map = new maplibregl.Map({
    container,
    style: baseStyleWith(own),
    center: [106.23, 38.5],
    zoom: 11,
    pixelRatio: options.pixelRatio,
    attributionControl: false,
    localIdeographFontFamily: LOCAL_FONTS,
    dragRotate: false,
    pitchWithRotate: false,
    touchPitch: false,
    interactive: options.interactive ?? true,
    fadeDuration: 0,
    // Nothing on the wall comes from elsewhere; refuse anything that would leave the allowed origins.
    transformRequest: (url) => {
      const ok =
        url.startsWith('blob:') ||
        url.startsWith('data:') ||
        url.startsWith('pmtiles://') ||
        origins.some((o) => url === o || url.startsWith(`${o}/`));
      return ok ? { url } : { url: 'data:,' };
    },
  });
  if (!own) {
    let removed = false;
    map.once('remove', () => {
      removed = true;
    });
    map.once('load', () => {
      void servedBaseMap().then((baseMap) => {
        // The map may be gone by then (a scene rotated away).
        if (!baseMap || removed) return;
        origins = allowedOrigins(baseMap);
        addBaseMap(map, baseMap);
      });
    });
  }
  return map;
}
