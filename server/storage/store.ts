import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type {
  Alert,
  Area,
  AuditEntry,
  Camera,
  Case,
  CaseQuery,
  Department,
  DeviceCredential,
  Sensor,
  Worker,
} from '../../protocol';
import { isTerminal } from '../../protocol';
import { scrubText } from '../access/masking';
import { migrate } from './migrations';
import { Precompiled, SqliteStatements } from './prepared';
import type {
  AlertTable,
  AppliedCommandTable,
  AuditTable,
  CaseTable,
  Database,
  EventTable,
  MetaTable,
  SessionTable,
} from './schema';
import { type WriteOp, WriterThread } from './writer';

export interface StoredEvent {
  seq: number;
  at: number;
  type: string;
  /** The payload as JSON text, exactly as stored. */
  payload: string;
}

export interface AppliedCommand {
  commandId: string;
  caseId: string;
  at: number;
  /** The answer given the first time, as JSON text: the same id gets the same answer. */
  ack: string;
}

export type AuditRecord = Omit<AuditTable, 'id'>;
type CaseUpdate = Partial<CaseTable> & { id: string };

/** Everything one group of operations writes, committed in one transaction. */
export interface WriteBatch {
  /**
   * Each case with its JSON text, made once by the caller, and the case as stored before this
   * batch when the caller knows it: then only the columns that changed are written (fewer index
   * entries to move); without it the whole row is upserted.
   */
  cases: Array<{ case: Case; json: string; previous?: Case | null }>;
  events: StoredEvent[];
  applied: AppliedCommand[];
  audit: AuditRecord[];
  alerts: Alert[];
  meta: Array<{ key: string; value: string }>;
}

export interface Geography {
  areas: Area[];
  workers: Worker[];
  departments: Department[];
  cameras: Camera[];
  sensors: Sensor[];
}

export interface CaseFilter extends Omit<CaseQuery, 'limit' | 'cursor' | 'status'> {
  status?: string[];
  /** Privileged callers may find a case by the reporter's phone. */
  searchPhone: boolean;
}

const parse = <T>(text: string): T => JSON.parse(text) as T;

/**
 * Kysely over better-sqlite3: the embedded default. Another dialect (PostgreSQL) reuses every
 * query: the hot writes too, which are Kysely queries compiled once (`Precompiled`) and run as
 * prepared statements.
 */
export class Storage {
  private readonly writes: Writes;
  private readonly caseUpdates = new Map<string, Precompiled<CaseUpdate>>();

  private constructor(
    readonly db: Kysely<Database>,
    private readonly sqlite: SqliteStatements,
    private readonly writer: WriterThread,
  ) {
    this.writes = new Writes(db);
  }

  static async openSqlite(dataDir: string): Promise<Storage> {
    mkdirSync(dataDir, { recursive: true });
    const database = new SQLite(join(dataDir, 'gridwall.db'));
    database.pragma('journal_mode = WAL');
    // A crash may lose the last transaction's fsync but never corrupts: the trade-off WAL allows.
    database.pragma('synchronous = NORMAL');
    database.pragma('busy_timeout = 5000');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
    await migrate(db);
    return new Storage(db, new SqliteStatements(database), new WriterThread(join(dataDir, 'gridwall.db')));
  }

  async close(): Promise<void> {
    await this.writer.close();
    await this.db.destroy();
  }

  async getMeta(key: string): Promise<string | null> {
    const row = await this.db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
    return row?.value ?? null;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.db
      .insertInto('meta')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  }

  // ---- geography -------------------------------------------------------------------------------

