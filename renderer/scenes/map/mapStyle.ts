import type { ExpressionSpecification } from 'maplibre-gl';
import type { GridMeasure } from '../../../protocol';
import theme from '../../../resources/map/theme.json';

/**
 * How the wall's map draws what it draws, in one place: the layers read these and the legend
 * (legend.ts) reads the same, so the legend cannot show a colour or a size the map does not.
 * Sizes are CSS pixels of the layout's canvas (1920×1080); the map's pixel ratio scales them on 4K.
 */

/** The map's own background (resources/map/base-style.json): what a translucent class colour is seen over. */
export const MAP_BACKGROUND = '#06142b';

export type Ramp = readonly [string, string, string, string];

/** The grid fill of each class, calmest first: blues to yellow for open cases, purples to magenta for overdue ones. */
export const GRID_RAMPS: Readonly<Record<GridMeasure, Ramp>> = {
  open: theme.gridClasses.open as unknown as Ramp,
  overdue: theme.gridClasses.overdue as unknown as Ramp,
};

/** A grid's fill from its class (feature-state `l`, 0–3). */
export function gridFill(measure: GridMeasure): ExpressionSpecification {
  const ramp = GRID_RAMPS[measure];
  return ['match', ['coalesce', ['feature-state', 'l'], 0], 1, ramp[1], 2, ramp[2], 3, ramp[3], ramp[0]];
}

/** A round mark: what a dot, a case or a cluster looks like at the map's usual zoom. */
export interface MarkLook {
  fill: string;
  stroke: string;
  /** Radius of the fill, CSS px. */
  radius: number;
  strokeWidth: number;
}

/**
 * Grid workers: dots readable from 5 m, a dark rim against any grid colour; on duty bright green,
 * off duty grey (where the worker's handset last reported; the simulator puts them at their grid's base).
 */
export const WORKER_DOTS = {
  palette: [theme.worker, theme.workerOff] as const,
  opacity: 1,
  rim: theme.rim,
  rimPx: 1.5,
  /** Radius by zoom, rim included: 12 px across at a district's overview, 16 px close up. */
  radius: { zoom: [10, 15] as [number, number], px: [6, 8] as [number, number] },
};
export const WORKER_ON = 0;
export const WORKER_OFF = 1;

/** Cameras are drawn from this zoom on (a district overview would be a carpet of them). */
export const CAMERA_MIN_ZOOM = 12;
export const CAMERA_LOOK: Readonly<Record<'online' | 'offline' | 'fault', MarkLook>> = {
  // Smaller than a worker's dot; cyan, a colour neither ramp has.
  online: { fill: theme.camera.online, stroke: theme.rim, radius: 3.5, strokeWidth: 1 },
  // Offline: a hollow grey ring, told apart from an off-duty worker's grey dot.
  offline: { fill: theme.rim, stroke: theme.camera.offline, radius: 2.5, strokeWidth: 2 },
  fault: { fill: theme.camera.fault, stroke: theme.rim, radius: 3.5, strokeWidth: 1 },
};

/**
 * Cases and clusters (caseMarks.ts draws them with these). A case is blue, amber when near its
 * deadline, red when overdue; an urgent one has a white ring, a cluster holding an urgent case too.
 * A cluster is blue, red when it holds an overdue case, with its count.
 */
export const CASE_LOOK = {
  open: { fill: theme.caseOpen, stroke: theme.rim, radius: 6, strokeWidth: 1.5 },
  warned: { fill: theme.warned, stroke: theme.rim, radius: 6, strokeWidth: 1.5 },
  overdue: { fill: theme.overdue, stroke: theme.rim, radius: 9, strokeWidth: 1.5 },
  /** The ring an urgent case or cluster gets, instead of its rim. */
  urgent: { stroke: theme.urgentStroke, strokeWidth: 3 },
  /** An urgent case is drawn larger. */
  urgentRadius: 8,
  cluster: { fill: theme.cluster, stroke: theme.rim, radius: 14, strokeWidth: 2 },
  clusterOverdue: { fill: theme.clusterOverdue, stroke: theme.rim, radius: 14, strokeWidth: 2 },
  clusterOpacity: 0.9,
} as const;
