import type { Alert, Area, Camera, Case, InspectionPoint } from '../../protocol';
import type { CaseLite, WorkerLite } from '../../protocol/lite';
import type { StreamSink } from '../stream/bridge';
import type { ConnectionInfo, StreamBatch } from '../stream/types';
import {
  type AlertsSlice,
  type CaseCounts,
  type CasesSlice,
  type FocusOrigin,
  type GridStat,
  initialState,
  OVERDUE_KEEP,
  OVERDUE_TOP,
  type WallState,
  type WallStore,
} from './store';

/** The `k` cases with the earliest due time, in order: one pass, no sort of the whole set. */
export function mostOverdue(ids: Iterable<string>, byId: ReadonlyMap<string, CaseLite>, k: number): CaseLite[] {
  const top: CaseLite[] = [];
  for (const id of ids) {
    const c = byId.get(id);
    if (c) insertByDue(top, c, k);
  }
  return top;
}

function insertByDue(top: CaseLite[], c: CaseLite, k: number): boolean {
  const due = c.dueAt ?? 0;
  if (top.length >= k && due >= (top[top.length - 1]?.dueAt ?? 0)) return false;
  let i = top.length;
  while (i > 0 && (top[i - 1]?.dueAt ?? 0) > due) i--;
  top.splice(i, 0, c);
  if (top.length > k) top.pop();
  return true;
}

/** Ended cases stay on the wall this long after they ended (the snapshot's window). */
export const ENDED_RETENTION_MS = 24 * 60 * 60 * 1000;
const MAX_ALERTS = 300;
const PRUNE_EVERY_MS = 10_000;

function contribution(c: CaseLite | undefined): { open: number; overdue: number; warned: number; urgent: number } {
  if (!c || c.endedAt !== null) return { open: 0, overdue: 0, warned: 0, urgent: 0 };
  return {
    open: 1,
    overdue: c.overdue ? 1 : 0,
    warned: c.warned && !c.overdue ? 1 : 0,
    urgent: c.priority === 'urgent' ? 1 : 0,
  };
}

/** Applies case changes in place, keeping counts, per-grid stats and the overdue set in step. */
class CaseApplier {
  readonly upserted: CaseLite[] = [];
  readonly removed: string[] = [];
  readonly touchedGrids = new Set<string>();
  readonly counts: CaseCounts;

  /** A copy of the overdue top list, made on the first change, and its bound (see CasesSlice). */
  private top: CaseLite[] | null = null;
  private bound: number;

  constructor(private readonly slice: CasesSlice) {
    this.counts = { ...slice.counts };
    this.bound = slice.overdueBound;
  }

  private mutableTop(): CaseLite[] {
    this.top ??= [...this.slice.overdueTop];
    return this.top;
  }

  private enterOverdue(c: CaseLite): void {
    const due = c.dueAt ?? 0;
    // At or past the bound it may rank behind cases outside the list: it stays outside too.
    if (due >= this.bound) return;
    const top = this.mutableTop();
    insertByDue(top, c, OVERDUE_KEEP + 1);
    if (top.length > OVERDUE_KEEP) this.bound = (top.pop() as CaseLite).dueAt ?? 0;
  }

  private leaveOverdue(id: string): void {
    const list = this.top ?? this.slice.overdueTop;
    const i = list.findIndex((x) => x.id === id);
    if (i >= 0) this.mutableTop().splice(i, 1);
  }

  /**
   * The overdue top list after this batch, and its bound. Kept per case in O(k); the whole overdue
   * set is scanned only when cases left the list and others wait outside it, which is rare.
   */
  overdueTop(): { overdueTop: CaseLite[]; overdueBound: number } {
    const top = this.top ?? this.slice.overdueTop;
    if (top.length < OVERDUE_TOP && this.bound !== Number.POSITIVE_INFINITY) {
      const full = mostOverdue(this.slice.overdueIds, this.slice.byId, OVERDUE_KEEP);
      const complete = this.slice.overdueIds.size <= full.length;
      return {
        overdueTop: full,
        overdueBound: complete ? Number.POSITIVE_INFINITY : (full[full.length - 1]?.dueAt ?? 0),
      };
    }
    return { overdueTop: top, overdueBound: this.bound };
  }

