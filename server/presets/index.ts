/**
 * Deterministic demo geography: `generatePreset(name, seed)` builds a district (after 银川金凤区),
 * a city (after 东莞) or a tiny test district, with its areas, people, departments, categories,
 * cameras, sensors, inspection points and rented flats. Pure: no clock, no Math.random, no I/O;
 * the same name, seed and epoch give deep-equal data.
 */
import type {
  Area,
  Camera,
  CameraKind,
  CameraStatus,
  Category,
  Department,
  InspectionPoint,
  InspectionPointState,
  LngLat,
  Position,
  RentedFlat,
  RentedFlatTier,
  Sensor,
  SensorKind,
  Worker,
  WorkerKind,
} from '../../protocol';
import { buildCategories, buildDepartments, INSPECTION_KINDS } from './catalog';
import { buildGeography, type Geography } from './geography';
import { PlaceNames, personName, restaurantName, roadName } from './names';
import { apportion, Rng } from './random';
import { PRESET_SPECS, type PresetName, type PresetSpec } from './specs';

export { INSPECTION_KINDS, type InspectionKind, SENSOR_CATEGORY } from './catalog';
export { PRESET_NAMES, type PresetName } from './specs';

/**
 * Default reference time: Monday 2025-03-03 10:00 in Beijing. `onDuty`, `statusSince` and
 * `lastCheckedAt` are as of this moment unless the caller passes its own (e.g. the server's start).
 */
export const PRESET_EPOCH = Date.UTC(2025, 2, 3, 2, 0, 0);

/** A weekly shift in Beijing time (UTC+8). `end` < `start` wraps past midnight. */
export interface Shift {
  /** Minutes after local midnight. */
  start: number;
  end: number;
  /** Days off, 0 = Monday … 6 = Sunday (for a night shift: the day it starts). */
  restDays: number[];
}

const DAY_MS = 86_400_000;
const BEIJING_OFFSET_MS = 8 * 3_600_000;

export function isOnDutyAt(shift: Shift, at: number): boolean {
  const local = at + BEIJING_OFFSET_MS;
  const day = Math.floor(local / DAY_MS);
  // 1970-01-01 was a Thursday (3 when Monday is 0).
  const weekday = (((day + 3) % 7) + 7) % 7;
  const minute = Math.floor((local - day * DAY_MS) / 60_000);
  const works = (wd: number): boolean => !shift.restDays.includes(wd);
  if (shift.start <= shift.end) return minute >= shift.start && minute < shift.end && works(weekday);
  return (minute >= shift.start && works(weekday)) || (minute < shift.end && works((weekday + 6) % 7));
}

export interface PresetData {
  name: PresetName;
  seed: number;
  /** The moment `onDuty`, `statusSince` and `lastCheckedAt` refer to. */
  epoch: number;
  /** zh name shown on the wall, e.g. 金凤区 / 东莞市. */
  title: string;
  /** Root (district or city) first, then streets, communities and grids; ids are the codes. */
  areas: Area[];
  workers: Worker[];
  /** Each worker's weekly shift, by worker id; `onDuty` is this shift at `epoch`. */
  shifts: Record<string, Shift>;
  departments: Department[];
  categories: Category[];
  cameras: Camera[];
  sensors: Sensor[];
  inspectionPoints: InspectionPoint[];
  rentedFlats: RentedFlat[];
  /** [west, south, east, north] of the root area. */
  bbox: [number, number, number, number];
  /** The root's label point, [lng, lat]. */
  center: [number, number];
}

export interface PresetOptions {
  /** Reference time, ms since the epoch (default PRESET_EPOCH). */
  epoch?: number;
}

const lngLat = (p: Position): LngLat => ({ lng: p[0], lat: p[1] });
const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Picks cells with each grid equally likely (dense urban grids get dense equipment), then a point. */
class Placer {
  constructor(
    private readonly geo: Geography,
    private readonly rng: Rng,
  ) {}

  inGrid(gridIndex: number): { position: Position; gridIndex: number } {
    const cell = this.rng.pick(this.geo.gridCells[gridIndex] as number[]);
    return { position: this.geo.mesh.randomPointInCell(cell, this.rng), gridIndex };
  }

  anywhere(): { position: Position; gridIndex: number } {
    return this.inGrid(this.rng.int(0, this.geo.grids.length - 1));
  }

