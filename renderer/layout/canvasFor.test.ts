import { describe, expect, it } from 'vitest';
import { canvasFor } from './ScaledCanvas';

const HD = { width: 1920, height: 1080 };
const LARGE = { fromScale: 1.75, typeScale: 1.5 };

describe('canvasFor', () => {
  it('keeps the designed canvas up to fromScale, text as designed', () => {
    expect(canvasFor(HD, HD, LARGE)).toEqual({ width: 1920, height: 1080, scale: 1, type: 1 });
    expect(canvasFor(HD, { width: 2560, height: 1440 }, LARGE)).toEqual({ ...HD, scale: 4 / 3, type: 1 });
  });

  it('gives a 4K screen a larger canvas, and small text the factor that keeps it 22 px of the 1080p canvas', () => {
    const c = canvasFor(HD, { width: 3840, height: 2160 }, LARGE);
    expect(c).toEqual({ width: 2560, height: 1440, scale: 1.5, type: 4 / 3 });
    // 22 px × type × scale on screen = 44 px: 22 px at the 1080p canvas's 2× scale.
    expect(22 * c.type * c.scale).toBeCloseTo(44);
  });

  it('draws the 1080p picture at 2× without a large-screen rule', () => {
    expect(canvasFor(HD, { width: 3840, height: 2160 }, null)).toEqual({ ...HD, scale: 2, type: 1 });
  });
});
