import { z } from 'zod';
import { Id, Timestamp } from './common';

/**
 * A rate in [0, 1], or null when its denominator is below the server's `kpis.minSample` (20 by
 * default; 0 included): the figure beside it carries the denominator, so a screen shows "— (3 件)".
 */
const Rate = z.number().min(0).max(1).nullable();
const Count = z.number().int().nonnegative();

export const KpiPeriod = z.object({ from: Timestamp, to: Timestamp });
export type KpiPeriod = z.infer<typeof KpiPeriod>;

/**
 * The named periods of `GET /api/kpis?period=` and of a tour step's `kpiPeriod`, local to the
 * calendar's time zone. Running: `today`, `week` (Monday to Monday), `month`. Closed: `yesterday`,
 * `lastWeek`, `lastMonth`. Rolling, ending now: `rolling7` (7 × 24 h), `rolling30` (30 × 24 h).
 */
export const KpiPeriodName = z.enum([
  'today',
  'week',
  'month',
  'yesterday',
  'lastWeek',
  'lastMonth',
  'rolling7',
  'rolling30',
]);
export type KpiPeriodName = z.infer<typeof KpiPeriodName>;

export const KpiFigures = z.object({
  areaId: Id.nullable(),
  period: KpiPeriod,
  computedAt: Timestamp,
  /**
   * The smallest denominator for which a rate is given (config `kpis.minSample`); below it the rate
   * is null. Always sent by the server (optional only for older producers).
   */
  minSample: Count.optional(),
  received: z.number().int().nonnegative(),
  /** 立案数: filed cases, without those booked as unsolvable (挂账). */
  filed: z.number().int().nonnegative(),
  closed: z.number().int().nonnegative(),
  /** Cases whose close was due in the period (应结案数). */
  dueToClose: z.number().int().nonnegative(),
  handled: z.number().int().nonnegative(),
  overduePending: z.number().int().nonnegative(),
  pending: z.number().int().nonnegative(),
  /** Closed cases of the period with a satisfaction rating: the satisfaction rate's denominator. */
  rated: Count.optional(),
  filingRate: Rate,
  closureRate: Rate,
  onTimeClosureRate: Rate,
  disposalRate: Rate,
  onTimeDisposalRate: Rate,
  reworkRate: Rate,
  overduePendingRate: Rate,
  extensionRate: Rate,
  satisfactionRate: Rate,
  selfHandledShare: Rate,
  /** Average working minutes from report to file, file to dispatch, dispatch to handled. */
  avgMinutesToFile: z.number().nonnegative().nullable(),
  avgMinutesToDispatch: z.number().nonnegative().nullable(),
  avgMinutesToHandle: z.number().nonnegative().nullable(),
  bySource: z.record(z.string(), z.number().int().nonnegative()),
  byCategory: z.record(z.string(), z.number().int().nonnegative()),
  byArea: z.record(z.string(), z.number().int().nonnegative()),
  /** Received and closed per hour of the period (at most the last 48 hours). */
  hourly: z.array(z.object({ hour: Timestamp, received: z.number().int(), closed: z.number().int() })),
  ranking: z.array(
    z.object({
      areaId: Id,
      name: z.string(),
      level: z.enum(['street', 'community']),
      received: z.number().int(),
      /** The denominator of both rates. */
      dueToClose: Count.optional(),
      closureRate: Rate,
      onTimeClosureRate: Rate,
    }),
  ),
  /**
   * Change against the previous period (环比) and the same dates a year before (同比), over EQUAL
   * ELAPSED SPANS: a running period from its start to now against the same elapsed time from the
   * start of each earlier period (capped at its length); a closed period against the whole earlier
   * one. Null when the earlier count is below `minSample`.
   */
  change: z.object({
    receivedPeriodOnPeriod: z.number().nullable(),
    receivedYearOnYear: z.number().nullable(),
    /** Closure rate − the earlier span's closure rate (a difference of rates, not a ratio). */
    closureRatePeriodOnPeriod: z.number().nullable(),
    /** The spans compared with: e.g. yesterday 00:00–08:14 at 08:14 today. */
    previous: KpiPeriod.optional(),
    yearBefore: KpiPeriod.optional(),
    previousReceived: Count.optional(),
    yearBeforeReceived: Count.optional(),
    previousDueToClose: Count.optional(),
    previousClosureRate: Rate.optional(),
  }),
});
export type KpiFigures = z.infer<typeof KpiFigures>;

/**
 * The slow-moving rates for the stream (`snapshot.kpisRolling`, `KpiUpdate.rolling`): the root
 * area's figures over the last 30 × 24 h, without the breakdowns, the ranking cut to the streets.
 */
export const KpiSummary = KpiFigures.omit({ bySource: true, byCategory: true, byArea: true, hourly: true });
export type KpiSummary = z.infer<typeof KpiSummary>;

/** The summary of full figures: the breakdowns left out, the ranking cut to the streets. */
export function kpiSummary(f: KpiFigures): KpiSummary {
  const { bySource: _s, byCategory: _c, byArea: _a, hourly: _h, ...rest } = f;
  return { ...rest, ranking: f.ranking.filter((r) => r.level === 'street') };
}
