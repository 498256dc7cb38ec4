/**
 * How much happens, and when: daily volumes, diurnal curves and the odds of each turn in a case's
 * life, after the figures in shared/DOMAIN.md (金凤: 70 % from grid workers, 96.92 % filed, 98.79 %
 * closed; 兴隆台: satisfaction 91.75 %, two patrols a day; 东莞: 9.58 % of work orders find a hazard).
 */
import type { SensorKind } from '../../protocol';
import type { PresetName } from '../presets';
import type { Channel } from './content';

/** Relative weight of each local hour, 0–23. */
export type Curve = readonly number[];

// biome-ignore format: a table reads better in rows
/** Grid workers report while on patrol: 08:30–11:30 and 14:00–17:30 (two patrols a day). */
export const PATROL_CURVE: Curve = [
  0, 0, 0, 0, 0, 0, 0, 0, 0.5, 1, 1, 0.5, 0, 0, 1, 1, 1, 0.5, 0, 0, 0, 0, 0, 0,
];
// biome-ignore format: a table reads better in rows
/** Residents: a morning and an afternoon peak, evenings busy, nights quiet. */
export const RESIDENT_CURVE: Curve = [
  0.15, 0.08, 0.05, 0.04, 0.05, 0.1, 0.3, 0.6, 1, 1.2, 1.2, 1, 0.8, 0.8, 1, 1.1, 1.1, 1, 0.9, 1, 1, 0.8, 0.5, 0.3,
];
// biome-ignore format: a table reads better in rows
/** Camera analysis follows street life. */
export const VIDEO_CURVE: Curve = [
  0.1, 0.05, 0.05, 0.05, 0.05, 0.1, 0.3, 0.7, 1, 1, 1, 1.1, 1.1, 1, 1, 1, 1.1, 1.2, 1.3, 1.3, 1.1, 0.8, 0.5, 0.2,
];
// biome-ignore format: a table reads better in rows
/** Drones fly in daylight. */
export const DRONE_CURVE: Curve = [
  0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0.5, 0.5, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0,
];
// biome-ignore format: a table reads better in rows
/** Oil-fume alarms come with the cooking: lunch and dinner. */
export const MEAL_CURVE: Curve = [
  0.05, 0.05, 0, 0, 0, 0.1, 0.3, 0.5, 0.3, 0.3, 0.6, 1.5, 2, 1, 0.4, 0.3, 0.6, 1.5, 2, 2, 1.2, 0.6, 0.3, 0.1,
];
/** Smoke, water, manholes and noise: any time. */
export const FLAT_CURVE: Curve = Array.from({ length: 24 }, () => 1);

export const CHANNEL_CURVE: Readonly<Record<Channel, Curve>> = {
  grid_worker: PATROL_CURVE,
  hotline: RESIDENT_CURVE,
  wechat: RESIDENT_CURVE,
  app: RESIDENT_CURVE,
  web: RESIDENT_CURVE,
  video: VIDEO_CURVE,
  drone: DRONE_CURVE,
};

export const SENSOR_CURVE: Readonly<Record<SensorKind, Curve>> = {
  oil_fume: MEAL_CURVE,
  smoke: FLAT_CURVE,
  water_level: FLAT_CURVE,
  manhole: FLAT_CURVE,
  noise: RESIDENT_CURVE,
};

export interface Bursts {
  /** Mean bursts a day (a storm over a town, a wave of complaints). */
  perDay: number;
  /** Extra reports per burst, drawn uniformly in [min, max]. */
  reports: readonly [number, number];
  /** Length of a burst in minutes. */
  minutes: readonly [number, number];
}

/** The odds of each turn in a case's life. Shares are of all cases unless said otherwise. */
export interface FlowOdds {
  /** Not filed: rejected or voided as a duplicate (金凤: 96.92 % filed → 3.08 %). */
  notFiled: number;
  /** Of the not-filed, voided as duplicates (the rest are rejected). */
  duplicateOfNotFiled: number;
  /** Relative odds of not being filed, by source (normalised so that the mix gives `notFiled`). */
  notFiledWeight: Readonly<Partial<Record<string, number>>>;
  /** Of grid workers' reports of small things, fixed on the spot. */
  selfHandled: number;
  /** Grid-level dispatches that go to the category's department, by kind of category. */
  toDepartment: { heavy: number; light: number };
  /** Extra urgent reports beyond the always-urgent categories. */
  urgent: number;
  /** Cases that climb one, two or three levels. */
  escalate: readonly [number, number, number];
  /** Of escalations, made by the center at filing rather than by the assignee. */
  escalateByCenter: number;
  returned: number;
  extension: number;
  extensionApproved: number;
  rework: number;
  suspend: number;
  /** Days a suspended (挂账) case waits before it is dispatched again. */
  suspendDays: readonly [number, number];
  /** Unsatisfied ratings for cases without and with rework; 91.75 % satisfied or basic overall. */
  unsatisfied: number;
  unsatisfiedAfterRework: number;
  basic: number;
  /** Hard cases: the handling drags on for days to months past its limit (金凤: 1.2 % never closed). */
  stall: number;
  stallDays: readonly [number, number];
  /** Stages finished after the warning (80 %) and after the limit (100 %). */
  handleLate: { warned: number; overdue: number };
  centerLate: number;
  verifyLate: number;
}

