import { describe, expect, it } from 'vitest';
import type { CaseLite } from '../../protocol/lite';
import { caseLite } from '../../test/fixtures/caseLite';
import { AUTO_ROTATE_MS, autoCandidates, autoTurn, detailChoice, pickAuto } from './autoCase';
import type { FocusSlice } from './store';

function lite(id: string, over: Partial<CaseLite> = {}): CaseLite {
  return caseLite({
    id,
    code: id.toUpperCase(),
    category: 'c',
    status: 'dispatched',
    lng: 106.2,
    lat: 38.5,
    gridId: 'g-1',
    address: '',
    stage: 'handle',
    dueAt: 1_000_000,
    ...over,
  });
}

const cases = (list: CaseLite[]) => ({ byId: new Map(list.map((c) => [c.id, c])) });
const noFocus: FocusSlice = { caseId: null, origin: 'local', at: 0 };

const district = [
  lite('u-old', { priority: 'urgent', createdAt: 100 }),
  lite('u-new', { priority: 'urgent', createdAt: 300 }),
  lite('u-mid', { priority: 'urgent', createdAt: 200 }),
  lite('u-closed', { priority: 'urgent', createdAt: 900, endedAt: 950 }),
  lite('o-long', { overdue: true, dueAt: 10 }),
  lite('o-short', { overdue: true, dueAt: 50 }),
  lite('plain', { createdAt: 999 }),
];

describe('automatic case detail', () => {
  it('takes turns: newest urgent, longest overdue, second newest urgent, … (open cases only)', () => {
    expect(autoCandidates(cases(district))).toEqual([
      { id: 'u-new', reason: 'urgent' },
      { id: 'o-long', reason: 'overdue' },
      { id: 'u-mid', reason: 'urgent' },
      { id: 'o-short', reason: 'overdue' },
      { id: 'u-old', reason: 'urgent' },
    ]);
  });

  it('does not depend on the order a window received the cases in (ties broken by id)', () => {
    const tied = [
      lite('b', { priority: 'urgent', createdAt: 5 }),
      lite('a', { priority: 'urgent', createdAt: 5 }),
      lite('z', { overdue: true, dueAt: 1 }),
      lite('y', { overdue: true, dueAt: 1 }),
    ];
    const forward = autoCandidates(cases(tied));
    expect(autoCandidates(cases([...tied].reverse()))).toEqual(forward);
    expect(autoCandidates(cases(district))).toEqual(autoCandidates(cases([...district].reverse())));
    expect(forward.map((c) => c.id)).toEqual(['a', 'y', 'b', 'z']);
  });

  it('shows a case that is urgent and overdue once', () => {
    const both = [lite('x', { priority: 'urgent', overdue: true, createdAt: 5, dueAt: 1 })];
    expect(autoCandidates(cases(both))).toEqual([{ id: 'x', reason: 'urgent' }]);
  });

  it('falls back to the newest open cases when none is urgent or overdue, and to nothing when none is open', () => {
    const calm = [lite('p1', { createdAt: 1 }), lite('p3', { createdAt: 3 }), lite('p2', { createdAt: 2 })];
    expect(autoCandidates(cases(calm)).map((c) => `${c.id}:${c.reason}`)).toEqual([
      'p3:latest',
      'p2:latest',
      'p1:latest',
    ]);
    expect(autoCandidates(cases([lite('done', { endedAt: 5 })]))).toEqual([]);
    expect(detailChoice({ focus: noFocus, cases: { ...emptyCases(), byId: new Map() } }, 0)).toBeNull();
  });

  it('is a function of the server clock: the same turn at the same moment, the next one 15 s later', () => {
    const list = autoCandidates(cases(district));
    const t0 = 1_765_000_000_000;
    const at = (t: number) => pickAuto(list, autoTurn(t))?.id;
    // Two windows reading the clock a few ms apart inside one turn agree.
    const start = Math.ceil(t0 / AUTO_ROTATE_MS) * AUTO_ROTATE_MS;
    expect(at(start + 10)).toBe(at(start + 14_000));
    expect(at(start + AUTO_ROTATE_MS)).not.toBe(at(start));
    // It goes round: after as many turns as there are cases, the same case again.
    expect(at(start + list.length * AUTO_ROTATE_MS)).toBe(at(start));
    const seen = new Set(Array.from({ length: list.length }, (_, i) => at(start + i * AUTO_ROTATE_MS)));
    expect(seen.size).toBe(list.length);
  });

  it('turns every 15 real seconds under a simulator running 60× (the rate from the server)', () => {
    expect(autoTurn(60 * AUTO_ROTATE_MS - 1, 60)).toBe(0);
    expect(autoTurn(60 * AUTO_ROTATE_MS, 60)).toBe(1);
  });

  it('gives way to a person’s choice (and to an alert’s focus)', () => {
    const state = { focus: noFocus, cases: { ...emptyCases(), ...cases(district) } };
    expect(detailChoice(state, 0)?.kind).toBe('auto');
    const chosen = { ...state, focus: { caseId: 'plain', origin: 'remote' as const, at: 5 } };
    expect(detailChoice(chosen, 0)).toEqual({ kind: 'focus', caseId: 'plain' });
    const byAlert = { ...state, focus: { caseId: 'o-short', origin: 'alert' as const, at: 5 } };
    expect(detailChoice(byAlert, 0)).toEqual({ kind: 'focus', caseId: 'o-short' });
  });
});

function emptyCases() {
  return {
    overdueIds: new Set<string>(),
    overdueTop: [],
    overdueBound: Number.POSITIVE_INFINITY,
    grids: new Map(),
    counts: { total: 0, open: 0, overdue: 0, warned: 0, urgent: 0, ended: 0 },
    rev: 0,
    delta: { reset: false, upserted: [], removed: [], grids: [] },
  };
}
