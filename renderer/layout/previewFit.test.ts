import { describe, expect, it } from 'vitest';
import { PREVIEW, previewFit } from './previewFit';

const HD = { width: 1920, height: 1080 };

describe('previewFit', () => {
  it('fits a 3×2 wall to a 1080p monitor edge to edge, each display at its exact aspect', () => {
    const f = previewFit(HD, HD, { columns: 3, rows: 2 }, 6);
    expect(f.cellWidth / f.cellHeight).toBeCloseTo(16 / 9, 6);
    // Width-bound: the block spans the monitor but for the margins.
    const right = (f.cells[2]?.left ?? 0) + f.cellWidth;
    expect(f.cells[0]?.left).toBeCloseTo(PREVIEW.pad, 6);
    expect(right).toBeCloseTo(HD.width - PREVIEW.pad, 6);
    // Nothing overlaps, everything is on screen, the caption comes after the last row.
    const bottom = (f.cells[5]?.top ?? 0) + f.cellHeight;
    expect(bottom).toBeLessThanOrEqual(f.captionTop);
    expect(f.captionTop + PREVIEW.caption).toBeLessThanOrEqual(HD.height);
    expect(f.cells[3]?.top).toBeGreaterThan((f.cells[0]?.top ?? 0) + f.cellHeight);
    // The displays are as large as the monitor's width allows (8:3 on 16:9 cannot cover more).
    expect(f.coverage).toBeGreaterThan(0.62);
    expect(f.chrome).toBe(true);
  });

  it('fits a single display by its height, and a 4×3 wall', () => {
    // 16:9 on 16:9: no room for a header or caption, the display takes all but its label.
    const one = previewFit(HD, HD, { columns: 1, rows: 1 }, 1);
    expect(one.chrome).toBe(false);
    expect(one.coverage).toBeGreaterThan(0.88);
    expect((one.cells[0]?.top ?? 0) + one.cellHeight).toBeLessThanOrEqual(HD.height);
    const twelve = previewFit(HD, HD, { columns: 4, rows: 3 }, 12);
    expect(twelve.coverage).toBeGreaterThan(0.6);
    expect((twelve.cells[11]?.top ?? 0) + twelve.cellHeight).toBeLessThanOrEqual(twelve.captionTop);
  });
});
