import { mercator, parseColour } from './dotLayer';
import { CASE_LOOK } from './mapStyle';

/**
 * The marks of the case layer (caseLayer.ts) as data: each case or cluster's circle and label, in
 * the colours, radii and strokes of the old circle and symbol layers, packed into the vertex arrays
 * the layer draws, and hit-tested for clicks.
 */
export type Rgba = [number, number, number, number];

/** One circle on the map, in CSS pixels, and the count drawn on it (clusters). */
export interface CaseMark {
  /** The feature's id: a case id, or a cluster's (`cluster:…`). */
  id: string;
  cluster: boolean;
  lng: number;
  lat: number;
  radius: number;
  strokeWidth: number;
  fill: Rgba;
  stroke: Rgba;
  label: string | null;
  /** Higher is drawn later (on top). */
  order: number;
  /** What it shows (for the legend): 0 in time, 1 near its deadline, 2 overdue (a cluster: any overdue in it). */
  severity: 0 | 1 | 2;
  /** An urgent case, or a cluster holding one. */
  urgent: boolean;
}

const NUMBER = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** Cluster radius by its count, as MapLibre's `step` expression had it. */
export function clusterRadius(count: number): number {
  return count >= 500 ? 30 : count >= 100 ? 24 : count >= 20 ? 18 : CASE_LOOK.cluster.radius;
}

/** Colours parsed once, not per feature (mapStyle.ts: the legend reads the same). */
export function caseStyle(look: typeof CASE_LOOK = CASE_LOOK) {
  const parsed = (css: string, opacity = 1): Rgba => {
    const [r, g, b, a] = parseColour(css);
    return [r, g, b, a * opacity];
  };
  return {
    cluster: parsed(look.cluster.fill, look.clusterOpacity),
    clusterOverdue: parsed(look.clusterOverdue.fill, look.clusterOpacity),
    clusterRim: parsed(look.cluster.stroke),
    open: parsed(look.open.fill),
    warned: parsed(look.warned.fill),
    overdue: parsed(look.overdue.fill),
    urgentStroke: parsed(look.urgent.stroke),
    rim: parsed(look.open.stroke),
  };
}
export type CaseStyle = ReturnType<typeof caseStyle>;

/**
 * A feature of {@link CaseClusters.features} as the map draws it (mapStyle.ts's CASE_LOOK). Clusters:
 * blue, red when they hold overdue cases (mapCases.ts clusters those apart), a white ring when any is
 * urgent, sized by count.
 * Cases: blue, amber when near their deadline, red when overdue; urgent ones larger with a white
 * ring, drawn over the rest.
 */
export function markOf(f: GeoJSON.Feature<GeoJSON.Point>, style: CaseStyle): CaseMark {
  const p = f.properties ?? {};
  const [lng = 0, lat = 0] = f.geometry.coordinates;
  const id = String(p.id);
  if (p.cluster === true) {
    const urgent = NUMBER(p.ur) > 0;
    const overdue = NUMBER(p.ov) > 0;
    return {
      id,
      cluster: true,
      lng,
      lat,
      radius: clusterRadius(NUMBER(p.point_count)),
      strokeWidth: urgent ? CASE_LOOK.urgent.strokeWidth : CASE_LOOK.cluster.strokeWidth,
      fill: overdue ? style.clusterOverdue : style.cluster,
      stroke: urgent ? style.urgentStroke : style.clusterRim,
      label: String(p.point_count_abbreviated ?? p.point_count),
      // Red clusters over blue ones.
      order: overdue ? 0.5 : 0,
      severity: overdue ? 2 : 0,
      urgent,
    };
  }
  const sv = NUMBER(p.sv) === 2 ? 2 : NUMBER(p.sv) === 1 ? 1 : 0;
  const urgent = p.u === 1;
  const look = sv === 2 ? CASE_LOOK.overdue : sv === 1 ? CASE_LOOK.warned : CASE_LOOK.open;
  return {
    id,
    cluster: false,
    lng,
    lat,
    radius: sv === 2 ? look.radius : urgent ? CASE_LOOK.urgentRadius : look.radius,
    strokeWidth: urgent ? CASE_LOOK.urgent.strokeWidth : look.strokeWidth,
    fill: sv === 2 ? style.overdue : sv === 1 ? style.warned : style.open,
    stroke: urgent ? style.urgentStroke : style.rim,
    label: null,
    // Cases over clusters; among cases, overdue and urgent over the rest (the old sort key).
    order: 1 + sv + 2 * (urgent ? 1 : 0),
    severity: sv,
    urgent,
  };
}

