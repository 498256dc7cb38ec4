import { describe, expect, it } from 'vitest';
import type { Case } from '../../protocol';
import { toCaseLite, toWorkerLite } from '../../protocol/lite';
import { SyntheticDistrict } from '../../test/bench/synthetic';
import { Coalescer } from '../stream/coalescer';
import type { SnapshotLite, StreamBatch } from '../stream/types';
import { applyBatch, setAutoCase, setFocus, wholeCaseId } from './apply';
import { ENDED_RETENTION_MS, mostOverdue, pruneEnded } from './cases';
import { createWallStore, isOverdue, OVERDUE_TOP, serverNow } from './store';

function snapshotLite(d: SyntheticDistrict): SnapshotLite {
  const s = d.snapshot();
  return {
    seq: s.seq,
    at: s.at,
    masked: s.masked,
    role: s.role,
    cases: s.cases.map(toCaseLite),
    workers: s.workers.map(toWorkerLite),
    cameras: s.cameras,
    sensors: s.sensors,
    areas: s.areas,
    areasVersion: s.areasVersion,
    categories: s.categories,
    departments: s.departments,
    kpis: s.kpis,
    kpisRolling: s.kpisRolling ?? null,
    alerts: s.alerts,
    inspectionPoints: s.inspectionPoints,
  };
}

function batchOf(fill: (c: Coalescer) => void, lastSeq = 0, now = 0): StreamBatch {
  const c = new Coalescer();
  fill(c);
  const b = c.take(lastSeq, now);
  if (!b) throw new Error('empty batch');
  return b;
}

function recount(byId: Map<string, ReturnType<typeof toCaseLite>>) {
  let open = 0;
  let overdue = 0;
  for (const c of byId.values()) {
    if (c.endedAt === null) open++;
    if (isOverdue(c)) overdue++;
  }
  return { open, overdue };
}

