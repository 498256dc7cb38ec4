import type {
  Alert,
  Area,
  Camera,
  Case,
  CaseSource,
  CaseStatus,
  Category,
  InspectionPoint,
  KpiFigures,
  PositionTuple,
  Snapshot,
  StreamEvent,
  Worker,
  WorkerPositions,
  WorkerPositionTuples,
} from '../../protocol';
import { packPositions } from '../../protocol/positions';
import { mulberry32 } from '../../protocol/random';
import { districtAreas, STREETS } from './synthetic-areas';
import { syntheticKpis } from './synthetic-kpis';

/**
 * A seeded, protocol-valid synthetic district for unit tests and the wall
 * benchmark (100,000 cases, 10,000 workers, 2,000 updates a second). Not the simulator: it makes
 * load of the right shape, not a plausible city. Its area tree is synthetic-areas.ts, its made-up
 * KPI figures synthetic-kpis.ts; here the people, things and cases, and the event stream.
 */

export const SYNTHETIC_CATEGORIES: Category[] = [
  ['road_dirty', '道路不洁', 'Dirty road', '市容环境', 300],
  ['exposed_garbage', '暴露垃圾', 'Exposed garbage', '市容环境', 480],
  ['illegal_building', '违法搭建', 'Illegal construction', '违法建设', 7200],
  ['oil_fume', '油烟污染', 'Oil fume', '环境污染', 480],
  ['street_vendor', '占道经营', 'Street vending', '市容环境', 240],
  ['manhole', '井盖缺失', 'Missing manhole cover', '市政设施', 120],
  ['noise', '噪声扰民', 'Noise', '环境污染', 480],
  ['fire_hazard', '消防隐患', 'Fire hazard', '安全生产', 240],
].map(([code, name, nameEn, group, handleMinutes]) => ({
  code: String(code),
  name: String(name),
  nameEn: String(nameEn),
  group: String(group),
  handleMinutes: Number(handleMinutes),
  departmentId: null,
  autoDispatch: code === 'oil_fume',
}));

const SOURCES: CaseSource[] = ['grid_worker', 'hotline', 'wechat', 'app', 'sensor', 'video', 'drone', 'web'];
const OPEN_FLOW: CaseStatus[] = ['reported', 'filed', 'dispatched', 'accepted', 'handled', 'verified'];
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚';

export interface SyntheticOptions {
  seed: number;
  cases: number;
  workers: number;
  cameras: number;
  /** Grid columns × rows; grids = gridCols × gridRows. */
  gridCols: number;
  gridRows: number;
  inspectionPoints: number;
  /** Cases that ended in the 24 h before the start: a real snapshot holds those too. */
  endedInWindow: number;
  /** Server clock at the start. */
  startAt: number;
  bbox: [number, number, number, number];
}

export const DEFAULT_SYNTHETIC: SyntheticOptions = {
  seed: 1,
  cases: 2000,
  workers: 600,
  cameras: 200,
  gridCols: 24,
  gridRows: 16,
  inspectionPoints: 800,
  endedInWindow: 0,
  startAt: Date.parse('2026-11-23T09:00:00+08:00'),
  bbox: [106.13, 38.44, 106.33, 38.56],
};

export class SyntheticDistrict {
  readonly rand: () => number;
  readonly options: SyntheticOptions;
  readonly areas: Area[];
  readonly grids: Area[];
  readonly cases = new Map<string, Case>();
  readonly workers: Worker[] = [];
  readonly cameras: Camera[] = [];
  readonly inspectionPoints: InspectionPoint[] = [];
  readonly alerts: Alert[] = [];
  seq = 0;
  now: number;
  private caseCounter = 0;
  /** Open case ids, for picking one at random in O(1). */
  private readonly openIds: string[] = [];
  private readonly openIndex = new Map<string, number>();

  constructor(options: Partial<SyntheticOptions> = {}) {
    this.options = { ...DEFAULT_SYNTHETIC, ...options };
    this.rand = mulberry32(this.options.seed);
    this.now = this.options.startAt;
    ({ areas: this.areas, grids: this.grids } = districtAreas(
      this.options.bbox,
      this.options.gridCols,
      this.options.gridRows,
    ));
    for (let i = 0; i < this.options.workers; i++) this.workers.push(this.makeWorker(i));
    for (let i = 0; i < this.options.cameras; i++) this.cameras.push(this.makeCamera(i));
    for (let i = 0; i < this.options.inspectionPoints; i++) this.inspectionPoints.push(this.makePoint(i));
    for (let i = 0; i < this.options.cases; i++) {
      const c = this.makeCase(this.now - Math.floor(this.rand() * 20 * 3600_000));
      this.cases.set(c.id, c);
      this.addOpen(c.id);
    }
    for (let i = 0; i < this.options.endedInWindow; i++) {
      const endedAt = this.now - Math.floor(this.rand() * 23 * 3600_000);
      const c = this.makeCase(endedAt - 3600_000);
      this.cases.set(c.id, this.closed(c, endedAt));
    }
  }

