import { describe, expect, it } from 'vitest';
import theme from '../../../resources/map/theme.json';
import { caseLite } from '../../../test/fixtures/caseLite';
import { abbreviate, CaseClusters } from './caseClusters';
import { CaseLayer } from './caseLayer';
import {
  type CaseMark,
  CIRCLE_FLOATS,
  caseStyle,
  clusterRadius,
  GLYPH_FLOATS,
  type GlyphAtlas,
  hitMark,
  markOf,
  packCircles,
  packLabels,
  sortMarks,
} from './caseMarks';
import { mercator, parseColour } from './dotLayer';
import { caseFeature } from './features';
import { CASE_LOOK } from './mapStyle';

const style = caseStyle();

const cluster = (id: string, count: number, ov: number, ur: number, lng = 106.2, lat = 38.5) => ({
  type: 'Feature' as const,
  properties: { id, cluster: true, point_count: count, point_count_abbreviated: abbreviate(count), ov, ur },
  geometry: { type: 'Point' as const, coordinates: [lng, lat] },
});

describe('case marks', () => {
  it('draws clusters and cases in the looks the legend shows (mapStyle.ts)', () => {
    const plain = markOf(cluster('cluster:12:1', 19, 0, 0), style);
    expect(plain).toMatchObject({ cluster: true, radius: 14, strokeWidth: 2, label: '19', severity: 0, urgent: false });
    expect(plain.fill).toEqual([...parseColour(CASE_LOOK.cluster.fill).slice(0, 3), CASE_LOOK.clusterOpacity]);
    expect(plain.stroke).toEqual(parseColour(CASE_LOOK.cluster.stroke));
    const hot = markOf(cluster('cluster:12:2', 1234, 3, 1), style);
    expect(hot).toMatchObject({ radius: 30, strokeWidth: 3, label: '1.2k', severity: 2, urgent: true });
    expect(hot.fill.slice(0, 3)).toEqual(parseColour(CASE_LOOK.clusterOverdue.fill).slice(0, 3));
    // The urgent ring is the same white on a cluster as on a case, and as in the legend.
    expect(hot.stroke).toEqual(parseColour(CASE_LOOK.urgent.stroke));
    expect([19, 20, 99, 100, 499, 500].map(clusterRadius)).toEqual([14, 18, 18, 24, 24, 30]);

    const base = caseLite({ id: 'c1', status: 'accepted', priority: 'normal' });
    const open = markOf(caseFeature(base), style);
    expect(open).toMatchObject({ id: 'c1', cluster: false, radius: 6, strokeWidth: 1.5, label: null, severity: 0 });
    expect(open.fill).toEqual(parseColour(CASE_LOOK.open.fill));
    // Every status in time is one colour: the map says in time, near the deadline or overdue.
    for (const status of ['reported', 'filed', 'dispatched', 'handled', 'returned', 'suspended'] as const) {
      expect(markOf(caseFeature({ ...base, status }), style).fill).toEqual(open.fill);
    }
    const urgent = markOf(caseFeature({ ...base, priority: 'urgent' }), style);
    expect(urgent).toMatchObject({ radius: 8, strokeWidth: 3, urgent: true });
    expect(urgent.stroke).toEqual(parseColour(theme.urgentStroke));
    const warned = markOf(caseFeature({ ...base, warned: true }), style);
    expect(warned).toMatchObject({ severity: 1 });
    expect(warned.fill).toEqual(parseColour(theme.warned));
    const overdue = markOf(caseFeature({ ...base, overdue: true, warned: true }), style);
    expect(overdue).toMatchObject({ radius: 9, severity: 2 });
    expect(overdue.fill).toEqual(parseColour(theme.overdue));
  });

  it('draws cases over clusters and urgent or overdue cases over the rest, keeping the order within each', () => {
    const base = caseLite({ id: 'x', priority: 'normal' });
    const feats = [
      caseFeature({ ...base, id: 'urgent-overdue', priority: 'urgent', overdue: true }),
      caseFeature({ ...base, id: 'urgent', priority: 'urgent' }),
      caseFeature({ ...base, id: 'plain-1' }),
      cluster('cluster:1', 30, 0, 0),
      caseFeature({ ...base, id: 'overdue', overdue: true }),
      caseFeature({ ...base, id: 'plain-2' }),
    ];
    expect(sortMarks(feats.map((f) => markOf(f, style))).map((m) => m.id)).toEqual([
      'cluster:1',
      'plain-1',
      'plain-2',
      // The old sort key (severity + 2 × urgency) ties these two: they keep the order they came in.
      'urgent',
      'overdue',
      'urgent-overdue',
    ]);
  });
});

