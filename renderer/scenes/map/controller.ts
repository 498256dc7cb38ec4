import type { BaseMap, ClassSteps, GridClassesConfig, MapSceneOptions } from '../../../protocol';
import type { MapView } from '../../state/show';
import type { WallState, WallStore } from '../../state/store';
import { AREA_LABEL_LAYER, addAreaLayers, fitAreas } from './areas';
import { servedGridClasses } from './gridClasses';
import { type DrawnKinds, drawnCases } from './legend';
import { CamerasOnMap } from './mapCameras';
import { CasesOnMap } from './mapCases';
import { FocusHalo } from './mapFocus';
import { GridColours } from './mapGrids';
import { createMap, type maplibregl } from './maplibre';
import { WorkersOnMap } from './mapWorkers';

/**
 * Least time between two updates of the map's live data (cases, workers, cameras, grid colours),
 * which all go together in one frame. Every source update re-tiles the source in MapLibre's
 * worker, and each tile that comes back is parsed, uploaded and redrawn on the main thread: at
 * city scale that is most of the wall's main-thread time. A wall read from 5 m needs no dot to
 * move more than once a second; one batch a second means one redraw a second, not one per source
 * at its own pace. The focus halo is not throttled.
 */
export const DATA_INTERVAL_MS = 1000;

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
  /**
   * How much larger than designed small text is drawn on this canvas (TypeContext: 1, or 4/3 on a
   * 4K screen): the map's own text (area names, cluster counts) grows by it, as CSS text does.
   */
  textScale?: number;
  onSelectCase(caseId: string): void;
  /** The grid colour classes' thresholds, once known (for the legend). */
  onClasses?(steps: ClassSteps): void;
  /** What the map draws changed (for the legend: it lists exactly that). */
  onDrawn?(drawn: DrawnKinds): void;
  /** Where the thresholds come from (default: the page's server, `GET /api/map`). */
  gridClasses?(): Promise<GridClassesConfig>;
  /** Where a presentation's step sends the map. */
  views?: { current(): MapView | null; subscribe(listener: (view: MapView | null) => void): () => void };
}

/**
 * The live map, driven from the store outside React, by job: the cases (mapCases.ts), the workers
 * (mapWorkers.ts), the cameras (mapCameras.ts), the areas and grid colours (mapGrids.ts), the focus
 * halo (mapFocus.ts); the view is kept here. Each store notification (at most one per frame) folds
 * its delta into each part; one flush on the next animation frame, no more often than
 * {@link DATA_INTERVAL_MS}, hands every part's changes to MapLibre together, one redraw.
 */
export class MapController {
  readonly map: maplibregl.Map;
  private loaded = false;
  /** The GPU context was lost while the map was loaded: {@link restore} is due when it is back. */
  private lost = false;
  private flushScheduled = false;
  private readonly cases: CasesOnMap;
  private readonly workers: WorkersOnMap;
  private readonly cameras: CamerasOnMap;
  private readonly grids: GridColours;
  private readonly focus: FocusHalo;
  /** The view was set (the first areas' fit, or a step's view): later areas do not move it. */
  private fitted = false;
  /** The view is the district's fit, nobody moved it since: a new size fits it again. */
  private autoFit = false;
  private fitting = false;
  /** What the last fit showed (a tour step's bounds, or null: the district). */
  private fitBounds: [number, number, number, number] | null = null;
  /** CSS px at the map's bottom that its legend covers (the scene measures it). */
  private legendHeight = 0;
  private lastViewSeq = -1;
  private lastData = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly unsubscribe: () => void;
  private readonly unsubscribeView: () => void;
  private destroyed = false;
  /** The last {@link DrawnKinds} told, as JSON: the legend hears only of changes. */
  private drawnKey = '';
  sourceUpdates = 0;

