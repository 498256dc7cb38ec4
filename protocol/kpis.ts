import { z } from 'zod';
import { Id, Timestamp } from './common';

/** A rate in [0, 1], or null when its denominator is zero. */
const Rate = z.number().min(0).max(1).nullable();

export const KpiPeriod = z.object({ from: Timestamp, to: Timestamp });
export type KpiPeriod = z.infer<typeof KpiPeriod>;

export const KpiFigures = z.object({
  areaId: Id.nullable(),
  period: KpiPeriod,
  computedAt: Timestamp,
  received: z.number().int().nonnegative(),
  /** 立案数: filed cases, without those booked as unsolvable (挂账). */
  filed: z.number().int().nonnegative(),
  closed: z.number().int().nonnegative(),
  /** Cases whose close was due in the period (应结案数). */
  dueToClose: z.number().int().nonnegative(),
  handled: z.number().int().nonnegative(),
  overduePending: z.number().int().nonnegative(),
  pending: z.number().int().nonnegative(),
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
      closureRate: Rate,
      onTimeClosureRate: Rate,
    }),
  ),
  /** Change against the previous period of the same length (环比) and the same period a year before (同比). */
  change: z.object({
    receivedPeriodOnPeriod: z.number().nullable(),
    receivedYearOnYear: z.number().nullable(),
    closureRatePeriodOnPeriod: z.number().nullable(),
  }),
});
export type KpiFigures = z.infer<typeof KpiFigures>;
