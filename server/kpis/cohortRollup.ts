/**
 * The received cohort's counters per grid, local day and category, kept in memory and updated as
 * cases are committed (each change takes the case's old contribution off and puts the new one on),
 * so that a period of whole days is summed from at most (days × grids) small records instead of a
 * scan of every case. It holds what `cohortByGrid`, `bySourceAndCategory`, `received` and `timing`
 * read from the `cases` table (same definitions: a case counts on the local day it was created).
 */
import type { Case } from '../../protocol';
import { NOT_FILED } from './queries';
import type { WorkingTime } from './working';

/** What of a case the rollup reads: the `cases` columns of the KPI queries. */
export interface CohortFacts {
  gridId: string;
  createdAt: number;
  category: string;
  source: string;
  status: string;
  selfHandled: boolean;
  filedAt: number | null;
  dispatchedAt: number | null;
  handledAt: number | null;
}

export const factsOf = (c: Case): CohortFacts => ({
  gridId: c.gridId,
  createdAt: c.createdAt,
  category: c.category,
  source: c.source,
  status: c.status,
  selfHandled: c.selfHandled,
  filedAt: c.milestones.filedAt,
  dispatchedAt: c.milestones.dispatchedAt,
  handledAt: c.milestones.handledAt,
});

/** Counter slots of one (day, grid) record. */
const RECEIVED = 0;
const FILED = 1;
const SELF = 2;
/** Pairs of timing slots (count, Σ working minutes): report → file, file → dispatch, dispatch → handled. */
const TIMING = 3;
const SLOTS = 9;

interface Cell {
  v: Float64Array;
  /** Received per `c:<category>` and `s:<source>`. */
  by: Map<string, number>;
}

/** Sums over a set of days and grids. */
export interface CohortSums {
  byGrid: Map<string, { received: number; filed: number; selfHandled: number }>;
  bySource: Record<string, number>;
  byCategory: Record<string, number>;
  /** [count, Σ minutes] of report → file, file → dispatch, dispatch → handled. */
  timing: Array<[number, number]>;
}

const NOT_FILED_SET: ReadonlySet<string> = new Set(NOT_FILED);
const ALL = '*';

export class CohortRollup {
  /** Local day → grid (and `*`: every grid) → counters. */
  private readonly days = new Map<number, Map<string, Cell>>();

  constructor(private readonly working: WorkingTime) {}

  /** Moves a case's contribution from what it was (null: new) to what it is (null: gone). */
  change(before: CohortFacts | null, after: CohortFacts | null): void {
    if (before && after && sameContribution(before, after)) return;
    if (before) this.add(before, -1);
    if (after) this.add(after, 1);
  }

  clear(): void {
    this.days.clear();
  }

  /** Sums whole local days [fromDay, toDay) over `grids` (null: every grid, read from the totals). */
  sum(fromDay: number, toDay: number, grids: readonly string[] | null): CohortSums {
    const out: CohortSums = {
      byGrid: new Map(),
      bySource: {},
      byCategory: {},
      timing: [
        [0, 0],
        [0, 0],
        [0, 0],
      ],
    };
    const take = (cell: Cell, gridId: string | null) => {
      if (gridId !== null) {
        const g = out.byGrid.get(gridId) ?? { received: 0, filed: 0, selfHandled: 0 };
        g.received += cell.v[RECEIVED] as number;
        g.filed += cell.v[FILED] as number;
        g.selfHandled += cell.v[SELF] as number;
        out.byGrid.set(gridId, g);
      }
      for (let i = 0; i < 3; i++) {
        const t = out.timing[i] as [number, number];
        t[0] += cell.v[TIMING + 2 * i] as number;
        t[1] += cell.v[TIMING + 2 * i + 1] as number;
      }
      for (const [k, n] of cell.by) {
        if (n === 0) continue;
        const into = k.charCodeAt(0) === 99 /* c */ ? out.byCategory : out.bySource;
        const name = k.slice(2);
        into[name] = (into[name] ?? 0) + n;
      }
    };
    for (let d = fromDay; d < toDay; d++) {
      const day = this.days.get(d);
      if (!day) continue;
      if (grids === null) {
        // Per grid for byArea and the ranking; totals (and breakdowns) from the `*` record alone.
        for (const [gridId, cell] of day) {
          if (gridId === ALL) continue;
          const g = out.byGrid.get(gridId) ?? { received: 0, filed: 0, selfHandled: 0 };
          g.received += cell.v[RECEIVED] as number;
          g.filed += cell.v[FILED] as number;
          g.selfHandled += cell.v[SELF] as number;
          out.byGrid.set(gridId, g);
        }
        const all = day.get(ALL);
        if (all) take(all, null);
      } else {
        for (const gridId of grids) {
          const cell = day.get(gridId);
          if (cell) take(cell, gridId);
        }
      }
    }
    return out;
  }

  private add(f: CohortFacts, sign: 1 | -1): void {
    const day = this.working.dayOf(f.createdAt);
    let cells = this.days.get(day);
    if (!cells) {
      cells = new Map();
      this.days.set(day, cells);
    }
    const filed = f.filedAt !== null && !NOT_FILED_SET.has(f.status) ? 1 : 0;
    const t1 = f.filedAt !== null ? this.working.between(f.createdAt, f.filedAt) : null;
    const t2 = f.filedAt !== null && f.dispatchedAt !== null ? this.working.between(f.filedAt, f.dispatchedAt) : null;
    const t3 =
      f.dispatchedAt !== null && f.handledAt !== null ? this.working.between(f.dispatchedAt, f.handledAt) : null;
    for (const key of [f.gridId, ALL]) {
      let cell = cells.get(key);
      if (!cell) {
        cell = { v: new Float64Array(SLOTS), by: new Map() };
        cells.set(key, cell);
      }
      const v = cell.v;
      v[RECEIVED] = (v[RECEIVED] as number) + sign;
      v[FILED] = (v[FILED] as number) + sign * filed;
      v[SELF] = (v[SELF] as number) + sign * (f.selfHandled ? 1 : 0);
      [t1, t2, t3].forEach((t, i) => {
        if (t === null) return;
        v[TIMING + 2 * i] = (v[TIMING + 2 * i] as number) + sign;
        v[TIMING + 2 * i + 1] = (v[TIMING + 2 * i + 1] as number) + sign * t;
      });
      const c = `c:${f.category}`;
      const s = `s:${f.source}`;
      cell.by.set(c, (cell.by.get(c) ?? 0) + sign);
      cell.by.set(s, (cell.by.get(s) ?? 0) + sign);
    }
  }
}

/** Whether two versions of a case count the same (most changes touch none of the cohort's facts). */
function sameContribution(a: CohortFacts, b: CohortFacts): boolean {
  return (
    a.gridId === b.gridId &&
    a.createdAt === b.createdAt &&
    a.category === b.category &&
    a.source === b.source &&
    NOT_FILED_SET.has(a.status) === NOT_FILED_SET.has(b.status) &&
    a.selfHandled === b.selfHandled &&
    a.filedAt === b.filedAt &&
    a.dispatchedAt === b.dispatchedAt &&
    a.handledAt === b.handledAt
  );
}
