/**
 * Per-grid counts rolled up the area tree: received per child area of the requested area (a grid:
 * itself), and the ranking of the streets and communities inside it by closure rate, then on-time
 * closure rate, then received.
 */
import type { Area, KpiFigures } from '../../protocol';
import type { AreaIndex } from './areas';
import type { GridCohort, GridDue } from './queries';

const RANKED_LEVELS: ReadonlySet<Area['level']> = new Set(['street', 'community']);

/** The due-based counts of a set of grids, summed. */
export type DueTotals = Omit<GridDue, 'gridId'>;
export const emptyDue = (): DueTotals => ({
  due: 0,
  closed: 0,
  closedOnTime: 0,
  handled: 0,
  handledOnTime: 0,
  reworked: 0,
  extended: 0,
});
export const addDue = (into: DueTotals, g: GridDue): void => {
  into.due += g.due;
  into.closed += g.closed;
  into.closedOnTime += g.closedOnTime;
  into.handled += g.handled;
  into.handledOnTime += g.handledOnTime;
  into.reworked += g.reworked;
  into.extended += g.extended;
};

/**
 * Rolls the per-grid counts up: to the requested area's children (`byArea`), and to every street and
 * community in it (`ranking`, rates by `rate`).
 */
export function rollUp(
  tree: AreaIndex,
  area: Area,
  cohort: readonly GridCohort[],
  due: readonly GridDue[],
  rate: (num: number, den: number) => number | null,
): { byArea: KpiFigures['byArea']; ranking: KpiFigures['ranking'] } {
  const byArea: Record<string, number> = {};
  const ranked = tree.descendants(area.id, RANKED_LEVELS);
  const rankedIds = new Set(ranked.map((a) => a.id));
  const rankReceived = new Map<string, number>();
  const rankDue = new Map<string, DueTotals>();
  const childOf = (gridId: string): string | undefined => {
    if (area.level === 'grid') return area.id;
    const chain = tree.chainOf(gridId);
    const i = chain.indexOf(area.id);
    return i > 0 ? chain[i - 1] : undefined;
  };
  for (const c of tree.childrenOf(area.id)) byArea[c.id] = 0;
  if (area.level === 'grid') byArea[area.id] = 0;
  for (const g of cohort) {
    const child = childOf(g.gridId);
    if (child !== undefined) byArea[child] = (byArea[child] ?? 0) + g.received;
    for (const id of tree.chainOf(g.gridId)) {
      if (rankedIds.has(id)) rankReceived.set(id, (rankReceived.get(id) ?? 0) + g.received);
    }
  }
  for (const g of due) {
    for (const id of tree.chainOf(g.gridId)) {
      if (!rankedIds.has(id)) continue;
      const t = rankDue.get(id) ?? emptyDue();
      addDue(t, g);
      rankDue.set(id, t);
    }
  }
  const levelOrder = (l: Area['level']) => (l === 'street' ? 0 : 1);
  const desc = (x: number | null, y: number | null) => (y ?? -1) - (x ?? -1);
  const ranking = ranked
    .map((a) => {
      const d = rankDue.get(a.id) ?? emptyDue();
      return {
        areaId: a.id,
        name: a.name,
        level: a.level as 'street' | 'community',
        received: rankReceived.get(a.id) ?? 0,
        dueToClose: d.due,
        closureRate: rate(d.closed, d.due),
        onTimeClosureRate: rate(d.closedOnTime, d.due),
      };
    })
    .sort(
      (x, y) =>
        levelOrder(x.level) - levelOrder(y.level) ||
        desc(x.closureRate, y.closureRate) ||
        desc(x.onTimeClosureRate, y.onTimeClosureRate) ||
        y.received - x.received ||
        x.areaId.localeCompare(y.areaId),
    );
  return { byArea, ranking };
}