/** The marks in drawing order: stable within one order, so a redraw does not shuffle overlaps. */
export function sortMarks(marks: CaseMark[]): CaseMark[] {
  return marks
    .map((m, i) => [m, i] as const)
    .sort((a, b) => a[0].order - b[0].order || a[1] - b[1])
    .map(([m]) => m);
}

/** Per vertex: offset from the origin (2), corner (2), radius and stroke width (2), fill (4), stroke (4). */
export const CIRCLE_FLOATS = 14;
/** Per vertex: offset from the origin (2), pixel offset from the anchor (2), texture position (2). */
export const GLYPH_FLOATS = 6;
const CORNERS = [-1, -1, 1, -1, -1, 1, -1, 1, 1, -1, 1, 1] as const;

/** Two triangles per circle, a square around it that the fragment shader cuts round. */
export function packCircles(marks: readonly CaseMark[], origin: [number, number]): Float32Array {
  const out = new Float32Array(marks.length * 6 * CIRCLE_FLOATS);
  let o = 0;
  for (const m of marks) {
    const [x, y] = mercator(m.lng, m.lat);
    for (let v = 0; v < 6; v++) {
      out[o++] = x - origin[0];
      out[o++] = y - origin[1];
      out[o++] = CORNERS[v * 2] ?? 0;
      out[o++] = CORNERS[v * 2 + 1] ?? 0;
      out[o++] = m.radius;
      out[o++] = m.strokeWidth;
      out.set(m.fill, o);
      o += 4;
      out.set(m.stroke, o);
      o += 4;
    }
  }
  return out;
}

/** Where each character lies in the atlas, in device pixels. */
export interface GlyphAtlas {
  width: number;
  height: number;
  /** Glyph cells: x, width (the advance) in the atlas; every cell is `height` tall at y 0. */
  glyphs: Map<string, { x: number; w: number }>;
}

/** The labels' glyphs, centred on their circles, whole device pixels from the anchor (crisp text). */
export function packLabels(marks: readonly CaseMark[], origin: [number, number], atlas: GlyphAtlas): Float32Array {
  let chars = 0;
  for (const m of marks) chars += m.label?.length ?? 0;
  const out = new Float32Array(chars * 6 * GLYPH_FLOATS);
  let o = 0;
  const h = atlas.height;
  for (const m of marks) {
    if (!m.label) continue;
    const [x, y] = mercator(m.lng, m.lat);
    let width = 0;
    for (const ch of m.label) width += atlas.glyphs.get(ch)?.w ?? 0;
    let left = -Math.round(width / 2);
    const top = -Math.round(h / 2);
    for (const ch of m.label) {
      const g = atlas.glyphs.get(ch);
      if (!g) continue;
      for (let v = 0; v < 6; v++) {
        const cx = (CORNERS[v * 2] ?? 0) > 0 ? 1 : 0;
        const cy = (CORNERS[v * 2 + 1] ?? 0) > 0 ? 1 : 0;
        out[o++] = x - origin[0];
        out[o++] = y - origin[1];
        out[o++] = left + cx * g.w;
        out[o++] = top + cy * h;
        out[o++] = (g.x + cx * g.w) / atlas.width;
        out[o++] = cy;
      }
      left += g.w;
    }
  }
  return out.subarray(0, o);
}

/**
 * The topmost mark under a point (CSS pixels on the map's canvas), as a click sees it: the last one
 * drawn whose circle, rim included, holds the point.
 */
export function hitMark(
  marks: readonly CaseMark[],
  point: { x: number; y: number },
  project: (lng: number, lat: number) => { x: number; y: number },
): CaseMark | null {
  for (let i = marks.length - 1; i >= 0; i--) {
    const m = marks[i];
    if (!m) continue;
    const s = project(m.lng, m.lat);
    const reach = m.radius + m.strokeWidth;
    if ((s.x - point.x) ** 2 + (s.y - point.y) ** 2 <= reach * reach) return m;
  }
  return null;
}
