/**
 * The simulator: a living district or city on top of the case core. It acts only through the
 * core's intake (`report`) and commands, like the people it stands for: grid workers patrol and
 * report, residents call and post, sensors and cameras raise alarms, the center files and
 * dispatches, assignees handle, escalate, return and ask for time, workers verify, the center
 * closes with the reporter's rating. Everything it will do waits in one queue ordered by simulated
 * time; `tick(now)` does what is due. Every random choice comes from the seed, by hour, by day and
 * by case, so the same seed and the same start give the same stream.
 */
import type { Camera, CameraStatus, InspectionPoint } from '../../protocol';
import { isTerminal } from '../../protocol';
import type { PresetData } from '../presets';
import { deriveSeed, Rng } from '../presets/random';
import { type Action, DAY, emptyStats, HOUR, MINUTE, type SimStats, type SimulatorCore } from './actions';
import { CaseFlows } from './caseFlows';
import { CHANNELS } from './content';
import type { SimCase } from './flow';
import { InspectionBoard, Patrols } from './patrol';
import { CHANNEL_CURVE, curveTotal, PROFILES, SENSOR_CURVE, type SimProfile } from './profile';
import { ActionQueue } from './queue';
import { poisson, subSeed } from './random';
import { Reporters } from './reports';
import { SimWorld } from './world';

export type { SimStats, SimulatorCore } from './actions';
export { SIM_CENTER } from './world';

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

/**
 * The scheduler of simulated time: one queue of actions; hours and days plan their arrivals,
 * patrol rounds move workers, cameras go down and come back. Reports are made by `Reporters`,
 * cases carried by `CaseFlows`; the district's static view is `SimWorld`.
 */
export class Simulator {
  readonly profile: SimProfile;
  readonly patrols: Patrols;
  readonly board: InspectionBoard;
  private readonly queue = new ActionQueue<Action>();
  private readonly seed: number;
  private readonly adoptForeign: boolean;
  private readonly offsetMs: number;
  private readonly world: SimWorld;
  private readonly reports: Reporters;
  private readonly flows: CaseFlows;
  private started = false;
  private startedAt = 0;
  private fast = false;
  private patrolToken = 0;
  private live: ReturnType<typeof setInterval> | null = null;
  private ticking: Promise<void> | null = null;
  private lastScan = 0;
  private errorsLogged = 0;
  private readonly counters: SimStats = emptyStats();

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
    this.world = new SimWorld(core, preset, this.patrols);
    const schedule = (at: number, action: Action) => this.queue.push(at, action);
    this.reports = new Reporters(core, preset, this.profile, this.world, this.counters, (c, extra, now) =>
      this.flows.schedule(this.flows.track(c, extra), core.cases.get(c.id) ?? c, now),
    );
    this.flows = new CaseFlows(core, this.seed, this.profile, this.world, this.counters, schedule, (source) =>
      this.reports.rejectOddsOf(source),
    );
  }

  /** Cases the simulator is carrying, by id. */
  get cases(): Map<string, SimCase> {
    return this.flows.cases;
  }

  /** Odds that the center does not file a report from `source` (for tests and docs). */
  notFiledOdds(source: string): number {
    return this.reports.notFiledOdds(source);
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
    for (const c of active) this.flows.adopt(c, now);
  }

  /** Does everything due at or before `now`. */
  async tick(now: number): Promise<void> {
    if (!this.started) this.start(now);
    if (this.adoptForeign && !this.fast && Date.now() - this.lastScan > 5_000) {
      this.lastScan = Date.now();
      this.flows.scanForeign(now);
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
        // Whole ms (a Timestamp is an integer): actions are queued at random fractions of a ms, and
        // a clock set to one stamped them on cases (milestones of 1772510789932.6172).
        const next = Math.ceil(
          Math.min(
            until,
            Math.max(t + minStep, Math.min(this.queue.nextAt() ?? until, this.core.scheduler.nextAt() ?? until)),
          ),
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
          return await this.reports.channelReport(a, now);
        case 'sensor':
          return await this.reports.sensorAlarm(a.sensorKind, a.seed, now);
        case 'workOrder':
          return await this.reports.workOrder(a.flat, a.seed, now);
        case 'step':
          return await this.flows.performStep(a.caseId, a.token, now);
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
    for (const [kind, ids] of this.world.sensorsOfKind) {
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
    if (p.bursts && this.world.gridsOfStreet.length > 0) {
      const n = poisson(rng, p.bursts.perDay);
      for (let b = 0; b < n; b++) {
        const street = rng.int(0, this.world.gridsOfStreet.length - 1);
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
    // Live: a few updates a simulated minute; filling history: only the inspection rounds matter, and
    // a round checks every point passed since the one before (stamped at the round): hourly will do
    // (~6 % of the fill's CPU saved over every 10 minutes).
    this.queue.push(now + (this.fast ? HOUR : this.profile.positionIntervalMs), { kind: 'patrol', token });
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
}

const caseNumber = (id: string): number => Number(id.replace(/^\D+/, '')) || 0;
