import { distance } from 'geokdbush';
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { VideoSceneOptions } from '../../../protocol';
import { clockRateStore } from '../../state/autoCase';
import type { WallState } from '../../state/store';
import { useLayout, useRuntime, useWall } from '../../ui/context';
import { clockTime } from '../../ui/format';
import { useNow } from '../../ui/hooks';
import { videoLinkReason } from '../status/empty';
import {
  assignTiles,
  CameraIndex,
  freeTiles,
  initialTiles,
  linkable,
  linkTarget,
  type Place,
  placeOfTarget,
  targetKey,
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
  // How many cameras the last linkage found near its place (null: not linked).
  const [found, setFound] = useState<number | null>(null);
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

  // Linkage: the store is read outside React; a link replaces the unpinned tiles at once. What it
  // links to is derived from the store alone (linkTarget), never from what this window happened to
  // see since it opened: every window of the wall, and the preview, show the same cameras.
  useEffect(() => {
    const store = runtime.store;
    let index: CameraIndex | null = null;
    let indexedRev = -1;
    let linkedKey = '';
    let pending = false;
    const accept = (s: WallState) => (id: string) => linkable(s.cameras.byId.get(id), options.kinds);
    const defaults = (s: WallState) =>
      initialTiles(current.current.tiles.length, options.cameraIds, s.cameras.byId, options.kinds);

    const link = (s: WallState, to: Place) => {
      if (!index) return;
      const { tiles: now, pinned: pins } = current.current;
      const nearest = index.nearest(to.lng, to.lat, freeTiles(pins), options.linkRadiusMeters, accept(s));
      commit({ tiles: assignTiles(now, pins, nearest, defaults(s)) });
      setPlace(to);
      setFound(nearest.length);
    };

    const onState = (s: WallState, prev: WallState | null) => {
      if (s.cameras !== prev?.cameras && s.cameras.byId.size > 0) {
        // Positions change only with a new camera set (a snapshot); statuses are read at query time.
        if (!index || s.cameras.delta.reset || index.size !== s.cameras.byId.size) {
          if (indexedRev !== s.cameras.rev) {
            index = new CameraIndex(s.cameras.byId.values());
            indexedRev = s.cameras.rev;
            // A new camera set: link again.
            linkedKey = '';
          }
          if (current.current.tiles.every((id) => id === null)) commit({ tiles: defaults(s) });
        }
      }
      if (!options.linkage || !index) return;
      // Only the focus, the alerts and a new camera set change the target; a place not yet known waits.
      if (prev && !pending && s.focus === prev.focus && s.alerts === prev.alerts && s.cameras === prev.cameras) return;
      const target = linkTarget(s, layout.focus, clockRateStore.getState().rate);
      const key = targetKey(target);
      if (key === linkedKey) return;
      if (target === null) {
        pending = false;
        linkedKey = '';
        setPlace(null);
        setFound(null);
        return;
      }
      // A case not yet in the store is linked when it arrives.
      const to = placeOfTarget(s, target);
      pending = to === null;
      if (!to) return;
      linkedKey = key;
      link(s, to);
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
  const ready = useWall((s) => s.ready);
  const cameraCount = useWall((s) => s.cameras.byId.size);
  const time = clockTime(now);
  const liveCount = liveKeys.size;
  // Not linked, or linked to a place with no camera near: the caption says why, in one line.
  const why = videoLinkReason({ ready, cameras: cameraCount, linkage: options.linkage, linked: place !== null, found });
  const caption =
    why === 'empty.noCamerasNear'
      ? t(why, { ref: place?.ref ?? '', km: options.linkRadiusMeters / 1000 })
      : why !== null
        ? t(why)
        : t(
            place?.reason === 'sensor'
              ? 'video.linkedSensor'
              : place?.reason === 'urgent'
                ? 'video.linkedUrgent'
                : 'video.linkedFocus',
            { ref: place?.ref ?? '' },
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
        <span className="gw-video-caption" data-testid="video-caption" data-reason={why ?? ''}>
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
