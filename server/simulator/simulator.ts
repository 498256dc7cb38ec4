/**
 * The simulator: a living district or city on top of the case core. It acts only through the
 * core's intake (`report`) and commands, like the people it stands for: grid workers patrol and
 * report, residents call and post, sensors and cameras raise alarms, the center files and
 * dispatches, assignees handle, escalate, return and ask for time, workers verify, the center
 * closes with the reporter's rating. Everything it will do waits in one queue ordered by simulated
 * time; `tick(now)` does what is due. Every random choice comes from the seed, by hour, by day and
 * by case, so the same seed and the same start give the same stream.
 */
import type {
  Actor,
  Area,
  Camera,
  CameraStatus,
  Case,
  CaseReportParsed,
  CaseSource,
  Command,
  InspectionPoint,
  Position,
  Sensor,
  SensorKind,
} from '../../protocol';
import { isTerminal } from '../../protocol';
import type { CaseCore } from '../cases/core';
import { type PresetData, SENSOR_CATEGORY } from '../presets';
import { deriveSeed, Rng } from '../presets/random';
import {
  CHANNEL_MIX,
  CHANNELS,
  type Channel,
  DEPARTMENT_HEAVY,
  describeReport,
  KITCHEN_MIX,
  MixPicker,
  resident,
  SELF_HANDLEABLE,
  STORM_MIX,
  URGENT_CATEGORIES,
  WORK_ORDER_MIX,
} from './content';
import { type CommandBody, drawFate, type PlanContext, plan, type SimCase } from './flow';
import { jitter, pointInRing, type Ring, randomPointInRing, ringBox } from './geometry';
import { InspectionBoard, Patrols } from './patrol';
import { CHANNEL_CURVE, curveTotal, PROFILES, SENSOR_CURVE, type SimProfile } from './profile';
import { ActionQueue } from './queue';
import { poisson, subSeed } from './random';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** What the simulator needs of the core: its intake, its commands, and read access to its caches. */
export type SimulatorCore = Pick<
  CaseCore,
  | 'report'
  | 'command'
  | 'setCameraStatus'
  | 'setSensorStatus'
  | 'moveWorkers'
  | 'runDeadlines'
  | 'evictEnded'
  | 'cases'
  | 'workers'
  | 'departments'
  | 'categories'
  | 'cameras'
  | 'sensors'
  | 'deadlines'
  | 'scheduler'
  | 'clock'
  | 'config'
>;

export interface SimulatorOptions {
  seed: number;
  /** Rates and odds; defaults to the preset's profile. */
  profile?: SimProfile;
  /** Also carry cases that others reported (Open311, the console) through the lifecycle. Default true. */
  adoptForeign?: boolean;
}

/** A clock the simulator may set while it fills history (ManualClock, HistoryClock). */
export interface SettableClock {
  now(): number;
  set(t: number): void;
}

export interface RunOptions {
  /** The smallest simulated step; smaller gives finer timestamps and a slower run. Default 15 s. */
  minStepMs?: number;
  /** Called after each step (the server publishes there). */
  afterStep?: () => unknown;
}

export interface SimStats {
  reports: Record<string, number>;
  workOrders: number;
  workOrderHazards: number;
  sensorAlarms: number;
  commands: Record<string, number>;
  conflicts: number;
  refused: number;
  replanned: number;
  dropped: number;
  adopted: number;
  errors: number;
  positionUpdates: number;
  cameraChanges: number;
}

type Action =
  | { kind: 'hour' }
  | { kind: 'day' }
  | { kind: 'patrol'; token: number }
  | { kind: 'report'; channel: Channel; seed: number; street?: number }
  | { kind: 'sensor'; sensorKind: SensorKind; seed: number }
  | { kind: 'workOrder'; flat: number; seed: number }
  | { kind: 'step'; caseId: string; token: number }
  | { kind: 'camera'; id: string; status: CameraStatus; backAfterMs: number }
  | { kind: 'sensorStatus'; id: string; status: Sensor['status'] };

interface GridInfo {
  area: Area;
  ring: Ring;
  box: ReturnType<typeof ringBox>;
  address: string;
  street: number;
}

const CHANNEL_ACTOR: Readonly<Record<'hotline' | 'wechat' | 'app' | 'web', Actor>> = {
  hotline: { id: 'sim-hotline', name: '12345热线', role: 'public' },
  wechat: { id: 'sim-wechat', name: '微信公众号', role: 'public' },
  app: { id: 'sim-app', name: '随手拍App', role: 'public' },
  web: { id: 'sim-web', name: '网上留言板', role: 'public' },
};

export const SIM_CENTER: Actor = { id: 'sim-center', name: '指挥中心(模拟)', role: 'supervisor' };

