import type { Kysely } from 'kysely';
import type { Database } from './schema';

/** Creates every table; the same builder calls produce SQLite and PostgreSQL DDL. */
export async function migrate(db: Kysely<Database>): Promise<void> {
  const entity = (name: 'departments' | 'cameras' | 'sensors' | 'inspection_points') =>
    db.schema
      .createTable(name)
      .ifNotExists()
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('data', 'text', (c) => c.notNull())
      .execute();

  await db.schema
    .createTable('meta')
    .ifNotExists()
    .addColumn('key', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('areas')
    .ifNotExists()
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('level', 'varchar(16)', (c) => c.notNull())
    .addColumn('parent_id', 'varchar(64)')
    .addColumn('data', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('workers')
    .ifNotExists()
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('grid_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .execute();
  await entity('departments');
  await entity('cameras');
  await entity('sensors');
  await entity('inspection_points');

  await db.schema
    .createTable('cases')
    .ifNotExists()
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('code', 'varchar(32)', (c) => c.notNull().unique())
    .addColumn('category', 'varchar(32)', (c) => c.notNull())
    .addColumn('source', 'varchar(16)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('level', 'varchar(16)', (c) => c.notNull())
    .addColumn('grid_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('priority', 'varchar(8)', (c) => c.notNull())
    .addColumn('phone', 'varchar(20)')
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('filed_at', 'bigint')
    .addColumn('dispatched_at', 'bigint')
    .addColumn('handled_at', 'bigint')
    .addColumn('closed_at', 'bigint')
    .addColumn('close_due_at', 'bigint')
    .addColumn('due_at', 'bigint')
    .addColumn('ever_overdue', 'integer', (c) => c.notNull())
    .addColumn('self_handled', 'integer', (c) => c.notNull())
    .addColumn('rework_count', 'integer', (c) => c.notNull())
    .addColumn('extension_count', 'integer', (c) => c.notNull())
    .addColumn('satisfaction', 'varchar(16)')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cases_active').ifNotExists().on('cases').columns(['active', 'updated_at']).execute();
  await db.schema.createIndex('cases_created').ifNotExists().on('cases').column('created_at').execute();
  await db.schema.createIndex('cases_closed').ifNotExists().on('cases').column('closed_at').execute();
  await db.schema.createIndex('cases_grid').ifNotExists().on('cases').columns(['grid_id', 'created_at']).execute();
  await db.schema.createIndex('cases_phone').ifNotExists().on('cases').column('phone').execute();

  await db.schema
    .createTable('events')
    .ifNotExists()
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('type', 'varchar(32)', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('applied_commands')
    .ifNotExists()
    .addColumn('command_id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('case_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('ack', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('alerts')
    .ifNotExists()
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('case_id', 'varchar(64)')
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('raised_at', 'bigint', (c) => c.notNull())
    .addColumn('cleared_at', 'bigint')
    .addColumn('data', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('alerts_active').ifNotExists().on('alerts').columns(['active', 'raised_at']).execute();
  await db.schema
    .createTable('sessions')
    .ifNotExists()
    .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('username', 'varchar(64)', (c) => c.notNull())
    .addColumn('role', 'varchar(16)', (c) => c.notNull())
    .addColumn('kind', 'varchar(8)', (c) => c.notNull())
    .addColumn('device_id', 'varchar(64)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema
    .createTable('devices')
    .ifNotExists()
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(64)', (c) => c.notNull())
    .addColumn('role', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'varchar(64)', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .addColumn('last_used_at', 'bigint')
    .execute();
  await db.schema
    .createTable('audit')
    .ifNotExists()
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('username', 'varchar(64)', (c) => c.notNull())
    .addColumn('role', 'varchar(16)', (c) => c.notNull())
    .addColumn('remote_address', 'varchar(64)', (c) => c.notNull())
    .addColumn('command_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('command_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('case_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('result', 'varchar(32)', (c) => c.notNull())
    .addColumn('detail', 'text')
    .execute();
}