  async saveGeography(g: Geography): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const chunk of chunks(g.areas, 200)) {
        await trx
          .insertInto('areas')
          .values(chunk.map((a) => ({ id: a.id, level: a.level, parent_id: a.parentId, data: JSON.stringify(a) })))
          .execute();
      }
      for (const chunk of chunks(g.workers, 500)) {
        await trx
          .insertInto('workers')
          .values(chunk.map((w) => ({ id: w.id, grid_id: w.gridId, data: JSON.stringify(w) })))
          .execute();
      }
      for (const [table, rows] of [
        ['departments', g.departments],
        ['cameras', g.cameras],
        ['sensors', g.sensors],
      ] as const) {
        for (const chunk of chunks<{ id: string }>(rows, 500)) {
          await trx
            .insertInto(table)
            .values(chunk.map((r) => ({ id: r.id, data: JSON.stringify(r) })))
            .execute();
        }
      }
    });
  }

  async loadGeography(): Promise<Geography> {
    const [areas, workers, departments, cameras, sensors] = await Promise.all([
      this.db.selectFrom('areas').select('data').orderBy('id').execute(),
      this.db.selectFrom('workers').select('data').orderBy('id').execute(),
      this.db.selectFrom('departments').select('data').orderBy('id').execute(),
      this.db.selectFrom('cameras').select('data').orderBy('id').execute(),
      this.db.selectFrom('sensors').select('data').orderBy('id').execute(),
    ]);
    return {
      areas: areas.map((r) => parse<Area>(r.data)),
      workers: workers.map((r) => parse<Worker>(r.data)),
      departments: departments.map((r) => parse<Department>(r.data)),
      cameras: cameras.map((r) => parse<Camera>(r.data)),
      sensors: sensors.map((r) => parse<Sensor>(r.data)),
    };
  }

  async saveWorkers(workers: Worker[]): Promise<void> {
    if (workers.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (const w of workers) {
        await trx
          .updateTable('workers')
          .set({ data: JSON.stringify(w) })
          .where('id', '=', w.id)
          .execute();
      }
    });
  }

  async saveEntities(table: 'cameras' | 'sensors', rows: Array<{ id: string }>): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const r of rows) {
        await trx
          .updateTable(table)
          .set({ data: JSON.stringify(r) })
          .where('id', '=', r.id)
          .execute();
      }
    });
  }

  // ---- cases, events, commands -----------------------------------------------------------------

  /** Cases in the loop, plus those that ended after `endedSince`. */
  async loadActiveCases(endedSince: number): Promise<Case[]> {
    const rows = await this.db
      .selectFrom('cases')
      .select('data')
      .where((eb) => eb.or([eb('active', '=', 1), eb('updated_at', '>=', endedSince)]))
      .orderBy('created_at')
      .execute();
    return rows.map((r) => parse<Case>(r.data));
  }

  async getCase(id: string): Promise<Case | null> {
    const row = await this.db.selectFrom('cases').select('data').where('id', '=', id).executeTakeFirst();
    return row ? parse<Case>(row.data) : null;
  }

  async caseCount(): Promise<number> {
    const row = await this.db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Newest first, paged by (created_at, id). */
  async queryCases(filter: CaseFilter, limit: number, cursor: { createdAt: number; id: string } | null) {
    let q = this.db.selectFrom('cases');
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

  async findApplied(commandIds: string[]): Promise<Map<string, AppliedCommand>> {
    const found = new Map<string, AppliedCommand>();
    // One primary-key probe per id through one prepared statement: nearly every id of a group is
    // new, and a probe that misses costs about a microsecond.
    for (const id of commandIds) {
      const r = this.sqlite.get<{ command_id: string }, AppliedCommandTable>(this.writes.findApplied, {
        command_id: id,
      });
      if (r) found.set(r.command_id, { commandId: r.command_id, caseId: r.case_id, at: Number(r.at), ack: r.ack });
    }
    return found;
  }

  /**
   * Writes a group in one transaction on the writer thread: statements compiled once here, run
   * there as prepared statements, one row each. Resolves once the transaction is committed.
   */
  commit(batch: WriteBatch): Promise<void> {
    const w = this.writes;
    const ops: WriteOp[] = [];
    const op = <P extends object>(write: Precompiled<P>, row: P): [number, unknown[]] => [
      this.writer.statement(write.sql),
      write.bind(row),
    ];
    for (const c of batch.cases) {
      const update = c.previous ? this.caseUpdate(c.previous, c.case, c.json) : null;
      // The caller's previous is what was stored: an update that finds no row fails the group.
      ops.push(update ? [...op(update.write, update.row), 1] : op(w.upsertCase, caseRow(c.case, c.json)));
    }
    for (const e of batch.events) ops.push(op(w.insertEvent, e));
    for (const a of batch.applied) {
      ops.push(op(w.insertApplied, { command_id: a.commandId, case_id: a.caseId, at: a.at, ack: a.ack }));
    }
    for (const a of batch.audit) ops.push(op(w.insertAudit, a));
    for (const a of batch.alerts) {
      ops.push(
        op(w.upsertAlert, {
          id: a.id,
          case_id: a.caseId,
          kind: a.kind,
          active: a.clearedAt === null ? 1 : 0,
          raised_at: a.raisedAt,
          cleared_at: a.clearedAt,
          data: JSON.stringify(a),
        }),
      );
    }
    for (const m of batch.meta) ops.push(op(w.upsertMeta, m));
    return this.writer.write(ops);
  }

  /** The update of only the columns of a stored case that changed; null past the bound on shapes. */
  private caseUpdate(
    previous: Case,
    next: Case,
    json: string,
  ): { write: Precompiled<CaseUpdate>; row: CaseUpdate } | null {
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
    let update = this.caseUpdates.get(key);
    if (!update) {
      // Each status change touches its own columns: a few dozen shapes in all. Bounded all the same.
      if (this.caseUpdates.size >= 256) return null;
      update = new Precompiled<CaseUpdate>(this.db, (db, slot) => {
        const set: Record<string, unknown> = {};
        for (const col of columns) set[col] = slot(col as keyof CaseTable & string);
        return db
          .updateTable('cases')
          .set(set as Partial<CaseTable>)
          .where('id', '=', slot('id'));
      });
      this.caseUpdates.set(key, update);
    }
    return { write: update, row };
  }

  async lastSeq(): Promise<number> {
    const row = await this.db
      .selectFrom('events')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirst();
    return Number(row?.seq ?? 0);
  }

  async firstSeq(): Promise<number> {
    const row = await this.db
      .selectFrom('events')
      .select((eb) => eb.fn.min('seq').as('seq'))
      .executeTakeFirst();
    return Number(row?.seq ?? 0);
  }

  /** Events with `after < seq <= upTo`, in order. */
  async eventsBetween(after: number, upTo: number): Promise<StoredEvent[]> {
    const rows = await this.db
      .selectFrom('events')
      .selectAll()
      .where('seq', '>', after)
      .where('seq', '<=', upTo)
      .orderBy('seq')
      .execute();
    return rows.map((r) => ({ seq: Number(r.seq), at: Number(r.at), type: r.type, payload: r.payload }));
  }

  /** Keeps the newest `keep` events; resuming from before them gets a snapshot instead. */
  async pruneEvents(keep: number): Promise<number> {
    const last = await this.lastSeq();
    const result = await this.db
      .deleteFrom('events')
      .where('seq', '<=', last - keep)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async activeAlerts(): Promise<Alert[]> {
    const rows = await this.db
      .selectFrom('alerts')
      .select('data')
      .where('active', '=', 1)
      .orderBy('raised_at')
      .execute();
    return rows.map((r) => parse<Alert>(r.data));
  }

  // ---- sessions, devices, audit ----------------------------------------------------------------

  async insertSession(s: SessionTable): Promise<void> {
    await this.db.insertInto('sessions').values(s).execute();
  }

  async findSession(tokenHash: string): Promise<SessionTable | null> {
    const row = await this.db.selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    return row
      ? {
          ...row,
          created_at: Number(row.created_at),
          expires_at: row.expires_at === null ? null : Number(row.expires_at),
        }
      : null;
  }

  async updateSessionExpiry(tokenHash: string, expiresAt: number): Promise<void> {
    await this.db.updateTable('sessions').set({ expires_at: expiresAt }).where('token_hash', '=', tokenHash).execute();
  }

  async revokeSessions(where: { tokenHash?: string; deviceId?: string }, at: number): Promise<void> {
    let q = this.db.updateTable('sessions').set({ revoked_at: at });
    if (where.tokenHash) q = q.where('token_hash', '=', where.tokenHash);
    if (where.deviceId) q = q.where('device_id', '=', where.deviceId);
    await q.execute();
  }

  async insertDevice(d: DeviceCredential): Promise<void> {
    await this.db
      .insertInto('devices')
      .values({
        id: d.id,
        name: d.name,
        role: d.role,
        created_at: d.createdAt,
        created_by: d.createdBy,
        revoked_at: d.revokedAt,
        last_used_at: d.lastUsedAt,
      })
      .execute();
  }

  async listDevices(): Promise<DeviceCredential[]> {
    const rows = await this.db.selectFrom('devices').selectAll().orderBy('created_at').execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      role: r.role as DeviceCredential['role'],
      createdAt: Number(r.created_at),
      createdBy: r.created_by,
      revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
      lastUsedAt: r.last_used_at === null ? null : Number(r.last_used_at),
    }));
  }

  async markDevice(id: string, set: { revoked_at?: number; last_used_at?: number }): Promise<number> {
    const result = await this.db.updateTable('devices').set(set).where('id', '=', id).executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async listAudit(limit: number, beforeId: number | null): Promise<AuditEntry[]> {
    let q = this.db.selectFrom('audit').selectAll();
    if (beforeId !== null) q = q.where('id', '<', beforeId);
    const rows = await q.orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => ({
      id: Number(r.id),
      at: Number(r.at),
      username: r.username,
      role: r.role,
      remoteAddress: r.remote_address,
      commandId: r.command_id,
      commandType: r.command_type,
      caseId: r.case_id,
      result: r.result,
      detail: r.detail,
    }));
  }
}

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