const SENSOR_DETAIL: Readonly<Record<SensorKind, (rng: Rng) => string>> = {
  oil_fume: (rng) => `油烟浓度${rng.range(2.1, 6.5).toFixed(1)}mg/m³，超过排放标准`,
  smoke: () => '烟雾浓度超限',
  water_level: (rng) => `积水深度${rng.int(15, 45)}厘米`,
  manhole: () => '井盖位移报警',
  noise: (rng) => `噪声${rng.int(62, 85)}分贝，超过夜间限值`,
};

export class Simulator {
  readonly profile: SimProfile;
  readonly patrols: Patrols;
  readonly board: InspectionBoard;
  private readonly queue = new ActionQueue<Action>();
  /** Cases the simulator is carrying, by id. */
  readonly cases = new Map<string, SimCase>();
  private readonly ignored = new Set<string>();
  private readonly seed: number;
  private readonly adoptForeign: boolean;
  private readonly offsetMs: number;
  private readonly grids: GridInfo[] = [];
  private readonly gridIndex = new Map<string, number>();
  private readonly gridsOfStreet: number[][] = [];
  private readonly gridWorkerIds: string[] = [];
  private readonly pickers: Record<Channel, MixPicker>;
  private readonly kitchenPicker: MixPicker;
  private readonly stormPicker: MixPicker;
  private readonly workOrderPicker: MixPicker;
  private readonly streetCams: string[] = [];
  private readonly kitchenCams: string[] = [];
  private readonly droneCams: string[] = [];
  private readonly sensorsOfKind = new Map<SensorKind, string[]>();
  private readonly rejectOdds = new Map<string, number>();
  private readonly duplicateOdds = new Map<string, number>();
  private readonly recent: Array<{ id: string; category: string; location: Position; address: string }> = [];
  private readonly actors = new Map<string, Actor>();
  private readonly ctx: PlanContext;
  private started = false;
  private startedAt = 0;
  private fast = false;
  private patrolToken = 0;
  private live: ReturnType<typeof setInterval> | null = null;
  private ticking: Promise<void> | null = null;
  private lastScan = 0;
  private errorsLogged = 0;
  private readonly counters: SimStats = {
    reports: {},
    workOrders: 0,
    workOrderHazards: 0,
    sensorAlarms: 0,
    commands: {},
    conflicts: 0,
    refused: 0,
    replanned: 0,
    dropped: 0,
    adopted: 0,
    errors: 0,
    positionUpdates: 0,
    cameraChanges: 0,
  };

