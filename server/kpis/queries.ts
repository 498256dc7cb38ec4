import {
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type RawBuilder,
  type SelectQueryBuilder,
  type SqlBool,
  sql,
} from 'kysely';
import type { KpiPeriod } from '../../protocol';
import type { Database } from '../storage/schema';
import { ensureKpiIndexes } from './indexes';
import { type DaySum, msExpr, type WorkingTime } from './working';

type Eb = ExpressionBuilder<Database, 'cases'>;
type CaseQb<O> = SelectQueryBuilder<Database, 'cases', O>;
/** The grids of the area queried (the root's: every grid). */
export type Grids = readonly string[];

/** Left out of 立案数: booked as unsolvable (挂账), voided (作废) or never filed (不予立案). */
export const NOT_FILED = ['suspended', 'voided', 'rejected'] as const;
/** Left out of 应结案数: 挂账 and 作废 cases have no close to be due. */
export const NOT_DUE = ['suspended', 'voided'] as const;

const HOUR = 3_600_000;

const n = (v: unknown): number => Number(v ?? 0);

const countIf = (eb: Eb, cond: Expression<SqlBool>) =>
  eb.fn.sum<number>(eb.case().when(cond).then(eb.lit(1)).else(eb.lit(0)).end());

/** The first non-null of handled and closed: a case closed without a feedback step was handled when it closed. */
const handledAt = (eb: Eb) => eb.fn.coalesce('handled_at', 'closed_at');

export interface GridCohort {
  gridId: string;
  received: number;
  /** Of those received in the period, filed and not suspended, voided or rejected. */
  filed: number;
  selfHandled: number;
}

export interface GridDue {
  gridId: string;
  due: number;
  closed: number;
  closedOnTime: number;
  handled: number;
  handledOnTime: number;
  reworked: number;
  extended: number;
}

export interface TimingGroup {
  /** Local day numbers of created, filed, dispatched and handled (null where the milestone is missing). */
  days: [number, number | null, number | null, number | null];
  count: number;
  /** Σ intra-day working ms of the same four milestones. */
  intra: [number, number, number, number];
}

const MILESTONES = ['created_at', 'filed_at', 'dispatched_at', 'handled_at'] as const;

/**
 * Grid ids per statement: within every database's bound-parameter limit, and small enough that one
 * statement over a month of a city blocks better-sqlite3's (synchronous) thread for tens of ms, not
 * seconds; the event loop runs between statements.
 */
