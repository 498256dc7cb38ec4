import type { Category, Department } from '../../protocol';
import type { CaseLite, WorkerLite } from '../../protocol/lite';

/**
 * Whom to dispatch a case to. Workers: those on duty in the case's grid, nearest and least busy
 * first; then on-duty workers of the neighbouring grids (same community) when the grid has too
 * few. Departments: those that take the case's category, the category's own department first.
 */

export interface WorkerSuggestion {
  kind: 'worker';
  id: string;
  name: string;
  gridId: string;
  sameGrid: boolean;
  /** Metres from the case, or null without a position. */
  distanceM: number | null;
  /** Open cases now assigned to the worker. */
  load: number;
  score: number;
}

export interface DepartmentSuggestion {
  kind: 'department';
  id: string;
  name: string;
  nameEn: string | undefined;
  /** The department the category names as its own. */
  primary: boolean;
  load: number;
}

export type Suggestion = WorkerSuggestion | DepartmentSuggestion;

/** One open case more weighs like this many metres more to walk. */
export const LOAD_METRES = 500;
/** A worker whose position is unknown ranks as if this far away. */
export const UNKNOWN_DISTANCE_M = 3000;

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (d: number): number => (d * Math.PI) / 180;

export function distanceMetres(lng1: number, lat1: number, lng2: number, lat2: number): number {
  const dLat = rad(lat2 - lat1);
  const dLng = rad(lng2 - lng1);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Open cases per assignee id (dispatched, accepted or handled: still on someone's list). */
export function assigneeLoads(cases: Iterable<CaseLite>): Map<string, number> {
  const loads = new Map<string, number>();
  for (const c of cases) {
    if (c.endedAt !== null || !c.assigneeId) continue;
    if (c.status !== 'dispatched' && c.status !== 'accepted' && c.status !== 'handled') continue;
    loads.set(c.assigneeId, (loads.get(c.assigneeId) ?? 0) + 1);
  }
  return loads;
}

export interface RankWorkersInput {
  target: Pick<CaseLite, 'gridId' | 'lng' | 'lat'>;
  workers: Iterable<WorkerLite>;
  loads: ReadonlyMap<string, number>;
  /** Grids next to the case's grid (its community's other grids). */
  neighbourGrids: ReadonlySet<string>;
  /** Neighbours are added while the grid itself has fewer than this many on duty. */
  minSameGrid?: number;
  limit?: number;
}

export function rankWorkers(input: RankWorkersInput): WorkerSuggestion[] {
  const { target, loads, neighbourGrids } = input;
  const same: WorkerSuggestion[] = [];
  const near: WorkerSuggestion[] = [];
  for (const w of input.workers) {
    if (!w.onDuty) continue;
    const sameGrid = w.gridId === target.gridId;
    if (!sameGrid && !neighbourGrids.has(w.gridId)) continue;
    const distanceM =
      w.lng !== null && w.lat !== null ? Math.round(distanceMetres(w.lng, w.lat, target.lng, target.lat)) : null;
    const load = loads.get(w.id) ?? 0;
    const s: WorkerSuggestion = {
      kind: 'worker',
      id: w.id,
      name: w.name,
      gridId: w.gridId,
      sameGrid,
      distanceM,
      load,
      score: (distanceM ?? UNKNOWN_DISTANCE_M) + load * LOAD_METRES,
    };
    (sameGrid ? same : near).push(s);
  }
  const order = (a: WorkerSuggestion, b: WorkerSuggestion) => a.score - b.score || (a.id < b.id ? -1 : 1);
  same.sort(order);
  near.sort(order);
  const limit = input.limit ?? 6;
  const out = same.slice(0, limit);
  if (out.length < (input.minSameGrid ?? 3)) out.push(...near.slice(0, limit - out.length));
  return out;
}

export function rankDepartments(
  category: Category | undefined,
  categoryCode: string,
  departments: Iterable<Department>,
  loads: ReadonlyMap<string, number>,
): DepartmentSuggestion[] {
  const out: DepartmentSuggestion[] = [];
  for (const d of departments) {
    const primary = category?.departmentId === d.id;
    if (!primary && !d.categories.includes(categoryCode)) continue;
    out.push({ kind: 'department', id: d.id, name: d.name, nameEn: d.nameEn, primary, load: loads.get(d.id) ?? 0 });
  }
  return out.sort(
    (a, b) => Number(b.primary) - Number(a.primary) || a.load - b.load || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/**
 * The list as the operator first saw it: suggestions keep the place they had when the dialog
 * opened (ranking again as positions and loads arrive would move the list under the keys, and
 * "2" would pick someone else than the one on screen a moment ago). Those no longer offered
 * drop out; new ones join at the end. `order` is the dialog's memory, filled on first use.
 */
export function keepOrder<T extends { kind: string; id: string }>(
  ranked: readonly T[],
  order: Map<string, number>,
): T[] {
  const key = (s: T) => `${s.kind}:${s.id}`;
  for (const s of ranked) if (!order.has(key(s))) order.set(key(s), order.size);
  return [...ranked].sort((a, b) => (order.get(key(a)) ?? 0) - (order.get(key(b)) ?? 0));
}
