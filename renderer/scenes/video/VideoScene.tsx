import { distance } from 'geokdbush';
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { VideoSceneOptions } from '../../../protocol';
import type { WallState } from '../../state/store';
import { useLayout, useRuntime } from '../../ui/context';
import { clockTime } from '../../ui/format';
import { useNow } from '../../ui/hooks';
import {
  assignTiles,
  CameraIndex,
  freeTiles,
  initialTiles,
  linkable,
  linkingAlert,
  type Place,
  placeOfAlert,
  placeOfCase,
} from './linkage';
import { onScreenCameras } from './onScreen';
import { playable } from './player';
import { DecoderScheduler, type TileDemand } from './scheduler';
import { Tile } from './Tile';
import './video.css';

/**
 * `?vgrid=4x4&vlive=4&vcams=cam-00001,cam-00002&vlink=0`: grid size, decoder cap, first cameras and
 * linkage for every video scene of the page, without editing a layout (tests, benchmarks, trials).
 */
function withUrlOverrides(options: VideoSceneOptions): VideoSceneOptions {
  const params = new URLSearchParams(globalThis.location?.search ?? '');
  const grid = /^([1-6])x([1-6])$/.exec(params.get('vgrid') ?? '');
  const live = Number(params.get('vlive'));
  const link = params.get('vlink');
  const cams = (params.get('vcams') ?? '')
    .split(',')
    .filter((id) => /^[\w-]{1,64}$/.test(id))
    .slice(0, 36);
  return {
    ...options,
    ...(grid ? { columns: Number(grid[1]), rows: Number(grid[2]) } : {}),
    ...(Number.isInteger(live) && live >= 1 && live <= 36 ? { maxLive: live } : {}),
    ...(cams.length > 0 ? { cameraIds: cams } : {}),
    ...(link === '0' || link === '1' ? { linkage: link === '1' } : {}),
  };
}

const tileKey = (index: number, cameraId: string | null) => `${index}:${cameraId ?? ''}`;

/** The first mounted video scene of a page takes the wall keyboard's digits, P and Esc. */
let keyOwner: string | null = null;

/**
 * The video wall: a grid of camera tiles linked to the focused case, sensor alarms and urgent
 * cases (nearest cameras from a k-d tree), with pinning, enlarging, and a cap on live decoders.
 */