export interface SimProfile {
  /** Reports a day from the channels (sensors and work orders come on top). */
  casesPerDay: number;
  /** Share of `casesPerDay` per channel; sums to 1. */
  channels: Readonly<Record<Channel, number>>;
  /** Alarms a day per sensor, by kind. */
  sensorAlarmsPerDay: Readonly<Record<SensorKind, number>>;
  /** Each rented-flat entry stands for this many flats (the city preset samples 373 k flats). */
  flatsPerEntry: number;
  /** 东莞: 9.58 % of scheduled work orders found a hazard. */
  workOrderHazard: number;
  bursts: Bursts | null;
  /** Camera outages a day per camera. */
  cameraOutagesPerDay: number;
  /** Simulated ms between position updates in live mode: "a few a minute" per worker. */
  positionIntervalMs: number;
  flow: FlowOdds;
}

export const DEFAULT_FLOW: FlowOdds = {
  notFiled: 0.0305,
  duplicateOfNotFiled: 0.35,
  notFiledWeight: { grid_worker: 0.3, hotline: 3, wechat: 3, app: 3, web: 3, video: 3, drone: 1.5, open311: 3 },
  selfHandled: 0.6,
  toDepartment: { heavy: 0.8, light: 0.25 },
  urgent: 0.015,
  escalate: [0.045, 0.012, 0.004],
  escalateByCenter: 0.3,
  returned: 0.02,
  extension: 0.03,
  extensionApproved: 0.85,
  rework: 0.03,
  suspend: 0.004,
  suspendDays: [2, 40],
  unsatisfied: 0.079,
  unsatisfiedAfterRework: 0.3,
  basic: 0.12,
  stall: 0.014,
  stallDays: [5, 60],
  handleLate: { warned: 0.06, overdue: 0.04 },
  centerLate: 0.015,
  verifyLate: 0.02,
};

const DISTRICT_CHANNELS: Readonly<Record<Channel, number>> = {
  grid_worker: 0.72,
  hotline: 0.09,
  wechat: 0.05,
  app: 0.04,
  web: 0.02,
  video: 0.065,
  drone: 0.015,
};

/** Per sensor per day: 金凤's 50 oil-fume monitors raise about a dozen alarms a day. */
const SENSOR_RATES: Readonly<Record<SensorKind, number>> = {
  oil_fume: 0.24,
  smoke: 0.075,
  water_level: 0.25,
  manhole: 0.25,
  noise: 0.375,
};

export const PROFILES: Readonly<Record<PresetName, SimProfile>> = {
  small: {
    casesPerDay: 240,
    channels: DISTRICT_CHANNELS,
    sensorAlarmsPerDay: SENSOR_RATES,
    flatsPerEntry: 1,
    workOrderHazard: 0.0958,
    bursts: null,
    cameraOutagesPerDay: 0.05,
    positionIntervalMs: 15_000,
    flow: DEFAULT_FLOW,
  },
  district: {
    // ≈ 780 from the channels, ≈ 20 sensor alarms, ≈ 4 hazards from work orders: ≈ 800 a day.
    casesPerDay: 776,
    channels: DISTRICT_CHANNELS,
    sensorAlarmsPerDay: SENSOR_RATES,
    flatsPerEntry: 1,
    workOrderHazard: 0.0958,
    bursts: null,
    cameraOutagesPerDay: 0.05,
    positionIntervalMs: 15_000,
    flow: DEFAULT_FLOW,
  },
  city: {
    // ≈ 17,300 reports + ≈ 900 in bursts + ≈ 6,800 work orders (≈ 650 of them hazards): ≈ 25,000 a day.
    casesPerDay: 17_200,
    channels: DISTRICT_CHANNELS,
    sensorAlarmsPerDay: SENSOR_RATES,
    // 3,730 entries × 30 ≈ 112 k flats: 1–4 patrols a month each ≈ 7,000 work orders a day.
    flatsPerEntry: 30,
    workOrderHazard: 0.0958,
    bursts: { perDay: 1.5, reports: [300, 900], minutes: [20, 60] },
    cameraOutagesPerDay: 0.05,
    // 10,000 people: two updates a simulated minute each.
    positionIntervalMs: 30_000,
    flow: DEFAULT_FLOW,
  },
};

export const curveTotal = (c: Curve): number => c.reduce((a, b) => a + b, 0);
