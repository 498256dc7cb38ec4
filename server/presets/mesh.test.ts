import { booleanPointInPolygon, booleanValid, kinks, area as turfArea, polygon as turfPolygon } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { Mesh } from './mesh';
import { outline, pointInPolygon } from './outline';
import { partitionCells } from './partition';
import { Rng } from './random';

/** A 4 × 4 mesh of 1 km cells without jitter, so areas are whole km² (nearly: it is on a sphere). */
const flatMesh = (): Mesh => new Mesh({ origin: [106, 38], cellKm: 1, nx: 4, ny: 4, jitter: 0 }, new Rng(1));
const cellsOf = (m: Mesh, ij: Array<[number, number]>): number[] => ij.map(([i, j]) => j * m.nx + i);

describe('outline', () => {
  it('traces one counter-clockwise ring for a plain block', () => {
    const m = flatMesh();
    const set = new Set(
      cellsOf(m, [
        [1, 1],
        [2, 1],
        [1, 2],
        [2, 2],
      ]),
    );
    const poly = outline(m, [...set], (c) => set.has(c));
    expect(poly).toHaveLength(1);
    expect(poly[0]).toHaveLength(9); // 8 corners on the walk (cells' shared vertices included) + closing point
    expect(turfArea(turfPolygon(poly)) / 1e6).toBeCloseTo(4, 1);
  });

  it('gives a ring of cells a clockwise hole', () => {
    const m = flatMesh();
    const ring: Array<[number, number]> = [];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) if (i !== 1 || j !== 1) ring.push([i, j]);
    const set = new Set(cellsOf(m, ring));
    const poly = outline(m, [...set], (c) => set.has(c));
    expect(poly).toHaveLength(2);
    expect(turfArea(turfPolygon(poly)) / 1e6).toBeCloseTo(8, 1);
    expect(pointInPolygon(m.cellCenter(1 * m.nx + 1), poly)).toBe(false);
    expect(pointInPolygon(m.cellCenter(0), poly)).toBe(true);
  });

  it('makes the gap at a corner-touching point a hole, not a pinched outer ring', () => {
    const m = flatMesh();
    // (0,1) and (1,2) touch only at a corner; the cell (1,1) between them is enclosed.
    const set = new Set(
      cellsOf(m, [
        [0, 0],
        [1, 0],
        [2, 0],
        [0, 1],
        [2, 1],
        [1, 2],
        [2, 2],
      ]),
    );
    const poly = outline(m, [...set], (c) => set.has(c));
    expect(poly).toHaveLength(2);
    const feature = turfPolygon(poly);
    // Each ring is simple; the hole meets the outer ring at the corner point only.
    for (const ring of poly) expect(kinks(turfPolygon([ring])).features).toHaveLength(0);
    expect(booleanValid(feature)).toBe(true);
    expect(turfArea(feature) / 1e6).toBeCloseTo(7, 1);
    expect(booleanPointInPolygon(m.cellCenter(1 * m.nx + 1), feature)).toBe(false);
    expect(booleanPointInPolygon(m.cellCenter(2 * m.nx + 0), feature)).toBe(false);
  });

  it('refuses a set in two pieces', () => {
    const m = flatMesh();
    const set = new Set(
      cellsOf(m, [
        [0, 0],
        [3, 3],
      ]),
    );
    expect(() => outline(m, [...set], (c) => set.has(c))).toThrow(/one connected piece/);
  });
});

describe('partitionCells', () => {
  const connected = (m: Mesh, part: number[]): boolean => {
    const set = new Set(part);
    const seen = new Set([part[0] as number]);
    const queue = [part[0] as number];
    for (let h = 0; h < queue.length; h++) {
      for (const n of m.neighbours(queue[h] as number, [])) {
        if (set.has(n) && !seen.has(n)) {
          seen.add(n);
          queue.push(n);
        }
      }
    }
    return seen.size === set.size;
  };

  it.each([
    ['grown', undefined],
    ['power diagram', [0, 399]],
  ])('splits into connected parts that cover the parent, each with its minimum (%s)', (_, seeds) => {
    const m = new Mesh({ origin: [106, 38], cellKm: 0.2, nx: 20, ny: 20, jitter: 0.18 }, new Rng(2));
    const cells = Array.from({ length: 400 }, (_, c) => c);
    const k = seeds ? seeds.length : 7;
    const owner = new Int32Array(400).fill(-1);
    const parts = partitionCells(
      m,
      cells,
      { weights: Array.from({ length: k }, (_, i) => i + 1), minCells: Array.from({ length: k }, () => 20), seeds },
      new Rng(3),
      owner,
    );
    expect(parts).toHaveLength(k);
    expect(parts.flat().sort((a, b) => a - b)).toEqual(cells);
    for (const p of parts) {
      expect(p.length).toBeGreaterThanOrEqual(20);
      expect(connected(m, p)).toBe(true);
    }
    // Bigger weights get more cells.
    expect((parts[k - 1] as number[]).length).toBeGreaterThan((parts[0] as number[]).length);
    // The scratch labels are left clean for the next call.
    expect(owner.every((o) => o === -1)).toBe(true);
  });
});
