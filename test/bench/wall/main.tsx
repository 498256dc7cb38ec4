import { useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import '../../../resources/fonts/fonts.css';
import '../../../renderer/ui/base.css';
import '../../../renderer/wall/wall.css';
import { type Case, Snapshot, WorkerPositionTuples } from '../../../protocol';
import { toCaseLite, toWorkerLite } from '../../../protocol/lite';
import { createI18n } from '../../../renderer/i18n';
import { DisplayView } from '../../../renderer/layout/DisplayView';
import { loadLayout } from '../../../renderer/layout/layouts';
import { ScaledCanvas } from '../../../renderer/layout/ScaledCanvas';
import { caseFeature, collection, workerFeature } from '../../../renderer/scenes/map/features';
import { createMap, type maplibregl } from '../../../renderer/scenes/map/maplibre';
import { LayoutContext, RuntimeContext } from '../../../renderer/ui/context';
import { WallRuntime } from '../../../renderer/wall/runtime';
import type { BenchConfig, BenchHandle, BenchToWorker, NaiveFromWorker } from './protocol';

/**
 * The wall benchmark's page (test/bench/wall/index.html): `/?mode=optimized|naive&cases=&workers=&rate=`. `optimized`
 * is the wall itself (the `single` layout: map, KPI board, alerts, case detail, status bar) fed by
 * the synthetic stream worker; `naive` applies each event to React state and calls `setData` on
 * the map per event, as a first version of such a wall would.
 */
const params = new URLSearchParams(location.search);
const mode = params.get('mode') === 'naive' ? 'naive' : 'optimized';
const num = (key: string, fallback: number) => Number(params.get(key) ?? fallback);
const config: BenchConfig = {
  mode: mode === 'naive' ? 'per-event' : 'coalesce',
  cases: num('cases', 100_000),
  workers: num('workers', 10_000),
  cameras: num('cameras', 1200),
  endedInWindow: num('ended', 10_000),
  rate: num('rate', 2000),
  positionsPerSecond: num('positions', 2000),
  speed: num('speed', 60),
};

const now = (): number => performance.timeOrigin + performance.now();
const RING = 1 << 17;
const delays = new Float64Array(RING);
let delayCount = 0;
const frames = new Float64Array(RING);
let frameCount = 0;
const recordFrame = (t: number) => {
  frames[frameCount++ % RING] = t;
  requestAnimationFrame(recordFrame);
};
requestAnimationFrame(recordFrame);

function slice(ring: Float64Array, count: number, from: number): { values: number[]; next: number } {
  const start = Math.max(from, count - RING);
  const values: number[] = [];
  for (let i = start; i < count; i++) values.push(ring[i % RING] ?? 0);
  return { values, next: count };
}

/**
 * Progress for the benchmark script, on the console: a page that cannot keep up (the naive
 * baseline) never gets round to answering `page.evaluate`, but it still logs as it goes.
 */
let lastReport = 0;
let reportedDelays = 0;
let reportedFrames = 0;
let reportedApply = 0;
/** Naive mode: synchronous handler time per 16.7 ms slot (its trace cannot be taken: the page is too busy). */
const busy = new Map<number, number>();
const SLOT_MS = 1000 / 60;
function measureBusy<T>(fn: () => T): T {
  const t0 = performance.now();
  try {
    return fn();
  } finally {
    const t1 = performance.now();
    for (let t = t0; t < t1; ) {
      const slot = Math.floor((performance.timeOrigin + t) / SLOT_MS);
      const end = Math.min(t1, (slot + 1) * SLOT_MS - performance.timeOrigin);
      busy.set(slot, (busy.get(slot) ?? 0) + Math.max(end - t, 0));
      t = end > t ? end : t + 0.001;
    }
  }
}
function report(
  source: {
    ready(): boolean;
    applied(): number;
    delays(from: number): { values: number[]; next: number };
    applyMs?(from: number): { values: number[]; next: number };
  },
  force = false,
): void {
  const t = performance.now();
  if (!force && t - lastReport < 500) return;
  lastReport = t;
  const d = source.delays(reportedDelays);
  reportedDelays = d.next;
  const f = slice(frames, frameCount, reportedFrames);
  reportedFrames = f.next;
  const done = Math.floor((performance.timeOrigin + t) / SLOT_MS) - 1;
  const slots: [number, number][] = [];
  for (const [slot, ms] of busy) {
    if (slot > done) continue;
    slots.push([slot, ms]);
    busy.delete(slot);
  }
  const a = source.applyMs?.(reportedApply) ?? { values: [], next: 0 };
  reportedApply = a.next;
  const payload = {
    apply: a.values,
    ready: source.ready(),
    applied: source.applied(),
    delays: d.values,
    frames: f.values.map((x) => performance.timeOrigin + x),
    busy: slots,
  };
  console.debug(`gridwall-bench ${JSON.stringify(payload)}`);
}

function createWorker(): Worker {
  const w = new Worker(new URL('./syntheticWorker.ts', import.meta.url), { type: 'module', name: 'stream' });
  w.postMessage({ type: 'bench-config', config } satisfies BenchToWorker);
  return w;
}

declare global {
  interface Window {
    __bench?: BenchHandle;
  }
}

/** `without=map`: the same wall with the map's region left empty, a control for what the map costs. */
const without = params.get('without');
function benchLayout(): ReturnType<typeof loadLayout> {
  const loaded = loadLayout('single');
  if (!loaded.ok || !without) return loaded;
  const displays = loaded.layout.displays.map((d) => ({
    ...d,
    presets: d.presets.map((p) => ({ ...p, regions: p.regions.filter((r) => r.scene !== without) })),
  }));
  return { ...loaded, layout: { ...loaded.layout, displays } };
}

function Optimized() {
  const [loaded] = useState(benchLayout);
  const [runtime] = useState(() => {
    if (!loaded.ok) throw new Error('no single layout');
    let worker: Worker | null = null;
    const r = new WallRuntime({
      origin: location.origin,
      params,
      wallName: 'bench',
      focusPolicy: { urgentAlertTakesFocus: false, holdSeconds: 0 },
      token: 'bench',
      createWorker: () => {
        worker = createWorker();
        return worker;
      },
    });
    const handle: BenchHandle = {
      mode: 'optimized',
      // A map fed 4,000 changes a second is never idle: ready once the data and the map's canvas are there.
      ready: () =>
        r.store.getState().ready && (without === 'map' || document.querySelector('[data-testid=map] canvas') !== null),
      applied: () => r.bridge.metrics.events,
      delays: (from) => slice(r.bridge.metrics.delays, r.bridge.metrics.delayCount, from),
      applyMs: (from) => slice(r.bridge.metrics.applyMs, r.bridge.metrics.applyCount, from),
      frames: (from) => slice(frames, frameCount, from),
      setRate: (rate, speed, positionsPerSecond) =>
        worker?.postMessage({ type: 'bench-rate', rate, speed, positionsPerSecond } satisfies BenchToWorker),
    };
    window.__bench = handle;
    setInterval(() => report(handle, true), 500);
    return r;
  });
  useEffect(() => {
    void runtime.start();
  }, [runtime]);
  const [i18n] = useState(() => createI18n('zh-CN'));
  if (!loaded.ok) return null;
  const display = loaded.layout.displays[0];
  if (!display) return null;
  return (
    <I18nextProvider i18n={i18n}>
      <RuntimeContext.Provider value={runtime}>
        <LayoutContext.Provider value={loaded.layout}>
          <ScaledCanvas width={1920} height={1080}>
            <DisplayView layout={loaded.layout} display={display} />
          </ScaledCanvas>
        </LayoutContext.Provider>
      </RuntimeContext.Provider>
    </I18nextProvider>
  );
}

/** The baseline: every event into React state (an immutable copy of the collection) and the map's setData. */
function Naive() {
  const mapRef = useRef<HTMLDivElement>(null);
  const [counts, setCounts] = useState({ cases: 0, events: 0 });
  useEffect(() => {
    const el = mapRef.current;
    if (!el) return;
    const map = createMap(el, { pixelRatio: devicePixelRatio, baseMap: null });
    let cases: Record<string, Case> = {};
    let workers: Record<string, ReturnType<typeof toWorkerLite>> = {};
    let applied = 0;
    let loaded = false;
    let snapshotApplied = false;
    const casesSource = () => map.getSource('cases') as maplibregl.GeoJSONSource | undefined;
    const workersSource = () => map.getSource('workers') as maplibregl.GeoJSONSource | undefined;
    const caseData = () =>
      collection(
        Object.values(cases)
          .filter((c) => c.status !== 'closed')
          .map((c) => caseFeature(toCaseLite(c))),
      );
    map.on('load', () => {
      map.addSource('cases', { type: 'geojson', data: collection([]), cluster: true, clusterRadius: 42 });
      map.addLayer({
        id: 'c',
        type: 'circle',
        source: 'cases',
        paint: { 'circle-radius': 6, 'circle-color': '#3a9bff' },
      });
      map.addSource('workers', { type: 'geojson', data: collection([]) });
      map.addLayer({
        id: 'w',
        type: 'circle',
        source: 'workers',
        paint: { 'circle-radius': 3, 'circle-color': '#4cff9a' },
      });
      loaded = true;
    });
    map.on('idle', () => {
      if (snapshotApplied) el.dataset.loaded = '1';
    });
    const worker = createWorker();
    worker.onmessage = (ev: MessageEvent<NaiveFromWorker>) => {
      const msg = ev.data;
      if (msg.type === 'naive-snapshot') {
        const s = Snapshot.safeParse(msg.snapshot);
        if (!s.success) return;
        cases = Object.fromEntries(s.data.cases.map((c) => [c.id, c]));
        workers = Object.fromEntries(s.data.workers.map((w) => [w.id, toWorkerLite(w)]));
        setCounts({ cases: Object.keys(cases).length, events: applied });
        const apply = () => {
          void casesSource()?.setData(caseData());
          void workersSource()?.setData(collection(Object.values(workers).flatMap((w) => workerFeature(w) ?? [])));
          snapshotApplied = true;
        };
        if (loaded) apply();
        else map.once('load', apply);
        return;
      }
      if (msg.type === 'naive-event') {
        const e = msg.event;
        measureBusy(() => {
          if (e.type === 'case.upserted') {
            cases = { ...cases, [e.payload.id]: e.payload };
            if (loaded) void casesSource()?.setData(caseData());
          }
          applied++;
          setCounts({ cases: Object.keys(cases).length, events: applied });
        });
        delays[delayCount++ % RING] = now() - msg.receivedAt;
        if (window.__bench) report(window.__bench);
        return;
      }
      if (msg.type === 'naive-positions') {
        const p = WorkerPositionTuples.safeParse(msg.positions);
        if (!p.success) return;
        for (const [id, lng, lat, duty] of p.data.positions) {
          const w = workers[id];
          if (w) workers = { ...workers, [id]: { ...w, lng, lat, onDuty: duty === 1 } };
        }
        if (loaded)
          void workersSource()?.setData(collection(Object.values(workers).flatMap((w) => workerFeature(w) ?? [])));
      }
    };
    const handle: BenchHandle = {
      mode: 'naive',
      ready: () => snapshotApplied,
      applied: () => applied,
      delays: (from) => slice(delays, delayCount, from),
      frames: (from) => slice(frames, frameCount, from),
      setRate: (rate, speed, positionsPerSecond) =>
        worker.postMessage({ type: 'bench-rate', rate, speed, positionsPerSecond } satisfies BenchToWorker),
    };
    window.__bench = handle;
    const timer = setInterval(() => report(handle, true), 500);
    return () => {
      clearInterval(timer);
      worker.terminate();
      map.remove();
    };
  }, []);
  return (
    <div style={{ position: 'absolute', inset: 0 }}>
      <div ref={mapRef} className="gw-map" data-testid="map" style={{ position: 'absolute', inset: '80px 0 0 0' }} />
      <div style={{ position: 'absolute', top: 0, left: 0, right: 0, height: 80, fontSize: 32, padding: 16 }}>
        {counts.cases} / {counts.events}
      </div>
    </div>
  );
}

const root = document.getElementById('root');
if (root) createRoot(root).render(mode === 'naive' ? <Naive /> : <Optimized />);
