import type { Kysely } from 'kysely';
import { CASE_UPDATE_COLUMNS } from './caseRows';
import { Precompiled } from './prepared';
import type { AlertTable, AppliedCommandTable, AuditTable, CaseTable, Database, EventTable, MetaTable } from './schema';

export type AuditRecord = Omit<AuditTable, 'id'>;

/** The hot statements, compiled once from Kysely's builder (see `Precompiled`). */
export class Writes {
  readonly upsertCase: Precompiled<CaseTable>;
  readonly insertEvent: Precompiled<EventTable>;
  readonly insertApplied: Precompiled<AppliedCommandTable>;
  readonly insertAudit: Precompiled<AuditRecord>;
  readonly upsertAlert: Precompiled<AlertTable>;
  readonly upsertMeta: Precompiled<MetaTable>;

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
  }
}
