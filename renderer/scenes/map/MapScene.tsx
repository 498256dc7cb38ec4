import { useContext, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClassSteps, MapSceneOptions } from '../../../protocol';
import { TypeContext, useCanvasPixelRatio, useLayout, useRuntime } from '../../ui/context';
import { MapController, type MarkOnScreen } from './controller';
import { type DrawnKinds, type LegendMark, mapLegend, NOTHING_DRAWN } from './legend';
import { MAP_BACKGROUND, type MarkLook } from './mapStyle';
import { ringOnScreenCameras } from './onScreenRing';
import './map.css';

/** The map's element, with what a test (or devtools) can ask of it. */
export type MapElement = HTMLDivElement & { gridwallMarks?: () => MarkOnScreen[] };

export function MapScene(props: { options: MapSceneOptions }) {
  const { t } = useTranslation();
  const runtime = useRuntime();
  const layout = useLayout();
  const pixelRatio = useCanvasPixelRatio();
  // The map's own text (area names, cluster counts) grows as CSS text does on this canvas.
  const textScale = useContext(TypeContext);
  const ref = useRef<HTMLDivElement>(null);
  const controller = useRef<MapController | null>(null);
  // The map is built once per scene at the ratio of the moment; later changes go through setPixelRatio.
  const initialRatio = useRef(pixelRatio);
  // Presets that share a map region pass equal options as new objects: the map must not be rebuilt.
  const optionsKey = JSON.stringify(props.options);
  const options = useMemo(() => JSON.parse(optionsKey) as MapSceneOptions, [optionsKey]);
  const [steps, setSteps] = useState<ClassSteps | null>(null);
  const [drawn, setDrawn] = useState<DrawnKinds>(NOTHING_DRAWN);
  const legend = useMemo(() => mapLegend(options, steps, drawn), [options, steps, drawn]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const c = new MapController(el, runtime.store, {
      scene: options,
      baseMap: layout.baseMap,
      pixelRatio: initialRatio.current,
      textScale,
      onSelectCase: (id) => runtime.focus(id, 'local'),
      onClasses: setSteps,
      onDrawn: setDrawn,
      views: {
        current: () => runtime.show.getState().view,
        subscribe: (listener) =>
          runtime.show.subscribe((s, prev) => {
            if (s.view !== prev.view) listener(s.view);
          }),
      },
    });
    controller.current = c;
    const stopRing = ringOnScreenCameras(c.map, runtime.store, layout.name);
    // State a test (or an operator's devtools) can read without reaching into the map.
    // Not 'idle': a live map under steady updates on a slow machine may never be idle.
    const markLoaded = () => {
      const m = c.map;
      if (!runtime.store.getState().ready || !m.getSource('areas')) return;
      if (c.casesDrawn && m.isSourceLoaded('areas')) {
        el.dataset.loaded = '1';
        m.off('render', markLoaded);
      }
    };
    c.map.on('render', markLoaded);
    (el as MapElement).gridwallMarks = () => c.marksOnScreen();
    // Whether the map's GPU context is lost (a test, or an operator's devtools, can read it).
    c.map.on('webglcontextlost', () => {
      el.dataset.context = 'lost';
    });
    c.map.on('webglcontextrestored', () => {
      el.dataset.context = 'restored';
    });
    el.dataset.moving = '0';
    c.map.on('movestart', () => {
      el.dataset.moving = '1';
    });
    c.map.on('moveend', () => {
      el.dataset.moving = '0';
      const center = c.map.getCenter();
      el.dataset.center = `${center.lng.toFixed(5)},${center.lat.toFixed(5)}`;
      el.dataset.zoom = c.map.getZoom().toFixed(2);
    });
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      stopRing();
      c.destroy();
      controller.current = null;
    };
  }, [runtime, options, layout.baseMap, layout.name, textScale]);

  useEffect(() => {
    controller.current?.setPixelRatio(pixelRatio);
  }, [pixelRatio]);

  // The district is fitted above the legend, whatever it lists.
  const legendRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = legendRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => controller.current?.setLegendHeight(el.offsetHeight + 14));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  return (
    <div className="gw-map-scene">
      <div ref={ref} className="gw-map" data-testid="map" />
      <div ref={legendRef} className={`gw-map-legend gw-map-legend-${legend.measure}`} data-testid="map-legend">
        <div className="gw-legend-title">{t(legend.title)}</div>
        {legend.classes.length > 0 ? (
          <div className="gw-legend-steps" data-testid="map-steps">
            {legend.classes.map((c) => (
              <span key={c.range} className="gw-swatch" data-range={c.range}>
                <span
                  className="gw-swatch-box"
                  style={{ background: `linear-gradient(${c.fill}, ${c.fill}), ${MAP_BACKGROUND}` }}
                />
                {c.range}
              </span>
            ))}
          </div>
        ) : null}
        {legend.marks.length > 0 ? (
          <div className="gw-legend-marks">
            {legend.marks.map((m) => (
              <LegendItem key={m.label} mark={m} label={t(m.label)} />
            ))}
          </div>
        ) : null}
      </div>
    </div>
  );
}

/**
 * A mark as the map draws it: the same fill, rim and size (CSS px of the canvas). On a canvas whose
 * small text grows (a 4K screen) it grows with its count, so the count stays inside it at 22 px.
 */
function MarkIcon(props: { look: MarkLook; count?: string }) {
  const { fill, stroke, radius, strokeWidth } = props.look;
  const type = useContext(TypeContext);
  const size = 2 * (radius + strokeWidth) * (props.count ? type : 1);
  return (
    <span
      className="gw-legend-mark"
      style={{
        width: size,
        height: size,
        background: fill,
        boxShadow: `inset 0 0 0 ${strokeWidth}px ${stroke}`,
      }}
    >
      {/* The count as the map draws it on a cluster (22 px): a picture of the mark, not text to read. */}
      {props.count ? (
        <span className="gw-legend-count" aria-hidden="true">
          {props.count}
        </span>
      ) : null}
    </span>
  );
}

function LegendItem(props: { mark: LegendMark; label: string }) {
  return (
    <span className="gw-legend-item" data-legend={props.mark.label}>
      <span className="gw-legend-icon">
        <MarkIcon look={props.mark.look} count={props.mark.count} />
      </span>
      {props.label}
    </span>
  );
}
