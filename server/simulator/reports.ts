import type { Actor, Camera, Case, CaseReportParsed, CaseSource, Position, Sensor, SensorKind } from '../../protocol';
import { type PresetData, SENSOR_CATEGORY } from '../presets';
import { Rng } from '../presets/random';
import type { Action, ReportExtra, SimStats, SimulatorCore } from './actions';
import {
  CHANNEL_MIX,
  CHANNELS,
  type Channel,
  describeReport,
  KITCHEN_MIX,
  MixPicker,
  resident,
  SELF_HANDLEABLE,
  STORM_MIX,
  URGENT_CATEGORIES,
  WORK_ORDER_MIX,
} from './content';
import { jitter, pointInRing } from './geometry';
import type { SimProfile } from './profile';
import { type GridInfo, SIM_CENTER, type SimWorld } from './world';

const CHANNEL_ACTOR: Readonly<Record<'hotline' | 'wechat' | 'app' | 'web', Actor>> = {
  hotline: { id: 'sim-hotline', name: '12345热线', role: 'public' },
  wechat: { id: 'sim-wechat', name: '微信公众号', role: 'public' },
  app: { id: 'sim-app', name: '随手拍App', role: 'public' },
  web: { id: 'sim-web', name: '网上留言板', role: 'public' },
};

const SENSOR_DETAIL: Readonly<Record<SensorKind, (rng: Rng) => string>> = {
  oil_fume: (rng) => `油烟浓度${rng.range(2.1, 6.5).toFixed(1)}mg/m³，超过排放标准`,
  smoke: () => '烟雾浓度超限',
  water_level: (rng) => `积水深度${rng.int(15, 45)}厘米`,
  manhole: () => '井盖位移报警',
  noise: (rng) => `噪声${rng.int(62, 85)}分贝，超过夜间限值`,
};

/**
 * Who reports what: residents on their channels (anywhere, or in the town a storm is over), grid
 * workers in their own grid, street and kitchen cameras, drones, sensors that alarm, and the
 * rented-flat patrols' work orders; with the odds that the center does not file a report, as a
 * rejection or as a duplicate of one reported shortly before.
 */
export class Reporters {
  private readonly pickers: Record<Channel, MixPicker>;
  private readonly kitchenPicker: MixPicker;
  private readonly stormPicker: MixPicker;
  private readonly workOrderPicker: MixPicker;
  private readonly rejectOdds = new Map<string, number>();
  private readonly duplicateOdds = new Map<string, number>();
  private readonly recent: Array<{ id: string; category: string; location: Position; address: string }> = [];

  constructor(
    private readonly core: SimulatorCore,
    private readonly preset: PresetData,
    private readonly profile: SimProfile,
    private readonly world: SimWorld,
    private readonly counters: SimStats,
    /** Every new case joins the simulated loop here. */
    private readonly onReported: (c: Case, extra: ReportExtra, now: number) => void,
  ) {
    const known = (code: string) => core.categories.has(code);
    this.pickers = Object.fromEntries(CHANNELS.map((ch) => [ch, new MixPicker(CHANNEL_MIX[ch], known)])) as Record<
      Channel,
      MixPicker
    >;
    this.kitchenPicker = new MixPicker(KITCHEN_MIX, known);
    this.stormPicker = new MixPicker(STORM_MIX, known);
    this.workOrderPicker = new MixPicker(WORK_ORDER_MIX, known);
    this.computeFilingOdds();
  }

  /** Odds that the center rejects a report from `source` (not a duplicate). */
  rejectOddsOf(source: string): number {
    return this.rejectOdds.get(source) ?? 0;
  }

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
    for (const [kind, ids] of this.world.sensorsOfKind) total += ids.length * p.sensorAlarmsPerDay[kind];
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

  async channelReport(a: Extract<Action, { kind: 'report' }>, now: number): Promise<void> {
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
      let id = rng.pick(this.world.gridWorkerIds);
      for (let i = 0; i < 8 && !this.world.patrols.onDuty(id, now); i++) id = rng.pick(this.world.gridWorkerIds);
      const w = this.world.workerActor(id);
      const state = this.world.patrols.stateAt(id, now);
      if (!w || !state) return;
      actor = w;
      reporterWorker = id;
      const gridId = this.core.workers.get(id)?.gridId ?? null;
      const grid = gridId === null ? undefined : this.world.grids[this.world.gridIndex.get(gridId) ?? -1];
      position = jitter(rng, [state.lng, state.lat], 10);
      // What a worker reports lies in the worker's own grid.
      if (grid && !pointInRing(position[0], position[1], grid.ring)) position = [state.lng, state.lat];
      address = this.world.addressAt(gridId);
      category = this.pickers.grid_worker.pick(rng);
      selfHandled = SELF_HANDLEABLE.has(category) && rng.chance(this.profile.flow.selfHandled);
    } else if (ch === 'video') {
      const kitchen = this.world.kitchenCams.length > 0 && rng.chance(0.15);
      const cam = this.onlineCamera(rng, kitchen ? this.world.kitchenCams : this.world.streetCams);
      if (!cam) return;
      actor = { id: cam.id, name: cam.name, role: 'system' };
      position = jitter(rng, [cam.position.lng, cam.position.lat], kitchen ? 2 : 25);
      address = `${this.world.addressAt(cam.gridId)}（${cam.name}）`;
      category = (kitchen && !this.kitchenPicker.empty ? this.kitchenPicker : this.pickers.video).pick(rng);
    } else if (ch === 'drone') {
      const cam = this.world.droneCams.length > 0 ? this.core.cameras.get(rng.pick(this.world.droneCams)) : undefined;
      actor = cam
        ? { id: cam.id, name: cam.name, role: 'system' }
        : { id: 'sim-drone', name: '无人机', role: 'system' };
      const g = rng.int(0, this.world.grids.length - 1);
      position = this.world.randomPointInGrid(rng, g);
      address = (this.world.grids[g] as GridInfo).address;
      category = this.pickers.drone.pick(rng);
    } else {
      // Residents, anywhere in the district (or in the town a storm is over).
      const streetGrids = a.street !== undefined ? this.world.gridsOfStreet[a.street] : undefined;
      const g = streetGrids && streetGrids.length > 0 ? rng.pick(streetGrids) : rng.int(0, this.world.grids.length - 1);
      actor = CHANNEL_ACTOR[ch];
      position = this.world.randomPointInGrid(rng, g);
      address = `${(this.world.grids[g] as GridInfo).address}附近`;
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
  async sensorAlarm(kind: SensorKind, seed: number, now: number): Promise<void> {
    const rng = new Rng(seed);
    const ids = this.world.sensorsOfKind.get(kind) ?? [];
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
    const address = `${this.world.addressAt(sensor.gridId)}（${sensor.name}）`;
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
  async workOrder(f: number, seed: number, now: number): Promise<void> {
    const flat = this.preset.rentedFlats[f];
    if (!flat) return;
    this.counters.workOrders += 1;
    const rng = new Rng(seed);
    if (!rng.chance(this.profile.workOrderHazard) || this.workOrderPicker.empty) return;
    this.counters.workOrderHazards += 1;
    const worker = this.world.gridWorker(flat.gridId, rng);
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
    extra: ReportExtra,
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
    this.onReported(c, extra, now);
  }
}
