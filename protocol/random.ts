/**
 * The one seeded random of the code base: the server's demo presets and simulator (through their
 * `Rng`), the synthetic district of tests and benchmarks, and the e2e seeds all draw from it, so a
 * seed means the same numbers everywhere. Not for anything secret.
 */

/** mulberry32: 32-bit state, fast, uniform in [0, 1); the same seed gives the same sequence. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
