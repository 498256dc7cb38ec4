import { describe, expect, it } from 'vitest';
import type { Area } from '../../protocol';
import { caseLite } from '../../test/fixtures/caseLite';
import { byUrgency, computeQueues, gridsUnder, looksLikePhone, NO_FILTERS } from './queues';

const lite = caseLite;

const square: Area['polygon'] = [
  [
    [0, 0],
    [1, 0],
    [1, 1],
    [0, 0],
  ],
];
const area = (id: string, level: Area['level'], parentId: string | null): Area => ({
  id,
  code: id,
  name: id,
  level,
  parentId,
  polygon: square,
  center: [0, 0],
});

describe('byUrgency', () => {
  it('puts overdue first, then urgent, then warned, then the nearest deadline, then the oldest', () => {
    const cases = [
      lite({ id: 'late-deadline', dueAt: 9000 }),
      lite({ id: 'no-deadline', dueAt: null }),
      lite({ id: 'warned', warned: true, dueAt: 8000 }),
      lite({ id: 'urgent', priority: 'urgent', dueAt: 7000 }),
      lite({ id: 'overdue', overdue: true, warned: true, dueAt: 5000 }),
      lite({ id: 'early-deadline', dueAt: 2000 }),
      lite({ id: 'older-same-deadline', dueAt: 2000, createdAt: -5 }),
    ];
    expect([...cases].sort(byUrgency).map((c) => c.id)).toEqual([
      'overdue',
      'urgent',
      'warned',
      'older-same-deadline',
      'early-deadline',
      'late-deadline',
      'no-deadline',
    ]);
  });
});

describe('computeQueues', () => {
  const cases = [
    lite({ id: 'r1' }),
    lite({ id: 'f1', status: 'filed', overdue: true, warned: true }),
    lite({ id: 'ret', status: 'returned', gridId: 'g2' }),
    lite({ id: 'd1', status: 'dispatched', warned: true, source: 'sensor' }),
    lite({ id: 'a1', status: 'accepted', extensionRequested: true, address: '西夏路8号' }),
    lite({ id: 'h1', status: 'handled' }),
    lite({ id: 'v1', status: 'verified' }),
    lite({ id: 's1', status: 'suspended' }),
    lite({ id: 'closed', status: 'closed', endedAt: 5 }),
  ];

  it('sorts every open case into its queues, with counts', () => {
    const { lists, counts } = computeQueues(cases, NO_FILTERS, null, null);
    const ids = (q: keyof typeof lists) => lists[q].map((c) => c.id);
    expect(ids('toFile')).toEqual(['r1']);
    expect(ids('toDispatch')).toEqual(['f1']);
    expect(ids('inProgress')).toEqual(['d1', 'a1']);
    expect(ids('dueSoon')).toEqual(['d1']);
    expect(ids('overdue')).toEqual(['f1']);
    expect(ids('toVerify').sort()).toEqual(['h1', 'v1']);
    expect(ids('returned')).toEqual(['ret']);
    expect(ids('suspended')).toEqual(['s1']);
    expect(counts.all).toBe(8);
    expect(lists.all.some((c) => c.id === 'closed')).toBe(false);
  });

  it('filters by area, category and source, and searches code and address here, phone on the server', () => {
    const inG2 = computeQueues(cases, { ...NO_FILTERS, areaId: 'c2' }, new Set(['g2']), null);
    expect(inG2.lists.all.map((c) => c.id)).toEqual(['ret']);
    expect(computeQueues(cases, { ...NO_FILTERS, source: 'sensor' }, null, null).counts.all).toBe(1);
    expect(computeQueues(cases, { ...NO_FILTERS, category: 'fire' }, null, null).counts.all).toBe(0);
    expect(computeQueues(cases, { ...NO_FILTERS, text: 'c-h1' }, null, null).lists.all.map((c) => c.id)).toEqual([
      'h1',
    ]);
    expect(computeQueues(cases, { ...NO_FILTERS, text: '西夏路' }, null, null).lists.all.map((c) => c.id)).toEqual([
      'a1',
    ]);
    const byPhone = computeQueues(cases, { ...NO_FILTERS, text: '1381234' }, null, new Set(['s1']));
    expect(byPhone.lists.all.map((c) => c.id)).toEqual(['s1']);
  });
});

describe('gridsUnder', () => {
  it('collects the grids under a street, a community or a grid', () => {
    const areas = [
      area('s1', 'street', null),
      area('c1', 'community', 's1'),
      area('c2', 'community', 's1'),
      area('g1', 'grid', 'c1'),
      area('g2', 'grid', 'c1'),
      area('g3', 'grid', 'c2'),
    ];
    expect([...gridsUnder(areas, 's1')].sort()).toEqual(['g1', 'g2', 'g3']);
    expect([...gridsUnder(areas, 'c1')].sort()).toEqual(['g1', 'g2']);
    expect([...gridsUnder(areas, 'g3')]).toEqual(['g3']);
  });
});

describe('looksLikePhone', () => {
  it('tells digits from codes and words', () => {
    expect(looksLikePhone('1381234')).toBe(true);
    expect(looksLikePhone('138 1234 5678')).toBe(true);
    expect(looksLikePhone('138')).toBe(false);
    expect(looksLikePhone('20261125-0001')).toBe(true);
    expect(looksLikePhone('宁安')).toBe(false);
  });
});
