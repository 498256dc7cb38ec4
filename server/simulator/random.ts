import type { Rng } from '../presets/random';

/** A Poisson count with mean `lambda`: Knuth's product for small means, a rounded normal for large ones. */
export function poisson(rng: Rng, lambda: number): number {
  if (!(lambda > 0)) return 0;
  if (lambda > 60) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * rng.normal()));
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rng.float();
  while (p > limit) {
    k += 1;
    p *= rng.float();
  }
  return k;
}

/** A 32-bit seed for a sub-stream drawn from `rng`. */
export const subSeed = (rng: Rng): number => Math.floor(rng.float() * 4294967296) >>> 0;
