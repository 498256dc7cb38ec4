import { around } from 'geokdbush';
import KDBush from 'kdbush';
import type { Alert, Camera, CameraKind, FocusPolicy } from '../../../protocol';
import type { WallState } from '../../state/store';

/** A place the video wall links to: where a case or an alarm is. */
export interface Place {
  lng: number;
  lat: number;
  /** What the place is, for the scene's caption and for tests. */
  reason: 'focus' | 'sensor' | 'urgent';
  /** The case or sensor id. */
  ref: string;
}

/**
 * The cameras in a geographic k-d tree (kdbush + geokdbush): the nearest of 1,200 cameras (or 6,000
 * in a city) to a case come from a walk of a few tree nodes, not from a distance to every camera.
 * Built once per camera set; a camera's status may change afterwards and is checked at query time.
 */
export class CameraIndex {
  private readonly index: KDBush;
  private readonly ids: string[];

  constructor(cameras: Iterable<Pick<Camera, 'id' | 'position'>>) {
    const list = [...cameras];
    this.ids = list.map((c) => c.id);
    this.index = new KDBush(Math.max(1, list.length));
    for (const c of list) this.index.add(c.position.lng, c.position.lat);
    // kdbush needs at least one point; an empty wall gets a point that `ids` does not name.
    if (list.length === 0) this.index.add(0, 0);
    this.index.finish();
  }

  get size(): number {
    return this.ids.length;
  }

  /** Ids of up to `k` cameras nearest to (lng, lat), nearest first, within `maxMeters`, that `accept`. */
  nearest(lng: number, lat: number, k: number, maxMeters: number, accept: (id: string) => boolean): string[] {
    if (k <= 0 || this.ids.length === 0) return [];
    const found = around(this.index, lng, lat, k, maxMeters / 1000, (i) => {
      const id = this.ids[i];
      return id !== undefined && accept(id);
    });
    return found.map((i) => this.ids[i] as string);
  }
}

/** Whether a camera may be linked into a tile: online, and of a kind the scene shows. */
export function linkable(c: Camera | undefined, kinds: readonly CameraKind[]): boolean {
  return c !== undefined && c.status === 'online' && (kinds.length === 0 || kinds.includes(c.kind));
}

/**
 * The cameras of the tiles after a linkage: pinned tiles keep theirs, the others take the nearest
 * cameras in reading order (nearest top left). When fewer cameras are near than tiles are free, the
 * rest take the scene's default cameras (`fallback`, from the store: the same on every window) or,
 * without one, keep what they showed, unless that camera is now in another tile.
 */
export function assignTiles(
  current: readonly (string | null)[],
  pinned: readonly boolean[],
  nearest: readonly string[],
  fallback?: readonly (string | null)[],
): (string | null)[] {
  const kept = new Set<string>();
  current.forEach((id, i) => {
    if (pinned[i] && id !== null) kept.add(id);
  });
  const queue = nearest.filter((id) => !kept.has(id));
  const next: (string | null)[] = current.map((id, i) => (pinned[i] ? id : null));
  const used = new Set(kept);
  for (let i = 0; i < next.length && queue.length > 0; i++) {
    if (pinned[i]) continue;
    const id = queue.shift() as string;
    next[i] = id;
    used.add(id);
  }
  if (fallback) {
    const rest = fallback.filter((id): id is string => id !== null && !used.has(id));
    for (let i = 0; i < next.length && rest.length > 0; i++) {
      if (next[i] !== null || pinned[i]) continue;
      const id = rest.shift() as string;
      next[i] = id;
      used.add(id);
    }
    return next;
  }
  for (let i = 0; i < next.length; i++) {
    const prev = current[i] ?? null;
    if (next[i] === null && !pinned[i] && prev !== null && !used.has(prev)) {
      next[i] = prev;
      used.add(prev);
    }
  }
  return next;
}

/** How many tiles a linkage may fill: the unpinned ones. */
export function freeTiles(pinned: readonly boolean[]): number {
  return pinned.filter((p) => !p).length;
}

/** The cameras a scene starts with: those named in its options that exist, then the first linkable by id. */
export function initialTiles(
  count: number,
  named: readonly string[],
  cameras: ReadonlyMap<string, Camera>,
  kinds: readonly CameraKind[],
): (string | null)[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const id of named) {
    if (out.length >= count) break;
    if (cameras.has(id) && !seen.has(id)) {
      out.push(id);
      seen.add(id);
    }
  }
  if (out.length < count) {
    const rest = [...cameras.values()]
      .filter((c) => !seen.has(c.id) && linkable(c, kinds))
      .map((c) => c.id)
      .sort();
    for (const id of rest) {
      if (out.length >= count) break;
      out.push(id);
    }
  }
  return Array.from({ length: count }, (_, i) => out[i] ?? null);
}

