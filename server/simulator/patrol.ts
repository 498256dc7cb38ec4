/**
 * Where every worker is at any simulated moment, as a pure function of time: grid workers walk a
 * loop through their grid's inspection points twice a day (兴隆台: two patrols a day), stopping at
 * each point; everyone else stays at their station. Nothing is stepped per worker, so a round of
 * 10,000 workers costs a few milliseconds and any moment can be asked for.
 */
import type { Area, InspectionPoint, InspectionPointState, Position } from '../../protocol';
import type { PresetData, Shift } from '../presets';
import { Rng } from '../presets/random';
import { distanceMeters, pointInRing, type Ring, randomPointInRing, ringBox, round6, segmentInRing } from './geometry';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Patrol windows in local minutes: 08:30–11:30 and 14:00–17:30. */
export const PATROL_WINDOWS: ReadonlyArray<readonly [number, number]> = [
  [510, 690],
  [840, 1050],
];
const WALK_MPS = 1.1;
/** Seconds a loop should take: about one patrol window, so that each point is seen twice a day. */
const FIRST_WINDOW = PATROL_WINDOWS[0] as readonly [number, number];
const LOOP_SECONDS = (FIRST_WINDOW[1] - FIRST_WINDOW[0]) * 60;

interface Route {
  lng: Float64Array;
  lat: Float64Array;
  /** Seconds after the loop's start at which the worker reaches each vertex. */
  arrive: Float64Array;
  /** Seconds spent at each vertex (checking its point; none at a mere turn). */
  dwell: Float64Array;
  /** Seconds the whole loop takes: about one patrol window. */
  loop: number;
  /** Inspection point index checked at each vertex, or −1. */
  point: Int32Array;
}

export interface WorkerState {
  lng: number;
  lat: number;
  onDuty: boolean;
}

export interface PositionUpdate {
  id: string;
  lng: number;
  lat: number;
  onDuty: boolean;
}

/** Inspection points' states, kept by the simulator (the core does not hold them). */
export class InspectionBoard {
  private readonly state: Uint8Array;
  private readonly checkedAt: Float64Array;
  /** Bumped on every check: the snapshot can tell whether anything changed. */
  version = 0;

  constructor(
    private readonly points: readonly InspectionPoint[],
    /** Moves the preset's "checked N minutes ago" to the simulation's start. */
    rebaseMs: number,
  ) {
    this.state = new Uint8Array(points.length);
    this.checkedAt = new Float64Array(points.length);
    points.forEach((p, i) => {
      this.state[i] = p.state === 'issue' ? 1 : 0;
      this.checkedAt[i] = p.lastCheckedAt === null ? Number.NaN : p.lastCheckedAt + rebaseMs;
    });
  }

  get size(): number {
    return this.points.length;
  }

  check(index: number, at: number, issue: boolean): void {
    this.state[index] = issue ? 1 : 0;
    this.checkedAt[index] = at;
    this.version += 1;
  }

  hasIssue(index: number): boolean {
    return this.state[index] === 1;
  }

  /** The points as the wall shows them at `now`: not seen for a day reads as unchecked. */
  list(now: number): InspectionPoint[] {
    return this.points.map((p, i) => {
      const at = this.checkedAt[i] as number;
      const seen = !Number.isNaN(at);
      const state: InspectionPointState =
        !seen || now - at > DAY ? 'unchecked' : this.state[i] === 1 ? 'issue' : 'normal';
      return { ...p, state, lastCheckedAt: seen ? Math.round(at) : null };
    });
  }
}

