import { describe, expect, it } from 'vitest';
import type { CaseLite } from '../../../protocol/lite';
import { caseLite } from '../../../test/fixtures/caseLite';
import { abbreviate, type Bounds, CaseClusters } from './caseClusters';
import { mercator, unmercator } from './dotLayer';

const WORLD: Bounds = [-180, -85, 180, 85];
const options = { radiusPx: 42, maxZoom: 14 };

function lite(id: string, lng: number, lat: number, more: Partial<CaseLite> = {}): CaseLite {
  return caseLite({ id, lng, lat, status: 'filed', ...more });
}

/** A deterministic stream of numbers in 0..1. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

/** What the map gets, in an order-free form: clusters by count and flags, cases by id and look. */
function summary(features: GeoJSON.Feature[]): string[] {
  return features
    .map((f) => {
      const p = f.properties ?? {};
      const [lng, lat] = (f.geometry as GeoJSON.Point).coordinates;
      return p.cluster
        ? `cluster ${p.point_count} ov${p.ov} ur${p.ur} @${lng?.toFixed(6)},${lat?.toFixed(6)}`
        : `case ${p.id} ${p.st} ${p.sv} ${p.u}`;
    })
    .sort();
}

describe('case clusters', () => {
  it('groups nearby cases into one cluster with its overdue and urgent counts, and draws them alone past the last clustering level', () => {
    const clusters = new CaseClusters(options);
    clusters.setZoom(11);
    // Ten cases within ~50 m: one cell at any zoom up to 14.
    for (let i = 0; i < 10; i++) {
      clusters.set(
        lite(`c${i}`, 106.2 + i * 0.0001, 38.5, { overdue: i < 3, priority: i === 9 ? 'urgent' : 'normal' }),
      );
    }
    const [cluster, ...rest] = clusters.features(WORLD);
    expect(rest).toEqual([]);
    expect(cluster?.properties).toMatchObject({ cluster: true, point_count: 10, ov: 3, ur: 1 });

    expect(clusters.setZoom(15.4)).toBe(true);
    const alone = clusters.features(WORLD);
    expect(alone).toHaveLength(10);
    expect(alone.every((f) => f.properties?.point_count === undefined)).toBe(true);
    expect(alone.find((f) => f.properties?.id === 'c0')?.properties).toMatchObject({ sv: 2, u: 0, st: 'filed' });
    // Another fraction of the same level re-bins nothing.
    expect(clusters.setZoom(15.9)).toBe(false);
  });

  it('after any sequence of adds, moves, status changes and removals shows what a fresh load of the same cases shows', () => {
    const next = random(7);
    const live = new CaseClusters(options);
    live.setZoom(12.3);
    const now = new Map<string, CaseLite>();
    const place = () => [106.1 + next() * 0.3, 38.4 + next() * 0.2] as const;
    for (let i = 0; i < 3000; i++) {
      const [lng, lat] = place();
      const c = lite(`c${i}`, lng, lat);
      now.set(c.id, c);
      live.set(c);
    }
    for (let step = 0; step < 5000; step++) {
      const id = `c${Math.floor(next() * 3500)}`;
      const r = next();
      if (r < 0.2) {
        live.remove(id);
        now.delete(id);
      } else {
        const [lng, lat] = r < 0.6 ? place() : [now.get(id)?.lng ?? 106.2, now.get(id)?.lat ?? 38.5];
        const c = lite(id, lng, lat, {
          overdue: next() < 0.2,
          warned: next() < 0.3,
          priority: next() < 0.1 ? 'urgent' : 'normal',
          status: next() < 0.5 ? 'dispatched' : 'filed',
        });
        now.set(id, c);
        live.set(c);
      }
      // The wall zooms now and then: the cells are rebuilt for the new level.
      if (step === 2500) live.setZoom(13.1);
    }
    const fresh = new CaseClusters(options);
    fresh.setZoom(13.5);
    for (const c of now.values()) fresh.set(c);
    expect(live.size).toBe(now.size);
    expect(summary(live.features(WORLD))).toEqual(summary(fresh.features(WORLD)));
    const counted = live
      .features(WORLD)
      .reduce((n, f) => n + (typeof f.properties?.point_count === 'number' ? f.properties.point_count : 1), 0);
    expect(counted).toBe(now.size);
  });

  it('says whether a change shows on the map: a comment or an assignee does not, a move, a status or an overdue does', () => {
    const clusters = new CaseClusters(options);
    clusters.setZoom(12);
    const c = lite('c1', 106.2, 38.5);
    expect(clusters.set(c)).toBe(true);
    expect(clusters.set({ ...c, assignee: '王霞东', version: 2, updatedAt: 5 })).toBe(false);
    expect(clusters.set({ ...c, status: 'dispatched' })).toBe(true);
    expect(clusters.set({ ...c, status: 'dispatched', overdue: true })).toBe(true);
    clusters.set(lite('c2', 106.2001, 38.5));
    expect(clusters.features(WORLD)[0]?.properties).toMatchObject({ point_count: 2, ov: 1 });
    expect(clusters.set({ ...c, status: 'dispatched', lng: 106.3 })).toBe(true);
    expect(clusters.remove('c1')).toBe(true);
    expect(clusters.remove('c1')).toBe(false);
  });

  it('sends only what is within the bounds', () => {
    const clusters = new CaseClusters(options);
    clusters.setZoom(12);
    clusters.set(lite('in', 106.2, 38.5));
    clusters.set(lite('out', 107.5, 38.5));
    const ids = clusters.features([106.0, 38.3, 106.4, 38.7]).map((f) => f.properties?.id);
    expect(ids).toEqual(['in']);
  });

  it('draws cases that crowd the corner where four cells meet as one cluster there, not four on top of each other', () => {
    const clusters = new CaseClusters(options);
    clusters.setZoom(12);
    const px = 512 * 2 ** 12;
    const cell = 84 / px;
    const [ox, oy] = mercator(106.2, 38.5);
    const corners: [number, number][] = [];
    // Around each of 25 cell corners, three cases in each of the four cells that meet there.
    let n = 0;
    for (let i = 0; i < 5; i++) {
      for (let j = 0; j < 5; j++) {
        const cx = (Math.floor(ox / cell) + 3 * i) * cell;
        const cy = (Math.floor(oy / cell) + 3 * j) * cell;
        corners.push([cx, cy]);
        for (const [dx, dy] of [
          [1, 1],
          [1, -1],
          [-1, 1],
          [-1, -1],
        ] as const) {
          for (let k = 1; k <= 3; k++) {
            const [lng, lat] = unmercator(cx + dx * k * 0.01 * cell, cy + dy * k * 0.01 * cell);
            clusters.set(lite(`c${n++}`, lng, lat));
          }
        }
      }
    }
    const drawn = clusters.features(WORLD);
    expect(drawn).toHaveLength(25);
    for (const f of drawn) {
      expect(f.properties?.point_count).toBe(12);
      const [x, y] = mercator(...((f.geometry as GeoJSON.Point).coordinates as [number, number]));
      const nearest = Math.min(...corners.map(([cx, cy]) => Math.hypot(cx - x, cy - y) * px));
      expect(nearest).toBeLessThan(1);
    }
  });

  it('keeps what it draws apart: over dense random cases, no two centres closer than half the radius', () => {
    const next = random(11);
    const clusters = new CaseClusters(options);
    clusters.setZoom(12);
    for (let i = 0; i < 5000; i++) clusters.set(lite(`c${i}`, 106.1 + next() * 0.3, 38.4 + next() * 0.2));
    const drawn = clusters.features(WORLD);
    const total = drawn.reduce(
      (s, f) => s + (typeof f.properties?.point_count === 'number' ? f.properties.point_count : 1),
      0,
    );
    expect(total).toBe(5000);
    const centres = drawn.map((f) => mercator(...((f.geometry as GeoJSON.Point).coordinates as [number, number])));
    const px = 512 * 2 ** 12;
    let nearest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < centres.length; i++) {
      for (let j = i + 1; j < centres.length; j++) {
        const [ax = 0, ay = 0] = centres[i] ?? [];
        const [bx = 0, by = 0] = centres[j] ?? [];
        nearest = Math.min(nearest, Math.hypot(ax - bx, ay - by) * px);
      }
    }
    expect(nearest).toBeGreaterThanOrEqual(21);
  });

  it('names the zoom at which a cluster comes apart, and nothing for an id that is no cluster now', () => {
    const clusters = new CaseClusters(options);
    clusters.setZoom(10);
    // ~90 m apart east–west: one cell at level 10, apart before level 15.
    clusters.set(lite('a', 106.2, 38.5));
    clusters.set(lite('b', 106.201, 38.5));
    const [cluster] = clusters.features(WORLD);
    const id = String(cluster?.properties?.id);
    const zoom = clusters.expansionZoom(id);
    expect(zoom).not.toBeNull();
    // At that level the two are in two cells (two features); one level less they are still together.
    const at = (z: number) => {
      const c = new CaseClusters(options);
      c.setZoom(z);
      c.set(lite('a', 106.2, 38.5));
      c.set(lite('b', 106.201, 38.5));
      return c.features(WORLD).length;
    };
    expect(at(zoom ?? 0)).toBe(2);
    expect(at((zoom ?? 0) - 1)).toBe(1);
    // Cases on one spot never come apart by zooming: the first level that draws them alone.
    const same = new CaseClusters(options);
    same.setZoom(10);
    same.set(lite('x', 106.2, 38.5));
    same.set(lite('y', 106.2, 38.5));
    expect(same.expansionZoom(String(same.features(WORLD)[0]?.properties?.id))).toBe(15);
    // A case's id, an id of another level, nonsense: not clusters.
    expect(clusters.expansionZoom('a')).toBeNull();
    clusters.setZoom(11);
    expect(clusters.expansionZoom(id)).toBeNull();
  });

  it('abbreviates counts as MapLibre does', () => {
    expect([7, 999, 1234, 9950, 12_345].map(abbreviate)).toEqual(['7', '999', '1.2k', '10k', '12k']);
  });
});