/** Where a case is, from the wall's slim record or the full focused case; null until one arrives. */
export function placeOfCase(
  state: Pick<WallState, 'cases' | 'focusedCase'>,
  caseId: string,
  reason: Place['reason'],
): Place | null {
  const lite = state.cases.byId.get(caseId);
  if (lite) return { lng: lite.lng, lat: lite.lat, reason, ref: lite.code };
  const full = state.focusedCase;
  if (full && full.id === caseId) return { lng: full.location.lng, lat: full.location.lat, reason, ref: full.code };
  return null;
}

/** Where an alarm is: its sensor, else its case. */
export function placeOfAlert(state: Pick<WallState, 'cases' | 'focusedCase' | 'sensors'>, alert: Alert): Place | null {
  if (alert.kind === 'sensor' && alert.sensorId !== null) {
    const s = state.sensors.byId.get(alert.sensorId);
    if (s) return { lng: s.position.lng, lat: s.position.lat, reason: 'sensor', ref: s.name };
  }
  return alert.caseId === null ? null : placeOfCase(state, alert.caseId, 'urgent');
}

/** Alerts the video wall links to: an open sensor alarm, or an urgent or critical alert of a case. */
export function isLinkingAlert(a: Alert): boolean {
  return (
    a.clearedAt === null &&
    ((a.kind === 'sensor' && a.sensorId !== null) ||
      (a.caseId !== null && (a.kind === 'urgent' || a.severity === 'critical')))
  );
}

/** What a linkage targets: the focused case or an alarm (its place comes from {@link placeOfTarget}). */
export type LinkTarget =
  | { kind: 'focus'; caseId: string; reason: 'focus' | 'urgent' }
  | { kind: 'alert'; alert: Alert };

/** A key that changes exactly when the target does. */
export function targetKey(t: LinkTarget | null): string {
  if (t === null) return '';
  return t.kind === 'focus' ? `case:${t.caseId}` : `alert:${t.alert.id}`;
}

/**
 * What the video wall links to, from the store alone, so every window of a wall (and the preview)
 * links to the same place whenever it opened and whatever its size: the newest open alarm raised
 * after the focus was set, else the focused case. A focus a person chose holds for `holdSeconds`
 * (in server time, `rate` server seconds a real one): an alarm raised within it does not move the
 * pictures. An alarm that clears gives the pictures back to the next one, or to the focus.
 */
export function linkTarget(
  state: Pick<WallState, 'focus' | 'alerts'>,
  policy: Pick<FocusPolicy, 'holdSeconds'>,
  rate = 1,
): LinkTarget | null {
  const f = state.focus;
  // A focus chosen before this window knew the server's clock counts as the newest thing.
  const focusAt =
    f.caseId === null ? (f.at === 0 ? Number.NEGATIVE_INFINITY : (f.serverAt ?? 0)) : (f.serverAt ?? Infinity);
  const human = f.caseId !== null && f.origin !== 'alert';
  const holdUntil = human ? focusAt + policy.holdSeconds * 1000 * rate : focusAt;
  let newest: Alert | null = null;
  for (const a of state.alerts.list) {
    if (!isLinkingAlert(a) || a.raisedAt <= holdUntil || a.raisedAt <= focusAt) continue;
    // The focus already links to an alert's own case.
    if (a.caseId !== null && a.caseId === f.caseId && a.kind !== 'sensor') continue;
    if (newest === null || a.raisedAt > newest.raisedAt || (a.raisedAt === newest.raisedAt && a.id > newest.id)) {
      newest = a;
    }
  }
  if (newest) return { kind: 'alert', alert: newest };
  if (f.caseId !== null) return { kind: 'focus', caseId: f.caseId, reason: f.origin === 'alert' ? 'urgent' : 'focus' };
  return null;
}

/** Where a target is, or null until its case or sensor is known. */
export function placeOfTarget(
  state: Pick<WallState, 'cases' | 'focusedCase' | 'sensors'>,
  target: LinkTarget,
): Place | null {
  return target.kind === 'focus' ? placeOfCase(state, target.caseId, target.reason) : placeOfAlert(state, target.alert);
}
