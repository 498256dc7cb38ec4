import type BetterSqlite3 from 'better-sqlite3';
import type { Compilable, Kysely } from 'kysely';
import type { Database } from './schema';

/** A value bound per call: compiled into the statement as an ordinary parameter. */
class Slot {
  constructor(readonly key: string) {}
}

/** Stands in for the row's value of `key` while a statement is compiled (a parameter, never inlined). */
export type SlotOf<P> = <K extends keyof P & string>(key: K) => P[K];

/**
 * A statement written with Kysely's builder and compiled once: the SQL text of whatever dialect
 * the Kysely instance speaks (`?` for SQLite, `$1…` for PostgreSQL) and, for each parameter in
 * compiled order, the row field it binds. Hot writes then skip Kysely's build and compile steps;
 * the query is still defined once, in the builder, for both databases.
 */
export class Precompiled<P extends object> {
  readonly sql: string;
  private readonly binders: Array<{ key: keyof P } | { value: unknown }>;

  constructor(db: Kysely<Database>, build: (db: Kysely<Database>, slot: SlotOf<P>) => Compilable) {
    const slot = ((key: string) => new Slot(key)) as unknown as SlotOf<P>;
    const compiled = build(db, slot).compile();
    this.sql = compiled.sql;
    this.binders = compiled.parameters.map((p) => (p instanceof Slot ? { key: p.key as keyof P } : { value: p }));
  }

  /** The parameters for one row, in the order the SQL names them. */
  bind(row: P): unknown[] {
    const out = new Array<unknown>(this.binders.length);
    for (let i = 0; i < this.binders.length; i++) {
      const b = this.binders[i] as { key: keyof P } | { value: unknown };
      out[i] = 'key' in b ? row[b.key] : b.value;
    }
    return out;
  }
}

/**
 * better-sqlite3 statements for precompiled statements, prepared once per SQL text. Synchronous: a write
 * group runs as one transaction without returning to the event loop between rows.
 */
export class SqliteStatements {
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(readonly database: BetterSqlite3.Database) {}

  /** Runs one row through a precompiled write; returns the number of rows changed. */
  run<P extends object>(write: Precompiled<P>, row: P): number {
    return this.statement(write.sql).run(...write.bind(row)).changes;
  }

  /** The first row a precompiled read returns, or undefined. */
  get<P extends object, R>(write: Precompiled<P>, row: P): R | undefined {
    return this.statement(write.sql).get(...write.bind(row)) as R | undefined;
  }

  /** Every row of a read, by SQL text and parameters (prepared once per text). */
  all<R>(sql: string, parameters: readonly unknown[]): R[] {
    return this.statement(sql).all(...parameters) as R[];
  }

  /** Every row a read returns, one at a time (synchronous: nothing else runs between rows). */
  iterate<R>(sql: string): IterableIterator<R> {
    return this.statement(sql).iterate() as IterableIterator<R>;
  }

  /** `iterate`, each row as an array of its columns in select order (no object per row). */
  iterateRaw(sql: string): IterableIterator<unknown[]> {
    // Its own statement: raw mode is a statement's setting.
    return this.database.prepare(sql).raw(true).iterate() as IterableIterator<unknown[]>;
  }

  /** Runs `fn` in one transaction (committed when it returns, rolled back when it throws). */
  transaction(fn: () => void): void {
    this.database.transaction(fn)();
  }

  private statement(sql: string): BetterSqlite3.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.database.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }
}