  private account(c: CaseLite, sign: 1 | -1): void {
    const k = contribution(c);
    this.counts.total += sign;
    this.counts.open += sign * k.open;
    this.counts.overdue += sign * k.overdue;
    this.counts.warned += sign * k.warned;
    this.counts.urgent += sign * k.urgent;
    this.counts.ended += sign * (c.endedAt !== null ? 1 : 0);
    let g = this.slice.grids.get(c.gridId);
    if (!g) {
      g = { open: 0, overdue: 0 };
      this.slice.grids.set(c.gridId, g);
    }
    g.open += sign * k.open;
    g.overdue += sign * k.overdue;
    this.touchedGrids.add(c.gridId);
    if (k.overdue) {
      if (sign > 0) {
        this.slice.overdueIds.add(c.id);
        this.enterOverdue(c);
      } else {
        this.slice.overdueIds.delete(c.id);
        this.leaveOverdue(c.id);
      }
    }
  }

  upsert(c: CaseLite): boolean {
    const prev = this.slice.byId.get(c.id);
    if (prev && prev.version > c.version) return false;
    if (prev) this.account(prev, -1);
    this.slice.byId.set(c.id, c);
    this.account(c, 1);
    this.upserted.push(c);
    return true;
  }

  remove(id: string): void {
    const prev = this.slice.byId.get(id);
    if (!prev) return;
    this.account(prev, -1);
    this.slice.byId.delete(id);
    this.removed.push(id);
  }
}

function boundsOf(areas: readonly Area[]): [number, number, number, number] | null {
  let minLng = Infinity;
  let minLat = Infinity;
  let maxLng = -Infinity;
  let maxLat = -Infinity;
  for (const a of areas) {
    for (const ring of a.polygon) {
      for (const [lng, lat] of ring) {
        if (lng < minLng) minLng = lng;
        if (lat < minLat) minLat = lat;
        if (lng > maxLng) maxLng = lng;
        if (lat > maxLat) maxLat = lat;
      }
    }
  }
  return Number.isFinite(minLng) ? [minLng, minLat, maxLng, maxLat] : null;
}

function cameraCounts(byId: Map<string, Camera>): { online: number; offline: number; fault: number } {
  const counts = { online: 0, offline: 0, fault: 0 };
  for (const c of byId.values()) counts[c.status]++;
  return counts;
}

function inspectionCounts(byId: Map<string, InspectionPoint>): { normal: number; issue: number; unchecked: number } {
  const counts = { normal: 0, issue: 0, unchecked: 0 };
  for (const p of byId.values()) counts[p.state]++;
  return counts;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? null;
}

export interface ApplyResult {
  /** Delay from each message's arrival in the worker to this apply, in ms. */
  delays: number[];
}

/**
 * Applies one batch from the stream worker: one `setState`, so subscribers run once per frame.
 * `now` is the local epoch time in ms (sub-ms precision where available).
 */
