import { z } from 'zod';
import { CameraKind } from './cameras';

/**
 * A wall layout (`resources/layouts/<name>.json`): the displays of one wall, a grid of regions per
 * display and the scene in each region. The renderer designs every display on a fixed virtual canvas
 * and scales it to the window, so a layout means the same at 1920×1080 and at 3840×2160.
 */

export const LayoutName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/);
export type LayoutName = z.infer<typeof LayoutName>;

export const LayoutLanguage = z.enum(['zh-CN', 'en']);
export type LayoutLanguage = z.infer<typeof LayoutLanguage>;

/** Text that a layout shows (its title, a preset's name): data, in both UI languages. */
export const LocalizedText = z.object({ 'zh-CN': z.string().min(1).max(64), en: z.string().min(1).max(64) });
export type LocalizedText = z.infer<typeof LocalizedText>;

export const SceneKind = z.enum(['map', 'kpi', 'alerts', 'caseDetail', 'inspection', 'statusBar', 'video']);
export type SceneKind = z.infer<typeof SceneKind>;

export const KpiPanel = z.enum(['summary', 'rates', 'trend', 'sources', 'categories', 'ranking', 'overdue']);
export type KpiPanel = z.infer<typeof KpiPanel>;
export const KPI_PANELS: readonly KpiPanel[] = KpiPanel.options;

const Zoom = z.number().min(0).max(22);

export const MapSceneOptions = z.object({
  /** What colours the grid polygons. */
  measure: z.enum(['open', 'overdue']).default('open'),
  showCases: z.boolean().default(true),
  showWorkers: z.boolean().default(true),
  showCameras: z.boolean().default(true),
  /** Fixed view; without it the map fits the whole district. */
  center: z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]).optional(),
  zoom: Zoom.optional(),
  /** Fly to the focused case. */
  followFocus: z.boolean().default(true),
});
export type MapSceneOptions = z.infer<typeof MapSceneOptions>;

export const KpiSceneOptions = z.object({
  panels: z
    .array(KpiPanel)
    .min(1)
    .default([...KPI_PANELS]),
  /** Columns of the panel grid inside the region. */
  columns: z.number().int().min(1).max(4).default(3),
});
export type KpiSceneOptions = z.infer<typeof KpiSceneOptions>;

export const AlertsSceneOptions = z.object({ max: z.number().int().min(1).max(200).default(30) });
export type AlertsSceneOptions = z.infer<typeof AlertsSceneOptions>;

export const InspectionSceneOptions = z.object({
  /** Show only these kind codes; empty shows every kind. */
  kinds: z.array(z.string().max(32)).max(200).default([]),
});
export type InspectionSceneOptions = z.infer<typeof InspectionSceneOptions>;

/** The video wall (docs/video.md): a grid of camera tiles, linked to the focused case and to alarms. */
export const VideoSceneOptions = z.object({
  columns: z.number().int().min(1).max(6).default(3),
  rows: z.number().int().min(1).max(6).default(3),
  /** Most tiles decoding at once; the others show their last frame (decoders cost CPU and memory). */
  maxLive: z.number().int().min(1).max(36).default(9),
  /** Switch unpinned tiles to the cameras nearest a focused case, a sensor alarm or an urgent case. */
  linkage: z.boolean().default(true),
  /** Cameras farther than this from the place are not linked (metres). */
  linkRadiusMeters: z.number().positive().max(100_000).default(3000),
  /** Only these camera kinds; empty takes every kind. */
  kinds: z.array(CameraKind).max(4).default([]),
  /** Cameras shown before any linkage, in tile order; empty: the first online cameras. */
  cameraIds: z.array(z.string().min(1).max(64)).max(36).default([]),
  /** A tile whose picture has not moved for this long says "no signal" and reconnects. */
  stallSeconds: z.number().min(2).max(120).default(8),
  /** Seconds a tile over the decoder cap waits before it takes a turn to refresh its picture. */
  rotateSeconds: z.number().int().min(2).max(3600).default(15),
});
export type VideoSceneOptions = z.infer<typeof VideoSceneOptions>;

const EmptyOptions = z.object({});

const regionPlacement = {
  col: z.number().int().min(0).max(15),
  row: z.number().int().min(0).max(15),
  colSpan: z.number().int().min(1).max(16).default(1),
  rowSpan: z.number().int().min(1).max(16).default(1),
  title: LocalizedText.optional(),
};

export const Region = z.discriminatedUnion('scene', [
  z.object({ ...regionPlacement, scene: z.literal('map'), options: MapSceneOptions.prefault({}) }),
  z.object({ ...regionPlacement, scene: z.literal('kpi'), options: KpiSceneOptions.prefault({}) }),
  z.object({
    ...regionPlacement,
    scene: z.literal('alerts'),
    options: AlertsSceneOptions.prefault({}),
  }),
  z.object({ ...regionPlacement, scene: z.literal('caseDetail'), options: EmptyOptions.prefault({}) }),
  z.object({
    ...regionPlacement,
    scene: z.literal('inspection'),
    options: InspectionSceneOptions.prefault({}),
  }),
  z.object({ ...regionPlacement, scene: z.literal('statusBar'), options: EmptyOptions.prefault({}) }),
  z.object({ ...regionPlacement, scene: z.literal('video'), options: VideoSceneOptions.prefault({}) }),
]);
export type Region = z.infer<typeof Region>;
export type RegionInput = z.input<typeof Region>;