  /** In a street's seat (the cell under its label), e.g. town staff and drone hangars. */
  atSeat(street: number): { position: Position; gridIndex: number } {
    const cell = this.geo.streetSeatCell[street] as number;
    return { position: this.geo.mesh.randomPointInCell(cell, this.rng), gridIndex: this.geo.cellGrid[cell] as number };
  }
}

export function generatePreset(name: PresetName, seed: number, options: PresetOptions = {}): PresetData {
  const spec: PresetSpec = PRESET_SPECS[name];
  const epoch = options.epoch ?? PRESET_EPOCH;
  const rng = new Rng(seed);
  const geo = buildGeography(spec.geography, rng.fork('geography'));
  const areas: Area[] = [geo.root, ...geo.streets, ...geo.communities, ...geo.grids];

  const categories = buildCategories();
  const departments = buildDepartments(categories);

  const roads = streetRoads(geo, rng.fork('roads'));
  const { workers, shifts } = buildWorkers(spec, geo, epoch, rng.fork('workers'));
  const { cameras, kitchens } = buildCameras(spec, geo, roads, epoch, rng.fork('cameras'));
  const sensors = buildSensors(spec, geo, kitchens, rng.fork('sensors'));
  const inspectionPoints = buildInspectionPoints(spec, geo, epoch, rng.fork('inspection'));
  const rentedFlats = buildRentedFlats(spec, geo, roads, rng.fork('flats'));

  let west = Number.POSITIVE_INFINITY;
  let south = Number.POSITIVE_INFINITY;
  let east = Number.NEGATIVE_INFINITY;
  let north = Number.NEGATIVE_INFINITY;
  for (const [lng, lat] of geo.root.polygon[0] as Position[]) {
    west = Math.min(west, lng);
    east = Math.max(east, lng);
    south = Math.min(south, lat);
    north = Math.max(north, lat);
  }

  return {
    name,
    seed,
    epoch,
    title: spec.title,
    areas,
    workers,
    shifts,
    departments,
    categories,
    cameras,
    sensors,
    inspectionPoints,
    rentedFlats,
    bbox: [west, south, east, north],
    center: [geo.root.center[0], geo.root.center[1]],
  };
}

/** Local road names per street (index into geo.streets). */
function streetRoads(geo: Geography, rng: Rng): string[][] {
  const stems = new PlaceNames(rng);
  return geo.streets.map(() => Array.from({ length: 12 }, () => roadName(stems.stem(), rng)));
}

const streetOfGrid = (geo: Geography, g: number): number =>
  geo.communityStreet[geo.gridCommunity[g] as number] as number;

function buildWorkers(
  spec: PresetSpec,
  geo: Geography,
  epoch: number,
  rng: Rng,
): { workers: Worker[]; shifts: Record<string, Shift> } {
  const workers: Worker[] = [];
  const shifts: Record<string, Shift> = {};
  const place = new Placer(geo, rng.fork('positions'));
  const add = (id: string, kind: WorkerKind, gridIndex: number, shift: Shift): void => {
    shifts[id] = shift;
    workers.push({
      id,
      name: personName(rng),
      kind,
      gridId: (geo.grids[gridIndex] as Area).id,
      onDuty: isOnDutyAt(shift, epoch),
      position: lngLat(place.inGrid(gridIndex).position),
      lastSeen: null,
    });
  };
  // Two days off a week, staggered so that every weekday has most grids covered.
  const restPair = (): number[] => {
    const d = rng.int(0, 6);
    return [d, (d + 1) % 7].sort((a, b) => a - b);
  };

  const countWeights = spec.workersPerGrid.map(([, share]) => share);
  geo.grids.forEach((grid, g) => {
    const [count] = spec.workersPerGrid[rng.weightedIndex(countWeights)] as readonly [number, number];
    for (let k = 1; k <= count; k++) {
      // Grid workers patrol twice a day between 08:00 and 18:00 (兴隆台).
      add(`w-${grid.code}-${k}`, 'grid_worker', g, { start: 480, end: 1080, restDays: restPair() });
    }
  });
  if (spec.gridChiefs) {
    // A chief per community, based in its first grid, on office hours.
    const firstGrid = new Map<number, number>();
    geo.gridCommunity.forEach((c, g) => {
      if (!firstGrid.has(c)) firstGrid.set(c, g);
    });
    geo.communities.forEach((community, c) => {
      add(`c-${community.code}`, 'grid_chief', firstGrid.get(c) as number, {
        start: 510,
        end: 1050,
        restDays: [5, 6],
      });
    });
  }
  const staffCount = spec.totalStaff - workers.length;
  if (spec.totalStaff > 0 && staffCount > 0) {
    // Town grid centers run round the clock in three shifts; staff are based in the seat's grid.
    const gridsPerStreet = geo.streets.map(() => 0);
    geo.grids.forEach((_, g) => {
      const s = streetOfGrid(geo, g);
      gridsPerStreet[s] = (gridsPerStreet[s] as number) + 1;
    });
    const perStreet = apportion(staffCount, gridsPerStreet, 1);
    const seatGrid = geo.streets.map((_, s) => place.atSeat(s).gridIndex);
    const SHIFTS: ReadonlyArray<readonly [number, number]> = [
      [480, 960],
      [960, 0],
      [0, 480],
    ];
    geo.streets.forEach((street, s) => {
      for (let n = 1; n <= (perStreet[s] as number); n++) {
        const [start, end] = SHIFTS[n % 3] as readonly [number, number];
        add(`s-${street.code}-${pad(n, 3)}`, 'staff', seatGrid[s] as number, { start, end, restDays: restPair() });
      }
    });
  }
  return { workers, shifts };
}

