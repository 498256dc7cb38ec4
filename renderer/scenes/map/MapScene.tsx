import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MapSceneOptions } from '../../../protocol';
import { useCanvasPixelRatio, useLayout, useRuntime } from '../../ui/context';
import { defaultSteps, type Steps } from './areas';
import { MapController, type MarkOnScreen } from './controller';
import { theme } from './maplibre';
import { ringOnScreenCameras } from './onScreenRing';
import './map.css';

/** The map's element, with what a test (or devtools) can ask of it. */
export type MapElement = HTMLDivElement & { gridwallMarks?: () => MarkOnScreen[] };

export function MapScene(props: { options: MapSceneOptions }) {
  const { t } = useTranslation();
  const runtime = useRuntime();
  const layout = useLayout();
  const pixelRatio = useCanvasPixelRatio();
  const ref = useRef<HTMLDivElement>(null);
  const controller = useRef<MapController | null>(null);
  // The map is built once per scene at the ratio of the moment; later changes go through setPixelRatio.
  const initialRatio = useRef(pixelRatio);
  // Presets that share a map region pass equal options as new objects: the map must not be rebuilt.
  const optionsKey = JSON.stringify(props.options);
  const options = useMemo(() => JSON.parse(optionsKey) as MapSceneOptions, [optionsKey]);
  const [steps, setSteps] = useState<Steps>(() => defaultSteps(options.measure));

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const c = new MapController(el, runtime.store, {
      scene: options,
      baseMap: layout.baseMap,
      pixelRatio: initialRatio.current,
      onSelectCase: (id) => runtime.focus(id, 'local'),
      onSteps: setSteps,
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
  }, [runtime, options, layout.baseMap, layout.name]);

  useEffect(() => {
    controller.current?.setPixelRatio(pixelRatio);
  }, [pixelRatio]);

  return (
    <div className="gw-map-scene">
      <div ref={ref} className="gw-map" data-testid="map" />
      <div className="gw-map-legend">
        <span className="gw-legend-title">
          {t(options.measure === 'overdue' ? 'map.measureOverdue' : 'map.measureOpen')}
          <span className="gw-legend-steps" data-testid="map-steps">
            <Swatch color={theme.areaFill.low} label={`≥${steps[0]}`} />
            <Swatch color={theme.areaFill.mid} label={`≥${steps[1]}`} />
            <Swatch color={theme.areaFill.high} label={`≥${steps[2]}`} />
          </span>
        </span>
        {options.showCases ? (
          <>
            <Legend color={theme.case.filed} label={t('map.legendOpen')} />
            <Legend color={theme.overdue} label={t('map.legendOverdue')} />
            <Legend color={theme.case.filed} label={t('map.legendUrgent')} ring />
          </>
        ) : null}
        {options.showWorkers ? <Legend color={theme.worker} label={t('map.legendWorker')} small /> : null}
        {options.showCameras ? <Legend color={theme.camera.online} label={t('map.legendCamera')} small /> : null}
      </div>
    </div>
  );
}

function Swatch(props: { color: string; label: string }) {
  return (
    <span className="gw-swatch">
      <span className="gw-swatch-box" style={{ background: props.color }} />
      {props.label}
    </span>
  );
}

function Legend(props: { color: string; label: string; ring?: boolean; small?: boolean }) {
  return (
    <span className="gw-legend-item">
      <span
        className={`gw-legend-dot${props.small ? ' gw-legend-dot-small' : ''}`}
        style={{ background: props.color, boxShadow: props.ring ? '0 0 0 3px #fff' : undefined }}
      />
      {props.label}
    </span>
  );
}