export function VideoScene(props: { options: VideoSceneOptions }) {
  const { t } = useTranslation();
  const runtime = useRuntime();
  const layout = useLayout();
  const sceneId = useId();
  const options = useMemo(() => withUrlOverrides(props.options), [props.options]);
  const count = options.columns * options.rows;
  // The pictures' own time (a camera films the real clock, not the simulator's).
  const now = useNow(1000);

  const [tiles, setTiles] = useState<(string | null)[]>(() => Array.from({ length: count }, () => null));
  const [pinned, setPinned] = useState<boolean[]>(() => Array.from({ length: count }, () => false));
  const [enlarged, setEnlarged] = useState<number | null>(null);
  const [place, setPlace] = useState<Place | null>(null);
  const [visible, setVisible] = useState(true);
  const [liveKeys, setLiveKeys] = useState<ReadonlySet<string>>(new Set());
  const root = useRef<HTMLDivElement>(null);

  // The subscription below reads the latest tiles without resubscribing on every change. Changes go
  // through `commit`, which updates this at once: a link and a featured camera in the same tick
  // must each see the other's tiles, not those of the last render.
  const current = useRef({ tiles, pinned });
  current.current = { tiles, pinned };
  const commit = useCallback((next: { tiles?: (string | null)[]; pinned?: boolean[] }) => {
    current.current = { ...current.current, ...next };
    if (next.tiles) setTiles(next.tiles);
    if (next.pinned) setPinned(next.pinned);
  }, []);

  // A new grid size starts over.
  useEffect(() => {
    setTiles((prev) => Array.from({ length: count }, (_, i) => prev[i] ?? null));
    setPinned((prev) => Array.from({ length: count }, (_, i) => prev[i] ?? false));
    setEnlarged(null);
  }, [count]);

  // Linkage: the store is read outside React; a link replaces the unpinned tiles at once.
  useEffect(() => {
    const store = runtime.store;
    let index: CameraIndex | null = null;
    let indexedRev = -1;
    let pendingCase: string | null = null;
    const accept = (s: WallState) => (id: string) => linkable(s.cameras.byId.get(id), options.kinds);

    const link = (s: WallState, to: Place) => {
      if (!index) return;
      const { tiles: now, pinned: pins } = current.current;
      const nearest = index.nearest(to.lng, to.lat, freeTiles(pins), options.linkRadiusMeters, accept(s));
      commit({ tiles: assignTiles(now, pins, nearest) });
      setPlace(to);
    };

    const onState = (s: WallState, prev: WallState | null) => {
      if (s.cameras !== prev?.cameras && s.cameras.byId.size > 0) {
        // Positions change only with a new camera set (a snapshot); statuses are read at query time.
        if (!index || s.cameras.delta.reset || index.size !== s.cameras.byId.size) {
          if (indexedRev !== s.cameras.rev) {
            index = new CameraIndex(s.cameras.byId.values());
            indexedRev = s.cameras.rev;
          }
          if (current.current.tiles.every((id) => id === null)) {
            commit({
              tiles: initialTiles(current.current.tiles.length, options.cameraIds, s.cameras.byId, options.kinds),
            });
          }
          if (s.focus.caseId !== null && options.linkage) pendingCase = s.focus.caseId;
        }
      }
      if (!options.linkage) return;
      if (s.focus !== prev?.focus) {
        pendingCase = s.focus.caseId;
        if (s.focus.caseId === null) setPlace(null);
      }
      if (s.alerts.justRaised !== prev?.alerts.justRaised && s.alerts.justRaised.length > 0) {
        const alert = linkingAlert(s.alerts.justRaised, s.focus, layout.focus, Date.now());
        // An urgent alert that takes the focus links through the focus; a sensor alarm links here.
        const to = alert && alert.caseId !== s.focus.caseId ? placeOfAlert(s, alert) : null;
        if (to) {
          pendingCase = null;
          link(s, to);
        }
      }
      if (pendingCase !== null && index) {
        const reason = s.focus.origin === 'alert' ? 'urgent' : 'focus';
        const to = placeOfCase(s, pendingCase, reason);
        if (to) {
          pendingCase = null;
          link(s, to);
        }
      }
    };
    onState(store.getState(), null);
    return store.subscribe(onState);
  }, [runtime, options, layout.focus, commit]);

  // A presentation step's featured camera takes the first tile, pinned while the step shows it.
  useEffect(() => {
    let featured: string | null = null;
    const feature = (id: string | null) => {
      if (id === featured) return;
      featured = id;
      // The camera moves to the first tile; the one it replaces takes its old place (no camera twice).
      const { tiles: prev, pinned: pins } = current.current;
      commit({
        ...(id ? { tiles: [id, ...prev.slice(1).map((c) => (c === id ? (prev[0] ?? null) : c))] } : {}),
        pinned: [id !== null, ...pins.slice(1)],
      });
    };
    feature(runtime.show.getState().presentation?.step.cameraId ?? null);
    return runtime.show.subscribe((s) => feature(s.presentation?.step.cameraId ?? null));
  }, [runtime, commit]);

  // The map (on this screen or another) rings the cameras on screen.
  useEffect(() => {
    const registry = onScreenCameras(layout.name);
    registry.set(
      sceneId,
      tiles.filter((id): id is string => id !== null),
    );
  }, [tiles, layout.name, sceneId]);
  useEffect(() => {
    const registry = onScreenCameras(layout.name);
    return () => registry.remove(sceneId);
  }, [layout.name, sceneId]);

  // Visible: the page is shown and the scene is on screen (a rotated-away preset unmounts it).
  useEffect(() => {
    const el = root.current;
    const update = (onScreen: boolean) => setVisible(onScreen && document.visibilityState === 'visible');
    let onScreen = true;
    const io =
      typeof IntersectionObserver === 'undefined' || !el
        ? null
        : new IntersectionObserver((entries) => {
            onScreen = entries.some((e) => e.isIntersecting);
            update(onScreen);
          });
    if (el) io?.observe(el);
    const onVisibility = () => update(onScreen);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      io?.disconnect();
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, []);

  // Decoders: planned on every change and each second (rotation of the tiles over the cap).
  const scheduler = useRef<DecoderScheduler | null>(null);
  if (!scheduler.current) {
    scheduler.current = new DecoderScheduler({ cap: options.maxLive, rotateMs: options.rotateSeconds * 1000 });
  }
  useEffect(() => {
    const sched = scheduler.current;
    if (!sched) return;
    sched.setOptions({ cap: options.maxLive, rotateMs: options.rotateSeconds * 1000 });
    const plan = () => {
      const cams = runtime.store.getState().cameras.byId;
      const demands: TileDemand[] = tiles.map((id, i) => {
        const cam = id ? cams.get(id) : undefined;
        return {
          key: tileKey(i, id),
          order: i,
          playable: cam !== undefined && cam.status === 'online' && cam.streamUrl !== '' && playable(cam.streamKind),
          visible: visible && (enlarged === null || enlarged === i),
          enlarged: enlarged === i,
          pinned: pinned[i] ?? false,
        };
      });
      const next = sched.plan(demands, Date.now());
      setLiveKeys((prev) => (prev.size === next.size && [...next].every((k) => prev.has(k)) ? prev : next));
    };
    plan();
    const timer = setInterval(plan, 1000);
    return () => clearInterval(timer);
  }, [tiles, pinned, enlarged, visible, options.maxLive, options.rotateSeconds, runtime]);

  const toggleEnlarge = useCallback((i: number) => setEnlarged((e) => (e === i ? null : i)), []);
  const togglePin = useCallback(
    (i: number) => commit({ pinned: current.current.pinned.map((v, j) => (j === i ? !v : v)) }),
    [commit],
  );

  // Wall keyboard: 1–9 enlarge a tile (again: restore), P pins the enlarged tile, Esc restores.
  useEffect(() => {
    if (keyOwner === null) keyOwner = sceneId;
    const onKey = (e: KeyboardEvent) => {
      if (keyOwner !== sceneId || e.ctrlKey || e.altKey || e.metaKey) return;
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable)) return;
      if (/^[1-9]$/.test(e.key)) {
        const i = Number(e.key) - 1;
        if (i < count) toggleEnlarge(i);
      } else if (e.key === 'Escape') setEnlarged(null);
      else if ((e.key === 'p' || e.key === 'P') && enlarged !== null) togglePin(enlarged);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      if (keyOwner === sceneId) keyOwner = null;
    };
  }, [sceneId, count, enlarged, toggleEnlarge, togglePin]);

  const cams = runtime.store.getState().cameras.byId;
  const time = clockTime(now);
  const liveCount = liveKeys.size;
  const caption = !options.linkage
    ? t('video.linkOff')
    : place === null
      ? t('video.notLinked')
      : t(
          place.reason === 'sensor'
            ? 'video.linkedSensor'
            : place.reason === 'urgent'
              ? 'video.linkedUrgent'
              : 'video.linkedFocus',
          {
            ref: place.ref,
          },
        );

  return (
    <div
      ref={root}
      className="gw-video-scene"
      data-testid="video-scene"
      data-link-reason={place?.reason ?? ''}
      data-link-ref={place?.ref ?? ''}
      data-link-at={place ? `${place.lng},${place.lat}` : ''}
      data-max-live={options.maxLive}
    >
      <div className="gw-scene-title gw-video-title">
        <span>{t('video.title')}</span>
        <span className="gw-video-caption" data-testid="video-caption">
          {caption}
        </span>
        <span className="gw-video-count">
          {t('video.live')} {liveCount}/{options.maxLive}
        </span>
      </div>
      <div
        className="gw-video-grid"
        style={{
          gridTemplateColumns: `repeat(${options.columns}, minmax(0, 1fr))`,
          gridTemplateRows: `repeat(${options.rows}, minmax(0, 1fr))`,
        }}
      >
        {tiles.map((id, i) => {
          const cam = id ? cams.get(id) : undefined;
          return (
            <Tile
              // biome-ignore lint/suspicious/noArrayIndexKey: a tile is its place in the grid; its camera changes
              key={i}
              index={i}
              cameraId={id}
              live={liveKeys.has(tileKey(i, id))}
              pinned={pinned[i] ?? false}
              enlarged={enlarged === i}
              covered={enlarged !== null && enlarged !== i}
              time={time}
              distance={place && cam ? distance(place.lng, place.lat, cam.position.lng, cam.position.lat) * 1000 : null}
              stallMs={options.stallSeconds * 1000}
              onToggleEnlarge={toggleEnlarge}
              onTogglePin={togglePin}
            />
          );
        })}
      </div>
    </div>
  );
}
