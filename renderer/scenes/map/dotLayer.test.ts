import { describe, expect, it } from 'vitest';
import { DotSet, mercator, offsetMatrix, parseColour, radiusAt } from './dotLayer';

const apply = (m: ArrayLike<number>, x: number, y: number): number[] =>
  [0, 1, 2, 3].map((r) => (m[r] ?? 0) * x + (m[4 + r] ?? 0) * y + (m[12 + r] ?? 0));

describe('worker dots', () => {
  it('keeps the array packed when dots leave, and finds each dot where it was put', () => {
    const set = new DotSet();
    for (let i = 0; i < 3000; i++) set.set(`w${i}`, 106.2 + i * 1e-5, 38.5, i % 2);
    for (let i = 0; i < 3000; i += 3) set.remove(`w${i}`);
    expect(set.size).toBe(2000);
    expect(set.packed().length).toBe(2000 * 3);
    const origin = set.origin ?? [0, 0];
    for (const i of [1, 2, 1499, 2999]) {
      const [x, y, colour] = set.get(`w${i}`) ?? [];
      const [mx, my] = mercator(106.2 + i * 1e-5, 38.5);
      expect((x ?? 0) + origin[0]).toBeCloseTo(mx, 9);
      expect((y ?? 0) + origin[1]).toBeCloseTo(my, 9);
      expect(colour).toBe(i % 2);
    }
    expect(set.has('w0')).toBe(false);
    // A move is an update in place, not a second dot.
    const v = set.version;
    set.set('w1', 106.3, 38.6, 0);
    expect(set.size).toBe(2000);
    expect(set.version).toBeGreaterThan(v);
  });

  it('projects offsets from the origin where MapLibre projects the absolute position', () => {
    // A view-projection with a shear and a translation, in world pixels, as MapLibre's is.
    const vp = [0.002, 0.0001, 0, 0, -0.0003, -0.0021, 0, 0, 0, 0, 1, 0, -700.5, 820.25, 0, 1];
    const worldSize = 512 * 2 ** 16;
    const origin = mercator(106.21, 38.49);
    const m = offsetMatrix(vp, worldSize, origin);
    const [px, py] = mercator(106.23, 38.47);
    const expected = apply(vp, px * worldSize, py * worldSize);
    const got = apply(m, Math.fround(px - origin[0]), Math.fround(py - origin[1]));
    // Within a tenth of a clip-space pixel-scale unit at zoom 16: float32 offsets keep the dot still.
    for (let i = 0; i < 4; i++) expect(Math.abs((got[i] ?? 0) - (expected[i] ?? 0))).toBeLessThan(0.05);
  });

  it('reads the theme’s colours and sizes dots by zoom like the style did', () => {
    expect(parseColour('#4cff9a')).toEqual([0x4c / 255, 1, 0x9a / 255, 1]);
    expect(parseColour('rgba(255, 243, 107, 0.18)')).toEqual([1, 243 / 255, 107 / 255, 0.18]);
    expect(() => parseColour('green')).toThrow(/not a colour/);
    const style = {
      palette: ['#fff'],
      opacity: 1,
      radius: { zoom: [10, 15] as [number, number], px: [2, 5] as [number, number] },
    };
    expect(radiusAt(style, 8)).toBe(2);
    expect(radiusAt(style, 12.5)).toBeCloseTo(3.5);
    expect(radiusAt(style, 18)).toBe(5);
  });
});
