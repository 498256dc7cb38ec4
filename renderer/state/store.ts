import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  Alert,
  Area,
  Camera,
  Case,
  Category,
  InspectionPoint,
  KpiFigures,
  KpiSummary,
  Role,
  Sensor,
} from '../../protocol';
import type { CaseLite, WorkerLite } from '../../protocol/lite';
import type { ConnectionInfo } from '../stream/types';

/**
 * The wall's state, in slices. Collections of tens of thousands of entities are Maps updated in
 * place, with a revision number and the last frame's delta: copying 100,000 entries every frame
 * would cost more than the frame. Everything else is replaced immutably, so selectors on small
 * values (counts, KPIs, focus) only wake what changed. The store is updated once per frame.
 */

export interface CaseCounts {
  /** Every case the wall holds (open and those ended in the snapshot window). */
  total: number;
  open: number;
  overdue: number;
  warned: number;
  urgent: number;
  ended: number;
}

export interface GridStat {
  open: number;
  overdue: number;
}

export interface CasesSlice {
  byId: Map<string, CaseLite>;
  /** Ids of open overdue cases, maintained incrementally. */
  overdueIds: Set<string>;
  /** At least the {@link OVERDUE_TOP} most overdue open cases (earliest due first), maintained incrementally. */
  overdueTop: CaseLite[];
  /**
   * Every overdue case not in `overdueTop` is due at or after this (Infinity: the list holds them
   * all). What lets the list be kept per case without rescanning the overdue set.
   */
  overdueBound: number;
  grids: Map<string, GridStat>;
  counts: CaseCounts;
  rev: number;
  delta: { reset: boolean; upserted: CaseLite[]; removed: string[]; grids: string[] };
}

export interface WorkersSlice {
  byId: Map<string, WorkerLite>;
  onDuty: number;
  rev: number;
  delta: { reset: boolean; changed: WorkerLite[] };
}

export interface CamerasSlice {
  byId: Map<string, Camera>;
  counts: { online: number; offline: number; fault: number };
  rev: number;
  delta: { reset: boolean; changed: Camera[] };
}

export interface SensorsSlice {
  byId: Map<string, Sensor>;
  alarms: number;
  rev: number;
}

export interface AlertsSlice {
  /** Newest first, bounded. */
  list: Alert[];
  active: number;
  rev: number;
  /** Alerts raised in the last applied batch, newest first (may take the focus). */
  justRaised: Alert[];
}

export interface InspectionSlice {
  byId: Map<string, InspectionPoint>;
  counts: { normal: number; issue: number; unchecked: number };
  /** Kind code → name, in first-seen order. */
  kinds: Map<string, string>;
  rev: number;
  delta: { reset: boolean; changed: InspectionPoint[] };
}

export interface AreasSlice {
  list: Area[];
  byId: Map<string, Area>;
  version: number;
  /** [minLng, minLat, maxLng, maxLat] of every area, or null before the first snapshot. */
  bounds: [number, number, number, number] | null;
}

export type FocusOrigin = 'local' | 'remote' | 'alert';

export interface FocusSlice {
  caseId: string | null;
  origin: FocusOrigin;
  /** Local time the focus was set. */
  at: number;
  /**
   * Server time the focus was set, as the window that chose it knew it (absent before its first
   * snapshot): what the video linkage compares with an alarm's time, the same on every window.
   */
  serverAt?: number;
}

export interface ConnectionSlice extends ConnectionInfo {
  /** Local time the last data arrived from the server (through an applied batch). */
  lastDataAt: number | null;
  /** Median delay from a message's arrival in the worker to the store, in the last batch. */
  lagMs: number | null;
  role: Role | null;
  masked: boolean;
}

export interface WallState {
  ready: boolean;
  cases: CasesSlice;
  workers: WorkersSlice;
  cameras: CamerasSlice;
  sensors: SensorsSlice;
  alerts: AlertsSlice;
  inspection: InspectionSlice;
  /** Today's figures (counts, trend, breakdowns) and the rolling 30 days' (rates). */
  kpis: { figures: KpiFigures | null; rolling: KpiSummary | null; rev: number };
  areas: AreasSlice;
  categories: Map<string, Category>;
  focus: FocusSlice;
  /**
   * The one case whose whole record (description, timeline) the page holds: the focused case, or,
   * with nothing focused, the automatic case a case-detail panel shows (`autoCaseId`).
   */
  focusedCase: Case | null;
  /** The automatic case a case-detail panel on this page shows while nothing is focused (state/autoCase.ts). */
  autoCaseId: string | null;
  connection: ConnectionSlice;
  /** The server's clock as last seen: serverNow ≈ serverAt + (Date.now() − localAt). */
  clock: { serverAt: number | null; localAt: number };
}

export type WallStore = StoreApi<WallState>;

/** How many of the most overdue cases the store guarantees in order (the longest overdue list on a wall). */
export const OVERDUE_TOP = 64;
/** It keeps twice as many, so that it takes 64 of them leaving before the overdue set is scanned again. */
export const OVERDUE_KEEP = OVERDUE_TOP * 2;

export function initialState(now = Date.now()): WallState {
  return {
    ready: false,
    cases: {
      byId: new Map(),
      overdueIds: new Set(),
      overdueTop: [],
      overdueBound: Number.POSITIVE_INFINITY,
      grids: new Map(),
      counts: { total: 0, open: 0, overdue: 0, warned: 0, urgent: 0, ended: 0 },
      rev: 0,
      delta: { reset: false, upserted: [], removed: [], grids: [] },
    },
    workers: { byId: new Map(), onDuty: 0, rev: 0, delta: { reset: false, changed: [] } },
    cameras: {
      byId: new Map(),
      counts: { online: 0, offline: 0, fault: 0 },
      rev: 0,
      delta: { reset: false, changed: [] },
    },
    sensors: { byId: new Map(), alarms: 0, rev: 0 },
    alerts: { list: [], active: 0, rev: 0, justRaised: [] },
    inspection: {
      byId: new Map(),
      counts: { normal: 0, issue: 0, unchecked: 0 },
      kinds: new Map(),
      rev: 0,
      delta: { reset: false, changed: [] },
    },
    kpis: { figures: null, rolling: null, rev: 0 },
    areas: { list: [], byId: new Map(), version: 0, bounds: null },
    categories: new Map(),
    // at 0: nothing chosen yet, so any screen's choice (a reply to our hello) is newer.
    focus: { caseId: null, origin: 'local', at: 0 },
    focusedCase: null,
    autoCaseId: null,
    connection: {
      state: 'idle',
      since: now,
      attempt: 0,
      retryAt: null,
      lastSeq: 0,
      counters: { invalid: 0, duplicates: 0, gaps: 0, snapshots: 0, reconnects: 0, events: 0 },
      error: null,
      lastHeartbeatAt: null,
      lastDataAt: null,
      lagMs: null,
      role: null,
      masked: true,
    },
    clock: { serverAt: null, localAt: now },
  };
}

export function createWallStore(now = Date.now()): WallStore {
  return createStore<WallState>()(() => initialState(now));
}

/** The server's time now, as well as the wall knows it. */
export function serverNow(state: Pick<WallState, 'clock'>, localNow = Date.now()): number {
  const { serverAt, localAt } = state.clock;
  return serverAt === null ? localNow : serverAt + (localNow - localAt);
}

export function isOpen(c: CaseLite): boolean {
  return c.endedAt === null;
}

export function isOverdue(c: CaseLite): boolean {
  return c.endedAt === null && c.overdue;
}