export class Patrols {
  readonly ids: string[];
  private readonly index = new Map<string, number>();
  /** Shifts as flat arrays (minutes after local midnight; rest days as a bit mask, bit 0 = Monday). */
  private readonly shiftStart: Int16Array;
  private readonly shiftEnd: Int16Array;
  private readonly restMask: Uint8Array;
  private readonly station: Position[];
  private readonly routes: Array<Route | null>;
  /** Grid id → its grid workers' ids. */
  readonly gridWorkers = new Map<string, string[]>();
  private readonly pushedLng: Float64Array;
  private readonly pushedLat: Float64Array;
  private readonly pushedDuty: Int8Array;
  private lastRoundAt = Number.NaN;
  private readonly offsetMs: number;
  private readonly rng: Rng;
  /** Segments of routes that had to leave the grid (for tests: should be none or nearly none). */
  readonly segmentsOutside: number;

  constructor(preset: PresetData, seed: number, utcOffsetMinutes = 480) {
    this.offsetMs = utcOffsetMinutes * MINUTE;
    this.rng = new Rng(seed).fork('inspection-checks');
    const routeRng = new Rng(seed).fork('routes');
    const grids = new Map<string, Area>();
    for (const a of preset.areas) if (a.level === 'grid') grids.set(a.id, a);

    this.ids = preset.workers.map((w) => w.id);
    preset.workers.forEach((w, i) => {
      this.index.set(w.id, i);
      if (w.kind === 'grid_worker') {
        const list = this.gridWorkers.get(w.gridId) ?? [];
        list.push(w.id);
        this.gridWorkers.set(w.gridId, list);
      }
    });
    const shifts: Shift[] = preset.workers.map(
      (w) => preset.shifts[w.id] ?? { start: 480, end: 1080, restDays: [5, 6] },
    );
    this.shiftStart = Int16Array.from(shifts, (x) => x.start);
    this.shiftEnd = Int16Array.from(shifts, (x) => x.end);
    this.restMask = Uint8Array.from(shifts, (x) => x.restDays.reduce((m, d) => m | (1 << d), 0));
    this.station = preset.workers.map((w) => {
      const g = grids.get(w.gridId);
      return w.position ? [w.position.lng, w.position.lat] : g ? [g.center[0], g.center[1]] : [0, 0];
    });

    // Each grid's points are shared out among its workers, so that together they see every point.
    const pointsOfWorker = new Map<string, number[]>();
    const seenInGrid = new Map<string, number>();
    preset.inspectionPoints.forEach((p, i) => {
      const workers = this.gridWorkers.get(p.gridId);
      if (!workers || workers.length === 0) return;
      const k = seenInGrid.get(p.gridId) ?? 0;
      seenInGrid.set(p.gridId, k + 1);
      const id = workers[k % workers.length] as string;
      const list = pointsOfWorker.get(id) ?? [];
      list.push(i);
      pointsOfWorker.set(id, list);
    });

    let outside = 0;
    this.routes = preset.workers.map((w, i) => {
      if (w.kind !== 'grid_worker') return null;
      const grid = grids.get(w.gridId);
      if (!grid) return null;
      const built = buildRoute(
        routeRng.fork(w.id),
        grid,
        this.station[i] as Position,
        (pointsOfWorker.get(w.id) ?? []).map((p) => {
          const ip = preset.inspectionPoints[p] as InspectionPoint;
          return { index: p, at: [ip.position.lng, ip.position.lat] as Position };
        }),
      );
      outside += built.outside;
      return built.route;
    });
    this.segmentsOutside = outside;

    const n = this.ids.length;
    this.pushedLng = new Float64Array(n).fill(Number.NaN);
    this.pushedLat = new Float64Array(n).fill(Number.NaN);
    this.pushedDuty = new Int8Array(n).fill(-1);
  }

  has(id: string): boolean {
    return this.index.has(id);
  }

  onDuty(id: string, t: number): boolean {
    const i = this.index.get(id);
    return i !== undefined && this.dutyAt(i, this.localDay(t), this.localMinute(t));
  }

  private localDay(t: number): number {
    return Math.floor((t + this.offsetMs) / DAY);
  }

  private localMinute(t: number): number {
    return (t + this.offsetMs - this.localDay(t) * DAY) / MINUTE;
  }

