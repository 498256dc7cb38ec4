import { describe, expect, it } from 'vitest';
import { ProgressWatch } from './progress';

describe('ProgressWatch', () => {
  it('reports a stream that never starts once stallMs have passed', () => {
    const w = new ProgressWatch(5000, 0);
    expect(w.observe(1000, 0)).toBe(false);
    expect(w.observe(4999, 0)).toBe(false);
    expect(w.observe(5000, 0)).toBe(true);
  });

  it('stays quiet while the position moves, and catches it when it stops', () => {
    const w = new ProgressWatch(3000, 0);
    for (let t = 1000; t <= 10_000; t += 1000) expect(w.observe(t, t / 1000)).toBe(false);
    expect(w.observe(12_000, 10)).toBe(false);
    expect(w.observe(13_000, 10)).toBe(true);
    expect(w.idleFor(13_000)).toBe(3000);
  });

  it('counts a loop back to the start as progress', () => {
    const w = new ProgressWatch(2000, 0);
    w.observe(1000, 11.9);
    expect(w.observe(2500, 0.1)).toBe(false);
    expect(w.observe(4000, 0.1)).toBe(false);
    expect(w.observe(4500, 0.1)).toBe(true);
  });

  it('gives a new connection a whole stallMs after a restart', () => {
    const w = new ProgressWatch(2000, 0);
    expect(w.observe(3000, 0)).toBe(true);
    w.restart(3000);
    expect(w.observe(4500, 0)).toBe(false);
    expect(w.observe(5000, 0)).toBe(true);
  });
});
