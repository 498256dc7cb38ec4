import { describe, expect, it } from 'vitest';
import type { Category, Department } from '../../protocol';
import type { CaseLite, WorkerLite } from '../../protocol/lite';
import { caseLite } from '../../test/fixtures/caseLite';
import { assigneeLoads, distanceMetres, keepOrder, LOAD_METRES, rankDepartments, rankWorkers } from './suggestions';

const worker = (id: string, gridId: string, lng: number | null, lat: number | null, onDuty = true): WorkerLite => ({
  id,
  name: id,
  gridId,
  onDuty,
  lng,
  lat,
  lastSeen: null,
});

const lite = (over: Partial<CaseLite>): CaseLite =>
  caseLite({
    id: 'c',
    code: 'C',
    status: 'dispatched',
    lng: 106.2,
    lat: 38.5,
    address: '',
    stage: 'handle',
    dueAt: null,
    ...over,
  });

// About 111 m per 0.001° of latitude.
const target = { gridId: 'g1', lng: 106.2, lat: 38.5 };

describe('distanceMetres', () => {
  it('measures a thousandth of a degree of latitude as about 111 m', () => {
    expect(distanceMetres(106.2, 38.5, 106.2, 38.501)).toBeCloseTo(111.2, 0);
  });
});

describe('assigneeLoads', () => {
  it('counts open cases on someone’s list, not closed or unassigned ones', () => {
    const loads = assigneeLoads([
      lite({ id: '1', assigneeId: 'w1' }),
      lite({ id: '2', assigneeId: 'w1', status: 'accepted' }),
      lite({ id: '3', assigneeId: 'w1', status: 'handled' }),
      lite({ id: '4', assigneeId: 'w1', status: 'closed', endedAt: 5 }),
      lite({ id: '5', assigneeId: 'w2', status: 'returned' }),
      lite({ id: '6', assigneeId: null }),
    ]);
    expect(Object.fromEntries(loads)).toEqual({ w1: 3 });
  });
});

describe('rankWorkers', () => {
  it('offers only on-duty workers of the grid, nearest first', () => {
    const ranked = rankWorkers({
      target,
      workers: [
        worker('far', 'g1', 106.2, 38.51),
        worker('near', 'g1', 106.2, 38.5005),
        worker('off', 'g1', 106.2, 38.5, false),
        worker('mid', 'g1', 106.2, 38.503),
        worker('other', 'g9', 106.2, 38.5),
      ],
      loads: new Map(),
      neighbourGrids: new Set(),
    });
    expect(ranked.map((s) => s.id)).toEqual(['near', 'mid', 'far']);
    expect(ranked[0]?.distanceM).toBe(56);
  });

  it('weighs current load against distance: a busy worker next door ranks below an idle one a little further', () => {
    const ranked = rankWorkers({
      target,
      workers: [worker('busy', 'g1', 106.2, 38.5), worker('idle', 'g1', 106.2, 38.503)],
      loads: new Map([['busy', 2]]),
      neighbourGrids: new Set(),
    });
    // busy: 0 m + 2 × 500; idle: ≈ 334 m.
    expect(ranked.map((s) => [s.id, s.load])).toEqual([
      ['idle', 0],
      ['busy', 2],
    ]);
    expect(ranked[1]?.score).toBe(2 * LOAD_METRES);
  });

  it('ranks a worker without a known position after those with one nearby', () => {
    const ranked = rankWorkers({
      target,
      workers: [worker('lost', 'g1', null, null), worker('seen', 'g1', 106.2, 38.51)],
      loads: new Map(),
      neighbourGrids: new Set(),
    });
    expect(ranked.map((s) => [s.id, s.distanceM])).toEqual([
      ['seen', 1112],
      ['lost', null],
    ]);
  });

  it('adds on-duty workers of neighbouring grids, after the grid’s own, when the grid has too few', () => {
    const ranked = rankWorkers({
      target,
      workers: [worker('n1', 'g2', 106.2, 38.5001), worker('own', 'g1', 106.2, 38.509), worker('x', 'g3', 106.2, 38.5)],
      loads: new Map(),
      neighbourGrids: new Set(['g2']),
    });
    expect(ranked.map((s) => [s.id, s.sameGrid])).toEqual([
      ['own', true],
      ['n1', false],
    ]);
  });

  it('leaves neighbours out when the grid has enough of its own, and keeps to the limit', () => {
    const own = Array.from({ length: 8 }, (_, i) => worker(`w${i}`, 'g1', 106.2, 38.5 + i * 0.001));
    const ranked = rankWorkers({
      target,
      workers: [...own, worker('n1', 'g2', 106.2, 38.5)],
      loads: new Map(),
      neighbourGrids: new Set(['g2']),
      limit: 5,
    });
    expect(ranked.map((s) => s.id)).toEqual(['w0', 'w1', 'w2', 'w3', 'w4']);
  });
});

describe('rankDepartments', () => {
  const departments: Department[] = [
    { id: 'd-env', name: '环保局', categories: ['smoke', 'road'] },
    { id: 'd-city', name: '城管局', categories: ['road'] },
    { id: 'd-fire', name: '消防', categories: ['fire'] },
    { id: 'd-street', name: '街道办', categories: ['road'] },
  ];
  const category: Category = {
    code: 'road',
    name: '道路不洁',
    nameEn: 'Dirty road',
    group: 'city',
    handleMinutes: 300,
    departmentId: 'd-city',
    autoDispatch: false,
  };

  it('offers the departments that take the category, its own department first, then the least busy', () => {
    const ranked = rankDepartments(category, 'road', departments, new Map([['d-env', 4]]));
    expect(ranked.map((d) => [d.id, d.primary])).toEqual([
      ['d-city', true],
      ['d-street', false],
      ['d-env', false],
    ]);
  });

  it('offers none for a category no department takes', () => {
    expect(rankDepartments(undefined, 'unknown', departments, new Map())).toEqual([]);
  });
});

describe('keepOrder', () => {
  const s = (id: string) => ({ kind: 'worker', id });
  it('keeps the first ranking while later rankings differ; drops the gone, appends the new', () => {
    const order = new Map<string, number>();
    expect(keepOrder([s('a'), s('b'), s('c')], order).map((x) => x.id)).toEqual(['a', 'b', 'c']);
    // Positions moved: the ranking now says c, a, b; the list on screen stays a, b, c.
    expect(keepOrder([s('c'), s('a'), s('b')], order).map((x) => x.id)).toEqual(['a', 'b', 'c']);
    // b went off duty, d came on: b drops out, d joins at the end even if ranked first.
    expect(keepOrder([s('d'), s('c'), s('a')], order).map((x) => x.id)).toEqual(['a', 'c', 'd']);
  });
  it('tells a worker and a department with the same id apart', () => {
    const order = new Map<string, number>();
    keepOrder([s('x'), { kind: 'department', id: 'x' }], order);
    expect(keepOrder([{ kind: 'department', id: 'x' }, s('x')], order).map((x) => x.kind)).toEqual([
      'worker',
      'department',
    ]);
  });
});
