import { around } from 'geokdbush';
import KDBush from 'kdbush';
import type { Alert, Camera, CameraKind, FocusPolicy } from '../../../protocol';
import type { FocusSlice, WallState } from '../../state/store';

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
 * The alert in a batch that the video wall links to, or null: the newest sensor alarm or urgent
 * case. Like the focus policy, a focus a person chose is held for `holdSeconds`: an alarm storm must
 * not swap the pictures an operator is looking at.
 */
export function linkingAlert(
  justRaised: readonly Alert[],
  focus: FocusSlice,
  policy: FocusPolicy,
  now: number,
): Alert | null {
  const alert = justRaised.find(
    (a) =>
      a.clearedAt === null &&
      ((a.kind === 'sensor' && a.sensorId !== null) ||
        (a.caseId !== null && (a.kind === 'urgent' || a.severity === 'critical'))),
  );
  if (!alert) return null;
  const humanChoice = focus.origin !== 'alert' && focus.caseId !== null;
  if (humanChoice && now - focus.at < policy.holdSeconds * 1000) return null;
  return alert;
}

/**
 * The cameras of the tiles after a linkage: pinned tiles keep theirs, the others take the nearest
 * cameras in reading order (nearest top left). When fewer cameras are near than tiles are free, the
 * rest keep what they showed, unless that camera is now in another tile.
 */
export function assignTiles(
  current: readonly (string | null)[],
  pinned: readonly boolean[],
  nearest: readonly string[],
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