  constructor(
    private readonly core: SimulatorCore,
    private readonly preset: PresetData,
    options: SimulatorOptions,
  ) {
    this.seed = options.seed >>> 0;
    this.profile = options.profile ?? PROFILES[preset.name];
    this.adoptForeign = options.adoptForeign ?? true;
    this.offsetMs = core.config.calendar.utcOffsetMinutes * MINUTE;
    this.patrols = new Patrols(preset, this.seed, core.config.calendar.utcOffsetMinutes);
    this.board = new InspectionBoard(preset.inspectionPoints, 0);

    const areaById = new Map(preset.areas.map((a) => [a.id, a]));
    const streets = preset.areas.filter((a) => a.level === 'street');
    const streetIndex = new Map(streets.map((s, i) => [s.id, i]));
    for (let i = 0; i < streets.length; i++) this.gridsOfStreet.push([]);
    for (const a of preset.areas) {
      if (a.level !== 'grid') continue;
      const community = a.parentId ? areaById.get(a.parentId) : undefined;
      const street = community?.parentId ? areaById.get(community.parentId) : undefined;
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
    for (const ids of this.patrols.gridWorkers.values()) this.gridWorkerIds.push(...ids);
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

    const known = (code: string) => core.categories.has(code);
    this.pickers = Object.fromEntries(CHANNELS.map((ch) => [ch, new MixPicker(CHANNEL_MIX[ch], known)])) as Record<
      Channel,
      MixPicker
    >;
    this.kitchenPicker = new MixPicker(KITCHEN_MIX, known);
    this.stormPicker = new MixPicker(STORM_MIX, known);
    this.workOrderPicker = new MixPicker(WORK_ORDER_MIX, known);
    this.computeFilingOdds();

    this.ctx = {
      levels: core.config.levels,
      flow: this.profile.flow,
      center: SIM_CENTER,
      addWorkingMinutes: (start, minutes) => core.deadlines.calendar.addWorkingMinutes(start, minutes),
      gridWorker: (gridId, rng) => {
        const ids = this.patrols.gridWorkers.get(gridId);
        if (!ids || ids.length === 0) return null;
        return this.workerActor(rng ? rng.pick(ids) : (ids[0] as string));
      },
      department: (category) => {
        const id = core.categories.get(category)?.departmentId;
        return id ? this.departmentActor(id) : null;
      },
      departmentById: (id) => this.departmentActor(id),
      communityChief: (gridId) => {
        const community = areaById.get(gridId)?.parentId;
        return community ? this.workerActor(`c-${community}`) : null;
      },
      workerActor: (id) => this.workerActor(id),
    };
  }

  // ---- public -----------------------------------------------------------------------------------

  /** Schedules the recurring work from `now` and takes over the cases already in the loop. */
  start(now = this.core.clock.now()): void {
    if (this.started) return;
    this.started = true;
    this.startedAt = now;
    const hourStart = Math.floor(now / HOUR) * HOUR;
    this.queue.push(hourStart, { kind: 'hour' });
    const dayStart = Math.floor((now + this.offsetMs) / DAY) * DAY - this.offsetMs;
    this.queue.push(dayStart, { kind: 'day' });
    this.queue.push(now, { kind: 'patrol', token: this.patrolToken });

    // Devices down at start come back after a while; alarms without a case are reset.
    const rng = new Rng(deriveSeed(this.seed, `recover:${Math.floor(now / HOUR)}`));
    for (const cam of this.core.cameras.values()) {
      if (cam.status !== 'online')
        this.queue.push(now + rng.range(10 * MINUTE, 12 * HOUR), {
          kind: 'camera',
          id: cam.id,
          status: 'online',
          backAfterMs: 0,
        });
    }
    for (const s of this.core.sensors.values()) {
      if (s.status === 'offline')
        this.queue.push(now + rng.range(HOUR, 48 * HOUR), { kind: 'sensorStatus', id: s.id, status: 'normal' });
      else if (s.status === 'alarm')
        this.queue.push(now + rng.range(30 * MINUTE, 4 * HOUR), { kind: 'sensorStatus', id: s.id, status: 'normal' });
    }
    // Sorted by id number, so that a restart adopts in the same order.
    const active = [...this.core.cases.values()].filter((c) => !isTerminal(c.status));
    active.sort((a, b) => caseNumber(a.id) - caseNumber(b.id));
    for (const c of active) this.adopt(c, now);
  }

  /** Does everything due at or before `now`. */
  async tick(now: number): Promise<void> {
    if (!this.started) this.start(now);
    if (this.adoptForeign && !this.fast && Date.now() - this.lastScan > 5_000) {
      this.lastScan = Date.now();
      this.scanForeign(now);
    }
    // Actions due now may plan more for now (an hour's reports): a few rounds drain them.
    for (let round = 0; round < 10; round++) {
      const due = this.queue.takeDue(now);
      if (due.length === 0) break;
      await Promise.all(due.map((d) => this.perform(d.item, d.at, now)));
    }
  }

  /**
   * Plays simulated time from the clock's time to `until` as fast as the core commits: steps from
   * one due action (or deadline) to the next, at least `minStepMs` apart. Used to fill history and
   * by tests and benchmarks, with a clock the caller lets the simulator set.
   */
  async runUntil(clock: SettableClock, until: number, options: RunOptions = {}): Promise<void> {
    const minStep = options.minStepMs ?? 15_000;
    if (!this.started) this.start(clock.now());
    this.fast = true;
    this.restartPatrols(clock.now());
    let lastEvict = clock.now();
    try {
      while (clock.now() < until) {
        const t = clock.now();
        const next = Math.min(
          until,
          Math.max(t + minStep, Math.min(this.queue.nextAt() ?? until, this.core.scheduler.nextAt() ?? until)),
        );
        clock.set(next);
        await this.tick(next);
        await this.core.runDeadlines();
        await options.afterStep?.();
        // Let sockets, timers and I/O have their turn: the core's writes never leave the microtask queue.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (next - lastEvict >= HOUR) {
          lastEvict = next;
          // Ended cases leave the core's working set, as the server's housekeeping does live.
          this.core.evictEnded();
        }
      }
    } finally {
      this.fast = false;
      this.restartPatrols(clock.now());
    }
  }

  /** Runs on the core's (scaled) clock, ticking every `intervalMs` of real time. */
  startLive(intervalMs = 100): void {
    if (this.live) return;
    if (!this.started) this.start();
    this.live = setInterval(() => {
      if (this.ticking) return;
      this.ticking = this.tick(this.core.clock.now())
        .catch((err: Error) => this.logError(err))
        .finally(() => {
          this.ticking = null;
        });
    }, intervalMs);
  }

  /** Stops the live loop; resolves when the tick in flight is done. */
  async stop(): Promise<void> {
    if (this.live) clearInterval(this.live);
    this.live = null;
    while (this.ticking) await this.ticking;
  }

