import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { CaseLevel, Category, Role } from '../protocol';
import { WorkingCalendarConfig } from '../protocol/calendar';
import { describeZodError } from '../protocol/common';
import { GridClassesConfig } from '../protocol/mapClasses';

/** Working minutes per stage. `handle` at the grid comes from the category; higher levels from `handleByLevel`. */
export const LimitsConfig = z.object({
  file: z.object({ urgent: z.number().positive(), normal: z.number().positive() }).default({ urgent: 10, normal: 30 }),
  dispatch: z
    .object({ urgent: z.number().positive(), normal: z.number().positive() })
    .default({ urgent: 10, normal: 30 }),
  verify: z.number().positive().default(60),
  close: z.number().positive().default(60),
  /** 金凤: 3 working days of community self-governance, then 4 days of joint enforcement. */
  handleByLevel: z
    .object({
      community: z.number().positive(),
      street: z.number().positive(),
      district: z.number().positive(),
    })
    .default({ community: 3 * 480, street: 3 * 480, district: 4 * 480 }),
  /** Urgent cases get this share of the handling limit. */
  urgentHandleFactor: z.number().positive().max(1).default(0.5),
  /** A warning at this share of a limit; overdue at 100 %. */
  warnRatio: z.number().gt(0).lt(1).default(0.8),
});
export type LimitsConfig = z.output<typeof LimitsConfig>;

export const UserConfig = z.object({
  username: z.string().min(1).max(64),
  role: Role,
  /** `scrypt$<salt hex>$<hash hex>`; never a plain password. */
  passwordHash: z.string().regex(/^scrypt\$[0-9a-f]+\$[0-9a-f]+$/),
  displayName: z.string().max(64).optional(),
});
export type UserConfig = z.infer<typeof UserConfig>;

/**
 * An operator's base map, served by this server from a local folder or file (no request leaves it):
 * XYZ raster tiles in `dir/{z}/{x}/{y}.{format}`, or one raster PMTiles archive. A relative path is
 * taken from the config file's folder.
 */
export const BaseMapConfig = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('xyz'),
    dir: z.string().min(1),
    format: z.enum(['png', 'jpg', 'jpeg', 'webp']).default('png'),
    tileSize: z.number().int().min(64).max(1024).default(256),
    minzoom: z.number().int().min(0).max(24).default(0),
    /** The deepest level in `dir`; the map scales those tiles up beyond it. */
    maxzoom: z.number().int().min(0).max(24).default(18),
  }),
  z.object({
    type: z.literal('pmtiles'),
    file: z
      .string()
      .min(1)
      .regex(/\.pmtiles$/),
  }),
]);
export type BaseMapConfig = z.output<typeof BaseMapConfig>;

export const ServerConfig = z.object({
  users: z.array(UserConfig).default([]),
  /** Open311 GeoReport v2 API keys. */
  apiKeys: z.array(z.object({ key: z.string().min(1), name: z.string() })).default([]),
  calendar: WorkingCalendarConfig.default(WorkingCalendarConfig.parse({})),
  limits: LimitsConfig.default(LimitsConfig.parse({})),
  /** Overrides the preset's categories when given. */
  categories: z.array(Category).optional(),
  /** Sensor categories filed and dispatched automatically; defaults to those marked autoDispatch. */
  autoDispatchCategories: z.array(z.string()).optional(),
  sessionHours: z.number().positive().default(12),
  /** How many events the log keeps for resuming clients; older `since` values get a snapshot. */
  eventRetention: z.number().int().positive().default(500_000),
  /** Cases that ended this long ago leave the snapshot. */
  snapshotClosedHours: z.number().positive().default(24),
  levels: z.array(CaseLevel).default(['grid', 'community', 'street', 'district']),
  /** KPIs (docs/kpis.md). */
  kpis: z
    .object({
      /**
       * The smallest denominator for which a rate is given: below it (3 cases due at 08:14) the rate
       * is null and a screen shows "—" with the count, not 0 % or 3.9 %.
       */
      minSample: z.number().int().min(1).max(100_000).default(20),
    })
    .default({ minSample: 20 }),
  /**
   * The map's grid colour classes per measure (open, overdue cases in a grid): absolute thresholds,
   * the same on every display and every day (GET /api/map; docs/map.md has the defaults and
   * how they were tuned).
   */
  gridClasses: GridClassesConfig.default(GridClassesConfig.parse({})),
  /** The base map under the grids on every wall and console (a layout's own `baseMap` wins). */
  baseMap: BaseMapConfig.optional(),
});
export type ServerConfig = z.output<typeof ServerConfig>;

export function loadConfig(path: string | undefined): ServerConfig {
  if (!path) return ServerConfig.parse({});
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new Error(
      code === 'ENOENT'
        ? `config file ${path} not found: pass --config with an existing file (without --config the demo config is used)`
        : `cannot read config file ${path} (${code ?? (err as Error).message}): make it readable for this user`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`config file ${path} is not valid JSON (${(err as Error).message.split('\n')[0]}): fix the file`);
  }
  const parsed = ServerConfig.safeParse(raw);
  if (!parsed.success) {
    // One line naming each field: `users.0.passwordHash: Invalid string…`.
    throw new Error(`config file ${path} is invalid, fix: ${describeZodError(parsed.error, '(the whole file)')}`);
  }
  const config = parsed.data;
  const base = config.baseMap;
  if (base?.type === 'xyz') base.dir = resolve(dirname(path), base.dir);
  if (base?.type === 'pmtiles') base.file = resolve(dirname(path), base.file);
  return config;
}
