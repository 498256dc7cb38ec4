import { describe, expect, it } from 'vitest';
import { HistoryClock } from './clock';

describe('HistoryClock', () => {
  it('is set by hand while history fills, then runs scaled from where it stopped', () => {
    let real = 1_000_000;
    const clock = new HistoryClock(5_000, 60, () => real);
    expect(clock.now()).toBe(5_000);
    clock.set(9_000);
    expect(clock.now()).toBe(9_000);
    expect(() => clock.set(8_000)).toThrow(/never goes back/);
    real += 500;
    expect(clock.now()).toBe(9_000);
    clock.goLive();
    expect(clock.isLive).toBe(true);
    real += 1_000;
    expect(clock.now()).toBe(9_000 + 60_000);
    expect(() => clock.set(100_000)).toThrow(/live/);
  });

  it('goes live from a later moment when asked', () => {
    let real = 0;
    const clock = new HistoryClock(100, 2, () => real);
    clock.goLive(1_000);
    real = 10;
    expect(clock.now()).toBe(1_020);
  });
});