  private addOpen(id: string): void {
    this.openIndex.set(id, this.openIds.length);
    this.openIds.push(id);
  }

  private removeOpen(id: string): void {
    const i = this.openIndex.get(id);
    if (i === undefined) return;
    const last = this.openIds.pop() as string;
    if (last !== id) {
      this.openIds[i] = last;
      this.openIndex.set(last, i);
    }
    this.openIndex.delete(id);
  }

  private closed(c: Case, at: number): Case {
    return {
      ...c,
      status: 'closed',
      deadline: null,
      version: c.version + 1,
      updatedAt: at,
      satisfaction: 'satisfied',
      milestones: { ...c.milestones, closedAt: at },
    };
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rand() * items.length)] as T;
  }

  private pointIn(grid: Area): { lng: number; lat: number } {
    const ring = grid.polygon[0] ?? [];
    const [x0, y0] = ring[0] ?? [0, 0];
    const [x1, y1] = ring[2] ?? [0, 0];
    return { lng: x0 + this.rand() * (x1 - x0), lat: y0 + this.rand() * (y1 - y0) };
  }

  private name(): string {
    return this.pick([...SURNAMES]) + this.pick([...GIVEN]) + (this.rand() < 0.5 ? this.pick([...GIVEN]) : '');
  }

  private makeWorker(i: number): Worker {
    const grid = this.grids[i % this.grids.length] as Area;
    return {
      id: `w-${i + 1}`,
      name: this.name(),
      kind: i % 20 === 0 ? 'grid_chief' : 'grid_worker',
      gridId: grid.id,
      onDuty: this.rand() < 0.85,
      position: this.pointIn(grid),
      lastSeen: this.now,
    };
  }

  private makeCamera(i: number): Camera {
    const grid = this.pick(this.grids);
    return {
      id: `cam-${i + 1}`,
      name: `${this.pick(STREETS)}${i + 1}号探头`,
      kind: this.pick(['street', 'kitchen', 'traffic'] as const),
      position: this.pointIn(grid),
      gridId: grid.id,
      streamUrl: '',
      streamKind: 'hls',
      status: this.rand() < 0.92 ? 'online' : this.rand() < 0.5 ? 'offline' : 'fault',
      statusSince: this.now,
    };
  }

  private makePoint(i: number): InspectionPoint {
    const grid = this.pick(this.grids);
    const kind = i % 12;
    const names = [
      '消防栓',
      '井盖',
      '垃圾桶',
      '路灯',
      '广告牌',
      '电动车充电桩',
      '排水口',
      '燃气管线',
      '监控杆',
      '公厕',
      '健身器材',
      '护栏',
    ];
    const r = this.rand();
    return {
      id: `ip-${i + 1}`,
      kind: `P${String(kind + 1).padStart(3, '0')}`,
      kindName: names[kind] ?? '巡查点',
      position: this.pointIn(grid),
      gridId: grid.id,
      state: r < 0.8 ? 'normal' : r < 0.9 ? 'issue' : 'unchecked',
      lastCheckedAt: r < 0.9 ? this.now - Math.floor(this.rand() * 8 * 3600_000) : null,
    };
  }

  makeCase(createdAt: number): Case {
    const grid = this.pick(this.grids);
    const n = ++this.caseCounter;
    const status = this.pick(OPEN_FLOW);
    const category = this.pick(SYNTHETIC_CATEGORIES);
    const urgent = this.rand() < 0.08;
    const limit = urgent ? 30 : category.handleMinutes;
    const dueAt = createdAt + limit * 60_000;
    const overdue = dueAt < this.now;
    const worker = this.pick(this.workers.length ? this.workers : [null]);
    const assigned = ['dispatched', 'accepted', 'handled', 'verified'].includes(status);
    return {
      id: `c-${n}`,
      code: `JF20261123-${String(n).padStart(5, '0')}`,
      category: category.code,
      source: this.pick(SOURCES),
      priority: urgent ? 'urgent' : 'normal',
      description: `${category.name}：${this.pick(STREETS)}附近`,
      location: { ...this.pointIn(grid), address: `${this.pick(STREETS)}${Math.floor(this.rand() * 300) + 1}号` },
      gridId: grid.id,
      status,
      level: 'grid',
      assignee: assigned && worker ? { kind: 'worker', id: worker.id, name: worker.name } : null,
      deadline: {
        stage:
          status === 'reported' ? 'file' : status === 'filed' ? 'dispatch' : status === 'handled' ? 'verify' : 'handle',
        level: 'grid',
        startedAt: createdAt,
        limitMinutes: limit,
        warnAt: createdAt + limit * 48_000,
        dueAt,
        warned: createdAt + limit * 48_000 < this.now,
        overdue,
      },
      reporter: null,
      media: [],
      timeline: [
        {
          at: createdAt,
          action: 'reported',
          actor: { id: 'sys', name: '系统', role: 'system' },
          from: null,
          to: 'reported',
          level: 'grid',
        },
      ],
      satisfaction: null,
      extension: null,
      milestones: { filedAt: null, dispatchedAt: null, handledAt: null, closedAt: null, closeDueAt: null },
      reworkCount: 0,
      extensionCount: 0,
      everOverdue: overdue,
      selfHandled: false,
      duplicateOf: null,
      version: 1,
      createdAt,
      updatedAt: createdAt,
    };
  }

  /** Figures of the right shape for a snapshot (rates and breakdowns made up). */
  kpis(): KpiFigures {
    return syntheticKpis(this.cases, this.areas, this.options.startAt, this.now);
  }

  snapshot(): Snapshot & { inspectionPoints: InspectionPoint[] } {
    return {
      seq: this.seq,
      at: this.now,
      masked: true,
      role: 'wall',
      cases: [...this.cases.values()],
      workers: this.workers,
      cameras: this.cameras,
      sensors: [],
      areas: this.areas,
      areasVersion: 1,
      departments: [],
      categories: SYNTHETIC_CATEGORIES,
      kpis: this.kpis(),
      alerts: this.alerts,
      inspectionPoints: this.inspectionPoints,
    };
  }

  /**
   * One case event at server time `at`: a new report (12 %), a case closed (12 %: the open count
   * stays level), or an open case a step further (76 %, now and then turning overdue). Closed cases
   * are forgotten here, so the generator's own memory stays flat over millions of events.
   */
  nextCaseEvent(at: number): StreamEvent {
    this.now = Math.max(this.now, at);
    const seq = ++this.seq;
    const r = this.rand();
    if (r < 0.12 || this.openIds.length === 0) {
      const c = this.makeCase(at);
      this.cases.set(c.id, c);
      this.addOpen(c.id);
      return { seq, at, type: 'case.upserted', payload: c };
    }
    const id = this.openIds[Math.floor(this.rand() * this.openIds.length)] as string;
    const old = this.cases.get(id) ?? this.makeCase(at);
    if (r < 0.24) {
      this.removeOpen(id);
      this.cases.delete(id);
      return { seq, at, type: 'case.upserted', payload: this.closed(old, at) };
    }
    const i = OPEN_FLOW.indexOf(old.status);
    const status = OPEN_FLOW[(Math.max(0, i) + 1) % OPEN_FLOW.length] ?? 'filed';
    const overdue = old.deadline !== null && (old.deadline.overdue || this.rand() < 0.05);
    const next: Case = {
      ...old,
      status,
      version: old.version + 1,
      updatedAt: at,
      deadline: old.deadline ? { ...old.deadline, overdue, warned: old.deadline.warned || overdue } : null,
      everOverdue: old.everOverdue || overdue,
    };
    this.cases.set(id, next);
    return { seq, at, type: 'case.upserted', payload: next };
  }

  nextAlertEvent(at: number): StreamEvent {
    const id = this.openIds.length > 0 ? this.openIds[Math.floor(this.rand() * this.openIds.length)] : undefined;
    const c = id ? this.cases.get(id) : undefined;
    const alert: Alert = {
      id: `a-${this.seq + 1}`,
      kind: this.pick(['overdue', 'warning', 'escalation', 'sensor'] as const),
      severity: this.rand() < 0.3 ? 'critical' : 'warning',
      caseId: c?.id ?? null,
      caseCode: c?.code ?? null,
      category: c?.category ?? null,
      gridId: c?.gridId ?? null,
      targetLevel: 'community',
      stage: 'handle',
      sensorId: null,
      raisedAt: at,
      clearedAt: null,
    };
    this.alerts.unshift(alert);
    if (this.alerts.length > 100) this.alerts.length = 100;
    return { seq: ++this.seq, at, type: 'alert.raised', payload: alert };
  }

  /** Moves `count` workers a little and returns their positions (as the renderer holds them). */
  movePositions(at: number, count: number): WorkerPositionTuples {
    const positions: PositionTuple[] = [];
    const n = this.workers.length;
    for (let k = 0; k < count && n > 0; k++) {
      const w = this.workers[Math.floor(this.rand() * n)] as Worker;
      const p = w.position ?? { lng: 0, lat: 0 };
      p.lng += (this.rand() - 0.5) * 0.0006;
      p.lat += (this.rand() - 0.5) * 0.0006;
      w.position = p;
      positions.push([w.id, p.lng, p.lat, w.onDuty ? 1 : 0]);
    }
    return { at, positions };
  }

  /** Positions as the server sends them: packed, each worker by its place in the snapshot's list. */
  pack(moved: WorkerPositionTuples): WorkerPositions {
    const index = new Map(this.workers.map((w, i) => [w.id, i]));
    const items = moved.positions.map(([id, lng, lat, duty]) => ({
      index: index.get(id) ?? 0,
      lng,
      lat,
      onDuty: duty === 1,
    }));
    return { at: moved.at, n: this.workers.length, packed: packPositions(items) };
  }
}