function cameraStatus(rng: Rng): CameraStatus {
  const r = rng.float();
  return r < 0.93 ? 'online' : r < 0.98 ? 'offline' : 'fault';
}

/**
 * Four demo clips (resources/media) stand in for every camera's stream: clips 1 and 2 as HLS, 3
 * and 4 as MP4, drones as MJPEG. Real cameras point at a gateway instead (docs/video.md).
 */
export function demoStream(kind: CameraKind, clip: number): Pick<Camera, 'streamUrl' | 'streamKind'> {
  if (kind === 'drone') return { streamUrl: '/media/mjpeg/clip-4', streamKind: 'mjpeg' };
  return clip <= 2
    ? { streamUrl: `/media/clips/clip-${clip}/index.m3u8`, streamKind: 'hls' }
    : { streamUrl: `/media/clips/clip-${clip}.mp4`, streamKind: 'mp4' };
}

interface Kitchen {
  name: string;
  position: Position;
  gridIndex: number;
}

function buildCameras(
  spec: PresetSpec,
  geo: Geography,
  roads: string[][],
  epoch: number,
  rng: Rng,
): { cameras: Camera[]; kitchens: Kitchen[] } {
  const cameras: Camera[] = [];
  const kitchens: Kitchen[] = [];
  const place = new Placer(geo, rng.fork('positions'));
  const add = (kind: CameraKind, name: string, position: Position, gridIndex: number): void => {
    cameras.push({
      id: `cam-${pad(cameras.length + 1, 5)}`,
      name,
      kind,
      position: lngLat(position),
      gridId: (geo.grids[gridIndex] as Area).id,
      ...demoStream(kind, rng.int(1, 4)),
      status: cameraStatus(rng),
      statusSince: Math.max(0, epoch - rng.int(0, 30 * 24 * 60) * 60_000),
    });
  };
  const localRoad = (gridIndex: number): string => rng.pick(roads[streetOfGrid(geo, gridIndex)] as string[]);
  for (let n = 0; n < spec.cameras.street; n++) {
    const { position, gridIndex } = place.anywhere();
    add('street', `${localRoad(gridIndex)}${rng.int(1, 300)}号杆`, position, gridIndex);
  }
  for (let n = 0; n < spec.cameras.traffic; n++) {
    const { position, gridIndex } = place.anywhere();
    add('traffic', `${rng.pick(spec.majorRoads)}与${localRoad(gridIndex)}交叉口`, position, gridIndex);
  }
  for (let n = 0; n < spec.cameras.kitchen; n++) {
    const { position, gridIndex } = place.anywhere();
    const name = restaurantName(rng);
    kitchens.push({ name, position, gridIndex });
    add('kitchen', `${name}后厨`, position, gridIndex);
  }
  for (let n = 0; n < spec.cameras.drone; n++) {
    const street = geo.streets[n % geo.streets.length] as Area;
    const { position, gridIndex } = place.atSeat(n % geo.streets.length);
    const round = Math.floor(n / geo.streets.length) + 1;
    add('drone', `${street.name}无人机${pad(round, 2)}`, position, gridIndex);
  }
  return { cameras, kitchens };
}

