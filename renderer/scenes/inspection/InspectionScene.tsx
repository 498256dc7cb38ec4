import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { InspectionPoint, InspectionPointState, InspectionSceneOptions } from '../../../protocol';
import type { WallState, WallStore } from '../../state/store';
import { useCanvasPixelRatio, useLayout, useRuntime, useWall } from '../../ui/context';
import { count } from '../../ui/format';
import { addAreaLayers, fitAreas, setAreas } from '../map/areas';
import { collection, SourceDiff } from '../map/features';
import { createMap, LOCAL_FONTS, type maplibregl } from '../map/maplibre';
import { inspectionEmptyReason } from '../status/empty';
import { kindColor, STATE_RING } from './icons';
import './inspection.css';

const ICON_PX = 30;

/** A round icon per (kind, state): the kind's colour and first character, ringed by its state. */
function drawIcon(kind: string, glyph: string, state: InspectionPointState, ratio: number): ImageData {
  const size = Math.round(ICON_PX * ratio);
  const canvas = new OffscreenCanvas(size, size);
  const g = canvas.getContext('2d');
  if (!g) throw new Error('no 2d context');
  const r = size / 2;
  g.beginPath();
  g.arc(r, r, r - 1.5 * ratio, 0, Math.PI * 2);
  // Not yet checked today: the kind's colour, faded, so the kind still reads and the room sees what is left.
  g.globalAlpha = state === 'unchecked' ? 0.4 : 1;
  g.fillStyle = kindColor(kind);
  g.fill();
  g.globalAlpha = 1;
  g.lineWidth = (state === 'issue' ? 4 : 2) * ratio;
  g.strokeStyle = STATE_RING[state];
  if (state === 'unchecked') g.setLineDash([3 * ratio, 2 * ratio]);
  g.stroke();
  g.setLineDash([]);
  if (state === 'issue') {
    // A second, outer red ring: an issue reads as a warning sign, whatever the kind's colour.
    g.beginPath();
    g.arc(r, r, r - 4.5 * ratio, 0, Math.PI * 2);
    g.lineWidth = 1.5 * ratio;
    g.strokeStyle = '#ffffff';
    g.stroke();
  }
  g.fillStyle = '#ffffff';
  g.font = `bold ${Math.round(15 * ratio)}px ${LOCAL_FONTS}`;
  g.textAlign = 'center';
  g.textBaseline = 'middle';
  g.fillText(glyph, r, r + ratio);
  return g.getImageData(0, 0, size, size);
}

class InspectionController {
  readonly map: maplibregl.Map;
  private loaded = false;
  private readonly diff = new SourceDiff<InspectionPoint>();
  private areasDirty = true;
  private fitted = false;
  private scheduled = false;
  private readonly unsubscribe: () => void;

  constructor(
    container: HTMLElement,
    private readonly store: WallStore,
    private readonly options: InspectionSceneOptions,
    private readonly pixelRatio: number,
    baseMap: Parameters<typeof createMap>[1]['baseMap'],
  ) {
    this.map = createMap(container, { pixelRatio, baseMap });
    this.map.on('styleimagemissing', (e) => this.addIcon(e.id));
    this.map.on('load', () => {
      addAreaLayers(this.map, 'none');
      this.map.addSource('inspection', { type: 'geojson', data: collection([]), promoteId: 'id' });
      this.map.addLayer({
        id: 'inspection-point',
        type: 'symbol',
        source: 'inspection',
        layout: {
          'icon-image': ['concat', 'ip|', ['get', 'k'], '|', ['get', 's']],
          'icon-allow-overlap': true,
          'icon-ignore-placement': true,
          // Problems larger than the rest: the room should find them without looking for them.
          'icon-size': [
            'interpolate',
            ['linear'],
            ['zoom'],
            10,
            ['match', ['get', 's'], 'issue', 0.8, 0.45],
            13,
            ['match', ['get', 's'], 'issue', 1.1, 0.75],
            16,
            ['match', ['get', 's'], 'issue', 1.3, 1],
          ],
          // Problems on top: they are what the room looks for.
          'symbol-sort-key': ['match', ['get', 's'], 'issue', 2, 'unchecked', 1, 0],
        },
      });
      this.loaded = true;
      this.schedule();
    });
    this.unsubscribe = store.subscribe((s, prev) => this.onState(s, prev));
  }

  private addIcon(id: string): void {
    const [prefix, kind, state] = id.split('|');
    if (prefix !== 'ip' || !kind || !state || this.map.hasImage(id)) return;
    const name = this.store.getState().inspection.kinds.get(kind) ?? kind;
    const image = drawIcon(kind, [...name][0] ?? '?', state as InspectionPointState, this.pixelRatio);
    this.map.addImage(id, image, { pixelRatio: this.pixelRatio });
  }