describe('case layer buffers', () => {
  const marks: CaseMark[] = [
    markOf(cluster('cluster:a', 250, 1, 0, 106.21, 38.49), style),
    markOf(caseFeature(caseLite({ id: 'c1', lng: 106.25, lat: 38.47 })), style),
  ];
  const origin = mercator(106.2, 38.5);

  it('packs two triangles a circle around its place, with its size and colours', () => {
    const data = packCircles(marks, origin);
    expect(data.length).toBe(2 * 6 * CIRCLE_FLOATS);
    const [mx, my] = mercator(106.25, 38.47);
    const corners = new Set<string>();
    for (let v = 6; v < 12; v++) {
      const o = v * CIRCLE_FLOATS;
      expect((data[o] ?? 0) + origin[0]).toBeCloseTo(mx, 7);
      expect((data[o + 1] ?? 0) + origin[1]).toBeCloseTo(my, 7);
      corners.add(`${data[o + 2]},${data[o + 3]}`);
      expect([data[o + 4], data[o + 5]]).toEqual([6, 1.5]);
      expect(Array.from(data.subarray(o + 6, o + 10))).toEqual(marks[1]?.fill.map(Math.fround));
    }
    // Two triangles over the four corners of the square.
    expect([...corners].sort()).toEqual(['-1,-1', '-1,1', '1,-1', '1,1']);
  });

  it('centres a cluster’s count on it in whole device pixels, one quad per character', () => {
    const atlas: GlyphAtlas = {
      width: 100,
      height: 21,
      glyphs: new Map([
        ['2', { x: 0, w: 9 }],
        ['5', { x: 10, w: 9 }],
        ['0', { x: 20, w: 10 }],
      ]),
    };
    const data = packLabels(marks, origin, atlas);
    // "250": three glyphs; the single case has no label.
    expect(data.length).toBe(3 * 6 * GLYPH_FLOATS);
    const xs: number[] = [];
    const ys: number[] = [];
    for (let v = 0; v < 18; v++) {
      xs.push(data[v * GLYPH_FLOATS + 2] ?? Number.NaN);
      ys.push(data[v * GLYPH_FLOATS + 3] ?? Number.NaN);
    }
    // 28 px wide in all: from -14 to 14; 21 px tall: from -11 to 10 (whole pixels).
    expect(Math.min(...xs)).toBe(-14);
    expect(Math.max(...xs)).toBe(14);
    expect(Math.min(...ys)).toBe(-11);
    expect(Math.max(...ys)).toBe(10);
    for (const n of [...xs, ...ys]) expect(Number.isInteger(n)).toBe(true);
    // The "5" quad samples its own cell of the atlas.
    const us = new Set<number>();
    for (let v = 6; v < 12; v++) us.add(Math.round((data[v * GLYPH_FLOATS + 4] ?? 0) * 100));
    expect([...us].sort((a, b) => a - b)).toEqual([10, 19]);
  });

  it('finds the topmost mark under a point, its rim included, and nothing beside it', () => {
    // A flat projection: one CSS pixel per 1e-4 degree.
    const project = (lng: number, lat: number) => ({ x: (lng - 106.2) * 1e4, y: (38.5 - lat) * 1e4 });
    const stacked: CaseMark[] = sortMarks([
      markOf(cluster('cluster:b', 50, 0, 0, 106.201, 38.5), style),
      markOf(caseFeature(caseLite({ id: 'on-top', lng: 106.2012, lat: 38.5 })), style),
    ]);
    expect(hitMark(stacked, { x: 12, y: 0 }, project)?.id).toBe('on-top');
    // 18 px radius and a 2 px rim: 20 px from the cluster's centre is still the cluster.
    expect(hitMark(stacked, { x: 10, y: 20 }, project)?.id).toBe('cluster:b');
    expect(hitMark(stacked, { x: 10, y: 20.5 }, project)).toBeNull();
  });

  it('takes what the clusters give for a view', () => {
    const clusters = new CaseClusters({ radiusPx: 42, maxZoom: 14 });
    for (let i = 0; i < 40; i++) clusters.set(caseLite({ id: `k${i}`, lng: 106.2 + i * 1e-5, lat: 38.5 }));
    clusters.setZoom(11);
    const drawn = sortMarks(clusters.features([106, 38, 107, 39]).map((f) => markOf(f, style)));
    expect(drawn).toHaveLength(1);
    expect(drawn[0]).toMatchObject({ cluster: true, label: '40', radius: 18 });
  });
});

describe('CaseLayer on a 4K canvas', () => {
  it('grows the clusters with their counts by the type factor, and leaves single cases as they are', () => {
    const k = 4 / 3;
    const point = (id: string, lng: number, properties: Record<string, unknown>): GeoJSON.Feature<GeoJSON.Point> => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [lng, 30] },
      properties: { id, ...properties },
    });
    const features = [
      point('cluster:1', 106, { cluster: true, point_count: 19, point_count_abbreviated: '19', ov: 0, ur: 0 }),
      point('c1', 106.1, { sv: 0, u: 0 }),
    ];
    const plain = new CaseLayer('cases', 'sans-serif');
    plain.set(features);
    const big = new CaseLayer('cases', 'sans-serif', k);
    big.set(features);
    const radius = (l: CaseLayer, id: string) => l.current.find((m) => m.id === id)?.radius ?? 0;
    expect(radius(big, 'cluster:1')).toBeCloseTo(radius(plain, 'cluster:1') * k);
    expect(radius(big, 'c1')).toBe(radius(plain, 'c1'));
  });
});
