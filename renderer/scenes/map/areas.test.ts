import { describe, expect, it } from 'vitest';
import { quantileSteps } from './areas';

describe('quantileSteps', () => {
  it('falls back when no grid has any', () => {
    expect(quantileSteps([0, 0, 0], [1, 4, 8])).toEqual([1, 4, 8]);
  });
  it('follows the spread of the data and stays strictly increasing', () => {
    const city = Array.from({ length: 1000 }, (_, i) => 20 + (i % 40));
    const [a, b, c] = quantileSteps(city, [1, 4, 8]);
    expect(a).toBeGreaterThanOrEqual(35);
    expect(b).toBeGreaterThan(a);
    expect(c).toBeGreaterThan(b);
    expect(quantileSteps([1, 1, 1], [1, 4, 8])).toEqual([1, 2, 3]);
  });
});
