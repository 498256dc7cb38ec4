import type { MapTarget, Presentation, Tour, TourWindow } from '../../protocol';
import { wallStep } from '../../protocol';
import type { MapView } from '../state/show';
import type { WallState } from '../state/store';

type Bounds = [number, number, number, number];

function ringBounds(rings: readonly (readonly (readonly number[])[])[]): Bounds | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const ring of rings) {
    for (const [x, y] of ring) {
      if (x === undefined || y === undefined) continue;
      minX = Math.min(minX, x);
      minY = Math.min(minY, y);
      maxX = Math.max(maxX, x);
      maxY = Math.max(maxY, y);
    }
  }
  return minX <= maxX ? [minX, minY, maxX, maxY] : null;
}

/**
 * Where a step's map target is on this wall's data; null while the wall does not hold it yet (a
 * case not in the snapshot yet): the caller tries again when the data changes.
 */
export function resolveTarget(
  target: MapTarget,
  s: Pick<WallState, 'areas' | 'cases' | 'cameras'>,
  seq: number,
): MapView | null {
  if ('overview' in target) return s.areas.bounds ? { kind: 'fit', bounds: s.areas.bounds, seq } : null;
  if ('center' in target) return { kind: 'fly', center: target.center, zoom: target.zoom, seq };
  if ('caseId' in target) {
    const c = s.cases.byId.get(target.caseId);
    return c ? { kind: 'fly', center: [c.lng, c.lat], zoom: target.zoom ?? 16, seq } : null;
  }
  if ('cameraId' in target) {
    const cam = s.cameras.byId.get(target.cameraId);
    return cam ? { kind: 'fly', center: [cam.position.lng, cam.position.lat], zoom: target.zoom ?? 17, seq } : null;
  }
  const key = target.area.trim();
  const area = s.areas.byId.get(key) ?? s.areas.list.find((a) => a.name === key || a.code === key);
  if (!area) return null;
  const bounds = ringBounds(area.polygon);
  if (!bounds) return null;
  if (target.zoom !== undefined)
    return { kind: 'fly', center: [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2], zoom: target.zoom, seq };
  return { kind: 'fit', bounds, seq };
}

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;

const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/**
 * The start (epoch ms) of the schedule window `now` falls in, or null outside every window.
 * `offsetMinutes` is the wall's local offset from UTC (480 for China).
 */
export function windowStart(windows: readonly TourWindow[], now: number, offsetMinutes: number): number | null {
  const local = now + offsetMinutes * MINUTE;
  const dayStart = Math.floor(local / DAY) * DAY;
  const minute = (local - dayStart) / MINUTE;
  // ISO weekday: 1970-01-01 was a Thursday (4).
  const weekday = ((Math.floor(local / DAY) + 3) % 7) + 1;
  for (const w of windows) {
    if (w.days.length > 0 && !w.days.includes(weekday)) continue;
    const from = minutesOf(w.from);
    const to = w.to === '24:00' ? 1440 : minutesOf(w.to);
    if (minute >= from && minute < to) return dayStart + from * MINUTE - offsetMinutes * MINUTE;
  }
  return null;
}

/**
 * The presentation an unattended tour shows at `now`: steps take their `seconds` in turn from the
 * start of the window, looping. Computed from the clock alone, so every lobby screen showing the
 * tour is on the same step without talking to each other or to a presenter. Null outside the
 * schedule (the screen shows the live wall). A tour without a schedule runs all day.
 */
export function unattendedPresentation(tour: Tour, now: number, offsetMinutes: number): Presentation | null {
  const start =
    tour.schedule.length === 0 ? Math.floor(now / DAY) * DAY : windowStart(tour.schedule, now, offsetMinutes);
  if (start === null) return null;
  const lengths = tour.steps.map((s) => s.seconds * 1000);
  const total = lengths.reduce((a, b) => a + b, 0);
  const lap = Math.floor((now - start) / total);
  let t = (now - start) % total;
  let index = 0;
  while (index < lengths.length - 1 && t >= (lengths[index] ?? 0)) {
    t -= lengths[index] ?? 0;
    index++;
  }
  const step = tour.steps[index];
  if (!step) return null;
  return {
    id: `unattended:${tour.name}`,
    tour: tour.name,
    tourTitle: tour.title,
    district: tour.district,
    stepIndex: index,
    stepCount: tour.steps.length,
    step: wallStep(step),
    blank: false,
    paused: false,
    spotlight: null,
    startedAt: start,
    stepStartedAt: now - t,
    driver: 'unattended',
    version: lap * tour.steps.length + index,
  };
}

/** Milliseconds until the unattended tour's step (or its window) changes. */
export function msToNextChange(p: Presentation | null, tour: Tour, now: number): number {
  if (!p) return 30_000;
  const step = tour.steps[p.stepIndex];
  return Math.max(250, Math.min(30_000, p.stepStartedAt + (step?.seconds ?? 60) * 1000 - now));
}

/** Whether an incoming presentation replaces the one shown (a late, older state is ignored). */
export function isNewer(incoming: Presentation | null, shown: Presentation | null): boolean {
  if (!incoming || !shown || incoming.id !== shown.id) return true;
  return incoming.version > shown.version;
}