export function applyBatch(store: WallStore, batch: StreamBatch, now: number): ApplyResult {
  const prev = store.getState();
  let state: WallState = prev;
  const resetting = batch.snapshot !== null;

  if (batch.snapshot) {
    const s = batch.snapshot;
    const fresh = initialState(now);
    const cases = fresh.cases;
    const applier = new CaseApplier(cases);
    for (const c of s.cases) applier.upsert(c);
    const workers = new Map(s.workers.map((w) => [w.id, w]));
    const cameras = new Map(s.cameras.map((c) => [c.id, c]));
    const sensors = new Map(s.sensors.map((x) => [x.id, x]));
    const inspection = new Map((s.inspectionPoints ?? []).map((p) => [p.id, p]));
    const kinds = new Map<string, string>();
    for (const p of inspection.values()) if (!kinds.has(p.kind)) kinds.set(p.kind, p.kindName);
    const alerts = [...s.alerts].sort((a, b) => b.raisedAt - a.raisedAt).slice(0, MAX_ALERTS);
    state = {
      ...prev,
      ready: true,
      cases: {
        ...cases,
        counts: applier.counts,
        ...applier.overdueTop(),
        rev: prev.cases.rev + 1,
        delta: { reset: true, upserted: [], removed: [], grids: [] },
      },
      workers: {
        byId: workers,
        onDuty: [...workers.values()].filter((w) => w.onDuty).length,
        rev: prev.workers.rev + 1,
        delta: { reset: true, changed: [] },
      },
      cameras: {
        byId: cameras,
        counts: cameraCounts(cameras),
        rev: prev.cameras.rev + 1,
        delta: { reset: true, changed: [] },
      },
      sensors: {
        byId: sensors,
        alarms: s.sensors.filter((x) => x.status === 'alarm').length,
        rev: prev.sensors.rev + 1,
      },
      alerts: {
        list: alerts,
        active: alerts.filter((a) => a.clearedAt === null).length,
        rev: prev.alerts.rev + 1,
        justRaised: [],
      },
      inspection: {
        byId: inspection,
        counts: inspectionCounts(inspection),
        kinds,
        rev: prev.inspection.rev + 1,
        delta: { reset: true, changed: [] },
      },
      kpis: { figures: s.kpis, rev: prev.kpis.rev + 1 },
      areas: {
        list: s.areas,
        byId: new Map(s.areas.map((a) => [a.id, a])),
        version: s.areasVersion,
        bounds: boundsOf(s.areas),
      },
      categories: new Map(s.categories.map((c) => [c.code, c])),
      focusedCase: batch.focusedCase ?? (prev.focus.caseId ? prev.focusedCase : null),
      connection: { ...prev.connection, role: s.role, masked: s.masked },
      clock: { serverAt: s.at, localAt: now },
    };
  }

  const patch: Partial<WallState> = {};

  if (batch.cases.length > 0) {
    const slice = state.cases;
    const applier = new CaseApplier(slice);
    for (const c of batch.cases) applier.upsert(c);
    patch.cases = {
      ...slice,
      counts: applier.counts,
      ...applier.overdueTop(),
      rev: slice.rev + 1,
      delta: {
        reset: resetting,
        upserted: applier.upserted,
        removed: applier.removed,
        grids: [...applier.touchedGrids],
      },
    };
  } else if (!resetting && state.cases.delta.upserted.length + state.cases.delta.removed.length > 0) {
    // Clear the last frame's delta so a late subscriber never applies it twice.
    patch.cases = { ...state.cases, delta: { reset: false, upserted: [], removed: [], grids: [] } };
  }

  if (batch.workers.length > 0 || batch.positions.length > 0) {
    const slice = state.workers;
    const changed = new Map<string, WorkerLite>();
    let onDuty = slice.onDuty;
    const put = (w: WorkerLite) => {
      const old = slice.byId.get(w.id);
      onDuty += (w.onDuty ? 1 : 0) - (old?.onDuty ? 1 : 0);
      slice.byId.set(w.id, w);
      changed.set(w.id, w);
    };
    for (const w of batch.workers) put(w);
    for (const [id, lng, lat, duty] of batch.positions) {
      const old = slice.byId.get(id);
      if (!old) continue;
      put({ ...old, lng, lat, onDuty: duty === 1, lastSeen: batch.serverAt ?? old.lastSeen });
    }
    patch.workers = {
      ...slice,
      onDuty,
      rev: slice.rev + 1,
      delta: { reset: resetting, changed: [...changed.values()] },
    };
  } else if (!resetting && state.workers.delta.changed.length > 0) {
    patch.workers = { ...state.workers, delta: { reset: false, changed: [] } };
  }

  if (batch.cameras.length > 0) {
    const slice = state.cameras;
    const changed: Camera[] = [];
    for (const u of batch.cameras) {
      const old = slice.byId.get(u.id);
      if (!old) continue;
      const next = { ...old, status: u.status, statusSince: u.at };
      slice.byId.set(u.id, next);
      changed.push(next);
    }
    patch.cameras = {
      ...slice,
      counts: cameraCounts(slice.byId),
      rev: slice.rev + 1,
      delta: { reset: resetting, changed },
    };
  }

  if (batch.sensors.length > 0) {
    const slice = state.sensors;
    for (const u of batch.sensors) {
      const old = slice.byId.get(u.id);
      if (old) slice.byId.set(u.id, { ...old, status: u.status });
    }
    let alarms = 0;
    for (const x of slice.byId.values()) if (x.status === 'alarm') alarms++;
    patch.sensors = { ...slice, alarms, rev: slice.rev + 1 };
  }

  if (batch.alertsRaised.length > 0 || batch.alertsCleared.length > 0) {
    patch.alerts = applyAlerts(state.alerts, batch.alertsRaised, batch.alertsCleared);
  } else if (state.alerts.justRaised.length > 0) {
    patch.alerts = { ...state.alerts, justRaised: [] };
  }

  if (batch.inspectionPoints.length > 0) {
    const slice = state.inspection;
    for (const p of batch.inspectionPoints) {
      slice.byId.set(p.id, p);
      if (!slice.kinds.has(p.kind)) slice.kinds.set(p.kind, p.kindName);
    }
    patch.inspection = {
      ...slice,
      counts: inspectionCounts(slice.byId),
      rev: slice.rev + 1,
      delta: { reset: resetting, changed: batch.inspectionPoints },
    };
  }

  if (batch.kpis) patch.kpis = { figures: batch.kpis, rev: state.kpis.rev + 1 };

  if (batch.focusedCase && batch.focusedCase.id === state.focus.caseId) {
    const cur = state.focusedCase;
    if (!cur || cur.id !== batch.focusedCase.id || cur.version <= batch.focusedCase.version) {
      patch.focusedCase = batch.focusedCase;
    }
  }

  if (batch.serverAt !== null) {
    // Each message's server time, placed at the time it arrived: the latest sets the wall's clock.
    const localAt = batch.receivedAt[batch.receivedAt.length - 1] ?? now;
    patch.clock = { serverAt: batch.serverAt, localAt };
  }

  const delays = batch.receivedAt.map((t) => now - t);
  patch.connection = {
    ...state.connection,
    lastSeq: batch.lastSeq,
    lastDataAt: now,
    lagMs: median(delays),
  };

  const next = { ...state, ...patch };
  pruneEnded(next, now);
  store.setState(next, true);
  return { delays };
}

