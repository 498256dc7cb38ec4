import type { Alert, Area, Assignee, Camera, Case, Category, Department, Sensor, Worker } from '../../protocol';
import { isTerminal } from '../../protocol';
import type { Geography } from '../storage/store';
import { GridIndex } from './geo';

/** A worker's move as the field reports it. */
export interface WorkerMove {
  id: string;
  lng: number;
  lat: number;
  onDuty: boolean;
}

/**
 * What the wall shows, in memory: the working set of cases and open alerts, and the district's
 * entities (areas and their grid index, workers, departments, cameras, sensors, categories). The
 * write path changes cases and alerts only after a commit; everything here is read without I/O.
 */
export class EntityRegistry {
  readonly cases = new Map<string, Case>();
  readonly alerts = new Map<string, Alert>();
  areas: Area[] = [];
  areasVersion = 1;
  readonly areaById = new Map<string, Area>();
  private gridIndex = new GridIndex([]);
  readonly workers = new Map<string, Worker>();
  readonly departments = new Map<string, Department>();
  readonly cameras = new Map<string, Camera>();
  readonly sensors = new Map<string, Sensor>();
  readonly categories = new Map<string, Category>();
  /** Workers moved since the last positions message. */
  readonly movedWorkers = new Set<string>();

  constructor(categories: readonly Category[]) {
    for (const c of categories) this.categories.set(c.code, c);
  }

  /** Takes the stored geography: areas (and the grid index), workers, departments, cameras, sensors. */
  loadGeography(geo: Geography): void {
    this.areas = geo.areas;
    this.gridIndex = new GridIndex(geo.areas);
    for (const a of geo.areas) this.areaById.set(a.id, a);
    for (const w of geo.workers) this.workers.set(w.id, w);
    for (const d of geo.departments) this.departments.set(d.id, d);
    for (const c of geo.cameras) this.cameras.set(c.id, c);
    for (const s of geo.sensors) this.sensors.set(s.id, s);
  }

  /** The grid whose polygon holds the point, if any. */
  gridAt(lng: number, lat: number): string | null {
    return this.gridIndex.gridAt(lng, lat);
  }

  nearestGrid(lng: number, lat: number): string {
    return this.gridIndex.nearestGrid(lng, lat) ?? '';
  }

  resolveAssignee(ref: { kind: 'worker' | 'department'; id: string }): Assignee | null {
    const found = ref.kind === 'worker' ? this.workers.get(ref.id) : this.departments.get(ref.id);
    return found ? { kind: ref.kind, id: found.id, name: found.name } : null;
  }

  /** Moves workers; sent to clients as one coalesced positions message per tick. */
  moveWorkers(updates: readonly WorkerMove[], at: number): void {
    for (const u of updates) {
      const w = this.workers.get(u.id);
      if (!w) continue;
      this.workers.set(u.id, { ...w, position: { lng: u.lng, lat: u.lat }, onDuty: u.onDuty, lastSeen: at });
      this.movedWorkers.add(u.id);
    }
  }

  /** Cases in the loop plus those that ended at or after `endedSince`. */
  casesSince(endedSince: number): Case[] {
    const out: Case[] = [];
    for (const c of this.cases.values()) {
      if (!isTerminal(c.status) || c.updatedAt >= endedSince) out.push(c);
    }
    return out;
  }

  /** Drops cases that ended before `endedSince` from the working set (memory stays flat). */
  evictEndedBefore(endedSince: number): number {
    let n = 0;
    for (const [id, c] of this.cases) {
      if (isTerminal(c.status) && c.updatedAt < endedSince) {
        this.cases.delete(id);
        n += 1;
      }
    }
    return n;
  }
}