  /** The inspection points as patrols have left them (for the snapshot). */
  inspectionPoints(): InspectionPoint[] {
    return this.board.list(this.core.clock.now());
  }

  stats(): SimStats {
    return structuredClone(this.counters);
  }

  /** Pending actions (for tests: the queue stays bounded). */
  get pending(): number {
    return this.queue.size;
  }

  // ---- the queue ---------------------------------------------------------------------------------

  private async perform(a: Action, at: number, now: number): Promise<void> {
    try {
      switch (a.kind) {
        case 'hour':
          return this.planHour(at);
        case 'day':
          return this.planDay(at);
        case 'patrol':
          return this.patrolRound(a.token, now);
        case 'report':
          return await this.channelReport(a, now);
        case 'sensor':
          return await this.sensorAlarm(a.sensorKind, a.seed, now);
        case 'workOrder':
          return await this.workOrder(a.flat, a.seed, now);
        case 'step':
          return await this.performStep(a.caseId, a.token, now);
        case 'camera':
          return await this.cameraChange(a, now);
        case 'sensorStatus': {
          const s = this.core.sensors.get(a.id);
          if (s && s.status !== a.status) await this.core.setSensorStatus(a.id, a.status);
          return;
        }
      }
    } catch (err) {
      this.logError(err as Error);
    }
  }

  private logError(err: Error): void {
    this.counters.errors += 1;
    if (this.errorsLogged < 5) {
      this.errorsLogged += 1;
      console.error('simulator:', err.message);
    }
  }

  /** An hour's arrivals, drawn from the hour's own seed: the same hour gives the same reports. */
  private planHour(at: number): void {
    const hour = Math.round(at / HOUR);
    const rng = new Rng(deriveSeed(this.seed, `hour:${hour}`));
    const local = Math.floor(((((at + this.offsetMs) % DAY) + DAY) % DAY) / HOUR);
    const p = this.profile;
    for (const ch of CHANNELS) {
      const curve = CHANNEL_CURVE[ch];
      const lambda = (p.casesPerDay * p.channels[ch] * (curve[local] ?? 0)) / curveTotal(curve);
      const n = poisson(rng, lambda);
      for (let i = 0; i < n; i++) {
        const t = at + Math.floor(rng.float() * HOUR);
        const seed = subSeed(rng);
        if (t >= this.startedAt) this.queue.push(t, { kind: 'report', channel: ch, seed });
      }
    }
    for (const [kind, ids] of this.sensorsOfKind) {
      const curve = SENSOR_CURVE[kind];
      const lambda = (ids.length * p.sensorAlarmsPerDay[kind] * (curve[local] ?? 0)) / curveTotal(curve);
      const n = poisson(rng, lambda);
      for (let i = 0; i < n; i++) {
        const t = at + Math.floor(rng.float() * HOUR);
        const seed = subSeed(rng);
        if (t >= this.startedAt) this.queue.push(t, { kind: 'sensor', sensorKind: kind, seed });
      }
    }
    this.queue.push(at + HOUR, { kind: 'hour' });
  }

  /** A day's scheduled work: rented-flat patrol work orders, camera outages, bursts. */
  private planDay(at: number): void {
    const day = Math.round((at + this.offsetMs) / DAY);
    const rng = new Rng(deriveSeed(this.seed, `day:${day}`));
    const p = this.profile;
    const keep = (t: number) => t >= this.startedAt;
    // 东莞: 1–4 patrols a month by tier, done in working hours.
    this.preset.rentedFlats.forEach((flat, f) => {
      const n = poisson(rng, (flat.tier * p.flatsPerEntry) / 30.4);
      for (let i = 0; i < n; i++) {
        const t = at + Math.floor(rng.range(9 * HOUR, 17.5 * HOUR));
        const seed = subSeed(rng);
        if (keep(t)) this.queue.push(t, { kind: 'workOrder', flat: f, seed });
      }
    });
    const cams = this.preset.cameras;
    const outages = cams.length > 0 ? poisson(rng, cams.length * p.cameraOutagesPerDay) : 0;
    for (let i = 0; i < outages; i++) {
      const cam = cams[rng.int(0, cams.length - 1)] as Camera;
      const t = at + Math.floor(rng.float() * DAY);
      const back = (10 + rng.float() ** 2 * 470) * MINUTE;
      const status: CameraStatus = rng.chance(0.75) ? 'offline' : 'fault';
      if (keep(t)) this.queue.push(t, { kind: 'camera', id: cam.id, status, backAfterMs: Math.round(back) });
    }
    if (p.bursts && this.gridsOfStreet.length > 0) {
      const n = poisson(rng, p.bursts.perDay);
      for (let b = 0; b < n; b++) {
        const street = rng.int(0, this.gridsOfStreet.length - 1);
        const start = at + rng.range(8 * HOUR, 20 * HOUR);
        const length = rng.range(p.bursts.minutes[0], p.bursts.minutes[1]) * MINUTE;
        const count = rng.int(p.bursts.reports[0], p.bursts.reports[1]);
        for (let i = 0; i < count; i++) {
          const t = Math.floor(start + rng.float() * length);
          const channel = rng.pick(['hotline', 'wechat', 'app'] as const);
          const seed = subSeed(rng);
          if (keep(t)) this.queue.push(t, { kind: 'report', channel, seed, street });
        }
      }
    }
    this.queue.push(at + DAY, { kind: 'day' });
  }

