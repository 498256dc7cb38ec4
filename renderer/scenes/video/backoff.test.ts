import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff';

describe('Backoff', () => {
  it('doubles from the base up to the maximum, without jitter', () => {
    const b = new Backoff({ baseMs: 1000, factor: 2, maxMs: 10_000, jitter: 0 });
    expect([b.next(), b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([
      1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
    expect(b.attempt).toBe(6);
  });

  it('spreads delays by the jitter and never beyond the maximum', () => {
    const values = [0, 1, 0.5];
    const b = new Backoff({ baseMs: 1000, factor: 2, maxMs: 3000, jitter: 0.2 }, () => values.shift() ?? 0.5);
    expect(b.next()).toBe(800);
    expect(b.next()).toBe(2400);
    expect(b.next()).toBe(3000);
  });

  it('starts over after a reset', () => {
    const b = new Backoff({ baseMs: 500, factor: 3, maxMs: 60_000, jitter: 0 });
    b.next();
    b.next();
    b.reset();
    expect(b.attempt).toBe(0);
    expect(b.next()).toBe(500);
  });
});
