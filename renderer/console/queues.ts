import type { Area, CaseSource } from '../../protocol';
import type { CaseLite } from '../../protocol/lite';

/** The supervisor's work lists. A case may be in several (an overdue case still waits to be dispatched). */
export const QUEUES = [
  'toFile',
  'toDispatch',
  'inProgress',
  'dueSoon',
  'overdue',
  'toVerify',
  'returned',
  'suspended',
  'all',
] as const;
/** The queues, and `all`: every open case (where a search starts, across the queues). */
export type QueueId = (typeof QUEUES)[number];

export function isQueueId(v: unknown): v is QueueId {
  return typeof v === 'string' && (QUEUES as readonly string[]).includes(v);
}

export function inQueue(q: QueueId, c: CaseLite): boolean {
  if (c.endedAt !== null) return false;
  switch (q) {
    case 'toFile':
      return c.status === 'reported';
    case 'toDispatch':
      return c.status === 'filed';
    case 'inProgress':
      return c.status === 'dispatched' || c.status === 'accepted';
    case 'dueSoon':
      return c.warned && !c.overdue;
    case 'overdue':
      return c.overdue;
    case 'toVerify':
      // Handled cases wait for verification; verified ones for the close.
      return c.status === 'handled' || c.status === 'verified';
    case 'returned':
      return c.status === 'returned';
    case 'suspended':
      return c.status === 'suspended';
    case 'all':
      return true;
  }
}

/**
 * Most urgent first: overdue, then urgent priority, then warned, then an extension waiting for an
 * answer, then the nearest deadline; cases without a deadline last, oldest first.
 */
export function byUrgency(a: CaseLite, b: CaseLite): number {
  return (
    Number(b.overdue) - Number(a.overdue) ||
    Number(b.priority === 'urgent') - Number(a.priority === 'urgent') ||
    Number(b.warned) - Number(a.warned) ||
    Number(b.extensionRequested === true) - Number(a.extensionRequested === true) ||
    (a.dueAt ?? Number.POSITIVE_INFINITY) - (b.dueAt ?? Number.POSITIVE_INFINITY) ||
    a.createdAt - b.createdAt ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

export interface Filters {
  /** A street, community or grid: cases in the grids under it. */
  areaId: string | null;
  category: string | null;
  source: CaseSource | null;
  /** Code or address (here), phone and description (the server's search, in `serverMatches`). */
  text: string;
}

export const NO_FILTERS: Filters = { areaId: null, category: null, source: null, text: '' };

/** The grids under an area (itself, when it is a grid). */
export function gridsUnder(areas: readonly Area[], areaId: string): Set<string> {
  const children = new Map<string, Area[]>();
  for (const a of areas) {
    if (!a.parentId) continue;
    const list = children.get(a.parentId);
    if (list) list.push(a);
    else children.set(a.parentId, [a]);
  }
  const out = new Set<string>();
  const stack = [areaId];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    const kids = children.get(id);
    if (!kids) {
      out.add(id);
      continue;
    }
    for (const k of kids) stack.push(k.id);
  }
  return out;
}

export interface QueueResult {
  /** Sorted by urgency, after the filters. */
  lists: Record<QueueId, CaseLite[]>;
  counts: Record<QueueId, number>;
}

/** True where the search text reads like part of a phone number: the server searches phones. */
export const looksLikePhone = (text: string): boolean => /^\+?[\d\s-]{4,}$/.test(text.trim());

/**
 * Every queue in one pass over the cases, filtered and sorted. `grids` is the area filter's grid
 * set; `serverMatches` the ids the server's search found (phone, description), or null.
 */
export function computeQueues(
  cases: Iterable<CaseLite>,
  filters: Filters,
  grids: Set<string> | null,
  serverMatches: Set<string> | null,
): QueueResult {
  const lists = Object.fromEntries(QUEUES.map((q) => [q, [] as CaseLite[]])) as Record<QueueId, CaseLite[]>;
  const text = filters.text.trim().toLowerCase();
  for (const c of cases) {
    if (c.endedAt !== null) continue;
    if (grids && !grids.has(c.gridId)) continue;
    if (filters.category && c.category !== filters.category) continue;
    if (filters.source && c.source !== filters.source) continue;
    if (text) {
      const local = c.code.toLowerCase().includes(text) || c.address.toLowerCase().includes(text);
      if (!local && !serverMatches?.has(c.id)) continue;
    }
    for (const q of QUEUES) if (inQueue(q, c)) lists[q].push(c);
  }
  const counts = {} as Record<QueueId, number>;
  for (const q of QUEUES) {
    lists[q].sort(byUrgency);
    counts[q] = lists[q].length;
  }
  return { lists, counts };
}