  private restartPatrols(now: number): void {
    this.patrolToken += 1;
    this.queue.push(now, { kind: 'patrol', token: this.patrolToken });
  }

  private patrolRound(token: number, now: number): void {
    if (token !== this.patrolToken) return;
    const moved = this.patrols.round(now, this.board);
    if (moved.length > 0) {
      this.core.moveWorkers(moved);
      this.counters.positionUpdates += moved.length;
    }
    // Live: a few updates a simulated minute; filling history: only the inspection rounds matter.
    this.queue.push(now + (this.fast ? 10 * MINUTE : this.profile.positionIntervalMs), { kind: 'patrol', token });
  }

  private async cameraChange(a: Extract<Action, { kind: 'camera' }>, now: number): Promise<void> {
    const cam = this.core.cameras.get(a.id);
    if (!cam) return;
    if (a.status === 'online') {
      if (cam.status === 'online') return;
      await this.core.setCameraStatus(a.id, 'online');
    } else {
      if (cam.status !== 'online') return;
      await this.core.setCameraStatus(a.id, a.status);
      this.queue.push(now + a.backAfterMs, { kind: 'camera', id: a.id, status: 'online', backAfterMs: 0 });
    }
    this.counters.cameraChanges += 1;
  }

  // ---- reports -----------------------------------------------------------------------------------

  /** Not filed: the share the profile asks for, spread over the sources by their weights. */
  private computeFilingOdds(): void {
    const p = this.profile;
    const f = p.flow;
    const perDay = new Map<string, number>();
    const selfShare = this.pickers.grid_worker.shareOf(SELF_HANDLEABLE) * f.selfHandled;
    for (const ch of CHANNELS) {
      const eligible = ch === 'grid_worker' ? 1 - selfShare : 1;
      perDay.set(ch, p.casesPerDay * p.channels[ch] * eligible);
    }
    let total = p.casesPerDay;
    for (const [kind, ids] of this.sensorsOfKind) total += ids.length * p.sensorAlarmsPerDay[kind];
    for (const flat of this.preset.rentedFlats) total += (flat.tier * p.flatsPerEntry * p.workOrderHazard) / 30.4;
    let weighted = 0;
    for (const [source, n] of perDay) weighted += n * (f.notFiledWeight[source] ?? 0);
    const k = weighted > 0 ? (f.notFiled * total) / weighted : 0;
    for (const source of [...CHANNELS, 'open311', 'sensor', 'work_order']) {
      const odds = Math.min(0.9, k * (f.notFiledWeight[source] ?? 0));
      this.duplicateOdds.set(source, odds * f.duplicateOfNotFiled);
      this.rejectOdds.set(source, odds * (1 - f.duplicateOfNotFiled));
    }
  }

  /** Odds that the center does not file a report from `source` (for tests and docs). */
  notFiledOdds(source: string): number {
    return (this.rejectOdds.get(source) ?? 0) + (this.duplicateOdds.get(source) ?? 0);
  }

  private randomPointInGrid(rng: Rng, g: number): Position {
    const grid = this.grids[g] as GridInfo;
    return randomPointInRing(rng, grid.ring, grid.box, grid.area.center);
  }

  private addressAt(gridId: string | null): string {
    const g = gridId ? this.gridIndex.get(gridId) : undefined;
    return g === undefined ? this.preset.title : (this.grids[g] as GridInfo).address;
  }