const CASE_UPDATE_COLUMNS = [
  ...(Object.keys(CASE_COLUMNS) as Array<keyof typeof CASE_COLUMNS>),
  'search_text',
  'data',
] as const;

// Scrubbed of numbers, so a masked role's search cannot test whether a text holds a phone.
const searchText = (c: Case): string => scrubText(`${c.location.address}\n${c.description}`);

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

/** The hot statements, compiled once from Kysely's builder (see `Precompiled`). */
class Writes {
  readonly upsertCase: Precompiled<CaseTable>;
  readonly insertEvent: Precompiled<EventTable>;
  readonly insertApplied: Precompiled<AppliedCommandTable>;
  readonly insertAudit: Precompiled<AuditRecord>;
  readonly upsertAlert: Precompiled<AlertTable>;
  readonly upsertMeta: Precompiled<MetaTable>;
  readonly findApplied: Precompiled<{ command_id: string }>;

  constructor(db: Kysely<Database>) {
    this.upsertCase = new Precompiled<CaseTable>(db, (db, slot) => {
      const row = {} as Record<keyof CaseTable, unknown>;
      for (const col of [...CASE_UPDATE_COLUMNS, 'id', 'code', 'source', 'created_at'] as const) row[col] = slot(col);
      return db
        .insertInto('cases')
        .values(row as CaseTable)
        .onConflict((oc) =>
          oc.column('id').doUpdateSet((eb) => {
            const set: Record<string, unknown> = {};
            for (const col of CASE_UPDATE_COLUMNS) set[col] = eb.ref(`excluded.${col}`);
            return set;
          }),
        );
    });
    this.insertEvent = new Precompiled<EventTable>(db, (db, slot) =>
      db
        .insertInto('events')
        .values({ seq: slot('seq'), at: slot('at'), type: slot('type'), payload: slot('payload') }),
    );
    this.insertApplied = new Precompiled<AppliedCommandTable>(db, (db, slot) =>
      db.insertInto('applied_commands').values({
        command_id: slot('command_id'),
        case_id: slot('case_id'),
        at: slot('at'),
        ack: slot('ack'),
      }),
    );
    this.insertAudit = new Precompiled<AuditRecord>(db, (db, slot) =>
      db.insertInto('audit').values({
        at: slot('at'),
        username: slot('username'),
        role: slot('role'),
        remote_address: slot('remote_address'),
        command_id: slot('command_id'),
        command_type: slot('command_type'),
        case_id: slot('case_id'),
        result: slot('result'),
        detail: slot('detail'),
      }),
    );
    this.upsertAlert = new Precompiled<AlertTable>(db, (db, slot) =>
      db
        .insertInto('alerts')
        .values({
          id: slot('id'),
          case_id: slot('case_id'),
          kind: slot('kind'),
          active: slot('active'),
          raised_at: slot('raised_at'),
          cleared_at: slot('cleared_at'),
          data: slot('data'),
        })
        .onConflict((oc) =>
          oc.column('id').doUpdateSet((eb) => ({
            case_id: eb.ref('excluded.case_id'),
            kind: eb.ref('excluded.kind'),
            active: eb.ref('excluded.active'),
            raised_at: eb.ref('excluded.raised_at'),
            cleared_at: eb.ref('excluded.cleared_at'),
            data: eb.ref('excluded.data'),
          })),
        ),
    );
    this.upsertMeta = new Precompiled<MetaTable>(db, (db, slot) =>
      db
        .insertInto('meta')
        .values({ key: slot('key'), value: slot('value') })
        .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value') }))),
    );
    this.findApplied = new Precompiled<{ command_id: string }>(db, (db, slot) =>
      db.selectFrom('applied_commands').selectAll().where('command_id', '=', slot('command_id')),
    );
  }
}

export function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