/** Relative sizes of the grid's columns or rows (like CSS `fr`); a number n means n equal tracks. */
const Tracks = z.union([z.number().int().min(1).max(16), z.array(z.number().positive().max(100)).min(1).max(16)]);

export const Preset = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/),
  name: LocalizedText.optional(),
  regions: z.array(Region).min(1).max(64),
});
export type Preset = z.infer<typeof Preset>;

export const Display = z
  .object({
    /** The display's index on the wall: `/wall?display=N`. */
    index: z.number().int().min(0).max(63),
    name: LocalizedText.optional(),
    columns: Tracks,
    rows: Tracks,
    /** The status bar across the top of the display (clock, connection, lag, counts). */
    header: z.boolean().default(true),
    /** What the display shows; more than one rotate on `rotateSeconds` (the wall's 预案 presets). */
    presets: z.array(Preset).min(1).max(16),
    rotateSeconds: z.number().int().min(5).max(86_400).nullable().default(null),
  })
  .superRefine((display, ctx) => {
    const cols = trackCount(display.columns);
    const rows = trackCount(display.rows);
    for (const preset of display.presets) {
      for (const [i, r] of preset.regions.entries()) {
        if (r.col + r.colSpan > cols || r.row + r.rowSpan > rows) {
          ctx.addIssue({
            code: 'custom',
            message: `region ${i} of preset ${preset.id} does not fit the ${cols}×${rows} grid`,
            path: ['presets', preset.id, 'regions', i],
          });
        }
      }
    }
  });
export type Display = z.infer<typeof Display>;

export const FocusPolicy = z.object({
  /** A newly raised urgent or critical alert moves the focus of the whole wall to its case. */
  urgentAlertTakesFocus: z.boolean().default(true),
  /** A focus chosen by a person is kept at least this long before an alert may take it. */
  holdSeconds: z.number().int().min(0).max(3600).default(60),
});
export type FocusPolicy = z.infer<typeof FocusPolicy>;

/** An operator's own base map under the grids (no request ever leaves the configured servers). */
export const BaseMap = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('xyz'),
    tiles: z.array(z.string().max(2048)).min(1).max(4),
    tileSize: z.number().int().default(256),
    minzoom: z.number().int().min(0).max(24).optional(),
    /** The deepest level the tile set has; the map scales its tiles up beyond it. */
    maxzoom: z.number().int().min(0).max(24).optional(),
  }),
  z.object({ type: z.literal('pmtiles'), url: z.string().max(2048) }),
]);
export type BaseMap = z.infer<typeof BaseMap>;

export const Layout = z
  .object({
    name: LayoutName,
    title: LocalizedText,
    language: LayoutLanguage.default('zh-CN'),
    /** The virtual canvas every display is designed on, scaled to its window. */
    canvas: z
      .object({ width: z.number().int().min(640).max(7680), height: z.number().int().min(360).max(4320) })
      .default({ width: 1920, height: 1080 }),
    /**
     * A window much larger than the canvas (3840×2160 for a 1920×1080 canvas, from `fromScale`×)
     * lays the display out on a larger canvas instead of scaling the same picture up: type, lines
     * and paddings grow `typeScale`×, and the regions gain the rest (more rows in lists, more map,
     * more alerts). 1.5 keeps text as tall as 24 px on a 55" 1080p panel on a 4K panel of 75" or
     * more; 2 (or null) shows a 4K panel the 1080p picture at 2×. Smaller windows are untouched.
     */
    largeScreen: z
      .object({
        fromScale: z.number().min(1).max(8).default(1.75),
        typeScale: z.number().min(1).max(8).default(1.5),
      })
      .nullable()
      .default({ fromScale: 1.75, typeScale: 1.5 }),
    focus: FocusPolicy.prefault({}),
    baseMap: BaseMap.nullable().default(null),
    /** How the displays hang on the wall, filled row by row in `displays` order (for the preview). */
    arrangement: z
      .object({ columns: z.number().int().min(1).max(16), rows: z.number().int().min(1).max(16) })
      .optional(),
    displays: z.array(Display).min(1).max(64),
  })
  .superRefine((layout, ctx) => {
    const seen = new Set<number>();
    for (const d of layout.displays) {
      if (seen.has(d.index)) ctx.addIssue({ code: 'custom', message: `display ${d.index} twice`, path: ['displays'] });
      seen.add(d.index);
    }
  });
export type Layout = z.infer<typeof Layout>;
export type LayoutInput = z.input<typeof Layout>;

export function trackCount(tracks: number | readonly number[]): number {
  return typeof tracks === 'number' ? tracks : tracks.length;
}

/** Track sizes as weights: `3` → `[1, 1, 1]`. */
export function trackWeights(tracks: number | readonly number[]): number[] {
  return typeof tracks === 'number' ? Array.from({ length: tracks }, () => 1) : [...tracks];
}