  constructor(
    container: HTMLElement,
    private readonly store: WallStore,
    private readonly options: MapControllerOptions,
  ) {
    const scene = options.scene;
    performance.mark('gw:map-create');
    this.map = createMap(container, { pixelRatio: options.pixelRatio, baseMap: options.baseMap });
    this.cases = new CasesOnMap(this.map, scene.showCases, options.textScale ?? 1);
    this.workers = new WorkersOnMap(scene.showWorkers);
    this.cameras = new CamerasOnMap(this.map);
    this.grids = new GridColours(this.map, scene.measure);
    void (options.gridClasses ?? servedGridClasses)().then((classes) => {
      if (this.destroyed) return;
      const steps = classes[scene.measure];
      this.grids.setClasses(steps);
      options.onClasses?.(steps);
      this.scheduleFlush();
    });
    this.focus = new FocusHalo(this.map, scene);
    this.map.on('load', () => {
      performance.mark('gw:map-load');
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
    // Every part starts as a full reset: whatever the store holds is loaded when the style is.
    this.unsubscribe = store.subscribe((s, prev) => this.onState(s, prev));
    this.unsubscribeView = options.views?.subscribe((v) => this.goTo(v)) ?? (() => undefined);
  }

  /** After a lost context: our layers again, and every source and grid colour from the store. */
  private restore(): void {
    if (!this.lost) return;
    this.lost = false;
    this.addCustomLayers();
    this.grids.restore();
    this.cases.changed = true;
    this.workers.changed = true;
    this.cameras.markReset();
    this.focus.dirty = true;
    this.loaded = true;
    // A tour step that came during the loss.
    this.goTo(this.options.views?.current() ?? null);
    this.scheduleFlush();
  }

  /**
   * The worker dots, then the cases and clusters over them, all under the street and community
   * names: a name is never covered by a dot or a cluster (its halo keeps it readable over them).
   */
  private addCustomLayers(): void {
    const map = this.map;
    const opts = this.options.scene;
    const dots = this.workers.layer;
    if (opts.showWorkers && !map.getLayer(dots.id)) map.addLayer(dots, AREA_LABEL_LAYER);
    const cases = this.cases.layer;
    if (opts.showCases && !map.getLayer(cases.id)) map.addLayer(cases, AREA_LABEL_LAYER);
  }

  private addLayers(): void {
    const map = this.map;
    const opts = this.options.scene;
    addAreaLayers(map, opts.measure, this.options.textScale ?? 1);
    // Cameras, workers and cases under the area names; the focus halo over everything.
    this.cameras.addLayer(opts.showCameras);
    this.addCustomLayers();
    this.focus.addLayer();
    map.on('click', (e) => this.cases.click(e.point, this.options.onSelectCase));
    // The case layer holds the clusters of one zoom level within the view: a new view needs its own.
    // Any move but our own fit (a click, a tour step, the focus) keeps its view on a resize.
    map.on('movestart', () => {
      if (!this.fitting) this.autoFit = false;
    });
    map.on('moveend', () => {
      this.sourceUpdates += this.cases.send(this.loaded);
      this.tellDrawn();
    });
  }

  /** Flies to a presentation step's view, once per view (its `seq`), after the style loaded. */
  private goTo(view: MapView | null): void {
    if (!view || !this.loaded || view.seq === this.lastViewSeq) return;
    this.lastViewSeq = view.seq;
    this.autoFit = false;
    // The district fit on the first areas must not undo the step's view.
    this.fitted = true;
    if (view.kind === 'fit') this.fit(view.bounds, 1500);
    else this.map.flyTo({ center: view.center, zoom: view.zoom, duration: 1500 });
  }

  /** The first areas set the view: the scene's centre, or the whole district. */
  private fitFirst(s: WallState): void {
    if (this.fitted) return;
    this.fitted = true;
    const o = this.options.scene;
    if (o.center) this.map.jumpTo({ center: o.center, zoom: o.zoom ?? 13 });
    else this.fitDistrict(s);
  }

  /** CSS px at the map's bottom that its legend covers, and a margin: what a fit keeps clear. */
  private legendRoom(): number {
    return Math.min(this.legendHeight + 24, this.map.getContainer().clientHeight / 3);
  }

  /** The legend's height changed (it lists what is drawn): the district's fit keeps above it. */
  setLegendHeight(px: number): void {
    if (Math.abs(px - this.legendHeight) < 1) return;
    this.legendHeight = px;
    if (this.autoFit && this.loaded) this.fitDistrict(this.store.getState());
  }

  /** The whole district (or a tour step's bounds), above the legend that lies over the map's bottom. */
  private fitDistrict(s: WallState): void {
    this.fit(this.fitBounds ?? s.areas.bounds, 0);
  }

  /**
   * Fits bounds above the legend; until someone moves the map, a new size of the map or of its
   * legend fits them again.
   */
  private fit(bounds: [number, number, number, number] | null, duration: number): void {
    if (!bounds) return;
    this.fitBounds = bounds;
    const padding = { top: 40, left: 40, right: 40, bottom: Math.max(40, this.legendRoom()) };
    this.fitting = true;
    try {
      fitAreas(this.map, bounds, duration > 0, padding, duration);
    } finally {
      this.fitting = false;
    }
    this.autoFit = true;
  }

  private onState(s: WallState, prev: WallState): void {
    if (s.areas !== prev.areas) this.grids.onAreas();
    if (s.cases !== prev.cases) {
      this.grids.onCases(s.cases);
      this.cases.onCases(s.cases);
    }
    if (s.workers !== prev.workers) this.workers.onWorkers(s.workers);
    if (s.cameras !== prev.cameras) this.cameras.onCameras(s.cameras);
    this.focus.onState(s, prev);
    this.scheduleFlush();
  }

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

  /** The one flush a frame: every part's changes to the map together. */
  private flush(): void {
    const s = this.store.getState();
    const now = performance.now();
    if (this.grids.flushAreas(s)) this.fitFirst(s);
    // A reset (a snapshot) goes at once; changes wait for the next batch and pile up, merged, meanwhile.
    const anyReset = this.grids.reset || this.cases.reset || this.workers.reset || this.cameras.reset;
    const pending = this.grids.pending || this.cases.changed || this.workers.changed || this.cameras.pending;
    if (anyReset || (pending && this.due(now))) {
      this.lastData = now;
      this.grids.flush(s);
      const caseUpdates = this.cases.flush(s, this.loaded);
      this.sourceUpdates += caseUpdates;
      // The cold start's stage: the first source update with the snapshot's cases (test/bench/coldstart.ts).
      if (
        caseUpdates > 0 &&
        s.ready &&
        s.cases.byId.size > 0 &&
        performance.getEntriesByName('gw:map-cases').length === 0
      )
        performance.mark('gw:map-cases');
      this.sourceUpdates += this.workers.flush(s);
      this.sourceUpdates += this.cameras.flush(s);
      this.tellDrawn(s);
    }
    if (this.focus.dirty) this.focus.flush(s);
  }

  /** What the map draws now, by kind: the cases and clusters on screen, the dots, the cameras. */
  drawn(s: WallState = this.store.getState()): DrawnKinds {
    const opts = this.options.scene;
    const canvas = this.map.getCanvas();
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    const onScreen = opts.showCases
      ? this.cases.layer.current.filter((m) => {
          const p = this.map.project([m.lng, m.lat]);
          const r = m.radius + m.strokeWidth;
          return p.x >= -r && p.y >= -r && p.x <= w + r && p.y <= h + r;
        })
      : [];
    return {
      cases: drawnCases(onScreen),
      workers: opts.showWorkers ? this.workers.drawn() : { on: false, off: false },
      cameras: this.cameras.drawn(s, opts.showCameras),
    };
  }

  private tellDrawn(s?: WallState): void {
    const listener = this.options.onDrawn;
    if (!listener || !this.loaded) return;
    const drawn = this.drawn(s);
    const key = JSON.stringify(drawn);
    if (key === this.drawnKey) return;
    this.drawnKey = key;
    listener(drawn);
  }

  /** Whether the map shows the store's cases (or hides cases): for the page's `data-loaded`. */
  get casesDrawn(): boolean {
    return this.cases.drawn;
  }

  /** [tests, devtools] The cases and clusters drawn now, topmost last, on the map's canvas in CSS pixels. */
  marksOnScreen(): MarkOnScreen[] {
    return this.cases.layer.current.map((m) => {
      const p = this.map.project([m.lng, m.lat]);
      return { id: m.id, cluster: m.cluster, label: m.label, x: p.x, y: p.y, reach: m.radius + m.strokeWidth };
    });
  }

  setPixelRatio(ratio: number): void {
    this.map.setPixelRatio(ratio);
  }

  resize(): void {
    this.map.resize();
    // A region that got its size after the first fit (the layout scaling in) shows the whole district.
    if (this.autoFit && this.loaded) this.fitDistrict(this.store.getState());
  }

  destroy(): void {
    this.destroyed = true;
    this.unsubscribe();
    this.unsubscribeView();
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.map.remove();
  }
}
