import { booleanPointInPolygon, polygon } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { Camera, Category, Department, InspectionPoint, type LngLat, RentedFlat, Sensor, Worker } from '../../protocol';
import {
  demoStream,
  generatePreset,
  INSPECTION_KINDS,
  isOnDutyAt,
  PRESET_EPOCH,
  type PresetData,
  SENSOR_CATEGORY,
} from './index';

const count = <T>(items: readonly T[], pred: (t: T) => boolean): number => items.filter(pred).length;
const levels = (p: PresetData, level: string): number => count(p.areas, (a) => a.level === level);

/** Every positioned thing lies in the grid it names. */
function expectInOwnGrid(
  p: PresetData,
  things: ReadonlyArray<{ id: string; gridId: string | null; position: LngLat | null }>,
) {
  const grids = new Map(p.areas.filter((a) => a.level === 'grid').map((g) => [g.id, polygon(g.polygon)]));
  for (const t of things) {
    const grid = grids.get(t.gridId ?? '');
    expect(grid, `grid of ${t.id}`).toBeDefined();
    expect(t.position).not.toBeNull();
    const { lng, lat } = t.position as LngLat;
    if (!booleanPointInPolygon([lng, lat], grid as ReturnType<typeof polygon>)) {
      throw new Error(`${t.id} at ${lng},${lat} is outside its grid ${t.gridId}`);
    }
  }
}

function expectSchemas(p: PresetData): void {
  const check = <T>(schema: { safeParse(x: unknown): { success: boolean } }, items: readonly T[], what: string) => {
    const bad = items.filter((x) => !schema.safeParse(x).success);
    expect(bad, `${what} failing their schema`).toEqual([]);
  };
  check(Worker, p.workers, 'workers');
  check(Department, p.departments, 'departments');
  check(Category, p.categories, 'categories');
  check(Camera, p.cameras, 'cameras');
  check(Sensor, p.sensors, 'sensors');
  check(InspectionPoint, p.inspectionPoints, 'inspection points');
  check(RentedFlat, p.rentedFlats, 'rented flats');
}

function expectUniqueIds(p: PresetData): void {
  for (const list of [p.areas, p.workers, p.departments, p.cameras, p.sensors, p.inspectionPoints, p.rentedFlats]) {
    const ids = list.map((x) => x.id);
    expect(new Set(ids).size).toBe(ids.length);
  }
  expect(new Set(p.categories.map((c) => c.code)).size).toBe(p.categories.length);
}

describe('small preset', () => {
  const p = generatePreset('small', 1);

  it('has 1 district, 2 streets, 4 communities, 16 grids and 16 grid workers', () => {
    expect([levels(p, 'district'), levels(p, 'street'), levels(p, 'community'), levels(p, 'grid')]).toEqual([
      1, 2, 4, 16,
    ]);
    expect(p.workers).toHaveLength(16);
    expect(count(p.workers, (w) => w.kind === 'grid_worker')).toBe(16);
    expect(p.cameras.length).toBeGreaterThan(0);
    expect(p.cameras.length).toBeLessThan(20);
    expect(p.sensors.length).toBeGreaterThan(0);
    expect(p.inspectionPoints.length).toBeGreaterThan(0);
    expect(p.rentedFlats.length).toBeGreaterThan(0);
  });

  it('passes every schema, with unique ids, everything in its own grid', () => {
    expectSchemas(p);
    expectUniqueIds(p);
    expectInOwnGrid(p, [...p.workers, ...p.cameras, ...p.sensors, ...p.inspectionPoints, ...p.rentedFlats]);
  });
});