  private async channelReport(a: Extract<Action, { kind: 'report' }>, now: number): Promise<void> {
    const rng = new Rng(a.seed);
    const ch = a.channel;
    const source: CaseSource = ch;
    let actor: Actor;
    let position: Position;
    let address: string;
    let category: string;
    let selfHandled = false;
    let reporterWorker: string | null = null;
    let reporter: CaseReportParsed['reporter'] = null;

    if (ch === 'grid_worker') {
      let id = rng.pick(this.gridWorkerIds);
      for (let i = 0; i < 8 && !this.patrols.onDuty(id, now); i++) id = rng.pick(this.gridWorkerIds);
      const w = this.workerActor(id);
      const state = this.patrols.stateAt(id, now);
      if (!w || !state) return;
      actor = w;
      reporterWorker = id;
      const gridId = this.core.workers.get(id)?.gridId ?? null;
      const grid = gridId === null ? undefined : this.grids[this.gridIndex.get(gridId) ?? -1];
      position = jitter(rng, [state.lng, state.lat], 10);
      // What a worker reports lies in the worker's own grid.
      if (grid && !pointInRing(position[0], position[1], grid.ring)) position = [state.lng, state.lat];
      address = this.addressAt(gridId);
      category = this.pickers.grid_worker.pick(rng);
      selfHandled = SELF_HANDLEABLE.has(category) && rng.chance(this.profile.flow.selfHandled);
    } else if (ch === 'video') {
      const kitchen = this.kitchenCams.length > 0 && rng.chance(0.15);
      const cam = this.onlineCamera(rng, kitchen ? this.kitchenCams : this.streetCams);
      if (!cam) return;
      actor = { id: cam.id, name: cam.name, role: 'system' };
      position = jitter(rng, [cam.position.lng, cam.position.lat], kitchen ? 2 : 25);
      address = `${this.addressAt(cam.gridId)}（${cam.name}）`;
      category = (kitchen && !this.kitchenPicker.empty ? this.kitchenPicker : this.pickers.video).pick(rng);
    } else if (ch === 'drone') {
      const cam = this.droneCams.length > 0 ? this.core.cameras.get(rng.pick(this.droneCams)) : undefined;
      actor = cam
        ? { id: cam.id, name: cam.name, role: 'system' }
        : { id: 'sim-drone', name: '无人机', role: 'system' };
      const g = rng.int(0, this.grids.length - 1);
      position = this.randomPointInGrid(rng, g);
      address = (this.grids[g] as GridInfo).address;
      category = this.pickers.drone.pick(rng);
    } else {
      // Residents, anywhere in the district (or in the town a storm is over).
      const streetGrids = a.street !== undefined ? this.gridsOfStreet[a.street] : undefined;
      const g = streetGrids && streetGrids.length > 0 ? rng.pick(streetGrids) : rng.int(0, this.grids.length - 1);
      actor = CHANNEL_ACTOR[ch];
      position = this.randomPointInGrid(rng, g);
      address = `${(this.grids[g] as GridInfo).address}附近`;
      category = (a.street !== undefined && !this.stormPicker.empty ? this.stormPicker : this.pickers[ch]).pick(rng);
      reporter = ch === 'web' && rng.chance(0.15) ? null : resident(rng);
    }

    // Two people report the same thing: the center voids the second as a duplicate.
    let duplicateOf: string | null = null;
    if (!selfHandled && a.street === undefined && rng.chance(this.duplicateOdds.get(source) ?? 0)) {
      const original = this.recent.length > 0 ? this.recent[rng.int(0, this.recent.length - 1)] : undefined;
      if (original) {
        duplicateOf = original.id;
        category = original.category;
        position = jitter(rng, original.location, 15);
        address = original.address;
      }
    }
    const priority = URGENT_CATEGORIES.has(category) || rng.chance(this.profile.flow.urgent) ? 'urgent' : 'normal';
    const description = describeReport(rng, category, source, address, reporter?.phone);
    await this.submit(
      {
        category,
        source,
        priority,
        description,
        location: { lng: position[0], lat: position[1], address },
        reporter,
        media: [],
        selfHandled,
        ...(reporterWorker ? { reportedBy: reporterWorker } : {}),
      },
      actor,
      null,
      now,
      { reporterWorker, duplicateOf, sensorId: null },
    );
  }

  private onlineCamera(rng: Rng, ids: readonly string[]): Camera | null {
    if (ids.length === 0) return null;
    for (let i = 0; i < 8; i++) {
      const cam = this.core.cameras.get(rng.pick(ids));
      if (cam?.status === 'online') return cam;
    }
    return null;
  }

