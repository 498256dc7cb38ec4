import { describe, expect, it } from 'vitest';
import { Rng } from '../presets/random';
import { poisson } from './random';

const stats = (xs: number[]) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
  return { mean, variance };
};

describe('poisson', () => {
  it.each([0.3, 4, 25, 400])('has mean and variance near λ = %s', (lambda) => {
    const rng = new Rng(42);
    const { mean, variance } = stats(Array.from({ length: 20_000 }, () => poisson(rng, lambda)));
    expect(Math.abs(mean - lambda)).toBeLessThan(0.05 * lambda + 0.02);
    expect(Math.abs(variance - lambda)).toBeLessThan(0.1 * lambda + 0.05);
  });

  it('is 0 for a mean of 0 and never negative', () => {
    const rng = new Rng(1);
    expect(poisson(rng, 0)).toBe(0);
    for (let i = 0; i < 1000; i++) expect(poisson(rng, 100)).toBeGreaterThanOrEqual(0);
  });
});
