import type { Alert, Area, Camera, Case, InspectionPoint } from '../../protocol';
import type { WorkerLite } from '../../protocol/lite';
import type { StreamSink } from '../stream/bridge';
import type { ConnectionInfo, StreamBatch } from '../stream/types';
import { CaseApplier, pruneEnded } from './cases';
import { type AlertsSlice, type FocusOrigin, initialState, serverNow, type WallState, type WallStore } from './store';

const MAX_ALERTS = 300;

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
      kpis: { figures: s.kpis, rolling: s.kpisRolling, rev: prev.kpis.rev + 1 },
      areas: {
        list: s.areas,
        byId: new Map(s.areas.map((a) => [a.id, a])),
        version: s.areasVersion,
        bounds: boundsOf(s.areas),
      },
      categories: new Map(s.categories.map((c) => [c.code, c])),
      focusedCase: batch.focusedCase ?? (wholeCaseId(prev) ? prev.focusedCase : null),
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

  if (batch.kpis || batch.kpisRolling) {
    patch.kpis = {
      figures: batch.kpis ?? state.kpis.figures,
      rolling: batch.kpisRolling ?? state.kpis.rolling,
      rev: state.kpis.rev + 1,
    };
  }

  if (batch.focusedCase && batch.focusedCase.id === wholeCaseId(state)) {
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

/** The case whose whole record the page holds: the focused one, else the automatic one. */
export function wholeCaseId(s: Pick<WallState, 'focus' | 'autoCaseId'>): string | null {
  return s.focus.caseId ?? s.autoCaseId;
}

/**
 * The automatic case a case-detail panel shows while nothing is focused: its whole record is then
 * fetched and kept current as the focused case's is (the stream client's one whole case).
 */
export function setAutoCase(store: WallStore, caseId: string | null): void {
  const s = store.getState();
  if (s.autoCaseId === caseId) return;
  const patch: Partial<WallState> = { autoCaseId: caseId };
  if (s.focus.caseId === null && s.focusedCase && s.focusedCase.id !== caseId) patch.focusedCase = null;
  store.setState(patch);
}

export function setFocus(
  store: WallStore,
  caseId: string | null,
  origin: FocusOrigin,
  now = Date.now(),
  /** The server time of the choice, when another window says it; else this window's clock. */
  serverAt?: number,
): void {
  const s = store.getState();
  if (s.focus.caseId === caseId && s.focus.origin === origin) return;
  const keep: Case | null = s.focusedCase && s.focusedCase.id === (caseId ?? s.autoCaseId) ? s.focusedCase : null;
  const server = serverAt ?? (s.clock.serverAt === null ? undefined : serverNow(s, now));
  store.setState({
    focus: { caseId, origin, at: now, ...(server === undefined ? {} : { serverAt: server }) },
    focusedCase: keep,
  });
}
