import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema';

/** Covering indexes for the KPI queries, each led by `grid_id` then a time; idempotent, run once at start. */
export async function ensureKpiIndexes(db: Kysely<Database>): Promise<void> {
  // Time-led versions of an earlier build: their names are reused by nothing.
  for (const old of ['cases_kpi_created', 'cases_kpi_filed', 'cases_kpi_closed', 'cases_kpi_due', 'cases_kpi_active']) {
    await db.schema.dropIndex(old).ifExists().execute();
  }
  const index = (name: string, columns: string[]) =>
    db.schema.createIndex(name).ifNotExists().on('cases').columns(columns).execute();
  await index('cases_kpi2_created', [
    'grid_id',
    'created_at',
    'source',
    'category',
    'status',
    'self_handled',
    'filed_at',
    'dispatched_at',
    'handled_at',
  ]);
  await index('cases_kpi2_filed', ['grid_id', 'filed_at', 'status']);
  await index('cases_kpi2_closed', [
    'grid_id',
    'closed_at',
    'close_due_at',
    'status',
    'handled_at',
    'rework_count',
    'extension_count',
    'satisfaction',
    'created_at',
  ]);
  await index('cases_kpi2_due', [
    'grid_id',
    'close_due_at',
    'closed_at',
    'status',
    'handled_at',
    'rework_count',
    'extension_count',
  ]);
  await index('cases_kpi2_active', ['active', 'grid_id', 'created_at', 'status', 'close_due_at', 'due_at']);
}
