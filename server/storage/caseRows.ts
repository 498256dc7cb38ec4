import { type Kysely, sql } from 'kysely';
import type { Case, CaseQuery } from '../../protocol';
import { isTerminal } from '../../protocol';
import { maskedSearchText } from '../access/masking';
import { Precompiled } from './prepared';
import type { CaseTable, Database } from './schema';

export interface CaseFilter extends Omit<CaseQuery, 'limit' | 'cursor' | 'status'> {
  status?: string[];
  /** Privileged callers may find a case by the reporter's phone. */
  searchPhone: boolean;
}

export type CaseUpdate = Partial<CaseTable> & { id: string };

/** How each column of `cases` (but id, code, source, created_at, search_text and data) reads a case. */
const CASE_COLUMNS = {
  category: (c: Case) => c.category,
  status: (c: Case) => c.status,
  level: (c: Case) => c.level,
  grid_id: (c: Case) => c.gridId,
  priority: (c: Case) => c.priority,
  phone: (c: Case) => c.reporter?.phone ?? null,
  active: (c: Case) => (isTerminal(c.status) ? 0 : 1),
  updated_at: (c: Case) => c.updatedAt,
  filed_at: (c: Case) => c.milestones.filedAt,
  dispatched_at: (c: Case) => c.milestones.dispatchedAt,
  handled_at: (c: Case) => c.milestones.handledAt,
  closed_at: (c: Case) => c.milestones.closedAt,
  close_due_at: (c: Case) => c.milestones.closeDueAt,
  due_at: (c: Case) => c.deadline?.dueAt ?? null,
  ever_overdue: (c: Case) => (c.everOverdue ? 1 : 0),
  self_handled: (c: Case) => (c.selfHandled ? 1 : 0),
  rework_count: (c: Case) => c.reworkCount,
  extension_count: (c: Case) => c.extensionCount,
  satisfaction: (c: Case) => c.satisfaction,
  version: (c: Case) => c.version,
} satisfies { [K in keyof CaseTable]?: (c: Case) => CaseTable[K] };

export const CASE_UPDATE_COLUMNS = [
  ...(Object.keys(CASE_COLUMNS) as Array<keyof typeof CASE_COLUMNS>),
  'search_text',
  'data',
] as const;

// The text as a masked role sees it (no numbers, no reporter's name), so a wall's search cannot test
// whether a case holds a phone or a name.
const searchText = (c: Case): string => maskedSearchText(c);

export function caseRow(c: Case, json = JSON.stringify(c)): CaseTable {
  const row = {
    id: c.id,
    code: c.code,
    source: c.source,
    search_text: searchText(c),
    created_at: c.createdAt,
    data: json,
  } as CaseTable;
  for (const [col, read] of Object.entries(CASE_COLUMNS)) (row as unknown as Record<string, unknown>)[col] = read(c);
  return row;
}

/**
 * The updates of a stored case that write only the columns that changed: one statement per set of
 * columns, compiled once (see `Precompiled`).
 */
export class CaseUpdates {
  private readonly shapes = new Map<string, Precompiled<CaseUpdate>>();

  constructor(private readonly db: Kysely<Database>) {}

  /** The update of only the columns of a stored case that changed; null past the bound on shapes. */
  get(previous: Case, next: Case, json: string): { write: Precompiled<CaseUpdate>; row: CaseUpdate } | null {
    const row: CaseUpdate = { id: next.id, data: json };
    const columns: string[] = [];
    for (const col of CASE_UPDATE_COLUMNS) {
      if (col === 'data') continue;
      if (col === 'search_text') {
        if (previous.description === next.description && previous.location.address === next.location.address) continue;
        row.search_text = searchText(next);
      } else {
        const value = CASE_COLUMNS[col](next);
        if (value === CASE_COLUMNS[col](previous)) continue;
        (row as Record<string, unknown>)[col] = value;
      }
      columns.push(col);
    }
    columns.push('data');
    const key = columns.join(',');
    let update = this.shapes.get(key);
    if (!update) {
      // Each status change touches its own columns: a few dozen shapes in all. Bounded all the same.
      if (this.shapes.size >= 256) return null;
      update = new Precompiled<CaseUpdate>(this.db, (db, slot) => {
        const set: Record<string, unknown> = {};
        for (const col of columns) set[col] = slot(col as keyof CaseTable & string);
        return db
          .updateTable('cases')
          .set(set as Partial<CaseTable>)
          .where('id', '=', slot('id'));
      });
      this.shapes.set(key, update);
    }
    return { write: update, row };
  }
}

/** Newest first, paged by (created_at, id). */
export async function queryCases(
  db: Kysely<Database>,
  filter: CaseFilter,
  limit: number,
  cursor: { createdAt: number; id: string } | null,
) {
  let q = db.selectFrom('cases');
  if (filter.status?.length) q = q.where('status', 'in', filter.status);
  if (filter.source) q = q.where('source', '=', filter.source);
  if (filter.gridId) q = q.where('grid_id', '=', filter.gridId);
  if (filter.category) q = q.where('category', '=', filter.category);
  if (filter.q) {
    const like = `%${filter.q.replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
    const text = filter.q;
    q = q.where((eb) =>
      eb.or([
        eb('code', '=', text),
        sql<boolean>`${sql.ref('search_text')} like ${like} escape '\\'`,
        ...(filter.searchPhone ? [eb('phone', '=', text)] : []),
      ]),
    );
    // Rows written before search_text was masked for names still hold them: a masked role's search
    // never returns a case whose reporter's name and the query overlap (spaces ignored).
    const bare = text.replace(/[\s\u3000·・]/g, '');
    if (!filter.searchPhone && bare !== '') {
      const name = sql<string>`replace(replace(coalesce(json_extract(${sql.ref('data')}, '$.reporter.name'), ''), ' ', ''), '\u3000', '')`;
      q = q.where((eb) =>
        eb.and([
          sql<boolean>`(${name} = '' or instr(${name}, ${bare}) = 0)`,
          sql<boolean>`(${name} = '' or instr(${bare}, ${name}) = 0)`,
        ]),
      );
    }
  }
  const totalRow = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  let page = q.select(['data', 'created_at', 'id']);
  if (cursor) {
    page = page.where((eb) =>
      eb.or([
        eb('created_at', '<', cursor.createdAt),
        eb.and([eb('created_at', '=', cursor.createdAt), eb('id', '<', cursor.id)]),
      ]),
    );
  }
  const rows = await page
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const items = rows.slice(0, limit).map((r) => parse<Case>(r.data));
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  return {
    items,
    total: Number(totalRow?.n ?? 0),
    next: last ? { createdAt: Number(last.created_at), id: last.id } : null,
  };
}

const parse = <T>(text: string): T => JSON.parse(text) as T;
