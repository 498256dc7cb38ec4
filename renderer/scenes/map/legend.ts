import { type ClassSteps, classRanges, type GridMeasure, type MapSceneOptions, rangeLabel } from '../../../protocol';
import { CAMERA_LOOK, CASE_LOOK, GRID_RAMPS, type MarkLook, WORKER_DOTS, WORKER_OFF, WORKER_ON } from './mapStyle';

/**
 * The map's legend as data: exactly what the map draws now, in the colours and sizes it draws it
 * (mapStyle.ts, which the layers read too). The grid classes are the whole scale of the measure,
 * with each class's range of counts; the marks are those the map shows at this moment (a map that
 * hides its cases lists no case; cameras only from the zoom they are drawn at).
 */

/** What the map draws now, by kind: the controller reads it from its layers. */
export interface DrawnKinds {
  cases: {
    open: boolean;
    warned: boolean;
    overdue: boolean;
    urgent: boolean;
    clusters: boolean;
    /** Clusters that hold an overdue case (red). */
    overdueClusters: boolean;
  };
  workers: { on: boolean; off: boolean };
  cameras: { online: boolean; offline: boolean; fault: boolean };
}

export const NOTHING_DRAWN: DrawnKinds = {
  cases: { open: false, warned: false, overdue: false, urgent: false, clusters: false, overdueClusters: false },
  workers: { on: false, off: false },
  cameras: { online: false, offline: false, fault: false },
};

export type LegendLabel =
  | 'map.legendOpen'
  | 'map.legendWarned'
  | 'map.legendOverdue'
  | 'map.legendUrgent'
  | 'map.legendCluster'
  | 'map.legendClusterOverdue'
  | 'map.legendWorkerOn'
  | 'map.legendWorkerOff'
  | 'map.legendCameraOnline'
  | 'map.legendCameraOffline'
  | 'map.legendCameraFault';

export interface LegendMark {
  /** i18n key of its name. */
  label: LegendLabel;
  look: MarkLook;
  /** A count drawn in it (a cluster). */
  count?: string;
}

export interface LegendClass {
  fill: string;
  /** "0–2", "3–4", "≥8". */
  range: string;
}

export interface MapLegend {
  title: 'map.measureOpen' | 'map.measureOverdue';
  measure: GridMeasure;
  /** Calmest first; empty until the thresholds are known (no grid is coloured until then). */
  classes: LegendClass[];
  marks: LegendMark[];
}

export function mapLegend(options: MapSceneOptions, steps: ClassSteps | null, drawn: DrawnKinds): MapLegend {
  const ramp = GRID_RAMPS[options.measure];
  const classes = steps ? classRanges(steps).map((r, i) => ({ fill: ramp[i] ?? ramp[0], range: rangeLabel(r) })) : [];
  const marks: LegendMark[] = [];
  if (options.showCases) {
    const c = drawn.cases;
    if (c.clusters) marks.push({ label: 'map.legendCluster', look: CASE_LOOK.cluster, count: '12' });
    if (c.overdueClusters) {
      marks.push({ label: 'map.legendClusterOverdue', look: CASE_LOOK.clusterOverdue, count: '12' });
    }
    if (c.open) marks.push({ label: 'map.legendOpen', look: CASE_LOOK.open });
    if (c.warned) marks.push({ label: 'map.legendWarned', look: CASE_LOOK.warned });
    if (c.overdue) marks.push({ label: 'map.legendOverdue', look: CASE_LOOK.overdue });
    if (c.urgent) marks.push({ label: 'map.legendUrgent', look: { ...CASE_LOOK.open, ...CASE_LOOK.urgent } });
  }
  if (options.showWorkers) {
    const dot = (colour: number): MarkLook => {
      // The layer's radius at an overview includes its rim.
      const outer = WORKER_DOTS.radius.px[0];
      return {
        fill: WORKER_DOTS.palette[colour] ?? WORKER_DOTS.palette[0],
        stroke: WORKER_DOTS.rim,
        radius: outer - WORKER_DOTS.rimPx,
        strokeWidth: WORKER_DOTS.rimPx,
      };
    };
    if (drawn.workers.on) marks.push({ label: 'map.legendWorkerOn', look: dot(WORKER_ON) });
    if (drawn.workers.off) marks.push({ label: 'map.legendWorkerOff', look: dot(WORKER_OFF) });
  }
  if (options.showCameras) {
    if (drawn.cameras.online) marks.push({ label: 'map.legendCameraOnline', look: CAMERA_LOOK.online });
    if (drawn.cameras.fault) marks.push({ label: 'map.legendCameraFault', look: CAMERA_LOOK.fault });
    if (drawn.cameras.offline) marks.push({ label: 'map.legendCameraOffline', look: CAMERA_LOOK.offline });
  }
  return {
    title: options.measure === 'overdue' ? 'map.measureOverdue' : 'map.measureOpen',
    measure: options.measure,
    classes,
    marks,
  };
}

/** What the cases drawn now are, from the marks on screen (caseMarks.ts). */
export function drawnCases(
  marks: ReadonlyArray<{ cluster: boolean; severity: 0 | 1 | 2; urgent: boolean }>,
): DrawnKinds['cases'] {
  const out = { ...NOTHING_DRAWN.cases };
  for (const m of marks) {
    if (m.cluster) {
      if (m.severity === 2) out.overdueClusters = true;
      else out.clusters = true;
    } else if (m.severity === 2) out.overdue = true;
    else if (m.severity === 1) out.warned = true;
    else out.open = true;
    if (m.urgent) out.urgent = true;
  }
  return out;
}