  /** 金凤: monitor → warn → dispatch → handle. The core files and dispatches the configured kinds itself. */
  private async sensorAlarm(kind: SensorKind, seed: number, now: number): Promise<void> {
    const rng = new Rng(seed);
    const ids = this.sensorsOfKind.get(kind) ?? [];
    let sensor: Sensor | undefined;
    for (let i = 0; i < 10 && ids.length > 0; i++) {
      const s = this.core.sensors.get(rng.pick(ids));
      if (s?.status === 'normal') {
        sensor = s;
        break;
      }
    }
    const category = SENSOR_CATEGORY[kind];
    if (!sensor || !this.core.categories.has(category)) return;
    await this.core.setSensorStatus(sensor.id, 'alarm');
    this.counters.sensorAlarms += 1;
    const address = `${this.addressAt(sensor.gridId)}（${sensor.name}）`;
    await this.submit(
      {
        category,
        source: 'sensor',
        priority: kind === 'smoke' ? 'urgent' : 'normal',
        description: `${sensor.name}报警：${SENSOR_DETAIL[kind](rng)}。`,
        location: { lng: sensor.position.lng, lat: sensor.position.lat, address },
        reporter: null,
        media: [],
        selfHandled: false,
      },
      { id: sensor.id, name: sensor.name, role: 'system' },
      sensor.id,
      now,
      { reporterWorker: null, duplicateOf: null, sensorId: sensor.id },
    );
  }

  /** A scheduled rented-flat patrol (东莞): 9.58 % find a hazard, which becomes a case. */
  private async workOrder(f: number, seed: number, now: number): Promise<void> {
    const flat = this.preset.rentedFlats[f];
    if (!flat) return;
    this.counters.workOrders += 1;
    const rng = new Rng(seed);
    if (!rng.chance(this.profile.workOrderHazard) || this.workOrderPicker.empty) return;
    this.counters.workOrderHazards += 1;
    const worker = this.ctx.gridWorker(flat.gridId, rng);
    const category = this.workOrderPicker.pick(rng);
    await this.submit(
      {
        category,
        source: 'work_order',
        priority: URGENT_CATEGORIES.has(category) ? 'urgent' : 'normal',
        description: describeReport(rng, category, 'work_order', flat.address),
        location: { lng: flat.position.lng, lat: flat.position.lat, address: flat.address },
        reporter: null,
        media: [],
        selfHandled: false,
        ...(worker ? { reportedBy: worker.id } : {}),
      },
      worker ?? SIM_CENTER,
      null,
      now,
      { reporterWorker: worker?.id ?? null, duplicateOf: null, sensorId: null },
    );
  }

  private async submit(
    report: CaseReportParsed,
    actor: Actor,
    sensorId: string | null,
    now: number,
    extra: { reporterWorker: string | null; duplicateOf: string | null; sensorId: string | null },
  ): Promise<void> {
    const c = await this.core.report(report, actor, sensorId);
    this.counters.reports[c.source] = (this.counters.reports[c.source] ?? 0) + 1;
    if (!extra.duplicateOf) {
      this.recent.push({
        id: c.id,
        category: c.category,
        location: [c.location.lng, c.location.lat],
        address: c.location.address,
      });
      if (this.recent.length > 50) this.recent.shift();
    }
    const sc = this.track(c, extra);
    this.schedule(sc, this.core.cases.get(c.id) ?? c, now);
  }

  // ---- cases -------------------------------------------------------------------------------------

  private track(
    c: Case,
    extra: { reporterWorker: string | null; duplicateOf: string | null; sensorId: string | null },
  ): SimCase {
    const rng = new Rng(deriveSeed(this.seed, `case:${c.id}`));
    const fate = drawFate(rng, this.profile.flow, this.rejectOdds.get(c.source) ?? 0, DEPARTMENT_HEAVY.has(c.category));
    const first = c.timeline[0]?.actor;
    const sc: SimCase = {
      id: c.id,
      rng,
      fate,
      selfHandled: c.selfHandled,
      reporterWorker: extra.reporterWorker ?? (first?.role === 'worker' ? first.id : null),
      duplicateOf: extra.duplicateOf,
      sensorId: extra.sensorId,
      reporter: c.reporter,
      escalated: Math.max(0, this.core.config.levels.indexOf(c.level)),
      returned: c.timeline.some((e) => e.action === 'return'),
      extensionAsked: c.extension !== null || c.extensionCount > 0,
      reworked: c.reworkCount > 0,
      suspended: c.timeline.some((e) => e.action === 'suspend'),
      token: 0,
      step: null,
      tries: 0,
    };
    this.cases.set(c.id, sc);
    return sc;
  }

  private adopt(c: Case, now: number): void {
    if (this.cases.has(c.id) || this.ignored.has(c.id) || isTerminal(c.status)) return;
    const sc = this.track(c, { reporterWorker: null, duplicateOf: null, sensorId: null });
    this.counters.adopted += 1;
    this.schedule(sc, c, now);
  }

  /** Cases reported by others (Open311, the console) join the simulated loop. */
  private scanForeign(now: number): void {
    for (const c of this.core.cases.values()) {
      if (!isTerminal(c.status) && !this.cases.has(c.id) && !this.ignored.has(c.id)) this.adopt(c, now);
    }
  }