  /** The preset's `isOnDutyAt`, on flat arrays: rounds ask it for 10,000 people at a time. */
  private dutyAt(i: number, day: number, minute: number): boolean {
    // Day 0 (1970-01-01) was a Thursday: 3 when Monday is 0.
    const weekday = (((day + 3) % 7) + 7) % 7;
    const start = this.shiftStart[i] as number;
    const end = this.shiftEnd[i] as number;
    const rest = this.restMask[i] as number;
    const works = (wd: number): boolean => ((rest >> wd) & 1) === 0;
    if (start <= end) return minute >= start && minute < end && works(weekday);
    return (minute >= start && works(weekday)) || (minute < end && works((weekday + 6) % 7));
  }

  stateAt(id: string, t: number): WorkerState | null {
    const i = this.index.get(id);
    return i === undefined ? null : this.stateOf(i, this.localDay(t), this.localMinute(t));
  }

  private stateOf(i: number, day: number, minute: number): WorkerState {
    const onDuty = this.dutyAt(i, day, minute);
    const route = this.routes[i];
    if (onDuty && route) {
      for (const [a, b] of PATROL_WINDOWS) {
        const into = (minute - a) * 60;
        // One loop per patrol, then back at the station until the next one.
        if (minute >= a && minute < b && into < route.loop) {
          const [lng, lat] = positionOnRoute(route, into);
          return { lng, lat, onDuty };
        }
      }
    }
    const home = this.station[i] as Position;
    return { lng: home[0], lat: home[1], onDuty };
  }

  /**
   * Everyone's state at `t`: returns those who moved or changed duty since the last round, and
   * checks the inspection points that patrols passed since then.
   */
  round(t: number, board: InspectionBoard | null): PositionUpdate[] {
    const moved: PositionUpdate[] = [];
    const prevAt = this.lastRoundAt;
    const sameDay = !Number.isNaN(prevAt) && this.localDay(prevAt) === this.localDay(t);
    const fromMinute = sameDay ? this.localMinute(prevAt) : 0;
    const toMinute = this.localMinute(t);
    const today = this.localDay(t);
    for (let i = 0; i < this.ids.length; i++) {
      const s = this.stateOf(i, today, toMinute);
      const lng = round6(s.lng);
      const lat = round6(s.lat);
      const duty = s.onDuty ? 1 : 0;
      if (lng !== this.pushedLng[i] || lat !== this.pushedLat[i] || duty !== this.pushedDuty[i]) {
        this.pushedLng[i] = lng;
        this.pushedLat[i] = lat;
        this.pushedDuty[i] = duty;
        moved.push({ id: this.ids[i] as string, lng, lat, onDuty: s.onDuty });
      }
      const route = this.routes[i];
      // Checks on the days the worker works (on duty at noon: grid workers' shifts are 08:00–18:00).
      if (board && route && toMinute > fromMinute && this.dutyAt(i, today, 720)) {
        for (const [a] of PATROL_WINDOWS) {
          const from = (fromMinute - a) * 60;
          const to = (toMinute - a) * 60;
          if (to > 0 && from < route.loop) this.checkPassed(route, from, to, t, board);
        }
      }
    }
    this.lastRoundAt = t;
    return moved;
  }

  /** Checks the points the loop reaches between `from` and `to` seconds into a patrol. */
  private checkPassed(route: Route, from: number, to: number, at: number, board: InspectionBoard): void {
    for (let k = 0; k < route.point.length; k++) {
      const p = route.point[k] as number;
      const reached = route.arrive[k] as number;
      if (p >= 0 && reached > from && reached <= to) {
        // Most points are fine; a problem found stays until someone fixes it.
        const issue = board.hasIssue(p) ? this.rng.chance(0.4) : this.rng.chance(0.025);
        board.check(p, at, issue);
      }
    }
  }
}

