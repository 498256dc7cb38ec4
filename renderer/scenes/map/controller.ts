import type { BaseMap, Camera, MapSceneOptions } from '../../../protocol';
import type { WorkerLite } from '../../../protocol/lite';
import type { MapView } from '../../state/show';
import type { WallState, WallStore } from '../../state/store';
import {
  AREA_LABEL_LAYER,
  addAreaLayers,
  defaultSteps,
  fitAreas,
  GridLevels,
  quantileSteps,
  type Steps,
  setAreas,
} from './areas';
import { CaseClusters } from './caseClusters';
import { CaseLayer } from './caseLayer';
import { DotLayer } from './dotLayer';
import { cameraFeature, collection, SourceDiff } from './features';
import { createMap, LOCAL_FONTS, type maplibregl, theme } from './maplibre';

type GeoJSONSource = maplibregl.GeoJSONSource;

/**
 * Least time between two updates of the map's live data (cases, workers, cameras, grid colours),
 * which all go together in one frame. Every source update re-tiles the source in MapLibre's
 * worker, and each tile that comes back is parsed, uploaded and redrawn on the main thread: at
 * city scale that is most of the wall's main-thread time. A wall read from 5 m needs no dot to
 * move more than once a second; one batch a second means one redraw a second, not one per source
 * at its own pace. The focus halo is not throttled.
 */
export const DATA_INTERVAL_MS = 1000;

const FOCUS_LAYER = 'focus-halo';

export interface MarkOnScreen {
  id: string;
  cluster: boolean;
  label: string | null;
  x: number;
  y: number;
  /** Its radius, rim included. */
  reach: number;
}

export interface MapControllerOptions {
  scene: MapSceneOptions;
  baseMap: BaseMap | null;
  pixelRatio: number;
  onSelectCase(caseId: string): void;
  /** The grid colour steps changed (for the legend). */
  onSteps?(steps: Steps): void;
  /** [presenter] Where a tour step sends the map. */
  views?: { current(): MapView | null; subscribe(listener: (view: MapView | null) => void): () => void };
}

/**
 * The live map, driven from the store outside React. Each store notification (at most one per
 * frame) folds its delta into the case clusters, the worker dots' array and the cameras' diff; a
 * flush on the next animation frame, no more often than {@link DATA_INTERVAL_MS}, hands the cases
 * in view to their layer, the cameras' diff (`updateData`) and the grid colours to MapLibre, and
 * asks for one redraw.
 */
export class MapController {
  readonly map: maplibregl.Map;
  private loaded = false;
  /** The GPU context was lost while the map was loaded: {@link restore} is due when it is back. */
  private lost = false;
  private flushScheduled = false;
  /** The store's cases need loading whole (a snapshot), or the clusters changed since the map got them. */
  private casesReset = true;
  private casesChanged = false;
  /** The store's workers need loading whole (a snapshot), or dots moved since the map last drew them. */
  private workersReset = true;
  private workersChanged = false;
  private readonly cameras = new SourceDiff<Camera>();
  private readonly touchedGrids = new Set<string>();
  private readonly gridLevels: GridLevels;
  /** Grid workers: a custom layer, not a GeoJSON source (see dotLayer.ts). */
  private readonly workerDots = new DotLayer('worker', {
    palette: [theme.worker, theme.workerOff],
    opacity: 0.9,
    radius: { zoom: [10, 15], px: [2, 5] },
  });
  private gridsReset = true;
  private areasDirty = true;
  private focusDirty = true;
  private fitted = false;
  private readonly unsubscribe: () => void;
  private readonly clusters = new CaseClusters({ radiusPx: 42, maxZoom: 14 });
  /** Cases and clusters: a custom layer, not a GeoJSON source (see caseLayer.ts). */
  private readonly caseLayer = new CaseLayer('cases', theme, LOCAL_FONTS);
  private steps: Steps;
  private stepsAt = 0;
  private lastData = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly unsubscribeView: () => void;
  private lastViewSeq = -1;
  sourceUpdates = 0;

