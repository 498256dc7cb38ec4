import { mercator, parseColour } from './dotLayer';

/**
 * The marks of the case layer (caseLayer.ts) as data: each case or cluster's circle and label, in
 * the colours, radii and strokes of the old circle and symbol layers, packed into the vertex arrays
 * the layer draws, and hit-tested for clicks.
 */
export type Rgba = [number, number, number, number];

export interface CaseTheme {
  case: Record<string, string>;
  warned: string;
  overdue: string;
  urgentStroke: string;
  cluster: string;
  clusterOverdue: string;
}

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
}

const STATUS_FILL: Record<string, keyof CaseTheme['case']> = {
  reported: 'reported',
  filed: 'filed',
  dispatched: 'filed',
  accepted: 'accepted',
  handled: 'accepted',
  verified: 'verified',
  returned: 'returned',
};

const NUMBER = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** Cluster radius by its count, as MapLibre's `step` expression had it. */
export function clusterRadius(count: number): number {
  return count >= 500 ? 30 : count >= 100 ? 24 : count >= 20 ? 18 : 14;
}

/** Colours parsed once per theme, not per feature. */
export function caseStyle(theme: CaseTheme) {
  const parsed = (css: string, opacity = 1): Rgba => {
    const [r, g, b, a] = parseColour(css);
    return [r, g, b, a * opacity];
  };
  const byStatus = new Map(Object.entries(theme.case).map(([k, css]) => [k, parsed(css)]));
  const other = parsed(theme.case.other ?? '#8b98ad');
  return {
    cluster: parsed(theme.cluster, 0.85),
    clusterOverdue: parsed(theme.clusterOverdue, 0.85),
    clusterRim: parsed('rgba(255, 255, 255, 0.6)'),
    warned: parsed(theme.warned),
    overdue: parsed(theme.overdue),
    urgentStroke: parsed(theme.urgentStroke),
    rim: parsed('#06142b'),
    status: (st: string): Rgba => byStatus.get(STATUS_FILL[st] ?? 'other') ?? other,
  };
}
export type CaseStyle = ReturnType<typeof caseStyle>;

/**
 * A feature of {@link CaseClusters.features} as the map draws it. Clusters: blue, red when any case
 * in them is overdue, an amber rim when any is urgent, sized by count. Cases: coloured by status,
 * amber when warned and red when overdue; urgent ones larger with a white rim, drawn over the rest.
 */
export function markOf(f: GeoJSON.Feature<GeoJSON.Point>, style: CaseStyle): CaseMark {
  const p = f.properties ?? {};
  const [lng = 0, lat = 0] = f.geometry.coordinates;
  const id = String(p.id);
  if (p.cluster === true) {
    const urgent = NUMBER(p.ur) > 0;
    return {
      id,
      cluster: true,
      lng,
      lat,
      radius: clusterRadius(NUMBER(p.point_count)),
      strokeWidth: urgent ? 3 : 1.5,
      fill: NUMBER(p.ov) > 0 ? style.clusterOverdue : style.cluster,
      stroke: urgent ? style.warned : style.clusterRim,
      label: String(p.point_count_abbreviated ?? p.point_count),
      order: 0,
    };
  }
  const sv = NUMBER(p.sv);
  const urgent = p.u === 1;
  return {
    id,
    cluster: false,
    lng,
    lat,
    radius: sv === 2 ? 9 : urgent ? 8 : 5.5,
    strokeWidth: urgent ? 2.5 : 1,
    fill: sv === 2 ? style.overdue : sv === 1 ? style.warned : style.status(String(p.st)),
    stroke: urgent ? style.urgentStroke : style.rim,
    label: null,
    // Cases over clusters; among cases, overdue and urgent over the rest (the old sort key).
    order: 1 + sv + 2 * (urgent ? 1 : 0),
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
