/**
 * The areas of each preset, checked with a geometry library (turf), not with the generator's own
 * arithmetic: grids tile the root without gaps or overlaps, children lie inside their parents.
 */
import {
  area,
  bbox,
  booleanPointInPolygon,
  difference,
  featureCollection,
  intersect,
  kinks,
  polygon,
  union,
} from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { Area, type AreaLevel } from '../../protocol';
import { generatePreset, type PresetData } from './index';

type Poly = ReturnType<typeof polygon>;
/** A polygon or multipolygon feature, as turf's set operations return. */
type Shape = NonNullable<ReturnType<typeof union>>;
const toFeature = (a: Area): Poly => polygon(a.polygon, { id: a.id });
const areaOf = (f: Shape | Poly | null): number => (f ? area(f) : 0);

const LEVEL_BELOW: Partial<Record<AreaLevel, AreaLevel>> = {
  city: 'street',
  district: 'street',
  street: 'community',
  community: 'grid',
};

/** Pairs of features whose bounding boxes overlap: the only pairs that could overlap at all. */
function bboxPairs(features: readonly Poly[]): Array<[Poly, Poly]> {
  const boxes = features.map((f) => bbox(f));
  const order = features.map((_, i) => i).sort((a, b) => (boxes[a]?.[0] as number) - (boxes[b]?.[0] as number));
  const pairs: Array<[Poly, Poly]> = [];
  for (let x = 0; x < order.length; x++) {
    const i = order[x] as number;
    const bi = boxes[i] as number[];
    for (let y = x + 1; y < order.length; y++) {
      const j = order[y] as number;
      const bj = boxes[j] as number[];
      if ((bj[0] as number) > (bi[2] as number)) break;
      if ((bj[1] as number) <= (bi[3] as number) && (bj[3] as number) >= (bi[1] as number)) {
        pairs.push([features[i] as Poly, features[j] as Poly]);
      }
    }
  }
  return pairs;
}

function expectTiles(parent: Area, children: readonly Area[]): void {
  const parentF = toFeature(parent);
  const parentArea = area(parentF);
  const childF = children.map(toFeature);
  const sum = childF.reduce((s, f) => s + area(f), 0);
  // Sum of the parts equals the whole (within 0.1 %)…
  expect(Math.abs(sum - parentArea) / parentArea).toBeLessThan(0.001);
  // …no two parts overlap with positive area (1 m² tolerates floating-point slivers)…
  const pairs = bboxPairs(childF);
  expect(pairs.length).toBeGreaterThan(0);
  for (const [a, b] of pairs) {
    const overlap = areaOf(intersect(featureCollection([a, b])));
    if (overlap >= 1) throw new Error(`${a.properties?.id} and ${b.properties?.id} overlap by ${overlap} m²`);
  }
  // …and together they cover the whole: nothing of the parent is left outside their union.
  const all = union(featureCollection(childF));
  const gap = areaOf(difference(featureCollection([parentF, all as Shape])));
  expect(gap).toBeLessThan(parentArea * 1e-6);
}

function expectInside(child: Area, parent: Area): void {
  const outside = areaOf(difference(featureCollection([toFeature(child), toFeature(parent)])));
  if (outside >= 1) throw new Error(`${child.id} sticks out of ${parent.id} by ${outside} m²`);
}

function expectTree(p: PresetData): void {
  const byId = new Map(p.areas.map((a) => [a.id, a]));
  expect(byId.size).toBe(p.areas.length);
  const roots = p.areas.filter((a) => a.parentId === null);
  expect(roots).toHaveLength(1);
  for (const a of p.areas) {
    expect(Area.safeParse(a).success).toBe(true);
    if (a.parentId !== null) {
      const parent = byId.get(a.parentId);
      expect(parent, `parent of ${a.id}`).toBeDefined();
      expect(LEVEL_BELOW[(parent as Area).level]).toBe(a.level);
      expect(a.code.startsWith((parent as Area).code)).toBe(true);
    }
    // Valid rings: none crosses itself.
    for (const ring of a.polygon) expect(kinks(polygon([ring])).features).toHaveLength(0);
    expect(booleanPointInPolygon(a.center, toFeature(a)), `center of ${a.id}`).toBe(true);
  }
}

const byLevel = (p: PresetData, level: AreaLevel): Area[] => p.areas.filter((a) => a.level === level);
const childrenOf = (p: PresetData, parent: Area): Area[] => p.areas.filter((a) => a.parentId === parent.id);

describe.each(['small', 'district'] as const)('%s preset geography (full check)', (name) => {
  const p = generatePreset(name, 20_250_303);
  const root = p.areas[0] as Area;

  it('is a tree: one root, each parent one level up, codes nested, centres inside', () => {
    expect(root.parentId).toBeNull();
    expect(root.level).toBe('district');
    expectTree(p);
  });

  it('grids tile the root with no gaps or overlaps', () => {
    expectTiles(root, byLevel(p, 'grid'));
  });

  it('streets tile the root and communities tile each street', () => {
    expectTiles(root, byLevel(p, 'street'));
    for (const street of byLevel(p, 'street')) expectTiles(street, childrenOf(p, street));
  });

  it('every child lies inside its parent', () => {
    const byId = new Map(p.areas.map((a) => [a.id, a]));
    for (const a of p.areas) if (a.parentId) expectInside(a, byId.get(a.parentId) as Area);
  });
});

describe('city preset geography (full tree, sampled geometry)', () => {
  const p = generatePreset('city', 7);
  const root = p.areas[0] as Area;
  const streets = byLevel(p, 'street');

  it('is a tree: one root, each parent one level up, codes nested, centres inside', () => {
    expect(root.level).toBe('city');
    expectTree(p);
  });

  it('grid areas sum to the root area and towns tile the root', () => {
    const rootArea = area(toFeature(root));
    const gridSum = byLevel(p, 'grid').reduce((s, g) => s + area(toFeature(g)), 0);
    expect(Math.abs(gridSum - rootArea) / rootArea).toBeLessThan(0.001);
    expectTiles(root, streets);
  });

  it('in a sample of towns, grids tile each community and communities tile the town', () => {
    // Four towns spread through the list: the full check of all 2,934 grids takes too long for a unit test.
    for (const street of [0, 9, 19, 31].map((i) => streets[i] as Area)) {
      const communities = childrenOf(p, street);
      expectTiles(street, communities);
      for (const community of communities) {
        expectInside(community, street);
        const grids = childrenOf(p, community);
        if (grids.length > 1) expectTiles(community, grids);
        for (const g of grids) expectInside(g, community);
      }
    }
  });
});