  private schedule(sc: SimCase, c: Case, now: number): void {
    if (isTerminal(c.status)) {
      this.finish(sc, now);
      return;
    }
    const step = plan(this.ctx, sc, c, now);
    sc.token += 1;
    sc.step = step;
    if (step) this.queue.push(step.at, { kind: 'step', caseId: sc.id, token: sc.token });
    else {
      // Nobody can take it (no worker, no department): leave it to the people at the console.
      this.cases.delete(sc.id);
      this.ignored.add(sc.id);
      this.counters.dropped += 1;
    }
  }

  private finish(sc: SimCase, now: number): void {
    this.cases.delete(sc.id);
    if (sc.sensorId) this.resetSensorSoon(sc.sensorId, sc.rng, now);
  }

  private resetSensorSoon(sensorId: string, rng: Rng, now: number): void {
    this.queue.push(now + rng.range(1, 10) * MINUTE, { kind: 'sensorStatus', id: sensorId, status: 'normal' });
  }

  private async performStep(caseId: string, token: number, now: number): Promise<void> {
    const sc = this.cases.get(caseId);
    if (!sc || sc.token !== token || !sc.step) return;
    const c = this.core.cases.get(caseId);
    if (!c) {
      this.cases.delete(caseId);
      return;
    }
    const step = sc.step;
    if (isTerminal(c.status) || c.status !== step.from) {
      // Someone else moved it: carry on from where it stands.
      this.counters.replanned += 1;
      this.schedule(sc, c, now);
      return;
    }
    const command = {
      ...step.body,
      commandId: `sim-${c.id}-${c.version}-${step.body.type}`,
      caseId: c.id,
      expectedVersion: c.version,
    } as Command;
    const ack = await this.core.command(command, {
      actor: step.actor,
      username: step.actor.id,
      role: step.actor.role,
      remoteAddress: 'simulator',
    });
    if (ack.ok) {
      sc.tries = 0;
      this.counters.commands[command.type] = (this.counters.commands[command.type] ?? 0) + 1;
      this.applied(sc, step.body, now);
      this.schedule(sc, this.core.cases.get(caseId) ?? ack.case, now);
      return;
    }
    const current = this.core.cases.get(caseId);
    switch (ack.error.code) {
      case 'conflict':
      case 'unavailable':
        // Changed in the same write group (a deadline mark) or storage hiccup: try again shortly.
        this.counters.conflicts += 1;
        sc.tries += 1;
        if (current && sc.tries <= 5) {
          sc.token += 1;
          sc.step = { ...step, at: now + sc.rng.range(5, 30) * 1000 };
          this.queue.push(sc.step.at, { kind: 'step', caseId, token: sc.token });
          return;
        }
        break;
      case 'illegal_transition':
      case 'invalid':
      case 'not_found':
        this.counters.refused += 1;
        sc.tries += 1;
        if (current && sc.tries <= 3 && ack.error.code !== 'not_found') {
          this.schedule(sc, current, now);
          return;
        }
        break;
      default:
        break;
    }
    this.cases.delete(caseId);
    this.ignored.add(caseId);
    this.counters.dropped += 1;
  }

  private applied(sc: SimCase, body: CommandBody, now: number): void {
    switch (body.type) {
      case 'escalate':
        sc.escalated += 1;
        break;
      case 'return':
        sc.returned = true;
        break;
      case 'extend':
        if (body.action === 'request') sc.extensionAsked = true;
        break;
      case 'reopen':
        sc.reworked = true;
        break;
      case 'suspend':
        sc.suspended = true;
        break;
      case 'feedback':
        // The kitchen's fan is cleaned: the monitor reads normal again.
        if (sc.sensorId) {
          this.resetSensorSoon(sc.sensorId, sc.rng, now);
          sc.sensorId = null;
        }
        break;
      default:
        break;
    }
  }

  // ---- actors ------------------------------------------------------------------------------------

  private workerActor(id: string): Actor | null {
    const known = this.actors.get(id);
    if (known) return known;
    const w = this.core.workers.get(id);
    if (!w) return null;
    const actor: Actor = { id: w.id, name: w.name, role: 'worker' };
    this.actors.set(id, actor);
    return actor;
  }

  private departmentActor(id: string): Actor | null {
    const known = this.actors.get(id);
    if (known) return known;
    const d = this.core.departments.get(id);
    if (!d) return null;
    const actor: Actor = { id: d.id, name: d.name, role: 'department' };
    this.actors.set(id, actor);
    return actor;
  }
}

const caseNumber = (id: string): number => Number(id.replace(/^\D+/, '')) || 0;
