import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../dev/synthetic';
import type { CaseLite } from '../../stream/types';
import { mostOverdue } from './KpiBoard';

describe('mostOverdue', () => {
  it('picks the k earliest due, in order, as a full sort would', () => {
    const rand = mulberry32(3);
    const byId = new Map<string, CaseLite>();
    for (let i = 0; i < 5000; i++) byId.set(`c${i}`, { id: `c${i}`, dueAt: Math.floor(rand() * 1e6) } as CaseLite);
    const expected = [...byId.values()].sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0)).slice(0, 12);
    expect(mostOverdue(byId.keys(), byId, 12).map((c) => c.dueAt)).toEqual(expected.map((c) => c.dueAt));
    expect(mostOverdue([], byId, 5)).toEqual([]);
  });
});