describe('district preset (after 金凤区)', () => {
  const p = generatePreset('district', 42);

  it('sits around 106.2° E, 38.5° N with a real-looking extent', () => {
    expect(p.title).toBe('金凤区');
    expect(p.center[0]).toBeCloseTo(106.2, 1);
    expect(p.center[1]).toBeCloseTo(38.5, 1);
    const [w, s, e, n] = p.bbox;
    const widthKm = (e - w) * 111.32 * Math.cos((38.5 * Math.PI) / 180);
    const heightKm = (n - s) * 110.57;
    expect(widthKm).toBeGreaterThan(11);
    expect(widthKm).toBeLessThan(18);
    expect(heightKm).toBeGreaterThan(8);
    expect(heightKm).toBeLessThan(15);
  });

  it('has about 6 streets, 60 communities and 592 grids with hierarchical codes and Chinese names', () => {
    expect(levels(p, 'street')).toBe(6);
    expect(levels(p, 'community')).toBe(60);
    expect(levels(p, 'grid')).toBe(592);
    const root = p.areas[0];
    expect(root?.code).toBe('640106');
    expect(p.areas.map((a) => a.name)).toContain('满城北街街道');
    for (const a of p.areas) {
      const len = { city: 6, district: 6, street: 9, community: 12, grid: 15 }[a.level];
      expect(a.code).toHaveLength(len);
      if (a.level === 'grid') expect(a.name).toMatch(/^第\d+网格$/);
      if (a.level === 'community') expect(a.name).toMatch(/^\p{Script=Han}{2,3}(社区|村)$/u);
    }
  });

  it('has one grid worker per grid, a chief per community, most on duty at the epoch', () => {
    expect(count(p.workers, (w) => w.kind === 'grid_worker')).toBe(592);
    expect(new Set(p.workers.filter((w) => w.kind === 'grid_worker').map((w) => w.gridId)).size).toBe(592);
    expect(count(p.workers, (w) => w.kind === 'grid_chief')).toBe(60);
    for (const w of p.workers) {
      expect(w.name).toMatch(/^\p{Script=Han}{2,3}$/u);
      expect(w.lastSeen).toBeNull();
      expect(w.onDuty).toBe(isOnDutyAt(p.shifts[w.id] as NonNullable<PresetData['shifts'][string]>, p.epoch));
    }
    const onDuty = count(p.workers, (w) => w.onDuty) / p.workers.length;
    expect(onDuty).toBeGreaterThan(0.5);
    expect(onDuty).toBeLessThan(0.95);
  });

  it('has about 1,200 cameras (kitchens and drones among them) playing the demo clips as HLS, MP4 and MJPEG', () => {
    expect(p.cameras.length).toBeGreaterThan(1100);
    expect(p.cameras.length).toBeLessThan(1300);
    expect(count(p.cameras, (c) => c.kind === 'kitchen')).toBeGreaterThan(50);
    expect(count(p.cameras, (c) => c.kind === 'drone')).toBeGreaterThan(0);
    expect(count(p.cameras, (c) => c.kind === 'street' || c.kind === 'traffic')).toBe(1040);
    for (const c of p.cameras) {
      expect(c).toMatchObject(demoStream(c.kind, Number(/clip-(\d)/.exec(c.streamUrl)?.[1])));
      expect(c.statusSince).toBeLessThanOrEqual(p.epoch);
    }
    // Every demo format is in use: HLS (clips 1–2), MP4 (3–4) and MJPEG (drones).
    expect(new Set(p.cameras.map((c) => c.streamUrl)).size).toBe(5);
    expect(new Set(p.cameras.map((c) => c.streamKind))).toEqual(new Set(['hls', 'mp4', 'mjpeg']));
    expect(count(p.cameras, (c) => c.status === 'online') / p.cameras.length).toBeGreaterThan(0.85);
    expect(count(p.cameras, (c) => c.status !== 'online')).toBeGreaterThan(0);
  });

  it('has 50 oil-fume monitors in kitchens with cameras, plus smoke sensors', () => {
    const oil = p.sensors.filter((s) => s.kind === 'oil_fume');
    expect(oil).toHaveLength(50);
    expect(count(p.sensors, (s) => s.kind === 'smoke')).toBeGreaterThan(0);
    const kitchenAt = new Set(
      p.cameras.filter((c) => c.kind === 'kitchen').map((c) => `${c.position.lng},${c.position.lat}`),
    );
    for (const s of oil) expect(kitchenAt.has(`${s.position.lng},${s.position.lat}`)).toBe(true);
    const codes = new Set(p.categories.map((c) => c.code));
    for (const code of Object.values(SENSOR_CATEGORY)) expect(codes.has(code)).toBe(true);
  });

  it('has 3,319 inspection points of 116 kinds (兴隆台)', () => {
    expect(p.inspectionPoints).toHaveLength(3319);
    expect(new Set(p.inspectionPoints.map((x) => x.kind)).size).toBe(116);
    const kindName = new Map(INSPECTION_KINDS.map((k) => [k.code, k.name]));
    for (const x of p.inspectionPoints) {
      expect(x.kindName).toBe(kindName.get(x.kind));
      expect(x.lastCheckedAt === null || x.lastCheckedAt <= p.epoch).toBe(true);
    }
    expect(new Set(p.inspectionPoints.map((x) => x.state))).toEqual(new Set(['normal', 'issue', 'unchecked']));
  });

  it('has 19 departments and about 40 categories, each category taken by an existing department', () => {
    expect(p.departments).toHaveLength(19);
    const names = p.departments.map((d) => d.name);
    for (const n of ['城管局', '生态环境局', '消防救援大队', '公安分局', '街道综合执法队', '社区居委会']) {
      expect(names).toContain(n);
    }
    expect(p.categories.length).toBeGreaterThanOrEqual(35);
    expect(p.categories.length).toBeLessThanOrEqual(50);
    const byName = new Map(p.categories.map((c) => [c.name, c]));
    expect(byName.get('暴露垃圾')?.handleMinutes).toBe(480);
    expect(byName.get('道路不洁')?.handleMinutes).toBe(300);
    expect(byName.get('违法搭建')?.handleMinutes).toBe(7200);
    expect(byName.get('油烟污染')?.autoDispatch).toBe(true);
    for (const n of ['占道经营', '乱堆物料', '井盖缺失', '路灯不亮', '道路破损', '消防隐患', '群租房隐患']) {
      expect(byName.has(n), n).toBe(true);
    }
    for (const n of ['矛盾纠纷', '噪声扰民', '积水', '违规广告', '共享单车乱停放']) expect(byName.has(n), n).toBe(true);
    const deptIds = new Set(p.departments.map((d) => d.id));
    for (const c of p.categories) expect(deptIds.has(c.departmentId as string)).toBe(true);
    for (const d of p.departments) {
      expect(d.categories.length).toBeGreaterThan(0);
      expect(d.categories).toEqual(p.categories.filter((c) => c.departmentId === d.id).map((c) => c.code));
    }
  });

  it('passes every schema, with unique ids, everything in its own grid', () => {
    expectSchemas(p);
    expectUniqueIds(p);
    expectInOwnGrid(p, [...p.workers, ...p.cameras, ...p.sensors, ...p.inspectionPoints, ...p.rentedFlats]);
  });

  it('gives the same data for the same seed and different names and places for another', () => {
    const again = generatePreset('district', 42);
    expect(again).toEqual(p);
    const other = generatePreset('district', 43);
    expect(other.areas.map((a) => a.polygon)).not.toEqual(p.areas.map((a) => a.polygon));
    expect(other.areas.filter((a) => a.level === 'community').map((a) => a.name)).not.toEqual(
      p.areas.filter((a) => a.level === 'community').map((a) => a.name),
    );
    expect(other.workers.map((w) => w.name)).not.toEqual(p.workers.map((w) => w.name));
    expect(other.cameras.map((c) => c.position)).not.toEqual(p.cameras.map((c) => c.position));
  });

  it('takes its reference time from the caller', () => {
    const later = generatePreset('small', 1, { epoch: PRESET_EPOCH + 14 * 3_600_000 });
    // 00:00 in Beijing: grid workers (08:00–18:00) are all off duty.
    expect(later.workers.every((w) => !w.onDuty)).toBe(true);
    expect(later.epoch).toBe(PRESET_EPOCH + 14 * 3_600_000);
  });
});

