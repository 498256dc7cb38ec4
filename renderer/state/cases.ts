import type { CaseLite } from '../../protocol/lite';
import { type CaseCounts, type CasesSlice, OVERDUE_KEEP, OVERDUE_TOP, serverNow, type WallState } from './store';

/**
 * The cases slice kept in step as cases come and go: counts, per-grid stats, the overdue set and
 * its ordered top (applied in place, see store.ts), and the pruning of cases ended long ago.
 */

/** Ended cases stay on the wall this long after they ended (the snapshot's window). */
export const ENDED_RETENTION_MS = 24 * 60 * 60 * 1000;
const PRUNE_EVERY_MS = 10_000;

/** The `k` cases with the earliest due time, in order: one pass, no sort of the whole set. */
export function mostOverdue(ids: Iterable<string>, byId: ReadonlyMap<string, CaseLite>, k: number): CaseLite[] {
  const top: CaseLite[] = [];
  for (const id of ids) {
    const c = byId.get(id);
    if (c) insertByDue(top, c, k);
  }
  return top;
}

function insertByDue(top: CaseLite[], c: CaseLite, k: number): boolean {
  const due = c.dueAt ?? 0;
  if (top.length >= k && due >= (top[top.length - 1]?.dueAt ?? 0)) return false;
  let i = top.length;
  while (i > 0 && (top[i - 1]?.dueAt ?? 0) > due) i--;
  top.splice(i, 0, c);
  if (top.length > k) top.pop();
  return true;
}

function contribution(c: CaseLite | undefined): { open: number; overdue: number; warned: number; urgent: number } {
  if (!c || c.endedAt !== null) return { open: 0, overdue: 0, warned: 0, urgent: 0 };
  return {
    open: 1,
    overdue: c.overdue ? 1 : 0,
    warned: c.warned && !c.overdue ? 1 : 0,
    urgent: c.priority === 'urgent' ? 1 : 0,
  };
}

/** Applies case changes in place, keeping counts, per-grid stats and the overdue set in step. */
export class CaseApplier {
  readonly upserted: CaseLite[] = [];
  readonly removed: string[] = [];
  readonly touchedGrids = new Set<string>();
  readonly counts: CaseCounts;

  /** A copy of the overdue top list, made on the first change, and its bound (see CasesSlice). */
  private top: CaseLite[] | null = null;
  private bound: number;

  constructor(private readonly slice: CasesSlice) {
    this.counts = { ...slice.counts };
    this.bound = slice.overdueBound;
  }

  private mutableTop(): CaseLite[] {
    this.top ??= [...this.slice.overdueTop];
    return this.top;
  }

  private enterOverdue(c: CaseLite): void {
    const due = c.dueAt ?? 0;
    // At or past the bound it may rank behind cases outside the list: it stays outside too.
    if (due >= this.bound) return;
    const top = this.mutableTop();
    insertByDue(top, c, OVERDUE_KEEP + 1);
    if (top.length > OVERDUE_KEEP) this.bound = (top.pop() as CaseLite).dueAt ?? 0;
  }

  private leaveOverdue(id: string): void {
    const list = this.top ?? this.slice.overdueTop;
    const i = list.findIndex((x) => x.id === id);
    if (i >= 0) this.mutableTop().splice(i, 1);
  }

  /**
   * The overdue top list after this batch, and its bound. Kept per case in O(k); the whole overdue
   * set is scanned only when cases left the list and others wait outside it, which is rare.
   */
  overdueTop(): { overdueTop: CaseLite[]; overdueBound: number } {
    const top = this.top ?? this.slice.overdueTop;
    if (top.length < OVERDUE_TOP && this.bound !== Number.POSITIVE_INFINITY) {
      const full = mostOverdue(this.slice.overdueIds, this.slice.byId, OVERDUE_KEEP);
      const complete = this.slice.overdueIds.size <= full.length;
      return {
        overdueTop: full,
        overdueBound: complete ? Number.POSITIVE_INFINITY : (full[full.length - 1]?.dueAt ?? 0),
      };
    }
    return { overdueTop: top, overdueBound: this.bound };
  }

  private account(c: CaseLite, sign: 1 | -1): void {
    const k = contribution(c);
    this.counts.total += sign;
    this.counts.open += sign * k.open;
    this.counts.overdue += sign * k.overdue;
    this.counts.warned += sign * k.warned;
    this.counts.urgent += sign * k.urgent;
    this.counts.ended += sign * (c.endedAt !== null ? 1 : 0);
    let g = this.slice.grids.get(c.gridId);
    if (!g) {
      g = { open: 0, overdue: 0 };
      this.slice.grids.set(c.gridId, g);
    }
    g.open += sign * k.open;
    g.overdue += sign * k.overdue;
    this.touchedGrids.add(c.gridId);
    if (k.overdue) {
      if (sign > 0) {
        this.slice.overdueIds.add(c.id);
        this.enterOverdue(c);
      } else {
        this.slice.overdueIds.delete(c.id);
        this.leaveOverdue(c.id);
      }
    }
  }

  upsert(c: CaseLite): boolean {
    const prev = this.slice.byId.get(c.id);
    if (prev && prev.version > c.version) return false;
    if (prev) this.account(prev, -1);
    this.slice.byId.set(c.id, c);
    this.account(c, 1);
    this.upserted.push(c);
    return true;
  }

  remove(id: string): void {
    const prev = this.slice.byId.get(id);
    if (!prev) return;
    this.account(prev, -1);
    this.slice.byId.delete(id);
    this.removed.push(id);
  }
}

const lastPrune = new WeakMap<Map<string, CaseLite>, number>();

/**
 * Drops cases that ended more than {@link ENDED_RETENTION_MS} ago (server time), so that a wall
 * running for months holds what a fresh snapshot would, no more. Runs every few seconds, in place.
 */
export function pruneEnded(state: WallState, now: number, force = false): number {
  const byId = state.cases.byId;
  const last = lastPrune.get(byId) ?? 0;
  if (!force && now - last < PRUNE_EVERY_MS) return 0;
  lastPrune.set(byId, now);
  if (state.cases.counts.ended === 0) return 0;
  const cutoff = serverNow(state, now) - ENDED_RETENTION_MS;
  const applier = new CaseApplier(state.cases);
  for (const c of byId.values()) {
    if (c.endedAt !== null && c.endedAt < cutoff) applier.remove(c.id);
  }
  if (applier.removed.length === 0) return 0;
  state.cases = {
    ...state.cases,
    counts: applier.counts,
    ...applier.overdueTop(),
    rev: state.cases.rev + 1,
    delta: {
      reset: state.cases.delta.reset,
      upserted: state.cases.delta.upserted,
      removed: [...state.cases.delta.removed, ...applier.removed],
      grids: [...new Set([...state.cases.delta.grids, ...applier.touchedGrids])],
    },
  };
  return applier.removed.length;
}