function positionOnRoute(r: Route, seconds: number): Position {
  const t = seconds % r.loop;
  const n = r.arrive.length;
  // Binary search: the last vertex reached at or before t.
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((r.arrive[mid] as number) <= t) lo = mid;
    else hi = mid - 1;
  }
  const k = lo;
  const since = t - (r.arrive[k] as number);
  const dwell = r.dwell[k] as number;
  const x0 = r.lng[k] as number;
  const y0 = r.lat[k] as number;
  if (since <= dwell) return [x0, y0];
  const next = (k + 1) % n;
  const end = next === 0 ? r.loop : (r.arrive[next] as number);
  const f = Math.min(1, (since - dwell) / Math.max(1e-9, end - (r.arrive[k] as number) - dwell));
  return [x0 + ((r.lng[next] as number) - x0) * f, y0 + ((r.lat[next] as number) - y0) * f];
}

/** A loop from the station through the worker's points (and a few more places), ordered around the grid. */
function buildRoute(
  rng: Rng,
  grid: Area,
  station: Position,
  points: ReadonlyArray<{ index: number; at: Position }>,
): { route: Route; outside: number } {
  const ring = grid.polygon[0] as Ring;
  const box = ringBox(ring);
  const center: Position = [grid.center[0], grid.center[1]];
  const stops: Array<{ at: Position; point: number }> = points.map((p) => ({ at: p.at, point: p.index }));
  while (stops.length < 4) stops.push({ at: randomPointInRing(rng, ring, box, center), point: -1 });
  const angle = (p: Position): number => Math.atan2(p[1] - center[1], p[0] - center[0]);
  stops.sort((a, b) => angle(a.at) - angle(b.at));
  // Start at the station: the stop just after it in angle order.
  const a0 = angle(station);
  let startAt = stops.findIndex((s) => angle(s.at) > a0);
  if (startAt < 0) startAt = 0;
  const ordered = [{ at: station, point: -1 }, ...stops.slice(startAt), ...stops.slice(0, startAt)];

  // A leg that would leave the grid goes round by a point from which both halves stay inside
  // (the grid's centre first, then a few random places in it).
  const verts: Array<{ at: Position; point: number }> = [];
  let outside = 0;
  const viaPoints: Position[] = [center];
  for (let i = 0; i < 24; i++) viaPoints.push(randomPointInRing(rng, ring, box, center));
  for (let k = 0; k < ordered.length; k++) {
    const a = ordered[k] as { at: Position; point: number };
    const b = ordered[(k + 1) % ordered.length] as { at: Position; point: number };
    verts.push(a);
    if (segmentInRing(a.at, b.at, ring)) continue;
    const via = viaPoints.find(
      (m) => pointInRing(m[0], m[1], ring) && segmentInRing(a.at, m, ring) && segmentInRing(m, b.at, ring),
    );
    if (via) verts.push({ at: via, point: -1 });
    else outside += 1;
  }

  const n = verts.length;
  const lengths = verts.map((v, k) => distanceMeters(v.at, (verts[(k + 1) % n] as { at: Position }).at));
  const total = lengths.reduce((s, l) => s + l, 0);
  // Walk, or ride an e-bike where the grid is too big to walk round in one patrol.
  const speed = Math.max(WALK_MPS, total / (LOOP_SECONDS * 0.8));
  // The time left over is spent at the points (and at the station before setting out).
  const pauses = verts.filter((v, k) => v.point >= 0 || k === 0).length;
  const dwellAtStop = Math.max(20, (LOOP_SECONDS - total / speed) / pauses);
  const dwell = Float64Array.from(verts, (v, k) => (v.point >= 0 || k === 0 ? dwellAtStop : 0));
  const arrive = new Float64Array(n);
  let t = 0;
  for (let k = 0; k < n; k++) {
    arrive[k] = t;
    t += (dwell[k] as number) + (lengths[k] as number) / speed;
  }
  return {
    route: {
      lng: Float64Array.from(verts, (v) => v.at[0]),
      lat: Float64Array.from(verts, (v) => v.at[1]),
      arrive,
      dwell,
      loop: t,
      point: Int32Array.from(verts, (v) => v.point),
    },
    outside,
  };
}