  constructor(
    container: HTMLElement,
    private readonly store: WallStore,
    private readonly options: MapControllerOptions,
  ) {
    this.map = createMap(container, { pixelRatio: options.pixelRatio, baseMap: options.baseMap });
    this.steps = defaultSteps(options.scene.measure);
    this.gridLevels = new GridLevels(options.scene.measure);
    this.map.on('load', () => {
      this.addLayers();
      this.loaded = true;
      this.goTo(options.views?.current() ?? null);
      this.scheduleFlush();
    });
    // A lost GPU context (a driver reset, the GPU process restarting; a wall runs for months):
    // MapLibre rebuilds its style from a snapshot once the context is back, a frame later, without
    // our custom layers or the grids' feature state, and with sources as they were at the loss.
    // Until then nothing goes to the map; the store's changes wait, folded, as they do between flushes.
    this.map.on('webglcontextlost', () => {
      if (this.loaded) this.lost = true;
      this.loaded = false;
    });
    this.map.on('webglcontextrestored', () => this.map.once('style.load', () => this.restore()));
    // Every diff starts as a full reset: whatever the store holds is loaded when the style is.
    this.unsubscribe = store.subscribe((s, prev) => this.onState(s, prev));
    this.unsubscribeView = options.views?.subscribe((v) => this.goTo(v)) ?? (() => undefined);
  }

  /** After a lost context: our layers again, and every source and grid colour from the store. */
  private restore(): void {
    if (!this.lost) return;
    this.lost = false;
    this.addCustomLayers();
    // The areas' source came back with its data but without feature state: every grid's step again.
    this.gridLevels.clear();
    this.gridsReset = true;
    this.casesChanged = true;
    this.workersChanged = true;
    this.cameras.markReset();
    this.focusDirty = true;
    this.loaded = true;
    // A tour step that came during the loss.
    this.goTo(this.options.views?.current() ?? null);
    this.scheduleFlush();
  }

  /** The worker dots under the area names, the cases over everything but the focus halo. */
  private addCustomLayers(): void {
    const map = this.map;
    const opts = this.options.scene;
    if (opts.showWorkers && !map.getLayer(this.workerDots.id)) map.addLayer(this.workerDots, AREA_LABEL_LAYER);
    if (opts.showCases && !map.getLayer(this.caseLayer.id)) {
      map.addLayer(this.caseLayer, map.getLayer(FOCUS_LAYER) ? FOCUS_LAYER : undefined);
    }
  }

  /** [presenter] Flies to a tour step's view, once per view (its `seq`), after the style loaded. */
  private goTo(view: MapView | null): void {
    if (!view || !this.loaded || view.seq === this.lastViewSeq) return;
    this.lastViewSeq = view.seq;
    // The district fit on the first areas must not undo the step's view.
    this.fitted = true;
    if (view.kind === 'fit') this.map.fitBounds(view.bounds, { padding: 48, duration: 1500 });
    else this.map.flyTo({ center: view.center, zoom: view.zoom, duration: 1500 });
  }

