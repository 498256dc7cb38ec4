import { describe, expect, it } from 'vitest';
import { SourceDiff } from './features';

describe('SourceDiff', () => {
  it('keeps the latest change per id', () => {
    const d = new SourceDiff<number>();
    d.clear();
    d.upsert('a', 1);
    d.upsert('a', 2);
    d.upsert('b', 1);
    d.remove('b');
    d.remove('c');
    expect([...d.upserts]).toEqual([['a', 2]]);
    expect([...d.removes].sort()).toEqual(['b', 'c']);
    d.upsert('c', 5);
    expect(d.removes.has('c')).toBe(false);
  });
  it('ignores changes while a full reset is pending', () => {
    const d = new SourceDiff<number>();
    d.upsert('a', 1);
    expect(d.reset).toBe(true);
    expect(d.upserts.size).toBe(0);
    d.clear();
    expect(d.pending).toBe(false);
  });
});
