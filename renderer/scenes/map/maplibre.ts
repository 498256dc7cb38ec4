import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { Protocol } from 'pmtiles';
import type { BaseMap } from '../../../protocol';
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

export function baseStyleWith(baseMap: BaseMap | null): maplibregl.StyleSpecification {
  const style = structuredClone(baseStyle) as maplibregl.StyleSpecification;
  if (!baseMap) return style;
  const source: maplibregl.RasterSourceSpecification =
    baseMap.type === 'xyz'
      ? { type: 'raster', tiles: baseMap.tiles, tileSize: baseMap.tileSize }
      : { type: 'raster', url: `pmtiles://${baseMap.url}`, tileSize: 256 };
  style.sources = { ...style.sources, base: source };
  style.layers = [...style.layers, { id: 'base', type: 'raster', source: 'base', paint: { 'raster-opacity': 0.6 } }];
  return style;
}

export function createMap(
  container: HTMLElement,
  options: { pixelRatio: number; baseMap: BaseMap | null; interactive?: boolean },
): maplibregl.Map {
  return new maplibregl.Map({
    container,
    style: baseStyleWith(options.baseMap),
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
    // Nothing on the wall comes from elsewhere; refuse anything that would leave the origin.
    transformRequest: (url) => {
      const ok =
        url.startsWith(location.origin) ||
        url.startsWith('blob:') ||
        url.startsWith('data:') ||
        url.startsWith('pmtiles://');
      return ok || options.baseMap ? { url } : { url: 'data:,' };
    },
  });
}
