import { z } from 'zod';
import { Case, Deadline, Milestones, TimelineEntry } from './cases';
import { Id } from './common';

/**
 * A changed case on the wire: its id, the version it makes and only what changed. Top-level fields
 * are replaced whole (`set`), except the small objects whose parts change one at a time (`merge`:
 * only their changed keys) and the timeline, which only grows (`add`: the new entries). A whole
 * case is ~2.5 KB and grows with its timeline; a typical patch is a status, a deadline's times and
 * one timeline entry.
 */
const CaseSet = Case.omit({ id: true, version: true }).partial();
const CaseMerge = z
  .object({
    deadline: Deadline.partial(),
    milestones: Milestones.partial(),
    location: Case.shape.location.partial(),
  })
  .partial();
type MergeKey = keyof z.infer<typeof CaseMerge>;
const MERGE_KEYS: readonly MergeKey[] = ['deadline', 'milestones', 'location'];

/**
 * A timeline entry as a patch adds it: `at`, `from`, `to`, `level` and `actor` are left out where
 * they are what the patch implies (the case's new `updatedAt`, the status before it, the new status
 * and level, the actor of the entry before), which they nearly always are: a third of a patch's bytes.
 */
export const TimelineAdd = TimelineEntry.partial({ at: true, from: true, to: true, level: true, actor: true });
export type TimelineAdd = z.infer<typeof TimelineAdd>;

export const CasePatch = z.object({
  id: Id,
  /** The version this patch makes. */
  v: z.number().int().positive(),
  /** The version it applies on top of; absent: `v - 1`. */
  from: z.number().int().nonnegative().optional(),
  set: CaseSet.optional(),
  merge: CaseMerge.optional(),
  /** Timeline entries appended (the timeline only grows), each without what the patch implies. */
  add: z.array(TimelineAdd).optional(),
});
export type CasePatch = z.infer<typeof CasePatch>;
export type CasePatchSet = NonNullable<CasePatch['set']>;

/** The version a patch applies on top of. */
export const patchBase = (p: CasePatch): number => p.from ?? p.v - 1;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * What changed from `prev` to `next` (the same case). Fields are compared by reference first (the
 * lifecycle copies only what it changes), so a patch costs little more than the fields it carries.
 */
export function diffCase(prev: Case, next: Case): CasePatch {
  const patch: CasePatch = { id: next.id, v: next.version };
  if (prev.version !== next.version - 1) patch.from = prev.version;
  const set: Record<string, unknown> = {};
  const merge: Record<string, Record<string, unknown>> = {};
  for (const key of Object.keys(next) as (keyof Case)[]) {
    if (key === 'id' || key === 'version' || key === 'timeline') continue;
    const a: unknown = prev[key];
    const b: unknown = next[key];
    if (sameValue(a, b)) continue;
    if ((MERGE_KEYS as readonly string[]).includes(key) && isObject(a) && isObject(b) && sameKeys(a, b)) {
      const part: Record<string, unknown> = {};
      for (const k of Object.keys(b)) if (!sameValue(a[k], b[k])) part[k] = b[k];
      merge[key] = part;
    } else {
      set[key] = b;
    }
  }
  // A field that `next` lacks cannot be said by a patch: none of Case's fields is optional.
  const grown =
    next.timeline.length >= prev.timeline.length && prev.timeline.every((e, i) => sameValue(e, next.timeline[i]));
  if (!grown) set.timeline = next.timeline;
  else if (next.timeline.length > prev.timeline.length)
    patch.add = compactEntries(next.timeline.slice(prev.timeline.length), prev, next);
  if (Object.keys(set).length > 0) patch.set = set as CasePatchSet;
  if (Object.keys(merge).length > 0) patch.merge = merge as CasePatch['merge'];
  return patch;
}

type Implied = Pick<TimelineEntry, 'at' | 'from' | 'to' | 'level'> & { actor: TimelineEntry['actor'] | undefined };
const IMPLIED_KEYS = ['at', 'from', 'to', 'level'] as const;
type Before = { from: TimelineEntry['from']; actor: TimelineEntry['actor'] | undefined };

/** An added entry's implied fields: the case's new time, status and level; the status and actor before. */
const implied = (before: Before, next: Pick<Case, 'updatedAt' | 'status' | 'level'>): Implied => ({
  at: next.updatedAt,
  from: before.from,
  to: next.status,
  level: next.level,
  actor: before.actor,
});

function compactEntries(entries: readonly TimelineEntry[], prev: Case, next: Case): TimelineAdd[] {
  const before: Before = { from: prev.status, actor: prev.timeline.at(-1)?.actor };
  return entries.map((e) => {
    const d = implied(before, next);
    before.from = e.to;
    before.actor = e.actor;
    const out: Record<string, unknown> = { ...e };
    for (const k of IMPLIED_KEYS) if (e[k] === d[k]) delete out[k];
    if (d.actor && sameValue(e.actor, d.actor)) delete out.actor;
    return out as TimelineAdd;
  });
}

/** The entries a patch adds, whole again, after `base` (its status and its last entry's actor). */
export function expandEntries(
  adds: readonly TimelineAdd[],
  base: Pick<Case, 'status' | 'timeline'>,
  next: Pick<Case, 'updatedAt' | 'status' | 'level'>,
): TimelineEntry[] {
  const before: Before = { from: base.status, actor: base.timeline.at(-1)?.actor };
  return adds.map((a) => {
    const e = { ...implied(before, next), ...a } as TimelineEntry;
    before.from = e.to;
    before.actor = e.actor;
    return e;
  });
}

/** Whether both objects have the same keys: a key that came or went cannot be merged. */
function sameKeys(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => k in b);
}

/**
 * The case a patch makes from `base`; null when it does not apply (another version, or a merge
 * into a field that is null there): the caller asks for the whole case instead of guessing.
 */
export function applyCasePatch<T extends PatchTarget>(base: T, p: CasePatch): T | null {
  if (base.id !== p.id || base.version !== patchBase(p)) return null;
  const next: Record<string, unknown> = { ...base, ...p.set, version: p.v };
  if (p.merge) {
    for (const key of MERGE_KEYS) {
      const part = p.merge[key];
      if (!part) continue;
      const cur = next[key];
      if (!isObject(cur)) return null;
      next[key] = { ...cur, ...part };
    }
  }
  if (p.add && p.add.length > 0) {
    const timeline = next.timeline;
    // A target without a timeline (the renderer's slim records) keeps none.
    if (Array.isArray(timeline)) {
      const whole = next as unknown as Case;
      next.timeline = [...timeline, ...expandEntries(p.add, base as unknown as Case, whole)];
    }
  }
  return next as T;
}

/** What `applyCasePatch` needs of its target: a whole case, or a part of one. */
export type PatchTarget = { id: string; version: number };
