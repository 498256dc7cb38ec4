import { describe, expect, it } from 'vitest';
import { apportion, deriveSeed, Rng } from './random';

describe('Rng', () => {
  it('forks independent, reproducible streams by label', () => {
    const r = new Rng(1);
    expect(r.fork('a').float()).toBe(new Rng(1).fork('a').float());
    expect(r.fork('a').float()).not.toBe(r.fork('b').float());
    expect(deriveSeed(1, 'a')).not.toBe(deriveSeed(2, 'a'));
  });

  it('draws integers within both bounds and weighted indices by weight', () => {
    const r = new Rng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) seen.add(r.int(1, 4));
    expect([...seen].sort()).toEqual([1, 2, 3, 4]);
    const counts = [0, 0, 0];
    for (let n = 0; n < 3000; n++) {
      const i = r.weightedIndex([1, 0, 3]);
      counts[i] = (counts[i] as number) + 1;
    }
    expect(counts[1]).toBe(0);
    expect((counts[2] as number) / (counts[0] as number)).toBeGreaterThan(2);
  });

  it('shuffles to a permutation', () => {
    const out = new Rng(5).shuffle([1, 2, 3, 4, 5, 6]);
    expect([...out].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('apportion', () => {
  it('splits a total exactly, in proportion, with a minimum per part', () => {
    expect(apportion(10, [1, 1])).toEqual([5, 5]);
    expect(apportion(10, [1, 2, 2])).toEqual([2, 4, 4]);
    const parts = apportion(592, [3, 1, 1, 1, 1, 1], 3);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(592);
    expect(Math.min(...parts)).toBeGreaterThanOrEqual(3);
    expect(apportion(5, [100, 0, 0], 1)).toEqual([3, 1, 1]);
  });

  it('refuses a total below the minimums', () => {
    expect(() => apportion(3, [1, 1], 2)).toThrow();
  });
});