const SENSOR_LABEL: Readonly<Record<SensorKind, string>> = {
  oil_fume: '油烟监测仪',
  smoke: '独立式烟感',
  water_level: '积水监测仪',
  manhole: '智能井盖',
  noise: '噪声监测仪',
};

function buildSensors(spec: PresetSpec, geo: Geography, kitchens: readonly Kitchen[], rng: Rng): Sensor[] {
  const sensors: Sensor[] = [];
  const place = new Placer(geo, rng.fork('positions'));
  const kinds = Object.keys(SENSOR_LABEL) as SensorKind[];
  for (const kind of kinds) {
    const count = spec.sensors[kind] ?? 0;
    for (let n = 0; n < count; n++) {
      // Oil-fume monitors sit in the restaurants whose kitchens have cameras (金凤).
      const kitchen = kind === 'oil_fume' ? kitchens[n] : undefined;
      const { position, gridIndex } = kitchen ?? place.anywhere();
      const label = kitchen ? `${kitchen.name}${SENSOR_LABEL[kind]}` : `${SENSOR_LABEL[kind]}${pad(n + 1, 3)}`;
      sensors.push({
        id: `sns-${pad(sensors.length + 1, 5)}`,
        name: label,
        kind,
        position: lngLat(position),
        gridId: (geo.grids[gridIndex] as Area).id,
        status: rng.chance(0.03) ? 'offline' : 'normal',
      });
    }
  }
  return sensors;
}

function buildInspectionPoints(spec: PresetSpec, geo: Geography, epoch: number, rng: Rng): InspectionPoint[] {
  const kinds = rng.shuffle([...INSPECTION_KINDS]).slice(0, spec.inspectionKinds);
  const counts = apportion(
    spec.inspectionPoints,
    kinds.map((k) => k.weight),
    1,
  );
  const place = new Placer(geo, rng.fork('positions'));
  const points: InspectionPoint[] = [];
  kinds.forEach((kind, k) => {
    for (let n = 0; n < (counts[k] as number); n++) {
      const { position, gridIndex } = place.anywhere();
      const r = rng.float();
      // Two patrols a day (兴隆台): most points were seen this morning, a few not yet today.
      const state: InspectionPointState = r < 0.82 ? 'normal' : r < 0.85 ? 'issue' : 'unchecked';
      const minutesAgo = state === 'unchecked' ? rng.int(16 * 60, 3 * 24 * 60) : rng.int(5, 10 * 60);
      points.push({
        id: `ip-${pad(points.length + 1, 5)}`,
        kind: kind.code,
        kindName: kind.name,
        position: lngLat(position),
        gridId: (geo.grids[gridIndex] as Area).id,
        state,
        lastCheckedAt: state === 'unchecked' && rng.chance(0.2) ? null : Math.max(0, epoch - minutesAgo * 60_000),
      });
    }
  });
  return points;
}

function buildRentedFlats(spec: PresetSpec, geo: Geography, roads: string[][], rng: Rng): RentedFlat[] {
  // 东莞: four supervision tiers, 1 to 4 patrols a month; most flats are low-risk.
  const TIER_WEIGHTS = [0.45, 0.3, 0.17, 0.08];
  const place = new Placer(geo, rng.fork('positions'));
  const flats: RentedFlat[] = [];
  for (let n = 0; n < spec.rentedFlats; n++) {
    const { position, gridIndex } = place.anywhere();
    const community = geo.communities[geo.gridCommunity[gridIndex] as number] as Area;
    const s = streetOfGrid(geo, gridIndex);
    const street = geo.streets[s] as Area;
    const road = rng.pick(roads[s] as string[]);
    flats.push({
      id: `rf-${pad(n + 1, 5)}`,
      gridId: (geo.grids[gridIndex] as Area).id,
      position: lngLat(position),
      tier: (rng.weightedIndex(TIER_WEIGHTS) + 1) as RentedFlatTier,
      address: `${street.name}${community.name}${road}${rng.int(1, 200)}号${rng.int(1, 12)}栋`,
    });
  }
  return flats;
}
