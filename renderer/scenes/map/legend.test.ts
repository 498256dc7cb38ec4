import { describe, expect, it } from 'vitest';
import { MapSceneOptions } from '../../../protocol';
import { caseLite } from '../../../test/fixtures/caseLite';
import { caseStyle, markOf } from './caseMarks';
import { rimInner } from './dotLayer';
import { caseFeature } from './features';
import { type DrawnKinds, drawnCases, mapLegend, NOTHING_DRAWN } from './legend';
import { CAMERA_LOOK, CASE_LOOK, GRID_RAMPS, gridFill, WORKER_DOTS } from './mapStyle';

const everything: DrawnKinds = {
  cases: { open: true, warned: true, overdue: true, urgent: true, clusters: true, overdueClusters: true },
  workers: { on: true, off: true },
  cameras: { online: true, offline: true, fault: true },
};
const opts = (o: Partial<MapSceneOptions> = {}) => MapSceneOptions.parse(o);

describe('map legend', () => {
  it('lists every class of the measure with its range, in the colours the grids are filled with', () => {
    const legend = mapLegend(opts(), [3, 5, 8], NOTHING_DRAWN);
    expect(legend.title).toBe('map.measureOpen');
    expect(legend.classes).toEqual([
      { fill: GRID_RAMPS.open[0], range: '0–2' },
      { fill: GRID_RAMPS.open[1], range: '3–4' },
      { fill: GRID_RAMPS.open[2], range: '5–7' },
      { fill: GRID_RAMPS.open[3], range: '≥8' },
    ]);
    // The fill expression the grid layer gets uses the same colours by class.
    expect(gridFill('open')).toEqual([
      'match',
      ['coalesce', ['feature-state', 'l'], 0],
      1,
      GRID_RAMPS.open[1],
      2,
      GRID_RAMPS.open[2],
      3,
      GRID_RAMPS.open[3],
      GRID_RAMPS.open[0],
    ]);
    // No thresholds yet: no grid is coloured, and the legend claims no class.
    expect(mapLegend(opts(), null, NOTHING_DRAWN).classes).toEqual([]);
  });

  it('gives the overdue map its own title and its own ramp, no colour shared with the open map', () => {
    const legend = mapLegend(opts({ measure: 'overdue' }), [1, 2, 4], everything);
    expect(legend.title).toBe('map.measureOverdue');
    expect(legend.classes.map((c) => c.range)).toEqual(['0', '1', '2–3', '≥4']);
    expect(legend.classes.map((c) => c.fill)).toEqual([...GRID_RAMPS.overdue]);
    for (const c of GRID_RAMPS.overdue) expect(GRID_RAMPS.open).not.toContain(c);
  });

  it('lists only what the map draws: no case on a map that hides cases, no camera below their zoom', () => {
    const all = mapLegend(opts(), [3, 5, 8], everything).marks.map((m) => m.label);
    expect(all).toEqual([
      'map.legendCluster',
      'map.legendClusterOverdue',
      'map.legendOpen',
      'map.legendWarned',
      'map.legendOverdue',
      'map.legendUrgent',
      'map.legendWorkerOn',
      'map.legendWorkerOff',
      'map.legendCameraOnline',
      'map.legendCameraFault',
      'map.legendCameraOffline',
    ]);
    const noCases = mapLegend(opts({ showCases: false }), [3, 5, 8], everything).marks.map((m) => m.label);
    expect(noCases).toEqual([
      'map.legendWorkerOn',
      'map.legendWorkerOff',
      'map.legendCameraOnline',
      'map.legendCameraFault',
      'map.legendCameraOffline',
    ]);
    // A night: only off-duty workers drawn, clusters without any overdue case, no camera (overview zoom).
    const night = mapLegend(opts({ measure: 'overdue' }), [1, 2, 4], {
      ...NOTHING_DRAWN,
      cases: { ...NOTHING_DRAWN.cases, clusters: true },
      workers: { on: false, off: true },
    });
    expect(night.marks.map((m) => m.label)).toEqual(['map.legendCluster', 'map.legendWorkerOff']);
    expect(mapLegend(opts({ showWorkers: false, showCameras: false }), [3, 5, 8], everything).marks.length).toBe(6);
  });

  it('draws each mark in the look the map draws it: the urgent ring white on cases and clusters alike', () => {
    const marks = new Map(mapLegend(opts(), [3, 5, 8], everything).marks.map((m) => [m.label, m]));
    expect(marks.get('map.legendUrgent')?.look.stroke).toBe(CASE_LOOK.urgent.stroke);
    expect(marks.get('map.legendUrgent')?.look.strokeWidth).toBe(CASE_LOOK.urgent.strokeWidth);
    expect(marks.get('map.legendOverdue')?.look).toEqual(CASE_LOOK.overdue);
    expect(marks.get('map.legendCluster')?.look).toEqual(CASE_LOOK.cluster);
    expect(marks.get('map.legendCameraOffline')?.look).toEqual(CAMERA_LOOK.offline);
    // Workers: the dot layer's colours, its rim, its size at an overview (12 px across, rim included).
    const on = marks.get('map.legendWorkerOn')?.look;
    const off = marks.get('map.legendWorkerOff')?.look;
    expect(on?.fill).toBe(WORKER_DOTS.palette[0]);
    expect(off?.fill).toBe(WORKER_DOTS.palette[1]);
    expect(on?.fill).not.toBe(off?.fill);
    expect(2 * ((on?.radius ?? 0) + (on?.strokeWidth ?? 0))).toBe(12);
    // Off-duty workers (grey dots) and offline cameras (grey rings) are told apart.
    expect(off?.fill).not.toBe(CAMERA_LOOK.offline.fill);
  });

  it('reads what is drawn from the marks on screen', () => {
    const style = caseStyle();
    const base = caseLite({ id: 'c', priority: 'normal' });
    const cluster = (ov: number, ur: number) => ({
      type: 'Feature' as const,
      properties: { id: `cluster:${ov}${ur}`, cluster: true, point_count: 12, point_count_abbreviated: '12', ov, ur },
      geometry: { type: 'Point' as const, coordinates: [106.2, 38.5] },
    });
    expect(drawnCases([markOf(cluster(0, 0), style)])).toEqual({ ...NOTHING_DRAWN.cases, clusters: true });
    expect(drawnCases([markOf(cluster(2, 1), style)])).toEqual({
      ...NOTHING_DRAWN.cases,
      overdueClusters: true,
      urgent: true,
    });
    expect(
      drawnCases([
        markOf(caseFeature(base), style),
        markOf(caseFeature({ ...base, warned: true }), style),
        markOf(caseFeature({ ...base, overdue: true }), style),
      ]),
    ).toEqual({ ...NOTHING_DRAWN.cases, open: true, warned: true, overdue: true });
    expect(drawnCases([])).toEqual(NOTHING_DRAWN.cases);
  });
});

describe('worker dots', () => {
  it('are readable from across the room: at least 12 CSS px across with a rim, scaled by the canvas on 4K', () => {
    expect(2 * WORKER_DOTS.radius.px[0]).toBeGreaterThanOrEqual(12);
    expect(WORKER_DOTS.rimPx).toBeGreaterThan(0);
    // The rim is the same CSS width at 1080p (ratio 1) and 4K (ratio 2): the same share of the dot.
    expect(rimInner({ ...WORKER_DOTS, palette: [...WORKER_DOTS.palette] }, 12, 1)).toBeCloseTo(0.375);
    expect(rimInner({ ...WORKER_DOTS, palette: [...WORKER_DOTS.palette] }, 24, 2)).toBeCloseTo(0.375);
    expect(rimInner({ palette: ['#fff'], opacity: 1, radius: WORKER_DOTS.radius }, 12, 1)).toBe(0.5);
  });
});
