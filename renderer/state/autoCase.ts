import { createStore } from 'zustand/vanilla';
import type { CaseLite } from '../../protocol/lite';
import type { WallState } from './store';

/**
 * What a case-detail panel shows when no one has chosen a case: the latest urgent cases and the
 * longest overdue ones, taking turns. The choice is a pure function of the store and the server's
 * clock (never of a local timer), so every display of a wall, and the preview, show the same case
 * at the same moment: windows that opened at different times agree.
 */

/** How long each automatic case stays, in real seconds (server time divided by the clock's rate). */
export const AUTO_ROTATE_MS = 15_000;
/** How many of each kind take turns. */
export const AUTO_PER_KIND = 3;

export type AutoReason = 'urgent' | 'overdue' | 'latest';

export interface AutoCandidate {
  id: string;
  reason: AutoReason;
}

export interface AutoPick extends AutoCandidate {
  /** Its place in the turn (0-based) and the length of the turn. */
  index: number;
  of: number;
}

/**
 * How many server milliseconds pass in a real one: 1 for a real center, the simulator's speed for a
 * demo (60× would otherwise turn the panel four times a second). Every window reads the same value
 * from the server (`GET /health`), so their turns stay in step.
 */
export const clockRateStore = createStore(() => ({ rate: 1 }));

/** Reads the simulator's speed from the server once; a real server (or no answer) keeps 1. */
export async function loadClockRate(origin: string): Promise<number> {
  try {
    const res = await fetch(`${origin}/health`);
    const body = (res.ok ? await res.json() : null) as { simulator?: { speed?: unknown } | null } | null;
    const speed = body?.simulator?.speed;
    if (typeof speed === 'number' && Number.isFinite(speed) && speed > 0) clockRateStore.setState({ rate: speed });
  } catch {
    // Real time it is.
  }
  return clockRateStore.getState().rate;
}

const newestFirst = (a: CaseLite, b: CaseLite) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const longestOverdueFirst = (a: CaseLite, b: CaseLite) =>
  (a.dueAt ?? 0) - (b.dueAt ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Keeps the `k` first of `list` by `cmp` as items are offered (no sort of the whole set). */
function offer(top: CaseLite[], c: CaseLite, k: number, cmp: (a: CaseLite, b: CaseLite) => number): void {
  if (top.length >= k && cmp(c, top[top.length - 1] as CaseLite) >= 0) return;
  let i = top.length;
  while (i > 0 && cmp(c, top[i - 1] as CaseLite) < 0) i--;
  top.splice(i, 0, c);
  if (top.length > k) top.pop();
}

/**
 * The cases that take turns, in a fixed order: the newest urgent, the longest overdue, the second
 * newest urgent, the second longest overdue… (a case both urgent and overdue comes once). With none
 * of either, the newest open cases. Ties are broken by id, so the order never depends on the order
 * in which a window happened to receive the cases.
 */
export function autoCandidates(cases: Pick<WallState['cases'], 'byId'>, per = AUTO_PER_KIND): AutoCandidate[] {
  const urgent: CaseLite[] = [];
  const overdue: CaseLite[] = [];
  const latest: CaseLite[] = [];
  for (const c of cases.byId.values()) {
    if (c.endedAt !== null) continue;
    if (c.priority === 'urgent') offer(urgent, c, per, newestFirst);
    if (c.overdue) offer(overdue, c, per, longestOverdueFirst);
    if (urgent.length === 0 && overdue.length === 0) offer(latest, c, per, newestFirst);
  }
  const out: AutoCandidate[] = [];
  const seen = new Set<string>();
  const add = (c: CaseLite | undefined, reason: AutoReason) => {
    if (!c || seen.has(c.id)) return;
    seen.add(c.id);
    out.push({ id: c.id, reason });
  };
  for (let i = 0; i < per; i++) {
    add(urgent[i], 'urgent');
    add(overdue[i], 'overdue');
  }
  if (out.length === 0) {
    // `latest` stopped filling once an urgent or overdue case was met; with none, it saw every case.
    for (const c of latest) add(c, 'latest');
  }
  return out;
}

/** Which turn it is at a server time: the same on every window that agrees on the clock. */
export function autoTurn(serverTime: number, rate = 1, periodMs = AUTO_ROTATE_MS): number {
  return Math.floor(serverTime / (periodMs * Math.max(rate, 1e-6)));
}

/** The case the turn `turn` shows, or null when nothing is open. */
export function pickAuto(candidates: readonly AutoCandidate[], turn: number): AutoPick | null {
  const n = candidates.length;
  if (n === 0) return null;
  const index = ((turn % n) + n) % n;
  const c = candidates[index] as AutoCandidate;
  return { ...c, index, of: n };
}

/**
 * What the panel shows: the person's choice (or an alert's focus) when there is one, else the
 * automatic case of this turn. `null` means there is nothing open at all.
 */
export function detailChoice(
  state: Pick<WallState, 'focus' | 'cases'>,
  serverTime: number,
  rate = 1,
): { kind: 'focus'; caseId: string } | { kind: 'auto'; pick: AutoPick; queue: AutoCandidate[] } | null {
  if (state.focus.caseId !== null) return { kind: 'focus', caseId: state.focus.caseId };
  const queue = autoCandidates(state.cases);
  const pick = pickAuto(queue, autoTurn(serverTime, rate));
  return pick ? { kind: 'auto', pick, queue } : null;
}
