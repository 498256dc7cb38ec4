import type { Area, Case, KpiFigures } from '../../protocol';

/**
 * Figures of the right shape for a synthetic district's snapshot: counts from its `cases`, rates and
 * breakdowns made up. Not the KPI service: the wall benchmark needs load, not true figures.
 */
export function syntheticKpis(
  cases: ReadonlyMap<string, Case>,
  areas: readonly Area[],
  startAt: number,
  now: number,
): KpiFigures {
  let open = 0;
  let overdue = 0;
  for (const c of cases.values()) {
    if (c.status !== 'closed') open++;
    if (c.deadline?.overdue && c.status !== 'closed') overdue++;
  }
  const received = cases.size;
  const closed = received - open;
  const bySource: Record<string, number> = {};
  const byCategory: Record<string, number> = {};
  for (const c of cases.values()) {
    bySource[c.source] = (bySource[c.source] ?? 0) + 1;
    byCategory[c.category] = (byCategory[c.category] ?? 0) + 1;
  }
  const dayStart = startAt - 9 * 3600_000;
  return {
    areaId: null,
    period: { from: dayStart, to: dayStart + 24 * 3600_000 },
    computedAt: now,
    received,
    filed: Math.round(received * 0.97),
    closed,
    dueToClose: received,
    handled: closed,
    overduePending: overdue,
    pending: open,
    filingRate: 0.97,
    closureRate: received ? closed / received : null,
    onTimeClosureRate: 0.91,
    disposalRate: 0.95,
    onTimeDisposalRate: 0.9,
    reworkRate: 0.03,
    overduePendingRate: received ? overdue / received : null,
    extensionRate: 0.02,
    satisfactionRate: 0.92,
    selfHandledShare: 0.41,
    avgMinutesToFile: 6,
    avgMinutesToDispatch: 9,
    avgMinutesToHandle: 140,
    bySource,
    byCategory,
    byArea: {},
    hourly: Array.from({ length: 12 }, (_, i) => ({
      hour: dayStart + i * 3600_000,
      received: 20 + ((i * 7) % 13),
      closed: 15 + ((i * 5) % 11),
    })),
    ranking: areas
      .filter((a) => a.level === 'street')
      .map((a, i) => ({
        areaId: a.id,
        name: a.name,
        level: 'street' as const,
        received: 100 - i * 7,
        closureRate: 0.97 - i * 0.01,
        onTimeClosureRate: 0.93 - i * 0.015,
      })),
    change: { receivedPeriodOnPeriod: 0.05, receivedYearOnYear: -0.02, closureRatePeriodOnPeriod: 0.01 },
  };
}