function applyAlerts(
  slice: AlertsSlice,
  raised: readonly Alert[],
  cleared: readonly { id: string; clearedAt: number }[],
): AlertsSlice {
  const clearedAt = new Map(cleared.map((c) => [c.id, c.clearedAt]));
  const raisedIds = new Set(raised.map((a) => a.id));
  const fresh = [...raised].sort((a, b) => b.raisedAt - a.raisedAt);
  const merged = [...fresh, ...slice.list.filter((a) => !raisedIds.has(a.id))]
    .map((a) => {
      const c = clearedAt.get(a.id);
      return c !== undefined && a.clearedAt === null ? { ...a, clearedAt: c } : a;
    })
    .sort((a, b) => b.raisedAt - a.raisedAt)
    .slice(0, MAX_ALERTS);
  return {
    list: merged,
    active: merged.filter((a) => a.clearedAt === null).length,
    rev: slice.rev + 1,
    justRaised: fresh.filter((a) => a.clearedAt === null),
  };
}

const lastPrune = new WeakMap<Map<string, CaseLite>, number>();

/**
 * Drops cases that ended more than {@link ENDED_RETENTION_MS} ago (server time), so that a wall
 * running for months holds what a fresh snapshot would, no more. Runs every few seconds, in place.
 */
export function pruneEnded(state: WallState, now: number, force = false): number {
  const byId = state.cases.byId;
  const last = lastPrune.get(byId) ?? 0;
  if (!force && now - last < PRUNE_EVERY_MS) return 0;
  lastPrune.set(byId, now);
  if (state.cases.counts.ended === 0) return 0;
  const cutoff = serverTime(state, now) - ENDED_RETENTION_MS;
  const applier = new CaseApplier(state.cases);
  for (const c of byId.values()) {
    if (c.endedAt !== null && c.endedAt < cutoff) applier.remove(c.id);
  }
  if (applier.removed.length === 0) return 0;
  state.cases = {
    ...state.cases,
    counts: applier.counts,
    ...applier.overdueTop(),
    rev: state.cases.rev + 1,
    delta: {
      reset: state.cases.delta.reset,
      upserted: state.cases.delta.upserted,
      removed: [...state.cases.delta.removed, ...applier.removed],
      grids: [...new Set([...state.cases.delta.grids, ...applier.touchedGrids])],
    },
  };
  return applier.removed.length;
}

function serverTime(state: WallState, localNow: number): number {
  const { serverAt, localAt } = state.clock;
  return serverAt === null ? localNow : serverAt + (localNow - localAt);
}

/** The stream bridge's sink for a store: each batch and each connection change applied to it. */
export function storeSink(store: WallStore): Pick<StreamSink, 'batch' | 'connection'> {
  return {
    batch: (batch, now) => applyBatch(store, batch, now),
    connection: (info) => applyConnection(store, info),
  };
}

export function applyConnection(store: WallStore, info: ConnectionInfo): void {
  const prev = store.getState().connection;
  // lastSeq comes with the data (applyBatch): the worker may hold events the store has not got yet.
  store.setState({ connection: { ...prev, ...info, lastSeq: prev.lastSeq } });
}

export function setFocus(store: WallStore, caseId: string | null, origin: FocusOrigin, now = Date.now()): void {
  const s = store.getState();
  if (s.focus.caseId === caseId && s.focus.origin === origin) return;
  const keep: Case | null = s.focusedCase && s.focusedCase.id === caseId ? s.focusedCase : null;
  store.setState({ focus: { caseId, origin, at: now }, focusedCase: keep });
}

export type { GridStat };
