import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Alert, Area, Camera, Case, Department, Sensor, Worker } from '../../protocol';
import { AccessRows } from './accessRows';
import { type CaseFilter, CaseUpdates, caseRow, queryCases } from './caseRows';
import { type AuditRecord, Writes } from './hotWrites';
import { migrate } from './migrations';
import { type Precompiled, SqliteStatements } from './prepared';
import type { AppliedCommandTable, CaseTable, Database } from './schema';
import { type WriteOp, WriterThread } from './writer';

export type { CaseFilter } from './caseRows';
export type { AuditRecord } from './hotWrites';

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

/** The `cases` columns the KPI rollup reads, in the order `scanCaseColumns` gives them. */
export const KPI_CASE_COLUMNS = [
  'grid_id',
  'created_at',
  'category',
  'source',
  'status',
  'self_handled',
  'filed_at',
  'dispatched_at',
  'handled_at',
  'closed_at',
  'close_due_at',
  'rework_count',
  'extension_count',
  'satisfaction',
] as const satisfies ReadonlyArray<keyof CaseTable>;
export type KpiCaseColumn = (typeof KPI_CASE_COLUMNS)[number];

export interface Geography {
  areas: Area[];
  workers: Worker[];
  departments: Department[];
  cameras: Camera[];
  sensors: Sensor[];
}

const parse = <T>(text: string): T => JSON.parse(text) as T;

/**
 * Kysely over better-sqlite3: the embedded default. Another dialect (PostgreSQL) reuses every
 * query: the hot writes too, which are Kysely queries compiled once (`Precompiled`) and run as
 * prepared statements.
 */
export class Storage {
  /** Sessions, device credentials and the audit log's reads. */
  readonly access: AccessRows;
  private readonly writes: Writes;
  private readonly caseUpdates: CaseUpdates;

  private constructor(
    readonly db: Kysely<Database>,
    private readonly sqlite: SqliteStatements,
    private readonly writer: WriterThread,
  ) {
    this.writes = new Writes(db);
    this.caseUpdates = new CaseUpdates(db);
    this.access = new AccessRows(db);
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

  /**
   * Every stored case's KPI columns, read synchronously in one pass (no write lands in between):
   * what an in-memory rollup starts from.
   */
  scanCaseColumns(): IterableIterator<unknown[]> & { columns: readonly KpiCaseColumn[] } {
    const query = this.db.selectFrom('cases').select([...KPI_CASE_COLUMNS]);
    return Object.assign(this.sqlite.iterateRaw(query.compile().sql), { columns: KPI_CASE_COLUMNS });
  }

  /** Newest first, paged by (created_at, id). */
  queryCases(filter: CaseFilter, limit: number, cursor: { createdAt: number; id: string } | null) {
    return queryCases(this.db, filter, limit, cursor);
  }

  async findApplied(commandIds: string[]): Promise<Map<string, AppliedCommand>> {
    const found = new Map<string, AppliedCommand>();
    // Nearly every id of a group is new: one `in` probe per 64 ids costs far less than a statement
    // run per id. Lists are padded (with their last id) to 1, 8 or 64 entries: three SQL texts, prepared once.
    for (let i = 0; i < commandIds.length; i += 64) {
      const chunk = commandIds.slice(i, i + 64);
      const size = chunk.length === 1 ? 1 : chunk.length <= 8 ? 8 : 64;
      while (chunk.length < size) chunk.push(chunk[chunk.length - 1] as string);
      const q = this.db.selectFrom('applied_commands').selectAll().where('command_id', 'in', chunk).compile();
      for (const r of this.sqlite.all<AppliedCommandTable>(q.sql, q.parameters)) {
        found.set(r.command_id, { commandId: r.command_id, caseId: r.case_id, at: Number(r.at), ack: r.ack });
      }
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
      const update = c.previous ? this.caseUpdates.get(c.previous, c.case, c.json) : null;
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
}

export function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