describe('applyBatch', () => {
  it('loads a snapshot and keeps counts and grid stats equal to a recount through many events', () => {
    const d = new SyntheticDistrict({ seed: 3, cases: 500, workers: 50 });
    const store = createWallStore(0);
    applyBatch(
      store,
      batchOf((c) => c.addSnapshot(snapshotLite(d), 1, null)),
      2,
    );
    expect(store.getState().cases.byId.size).toBe(500);
    for (let round = 0; round < 20; round++) {
      const events = Array.from({ length: 100 }, () => d.nextCaseEvent(d.now + 1000));
      applyBatch(
        store,
        batchOf((c) => c.addEvents(events, 10), d.seq),
        11,
      );
    }
    const s = store.getState();
    const expected = recount(s.cases.byId);
    expect(s.cases.counts.open).toBe(expected.open);
    expect(s.cases.counts.overdue).toBe(expected.overdue);
    expect(s.cases.overdueIds.size).toBe(expected.overdue);
    let gridOpen = 0;
    for (const g of s.cases.grids.values()) gridOpen += g.open;
    expect(gridOpen).toBe(expected.open);
    expect(s.connection.lastSeq).toBe(2000);
    // The incremental overdue top list is what a full sort of the overdue set gives.
    const sorted = [...s.cases.overdueIds]
      .map((id) => s.cases.byId.get(id))
      .filter((c) => c !== undefined)
      .sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0))
      .slice(0, OVERDUE_TOP);
    expect(s.cases.overdueTop.slice(0, OVERDUE_TOP).map((c) => c.dueAt)).toEqual(sorted.map((c) => c.dueAt));
    expect(s.cases.overdueTop.length).toBeGreaterThanOrEqual(Math.min(OVERDUE_TOP, expected.overdue));
  });

  it('keeps the overdue top list equal to a full sort after every batch, whatever the churn', () => {
    for (let seed = 20; seed < 32; seed++) {
      const d = new SyntheticDistrict({ seed, cases: 40 + seed * 10, workers: 5 });
      const store = createWallStore(0);
      applyBatch(
        store,
        batchOf((c) => c.addSnapshot(snapshotLite(d), 0, null)),
        0,
      );
      for (let round = 0; round < 30; round++) {
        const events = Array.from({ length: 1 + ((round * seed) % 40) }, () => d.nextCaseEvent(d.now + 1000));
        applyBatch(
          store,
          batchOf((c) => c.addEvents(events, 0), d.seq),
          0,
        );
        const s = store.getState();
        const sorted = [...s.cases.overdueIds]
          .map((id) => s.cases.byId.get(id)?.dueAt ?? 0)
          .sort((a, b) => a - b)
          .slice(0, OVERDUE_TOP);
        expect(s.cases.overdueTop.slice(0, OVERDUE_TOP).map((c) => c.dueAt)).toEqual(sorted);
      }
    }
  });

  it('mostOverdue picks the k earliest due, in order', () => {
    const d = new SyntheticDistrict({ seed: 12, cases: 3000 });
    const lite = [...d.cases.values()].map(toCaseLite);
    const byId = new Map(lite.map((c) => [c.id, c]));
    const expected = [...lite].sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0)).slice(0, 12);
    expect(mostOverdue(byId.keys(), byId, 12).map((c) => c.dueAt)).toEqual(expected.map((c) => c.dueAt));
  });

  it('notifies subscribers once per batch', () => {
    const d = new SyntheticDistrict({ seed: 4, cases: 50 });
    const store = createWallStore(0);
    let calls = 0;
    store.subscribe(() => {
      calls++;
    });
    applyBatch(
      store,
      batchOf((c) => {
        c.addSnapshot(snapshotLite(d), 1, null);
        c.addEvents([d.nextCaseEvent(d.now), d.nextCaseEvent(d.now)], 1);
        c.addPositions(d.now, d.movePositions(d.now, 30).positions, 1);
      }),
      2,
    );
    expect(calls).toBe(1);
  });

  it('never lets an older version replace a newer one', () => {
    const d = new SyntheticDistrict({ seed: 5, cases: 5 });
    const store = createWallStore(0);
    applyBatch(
      store,
      batchOf((c) => c.addSnapshot(snapshotLite(d), 1, null)),
      2,
    );
    const [first] = d.cases.values();
    if (!first) throw new Error('no case');
    const v3: Case = { ...first, version: 3, status: 'dispatched' };
    const v2: Case = { ...first, version: 2, status: 'filed' };
    applyBatch(
      store,
      batchOf((c) => c.addEvents([{ seq: 1, at: 1, type: 'case.upserted', payload: v3 }], 1)),
      2,
    );
    applyBatch(
      store,
      batchOf((c) => c.addEvents([{ seq: 2, at: 1, type: 'case.upserted', payload: v2 }], 1)),
      2,
    );
    expect(store.getState().cases.byId.get(first.id)?.status).toBe('dispatched');
  });

  it('drops ended cases once they leave the 24 h window, so memory stays flat', () => {
    const d = new SyntheticDistrict({ seed: 6, cases: 100 });
    const store = createWallStore(0);
    applyBatch(
      store,
      batchOf((c) => c.addSnapshot(snapshotLite(d), 0, null)),
      0,
    );
    // Close every case.
    const closed = [...d.cases.values()].map((c, i) => ({
      seq: i + 1,
      at: d.now,
      type: 'case.upserted' as const,
      payload: {
        ...c,
        status: 'closed' as const,
        version: c.version + 1,
        milestones: { ...c.milestones, closedAt: d.now },
      },
    }));
    applyBatch(
      store,
      batchOf((c) => c.addEvents(closed, 0), 100),
      0,
    );
    const s = store.getState();
    expect(s.cases.counts.ended).toBe(100);
    expect(s.cases.counts.open).toBe(0);
    // A day and a bit later (server time), they are gone.
    const later = ENDED_RETENTION_MS + 60_000;
    expect(serverNow(s, later)).toBe(d.now + later);
    const next = { ...s };
    expect(pruneEnded(next, later, true)).toBe(100);
    expect(next.cases.byId.size).toBe(0);
    expect(next.cases.counts.total).toBe(0);
    expect(next.cases.delta.removed.length).toBe(100);
  });

  it('keeps alerts newest first and bounded, and marks cleared ones', () => {
    const d = new SyntheticDistrict({ seed: 8, cases: 60 });
    const store = createWallStore(0);
    applyBatch(
      store,
      batchOf((c) => c.addSnapshot(snapshotLite(d), 0, null)),
      0,
    );
    for (let i = 0; i < 400; i++) {
      const e = d.nextAlertEvent(d.now + i);
      applyBatch(
        store,
        batchOf((c) => c.addEvents([e], 0), e.seq),
        0,
      );
    }
    const list = store.getState().alerts.list;
    expect(list.length).toBe(300);
    for (let i = 1; i < list.length; i++) expect(list[i - 1]?.raisedAt).toBeGreaterThanOrEqual(list[i]?.raisedAt ?? 0);
    const newest = list[0];
    if (!newest) throw new Error('no alert');
    applyBatch(
      store,
      batchOf((c) =>
        c.addEvents([{ seq: d.seq + 1, at: 1, type: 'alert.cleared', payload: { id: newest.id, clearedAt: 5 } }], 0),
      ),
      0,
    );
    expect(store.getState().alerts.list[0]?.clearedAt).toBe(5);
  });

  it('moves workers from positions and keeps the on-duty count', () => {
    const d = new SyntheticDistrict({ seed: 9, cases: 10, workers: 40 });
    const store = createWallStore(0);
    applyBatch(
      store,
      batchOf((c) => c.addSnapshot(snapshotLite(d), 0, null)),
      0,
    );
    const w = d.workers[0];
    if (!w) throw new Error('no worker');
    applyBatch(
      store,
      batchOf((c) => c.addPositions(d.now, [[w.id, 106.2, 38.5, 0]], 0)),
      0,
    );
    const s = store.getState();
    expect(s.workers.byId.get(w.id)?.lng).toBe(106.2);
    expect(s.workers.onDuty).toBe([...s.workers.byId.values()].filter((x) => x.onDuty).length);
    expect(s.workers.delta.changed.map((x) => x.id)).toEqual([w.id]);
  });

  it('keeps the focused case only while it is focused', () => {
    const d = new SyntheticDistrict({ seed: 10, cases: 10 });
    const store = createWallStore(0);
    const [c1] = d.cases.values();
    if (!c1) throw new Error('no case');
    setFocus(store, c1.id, 'local', 0);
    applyBatch(
      store,
      batchOf((c) => {
        c.addSnapshot(snapshotLite(d), 0, c1);
      }),
      0,
    );
    expect(store.getState().focusedCase?.id).toBe(c1.id);
    setFocus(store, 'other', 'remote', 1);
    expect(store.getState().focusedCase).toBeNull();
  });

  it('with nothing focused, holds the automatic case whole (its description and timeline), until the turn moves on', () => {
    const d = new SyntheticDistrict({ seed: 11, cases: 10 });
    const store = createWallStore(0);
    const [c1, c2] = d.cases.values();
    if (!c1 || !c2) throw new Error('no case');
    applyBatch(
      store,
      batchOf((c) => c.addSnapshot(snapshotLite(d), 0, null)),
      0,
    );
    // The whole record of a case nobody asked for is not taken.
    applyBatch(
      store,
      batchOf((c) => c.setFocusedCase(c1)),
      0,
    );
    expect(store.getState().focusedCase).toBeNull();
    setAutoCase(store, c1.id);
    expect(wholeCaseId(store.getState())).toBe(c1.id);
    applyBatch(
      store,
      batchOf((c) => c.setFocusedCase(c1)),
      0,
    );
    expect(store.getState().focusedCase?.id).toBe(c1.id);
    expect(store.getState().focus.caseId).toBeNull();
    // A person's choice takes the slot; clearing it gives it back to the automatic case.
    setFocus(store, c2.id, 'local', 1);
    expect(wholeCaseId(store.getState())).toBe(c2.id);
    expect(store.getState().focusedCase).toBeNull();
    setFocus(store, null, 'local', 2);
    expect(wholeCaseId(store.getState())).toBe(c1.id);
    applyBatch(
      store,
      batchOf((c) => c.setFocusedCase(c1)),
      0,
    );
    expect(store.getState().focusedCase?.id).toBe(c1.id);
    // The next turn: the old record goes at once.
    setAutoCase(store, c2.id);
    expect(store.getState().focusedCase).toBeNull();
  });
});
