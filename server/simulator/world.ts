import type { Actor, Area, Position, SensorKind } from '../../protocol';
import type { PresetData } from '../presets';
import type { Rng } from '../presets/random';
import type { SimulatorCore } from './actions';
import { type Ring, randomPointInRing, ringBox } from './geometry';
import type { Patrols } from './patrol';

export const SIM_CENTER: Actor = { id: 'sim-center', name: '指挥中心(模拟)', role: 'supervisor' };

export interface GridInfo {
  area: Area;
  ring: Ring;
  box: ReturnType<typeof ringBox>;
  address: string;
  street: number;
}

/**
 * The district as the simulator sees it, built once from the preset: grids with their rings and
 * addresses (by street), the grid workers, cameras by kind, sensors by kind, and the actors that
 * the people and departments act as.
 */
export class SimWorld {
  readonly areaById: Map<string, Area>;
  readonly grids: GridInfo[] = [];
  readonly gridIndex = new Map<string, number>();
  readonly gridsOfStreet: number[][] = [];
  readonly gridWorkerIds: string[] = [];
  readonly streetCams: string[] = [];
  readonly kitchenCams: string[] = [];
  readonly droneCams: string[] = [];
  readonly sensorsOfKind = new Map<SensorKind, string[]>();
  private readonly actors = new Map<string, Actor>();

  constructor(
    private readonly core: SimulatorCore,
    private readonly preset: PresetData,
    readonly patrols: Patrols,
  ) {
    this.areaById = new Map(preset.areas.map((a) => [a.id, a]));
    const streets = preset.areas.filter((a) => a.level === 'street');
    const streetIndex = new Map(streets.map((s, i) => [s.id, i]));
    for (let i = 0; i < streets.length; i++) this.gridsOfStreet.push([]);
    for (const a of preset.areas) {
      if (a.level !== 'grid') continue;
      const community = a.parentId ? this.areaById.get(a.parentId) : undefined;
      const street = community?.parentId ? this.areaById.get(community.parentId) : undefined;
      const s = street ? (streetIndex.get(street.id) ?? 0) : 0;
      const ring = a.polygon[0] as Ring;
      this.gridIndex.set(a.id, this.grids.length);
      this.gridsOfStreet[s]?.push(this.grids.length);
      this.grids.push({
        area: a,
        ring,
        box: ringBox(ring),
        address: `${street?.name ?? ''}${community?.name ?? ''}${a.name}`,
        street: s,
      });
    }
    for (const ids of patrols.gridWorkers.values()) this.gridWorkerIds.push(...ids);
    for (const c of preset.cameras) {
      if (c.kind === 'kitchen') this.kitchenCams.push(c.id);
      else if (c.kind === 'drone') this.droneCams.push(c.id);
      else this.streetCams.push(c.id);
    }
    for (const s of preset.sensors) {
      const list = this.sensorsOfKind.get(s.kind) ?? [];
      list.push(s.id);
      this.sensorsOfKind.set(s.kind, list);
    }
  }

  randomPointInGrid(rng: Rng, g: number): Position {
    const grid = this.grids[g] as GridInfo;
    return randomPointInRing(rng, grid.ring, grid.box, grid.area.center);
  }

  addressAt(gridId: string | null): string {
    const g = gridId ? this.gridIndex.get(gridId) : undefined;
    return g === undefined ? this.preset.title : (this.grids[g] as GridInfo).address;
  }

  /** One of the grid's workers (the first without `rng`). */
  gridWorker(gridId: string, rng?: Rng): Actor | null {
    const ids = this.patrols.gridWorkers.get(gridId);
    if (!ids || ids.length === 0) return null;
    return this.workerActor(rng ? rng.pick(ids) : (ids[0] as string));
  }

  workerActor(id: string): Actor | null {
    const known = this.actors.get(id);
    if (known) return known;
    const w = this.core.workers.get(id);
    if (!w) return null;
    const actor: Actor = { id: w.id, name: w.name, role: 'worker' };
    this.actors.set(id, actor);
    return actor;
  }

  departmentActor(id: string): Actor | null {
    const known = this.actors.get(id);
    if (known) return known;
    const d = this.core.departments.get(id);
    if (!d) return null;
    const actor: Actor = { id: d.id, name: d.name, role: 'department' };
    this.actors.set(id, actor);
    return actor;
  }
}