  private addLayers(): void {
    const map = this.map;
    const opts = this.options.scene;
    addAreaLayers(map, opts.measure);

    // Cameras and workers are many small dots: they go under the area names, which must stay
    // readable from across the room; cases and the focus halo go over them.
    map.addSource('cameras', { type: 'geojson', data: collection([]), promoteId: 'id' });
    map.addLayer(
      {
        id: 'camera',
        type: 'circle',
        source: 'cameras',
        layout: { visibility: opts.showCameras ? 'visible' : 'none' },
        minzoom: 12,
        paint: {
          'circle-radius': 3.5,
          'circle-color': [
            'match',
            ['get', 's'],
            'online',
            theme.camera.online,
            'fault',
            theme.camera.fault,
            theme.camera.offline,
          ],
          'circle-stroke-color': '#06142b',
          'circle-stroke-width': 1,
        },
      },
      AREA_LABEL_LAYER,
    );

    // Cases: clustered by us (caseClusters.ts) and drawn by us (caseLayer.ts), only what is on screen.
    this.addCustomLayers();

    map.addSource('focus', { type: 'geojson', data: collection([]) });
    map.addLayer({
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

    map.on('click', (e) => {
      // A map that hides the cases never adds the layer: nothing to hit.
      const mark = this.caseLayer.hit(e.point);
      if (!mark) return;
      if (!mark.cluster) {
        this.options.onSelectCase(mark.id);
        return;
      }
      const zoom = this.clusters.expansionZoom(mark.id);
      if (zoom !== null) map.easeTo({ center: [mark.lng, mark.lat], zoom });
    });
    // The layer holds the clusters of one zoom level within the view: a new view needs its own.
    map.on('moveend', () => this.sendCases());
  }

  private onState(s: WallState, prev: WallState): void {
    if (s.areas !== prev.areas) {
      this.areasDirty = true;
      this.gridsReset = true;
    }
    if (s.cases !== prev.cases) {
      const d = s.cases.delta;
      if (d.reset) {
        this.casesReset = true;
        this.gridsReset = true;
      }
      // Folded in as each batch comes (a few hundred cases a frame), not all at once in the flush;
      // after a reset the flush loads them all, and a map that hides the cases has nothing to cluster.
      if (!this.casesReset && this.options.scene.showCases) {
        for (const c of d.upserted) {
          if (c.endedAt === null ? this.clusters.set(c) : this.clusters.remove(c.id)) this.casesChanged = true;
        }
        for (const id of d.removed) if (this.clusters.remove(id)) this.casesChanged = true;
      }
      for (const g of d.grids) this.touchedGrids.add(g);
    }
    if (s.workers !== prev.workers) {
      const d = s.workers.delta;
      if (d.reset) this.workersReset = true;
      else if (!this.workersReset && this.options.scene.showWorkers && d.changed.length > 0) {
        // Into the dots' array as each batch comes; the map is asked to redraw them in the flush.
        for (const w of d.changed) this.putWorker(w);
        this.workersChanged = true;
      }
    }
    if (s.cameras !== prev.cameras) {
      const d = s.cameras.delta;
      if (d.reset) this.cameras.markReset();
      for (const c of d.changed) this.cameras.upsert(c.id, c);
    }
    if (s.focus !== prev.focus) this.focusDirty = true;
    if (s.cases !== prev.cases && s.focus.caseId !== null && !this.focusedOnMap) this.focusDirty = true;
    this.scheduleFlush();
  }

  private focusedOnMap = false;

  private scheduleFlush(): void {
    if (this.flushScheduled || !this.loaded) return;
    this.flushScheduled = true;
    requestAnimationFrame(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  /** Whether the live data may update now; if not, a flush is booked for when it may. */
  private due(now: number): boolean {
    const wait = this.lastData + DATA_INTERVAL_MS - now;
    if (wait <= 0) return true;
    if (this.retryTimer === null) {
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.scheduleFlush();
      }, wait);
    }
    return false;
  }

  private flush(): void {
    const map = this.map;
    const s = this.store.getState();
    const now = performance.now();
    if (this.areasDirty && s.areas.list.length > 0) {
      this.areasDirty = false;
      setAreas(map, s.areas.list);
      // New area features: set every grid's step again (gridsReset is on).
      this.gridLevels.clear();
      if (!this.fitted) {
        this.fitted = true;
        const o = this.options.scene;
        if (o.center) map.jumpTo({ center: o.center, zoom: o.zoom ?? 13 });
        else fitAreas(map, s.areas.bounds);
      }
    }
    if (this.gridsReset || now - this.stepsAt > 30_000) this.updateSteps(s);
    // A reset (a snapshot) goes at once; changes wait for the next batch and pile up, merged, meanwhile.
    const anyReset = this.gridsReset || this.casesReset || this.workersReset || this.cameras.reset;
    const pending = this.touchedGrids.size > 0 || this.casesChanged || this.workersChanged || this.cameras.pending;
    if (anyReset || (pending && this.due(now))) {
      this.lastData = now;
      if (this.gridsReset) {
        this.gridsReset = false;
        this.gridLevels.refit(map, s.cases.grids, this.steps);
      } else if (this.touchedGrids.size > 0) {
        this.gridLevels.update(map, s.cases.grids, this.steps, this.touchedGrids);
      }
      this.touchedGrids.clear();
      this.flushCases(s);
      this.flushWorkers(s);
      this.flushSimple(
        'cameras',
        this.cameras,
        () => [...s.cameras.byId.values()],
        (c) => cameraFeature(c),
      );
    }
    if (this.focusDirty) this.flushFocus(s);
  }

  /** Re-fits the colour steps to the data now and then (not per frame: the legend must not flicker). */
  private updateSteps(s: WallState): void {
    this.stepsAt = performance.now();
    const measure = this.options.scene.measure;
    const values = [...s.cases.grids.values()].map((g) => (measure === 'overdue' ? g.overdue : g.open));
    const next = quantileSteps(values, defaultSteps(measure));
    if (next.every((v, i) => v === this.steps[i])) return;
    this.steps = next;
    this.gridLevels.refit(this.map, s.cases.grids, next);
    this.options.onSteps?.(next);
  }

  private flushCases(s: WallState): void {
    if (this.casesReset) {
      this.casesReset = false;
      this.clusters.clear();
      // A map that hides the cases has nothing to cluster.
      if (!this.options.scene.showCases) return;
      for (const c of s.cases.byId.values()) if (c.endedAt === null) this.clusters.set(c);
    } else if (!this.casesChanged) return;
    this.casesChanged = false;
    this.sendCases();
  }

  /** The clusters and single cases within the view (and half a view around it) to the map. */
  private sendCases(): void {
    if (!this.loaded || !this.options.scene.showCases) return;
    const map = this.map;
    this.clusters.setZoom(map.getZoom());
    const b = map.getBounds();
    const padLng = (b.getEast() - b.getWest()) / 2;
    const padLat = (b.getNorth() - b.getSouth()) / 2;
    const features = this.clusters.features([
      b.getWest() - padLng,
      b.getSouth() - padLat,
      b.getEast() + padLng,
      b.getNorth() + padLat,
    ]);
    this.sourceUpdates++;
    this.caseLayer.set(features);
  }

  private putWorker(w: WorkerLite): void {
    const dots = this.workerDots.dots;
    if (w.lng === null || w.lat === null) dots.remove(w.id);
    else dots.set(w.id, w.lng, w.lat, w.onDuty ? 0 : 1);
  }

  private flushWorkers(s: WallState): void {
    if (this.workersReset) {
      this.workersReset = false;
      this.workerDots.dots.clear();
      if (this.options.scene.showWorkers) for (const w of s.workers.byId.values()) this.putWorker(w);
    } else if (!this.workersChanged) return;
    this.workersChanged = false;
    this.sourceUpdates++;
    this.workerDots.changed();
  }

  private flushSimple<T>(
    sourceId: string,
    diff: SourceDiff<T>,
    all: () => T[],
    feature: (item: T) => GeoJSON.Feature | null,
  ): void {
    if (!diff.pending) return;
    const source = this.map.getSource(sourceId) as GeoJSONSource | undefined;
    if (!source) return;
    this.sourceUpdates++;
    if (diff.reset) {
      const features: GeoJSON.Feature[] = [];
      for (const item of all()) {
        const f = feature(item);
        if (f) features.push(f);
      }
      void source.setData(collection(features));
    } else {
      const add: GeoJSON.Feature[] = [];
      const remove: string[] = [...diff.removes];
      for (const [id, item] of diff.upserts) {
        const f = feature(item);
        if (f) add.push(f);
        else remove.push(id);
      }
      void source.updateData({ add, remove });
    }
    diff.clear();
  }

  private flushFocus(s: WallState): void {
    this.focusDirty = false;
    const source = this.map.getSource('focus') as GeoJSONSource | undefined;
    if (!source) return;
    const id = s.focus.caseId;
    const c = id ? s.cases.byId.get(id) : undefined;
    const full = s.focusedCase && s.focusedCase.id === id ? s.focusedCase : null;
    const pos = c ? { lng: c.lng, lat: c.lat } : full ? full.location : null;
    this.focusedOnMap = pos !== null;
    void source.setData(
      collection(
        pos ? [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [pos.lng, pos.lat] } }] : [],
      ),
    );
    if (pos && this.options.scene.followFocus) {
      this.map.flyTo({ center: [pos.lng, pos.lat], zoom: Math.max(this.map.getZoom(), 15), duration: 1500 });
    }
  }

  /** Whether the map shows the store's cases (or hides cases): for the page's `data-loaded`. */
  get casesDrawn(): boolean {
    return !this.options.scene.showCases || this.caseLayer.upToDate;
  }

  /** [tests, devtools] The cases and clusters drawn now, topmost last, on the map's canvas in CSS pixels. */
  marksOnScreen(): MarkOnScreen[] {
    return this.caseLayer.current.map((m) => {
      const p = this.map.project([m.lng, m.lat]);
      return { id: m.id, cluster: m.cluster, label: m.label, x: p.x, y: p.y, reach: m.radius + m.strokeWidth };
    });
  }

  setPixelRatio(ratio: number): void {
    this.map.setPixelRatio(ratio);
  }

  resize(): void {
    this.map.resize();
  }

  destroy(): void {
    this.unsubscribe();
    this.unsubscribeView();
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.map.remove();
  }
}