describe('city preset (after 东莞)', () => {
  const started = performance.now();
  const p = generatePreset('city', 2934);
  const ms = performance.now() - started;

  it('generates in a few seconds', () => {
    console.log(`city preset generated in ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(15_000);
  });

  it('sits around 113.75° E, 23.0° N with 32 towns and streets, ~3,000 grids and ~10,000 staff', () => {
    expect(p.title).toBe('东莞市');
    expect(p.areas[0]?.level).toBe('city');
    const [w, s, e, n] = p.bbox;
    expect(w).toBeLessThan(113.75);
    expect(e).toBeGreaterThan(113.75);
    expect(s).toBeLessThan(23.02);
    expect(n).toBeGreaterThan(23.02);
    const towns = p.areas.filter((a) => a.level === 'street').map((a) => a.name);
    expect(towns).toHaveLength(32);
    for (const t of ['莞城街道', '南城街道', '长安镇', '虎门镇', '樟木头镇', '高埗镇']) expect(towns).toContain(t);
    expect(levels(p, 'grid')).toBe(2934);
    expect(levels(p, 'community')).toBeGreaterThan(400);
    expect(p.workers.length).toBe(10_291);
    expect(count(p.workers, (x) => x.kind === 'grid_worker')).toBeGreaterThanOrEqual(2 * 2934);
    expect(count(p.workers, (x) => x.kind === 'staff')).toBeGreaterThan(0);
  });

  it('has proportionally more cameras (capped at 6,000) and rented flats in four tiers', () => {
    expect(p.cameras.length).toBeGreaterThan(4000);
    expect(p.cameras.length).toBeLessThanOrEqual(6000);
    expect(p.rentedFlats.length).toBeGreaterThan(2000);
    const tiers = [1, 2, 3, 4].map((t) => count(p.rentedFlats, (f) => f.tier === t));
    expect(Math.min(...tiers)).toBeGreaterThan(0);
    expect(tiers[0]).toBeGreaterThan(tiers[3] as number);
    for (const f of p.rentedFlats.slice(0, 50)) expect(f.address).toMatch(/^\p{Script=Han}+.*\d+号\d+栋$/u);
  });

  it('passes every schema, with unique ids, everything in its own grid', () => {
    expectSchemas(p);
    expectUniqueIds(p);
    expectInOwnGrid(p, [...p.workers, ...p.cameras, ...p.sensors, ...p.rentedFlats]);
    expectInOwnGrid(p, p.inspectionPoints.slice(0, 2000));
  });

  it('gives the same data for the same seed', () => {
    // JSON text equality is deep equality here (no undefined, no NaN) and far quicker on 8 MB.
    expect(JSON.stringify(generatePreset('city', 2934))).toBe(JSON.stringify(p));
  });
});