  private onState(s: WallState, prev: WallState): void {
    if (s.areas !== prev.areas) this.areasDirty = true;
    if (s.inspection !== prev.inspection) {
      const d = s.inspection.delta;
      if (d.reset) this.diff.markReset();
      for (const p of d.changed) this.diff.upsert(p.id, p);
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || !this.loaded) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private feature(p: InspectionPoint): GeoJSON.Feature | null {
    const kinds = this.options.kinds;
    if (kinds.length > 0 && !kinds.includes(p.kind)) return null;
    return {
      type: 'Feature',
      properties: { id: p.id, k: p.kind, s: p.state },
      geometry: { type: 'Point', coordinates: [p.position.lng, p.position.lat] },
    };
  }

  private flush(): void {
    const s = this.store.getState();
    if (this.areasDirty && s.areas.list.length > 0) {
      this.areasDirty = false;
      setAreas(this.map, s.areas.list);
      if (!this.fitted) {
        this.fitted = true;
        fitAreas(this.map, s.areas.bounds);
      }
    }
    const source = this.map.getSource('inspection') as maplibregl.GeoJSONSource | undefined;
    if (!source || !this.diff.pending) return;
    if (this.diff.reset) {
      const features: GeoJSON.Feature[] = [];
      for (const p of s.inspection.byId.values()) {
        const f = this.feature(p);
        if (f) features.push(f);
      }
      void source.setData(collection(features));
    } else {
      const add: GeoJSON.Feature[] = [];
      for (const p of this.diff.upserts.values()) {
        const f = this.feature(p);
        if (f) add.push(f);
      }
      void source.updateData({ add });
    }
    this.diff.clear();
  }

  destroy(): void {
    this.unsubscribe();
    this.map.remove();
  }
}

/** 兴隆台's wall of dense round icons: every inspection point by kind and state, readable at a glance. */
export function InspectionScene(props: { options: InspectionSceneOptions }) {
  const { t } = useTranslation();
  const runtime = useRuntime();
  const layout = useLayout();
  const pixelRatio = useCanvasPixelRatio();
  const ref = useRef<HTMLDivElement>(null);
  const counts = useWall((s) => s.inspection.counts);
  const rev = useWall((s) => s.inspection.rev);
  const total = counts.normal + counts.issue + counts.unchecked;
  const ready = useWall((s) => s.ready);
  const empty = inspectionEmptyReason({ ready, total });
  const { options } = props;

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const c = new InspectionController(el, runtime.store, options, pixelRatio, layout.baseMap);
    const markLoaded = () => {
      const m = c.map;
      if (!runtime.store.getState().ready || !m.getSource('inspection') || !m.getSource('areas')) return;
      if (m.isSourceLoaded('inspection') && m.isSourceLoaded('areas')) {
        el.dataset.loaded = '1';
        m.off('render', markLoaded);
      }
    };
    c.map.on('render', markLoaded);
    // Points and names are placed per tile as tiles arrive: the map is still changing until every
    // source's tiles are in (what a screenshot or a presenter waits for). The points change seldom,
    // so this settles; a new set of points marks it moving again.
    el.dataset.moving = '1';
    const settle = () => {
      el.dataset.moving = c.map.loaded() ? '0' : '1';
    };
    const unsettle = () => {
      el.dataset.moving = '1';
    };
    c.map.on('render', settle);
    c.map.on('sourcedataloading', unsettle);
    const ro = new ResizeObserver(() => c.map.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      c.destroy();
    };
  }, [runtime, options, pixelRatio, layout.baseMap]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `rev` marks a change of the points
  const kinds = useMemo(() => {
    const s = runtime.store.getState().inspection;
    const byKind = new Map<string, { name: string; n: number; issue: number }>();
    for (const p of s.byId.values()) {
      const k = byKind.get(p.kind) ?? { name: p.kindName, n: 0, issue: 0 };
      k.n++;
      if (p.state === 'issue') k.issue++;
      byKind.set(p.kind, k);
    }
    return [...byKind.entries()].sort((a, b) => b[1].issue - a[1].issue || b[1].n - a[1].n).slice(0, 10);
  }, [runtime, rev]);

  return (
    <div className="gw-inspection" data-testid="inspection">
      <div ref={ref} className="gw-map" data-testid="inspection-map" />
      <div className="gw-inspection-panel">
        <div className="gw-scene-title">{t('inspection.title')}</div>
        <div className="gw-inspection-total" data-testid="inspection-total" data-value={total}>
          {t('inspection.total')} <b>{count(total)}</b>
        </div>
        <div className="gw-inspection-states">
          <span className="gw-state gw-state-normal">
            {t('inspection.normal')} <b>{count(counts.normal)}</b>
          </span>
          <span className="gw-state gw-state-issue">
            {t('inspection.issue')} <b>{count(counts.issue)}</b>
          </span>
          <span className="gw-state gw-state-unchecked">
            {t('inspection.unchecked')} <b>{count(counts.unchecked)}</b>
          </span>
        </div>
        <ol className="gw-inspection-kinds">
          {kinds.map(([kind, k]) => (
            <li key={kind}>
              <span className="gw-kind-dot" style={{ background: kindColor(kind) }} />
              <span className="gw-kind-name">{k.name}</span>
              <span className="gw-kind-n">{count(k.n)}</span>
              {k.issue > 0 ? <span className="gw-kind-issue">{count(k.issue)}</span> : null}
            </li>
          ))}
        </ol>
        {empty ? (
          <div className="gw-empty" data-reason={empty}>
            {t(empty)}
          </div>
        ) : null}
      </div>
    </div>
  );
}