const GRID_CHUNK = 200;
/** Grid ids per statement over a day or less. */
const LONG_CHUNK = 1000;
const DAY = 86_400_000;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The KPI queries, written once with Kysely's builder (portable SQL: CASE, COALESCE, integer
 * arithmetic on bigint columns, literals inlined where PostgreSQL would otherwise see untyped
 * parameters in GROUP BY or SUM). Every query names its grids (`grid_id in (…)`, the root's too)
 * and reads a covering index led by `grid_id` then a time: one short range per grid, and rows come
 * out already grouped by grid, so per-grid counts need no sort.
 */
export class KpiQueries {
  constructor(private readonly db: Kysely<Database>) {}

  /** Covering indexes for the KPI queries; idempotent, run once at start. */
  ensureIndexes(): Promise<void> {
    return ensureKpiIndexes(this.db);
  }

  /** Runs a query once per chunk of grids and concatenates the rows (an area without grids: none). */
  private async perChunk<T>(
    grids: Grids,
    run: (where: (q: CaseQb<object>) => CaseQb<object>) => Promise<T[]>,
    size = GRID_CHUNK,
  ) {
    const out: T[] = [];
    for (let i = 0; i < grids.length; i += size) {
      const chunk = grids.slice(i, i + size);
      out.push(...(await run((q) => q.where('grid_id', 'in', chunk))));
      await yieldToEventLoop();
    }
    return out;
  }

  private cases(): CaseQb<object> {
    return this.db.selectFrom('cases');
  }

  private createdIn(p: KpiPeriod) {
    return (q: CaseQb<object>) => q.where('created_at', '>=', p.from).where('created_at', '<', p.to);
  }

  /** 受理数 and the filing / self-handled counts of the same cohort, per grid. */
  async cohortByGrid(p: KpiPeriod, grids: Grids): Promise<GridCohort[]> {
    const rows = await this.perChunk(grids, (inGrids) =>
      this.createdIn(p)(inGrids(this.cases()))
        .select((eb) => [
          'grid_id',
          eb.fn.countAll<number>().as('received'),
          countIf(eb, eb.and([eb('filed_at', 'is not', null), eb('status', 'not in', NOT_FILED)])).as('filed'),
          eb.fn.sum<number>('self_handled').as('self_handled'),
        ])
        .groupBy('grid_id')
        .execute(),
    );
    return rows.map((r) => ({
      gridId: r.grid_id,
      received: n(r.received),
      filed: n(r.filed),
      selfHandled: n(r.self_handled),
    }));
  }

  async received(p: KpiPeriod, grids: Grids): Promise<number> {
    const rows = await this.perChunk(grids, (inGrids) =>
      this.createdIn(p)(inGrids(this.cases()))
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .execute(),
    );
    return rows.reduce((sum, r) => sum + n(r.n), 0);
  }

  /** Received per source and per category: one sort on (source, category), a few hundred groups. */
  async bySourceAndCategory(
    p: KpiPeriod,
    grids: Grids,
  ): Promise<{ bySource: Record<string, number>; byCategory: Record<string, number> }> {
    const rows = await this.perChunk(grids, (inGrids) =>
      this.createdIn(p)(inGrids(this.cases()))
        .select((eb) => ['source', 'category', eb.fn.countAll<number>().as('n')])
        .groupBy(['source', 'category'])
        .execute(),
    );
    const bySource: Record<string, number> = {};
    const byCategory: Record<string, number> = {};
    for (const r of rows) {
      bySource[r.source] = (bySource[r.source] ?? 0) + n(r.n);
      byCategory[r.category] = (byCategory[r.category] ?? 0) + n(r.n);
    }
    return { bySource, byCategory };
  }

  /** 立案数: filed in the period, without 挂账, 作废 and 不予立案. */
  async filed(p: KpiPeriod, grids: Grids): Promise<number> {
    const rows = await this.perChunk(grids, (inGrids) =>
      inGrids(this.cases())
        .where('filed_at', '>=', p.from)
        .where('filed_at', '<', p.to)
        .where('status', 'not in', NOT_FILED)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .execute(),
    );
    return rows.reduce((sum, r) => sum + n(r.n), 0);
  }

  /**
   * 应结案数 and what became of those cases by the end of the period, per grid. A case belongs to
   * the period holding the earlier of its close-due time and its close (closed early: counted where
   * it closed; otherwise where it fell due), so each case counts in exactly one period. Two disjoint
   * range reads, one per covering index, instead of an OR that would leave the indexes. Closed and
   * handled count when before `until` (the period's end unless a caller splits the period).
   */
  async dueByGrid(p: KpiPeriod, grids: Grids, until = p.to): Promise<GridDue[]> {
    const select = (eb: Eb) => {
      const handled = handledAt(eb);
      return [
        'grid_id' as const,
        eb.fn.countAll<number>().as('due'),
        countIf(eb, eb.and([eb('closed_at', 'is not', null), eb('closed_at', '<', until)])).as('closed'),
        countIf(
          eb,
          eb.and([
            eb('closed_at', '<', until),
            eb.or([eb('close_due_at', 'is', null), eb('closed_at', '<=', eb.ref('close_due_at'))]),
          ]),
        ).as('closed_on_time'),
        countIf(eb, eb(handled, '<', until)).as('handled'),
        countIf(
          eb,
          eb.and([
            eb(handled, '<', until),
            eb.or([eb('close_due_at', 'is', null), eb(handled, '<=', eb.ref('close_due_at'))]),
          ]),
        ).as('handled_on_time'),
        countIf(eb, eb('rework_count', '>', 0)).as('reworked'),
        countIf(eb, eb('extension_count', '>', 0)).as('extended'),
      ];
    };
    // A day or less (the partial days beside the rollup's): few rows a grid, so fewer, longer statements.
    const size = p.to - p.from <= DAY ? LONG_CHUNK : GRID_CHUNK;
    // Fell due in the period, unless it had closed early before the period began.
    const dueIn = await this.perChunk(
      grids,
      (inGrids) =>
        inGrids(this.cases())
          .where('close_due_at', '>=', p.from)
          .where('close_due_at', '<', p.to)
          .where('status', 'not in', NOT_DUE)
          .where((eb) =>
            eb.or([
              eb('closed_at', 'is', null),
              eb('closed_at', '>=', eb.ref('close_due_at')),
              eb('closed_at', '>=', p.from),
            ]),
          )
          .select(select)
          .groupBy('grid_id')
          .execute(),
      size,
    );
    // Closed in the period ahead of a due time after it (or with none: closed without dispatch).
    const closedEarly = await this.perChunk(
      grids,
      (inGrids) =>
        inGrids(this.cases())
          .where('closed_at', '>=', p.from)
          .where('closed_at', '<', p.to)
          .where('status', 'not in', NOT_DUE)
          .where((eb) => eb.or([eb('close_due_at', 'is', null), eb('close_due_at', '>=', p.to)]))
          .select(select)
          .groupBy('grid_id')
          .execute(),
      size,
    );
    const byGrid = new Map<string, GridDue>();
    for (const r of [...dueIn, ...closedEarly]) {
      const g = byGrid.get(r.grid_id) ?? {
        gridId: r.grid_id,
        due: 0,
        closed: 0,
        closedOnTime: 0,
        handled: 0,
        handledOnTime: 0,
        reworked: 0,
        extended: 0,
      };
      g.due += n(r.due);
      g.closed += n(r.closed);
      g.closedOnTime += n(r.closed_on_time);
      g.handled += n(r.handled);
      g.handledOnTime += n(r.handled_on_time);
      g.reworked += n(r.reworked);
      g.extended += n(r.extended);
      byGrid.set(r.grid_id, g);
    }
    return [...byGrid.values()];
  }

  /** Ratings of the cases closed in the period: three conditional sums, no sort. */
  async satisfaction(p: KpiPeriod, grids: Grids): Promise<{ satisfied: number; basic: number; unsatisfied: number }> {
    const rows = await this.perChunk(grids, (inGrids) =>
      inGrids(this.cases())
        .where('closed_at', '>=', p.from)
        .where('closed_at', '<', p.to)
        .select((eb) => [
          countIf(eb, eb('satisfaction', '=', 'satisfied')).as('satisfied'),
          countIf(eb, eb('satisfaction', '=', 'basic')).as('basic'),
          countIf(eb, eb('satisfaction', '=', 'unsatisfied')).as('unsatisfied'),
        ])
        .execute(),
    );
    const out = { satisfied: 0, basic: 0, unsatisfied: 0 };
    for (const r of rows) {
      out.satisfied += n(r.satisfied);
      out.basic += n(r.basic);
      out.unsatisfied += n(r.unsatisfied);
    }
    return out;
  }

  /**
   * Cases in the loop at `end` (received before it, not closed by it; 挂账 left out) and how many of
   * them were past a due time then. Cases still active now, plus those closed after `end`.
   */
  async pending(end: number, grids: Grids): Promise<{ pending: number; overdue: number }> {
    const active = await this.perChunk(grids, (inGrids) =>
      inGrids(this.cases().where('active', '=', 1))
        .where('created_at', '<', end)
        .where('status', '!=', 'suspended')
        .select((eb) => [
          eb.fn.countAll<number>().as('n'),
          countIf(eb, eb.or([eb('close_due_at', '<', end), eb('due_at', '<', end)])).as('overdue'),
        ])
        .execute(),
    );
    const closedLater = await this.perChunk(grids, (inGrids) =>
      inGrids(this.cases())
        .where('closed_at', '>=', end)
        .where('created_at', '<', end)
        .select((eb) => [eb.fn.countAll<number>().as('n'), countIf(eb, eb('close_due_at', '<', end)).as('overdue')])
        .execute(),
    );
    let pending = 0;
    let overdue = 0;
    for (const r of [...active, ...closedLater]) {
      pending += n(r.n);
      overdue += n(r.overdue);
    }
    return { pending, overdue };
  }

  /** Received and closed per hour from `from` (an hour boundary) to `to`. */
  async hourly(
    from: number,
    to: number,
    grids: Grids,
  ): Promise<{ received: Map<number, number>; closed: Map<number, number> }> {
    const bucket = (column: 'created_at' | 'closed_at'): RawBuilder<number> =>
      sql<number>`((${msExpr(column)} - ${sql.lit(from)}) / ${sql.lit(HOUR)})`;
    const count = async (column: 'created_at' | 'closed_at') => {
      const rows = await this.perChunk(grids, (inGrids) =>
        inGrids(this.cases())
          .where(column, '>=', from)
          .where(column, '<', to)
          .select((eb) => [bucket(column).as('h'), eb.fn.countAll<number>().as('n')])
          .groupBy(bucket(column))
          .execute(),
      );
      const out = new Map<number, number>();
      for (const r of rows) out.set(n(r.h), (out.get(n(r.h)) ?? 0) + n(r.n));
      return out;
    };
    return { received: await count('created_at'), closed: await count('closed_at') };
  }

  /**
   * The received cohort grouped by the local days of its four milestones, with Σ intra-day working
   * ms of each: enough to average working time between any two milestones exactly (see WorkingTime).
   */
  async timing(p: KpiPeriod, grids: Grids, wt: WorkingTime): Promise<TimingGroup[]> {
    const days = MILESTONES.map((m) => wt.dayExpr(m));
    const intra = MILESTONES.map((m) => wt.intraExpr(m));
    const [dc, df, dd, dh] = days as [RawBuilder<number>, RawBuilder<number>, RawBuilder<number>, RawBuilder<number>];
    const [ic, iF, id, ih] = intra as [RawBuilder<number>, RawBuilder<number>, RawBuilder<number>, RawBuilder<number>];
    const rows = await this.perChunk(grids, (inGrids) =>
      this.createdIn(p)(inGrids(this.cases()))
        .select((eb) => [
          dc.as('dc'),
          df.as('df'),
          dd.as('dd'),
          dh.as('dh'),
          eb.fn.countAll<number>().as('n'),
          eb.fn.sum<number>(ic).as('ic'),
          eb.fn.sum<number>(iF).as('if'),
          eb.fn.sum<number>(id).as('id'),
          eb.fn.sum<number>(ih).as('ih'),
        ])
        .groupBy([dc, df, dd, dh])
        .execute(),
    );
    const day = (v: unknown) => (v === null || v === undefined ? null : n(v));
    // Chunks may repeat a key: the groups are additive.
    return rows.map((r) => ({
      days: [n(r.dc), day(r.df), day(r.dd), day(r.dh)],
      count: n(r.n),
      intra: [n(r.ic), n(r.if), n(r.id), n(r.ih)],
    }));
  }
}

/** Average working minutes from milestone `a` to milestone `b` (indexes into TimingGroup.days). */
export function averageWorkingMinutes(
  groups: readonly TimingGroup[],
  a: number,
  b: number,
  wt: WorkingTime,
): number | null {
  const [count, minutes] = workingMinutesSum(groups, a, b, wt);
  // Milestones never run backwards; rounding must not make an average negative.
  return count === 0 ? null : Math.max(0, minutes / count);
}

/** How many cases reached both milestones `a` and `b`, and Σ working minutes between them. */
export function workingMinutesSum(
  groups: readonly TimingGroup[],
  a: number,
  b: number,
  wt: WorkingTime,
): [number, number] {
  const sel = groups.filter(
    (g) => g.days[a] !== null && g.days[a] !== undefined && g.days[b] !== null && g.days[b] !== undefined,
  );
  let count = 0;
  for (const g of sel) count += g.count;
  if (count === 0) return [0, 0];
  const sums = (i: number): DaySum[] =>
    sel.map((g) => ({ day: g.days[i] as number, count: g.count, intraMs: g.intra[i] as number }));
  const starts = sums(a);
  const ends = sums(b);
  const origin = wt.cumulative([...starts, ...ends].map((s) => s.day));
  return [count, wt.total(ends, origin) - wt.total(starts, origin)];
}
