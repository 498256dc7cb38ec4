/**
 * Change (环比, 同比): a period's figures against the spans it is compared with (`Periods.compared`):
 * the same elapsed span of the period just before, and of the same local dates a year before.
 *
 * - receivedPeriodOnPeriod 环比 = received / received of the previous span − 1;
 * - receivedYearOnYear 同比 = received / received of the span a year before − 1;
 * - closureRatePeriodOnPeriod = closure rate − the previous span's (a difference in rate, not a ratio).
 *
 * A change over an earlier count below the sample rule is null.
 */
import type { KpiFigures, KpiPeriod } from '../../protocol';
import type { ComparedSpans } from './period';
import type { GridDue, Grids, KpiQueries } from './queries';
import { addDue, type DueTotals, emptyDue } from './rollup';

/** What a period is compared with: the earlier spans and their figures. */
export interface EarlierFigures {
  previous: KpiPeriod;
  yearBefore: KpiPeriod;
  previousReceived: number;
  previousDue: DueTotals;
  yearBeforeReceived: number;
}

/** Counts the earlier spans' figures, keeping those of spans that will not move a while. */
export class Comparison {
  private readonly pastCache = new Map<string, { at: number; value: unknown }>();

  constructor(private readonly queries: KpiQueries) {}

  /**
   * The figures of `spans` for the area `areaId` (its `grids`). Equal elapsed spans. The earlier spans
   * lie in the past and their figures barely move (a span's due-based figures look no further than
   * its own end), so they are kept a while (`keep`): a running period's cut spans move by whole
   * minutes, so at most one count a minute. A rolling window's spans move with every call: counted
   * afresh (the stream's summary is computed once a minute).
   */
  async earlier(
    areaId: string,
    spans: ComparedSpans,
    grids: Grids,
    keep: boolean,
    /** How received and the due figures are counted (from the day rollup, where there is one). */
    count: { received(p: KpiPeriod): Promise<number>; due(p: KpiPeriod): Promise<GridDue[]> } = {
      received: (p) => this.queries.received(p, grids),
      due: (p) => this.queries.dueByGrid(p, grids),
    },
  ): Promise<EarlierFigures> {
    const received = (p: KpiPeriod) => count.received(p);
    const { previous, yearBefore } = spans;
    const previousReceived = await this.past(`r|${areaId}|${previous.from}|${previous.to}`, keep, () =>
      received(previous),
    );
    const previousDue = await this.past(`d|${areaId}|${previous.from}|${previous.to}`, keep, async () => {
      const totals = emptyDue();
      for (const g of await count.due(previous)) addDue(totals, g);
      return totals;
    });
    const yearBeforeReceived = await this.past(`r|${areaId}|${yearBefore.from}|${yearBefore.to}`, keep, () =>
      received(yearBefore),
    );
    return { previous, yearBefore, previousReceived, previousDue, yearBeforeReceived };
  }

  /** A figure of an earlier span (ended before now), kept for 5 minutes when `keep`; else computed. */
  private async past<T>(key: string, keep: boolean, compute: () => Promise<T>): Promise<T> {
    if (!keep) return compute();
    const hit = this.pastCache.get(key);
    if (hit && Date.now() - hit.at < 300_000) return hit.value as T;
    const value = await compute();
    this.pastCache.set(key, { at: Date.now(), value });
    if (this.pastCache.size > 500) {
      const oldest = this.pastCache.keys().next().value;
      if (oldest !== undefined) this.pastCache.delete(oldest);
    }
    return value;
  }
}

/**
 * The change of a period's received count and closure rate against `earlier`; rates by `rate`, and
 * a change over an earlier count under `min` null.
 */
export function changeOf(
  current: { received: number; closureRate: number | null },
  earlier: EarlierFigures,
  rate: (num: number, den: number) => number | null,
  min: number,
): KpiFigures['change'] {
  const change = (cur: number, prev: number): number | null => (prev > 0 && prev >= min ? cur / prev - 1 : null);
  const { previous, yearBefore, previousReceived, previousDue, yearBeforeReceived } = earlier;
  const { received, closureRate } = current;
  const previousClosureRate = rate(previousDue.closed, previousDue.due);
  return {
    receivedPeriodOnPeriod: change(received, previousReceived),
    receivedYearOnYear: change(received, yearBeforeReceived),
    closureRatePeriodOnPeriod:
      closureRate === null || previousClosureRate === null ? null : closureRate - previousClosureRate,
    previous: { from: previous.from, to: previous.to },
    yearBefore: { from: yearBefore.from, to: yearBefore.to },
    previousReceived,
    yearBeforeReceived,
    previousDueToClose: previousDue.due,
    previousClosureRate,
  };
}
