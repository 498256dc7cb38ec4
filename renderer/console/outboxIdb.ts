import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import { z } from 'zod';
import { ApiError, Command } from '../../protocol';
import { MemoryOutboxStorage, type OutboxEntry, type OutboxStorage } from './outbox';

interface ConsoleDb extends DBSchema {
  outbox: { key: number; value: OutboxEntry };
}

const DB_NAME = 'gridwall-console';

/** What comes back from disk is checked like anything else that enters: an older build may have written it. */
const StoredEntry = z.object({
  seq: z.number().int().positive(),
  command: Command,
  caseCode: z.string(),
  username: z.string(),
  createdAt: z.number(),
  state: z.enum(['queued', 'failed']),
  after: z.string().nullable(),
  attempts: z.number().int().nonnegative(),
  error: ApiError.extend({ code: z.union([ApiError.shape.code, z.literal('blocked')]) }).nullable(),
  failedAt: z.number().nullable(),
});

/** The outbox on IndexedDB: it survives a reload, a crash of the window and a restart of the machine. */
export class IdbOutboxStorage implements OutboxStorage {
  private constructor(private readonly db: IDBPDatabase<ConsoleDb>) {}

  static async open(): Promise<IdbOutboxStorage> {
    const db = await openDB<ConsoleDb>(DB_NAME, 1, {
      upgrade(d) {
        d.createObjectStore('outbox', { keyPath: 'seq' });
      },
    });
    return new IdbOutboxStorage(db);
  }

  async load(): Promise<OutboxEntry[]> {
    const rows = await this.db.getAll('outbox');
    const out: OutboxEntry[] = [];
    for (const row of rows) {
      const parsed = StoredEntry.safeParse(row);
      if (parsed.success) out.push(parsed.data);
      else console.warn('outbox: an unreadable stored command was kept aside', row);
    }
    return out;
  }

  // Each write waits for its transaction to commit, flushed to disk ('strict'): a request that
  // succeeded in a transaction the page's unload then aborts would be a lost command.
  async put(entry: OutboxEntry): Promise<void> {
    const tx = this.db.transaction('outbox', 'readwrite', { durability: 'strict' });
    await Promise.all([tx.store.put(entry), tx.done]);
  }

  async delete(seq: number): Promise<void> {
    const tx = this.db.transaction('outbox', 'readwrite', { durability: 'strict' });
    await Promise.all([tx.store.delete(seq), tx.done]);
  }
}

/** IndexedDB where the browser has it; memory otherwise (said so on screen: a reload would lose it). */
export async function openOutboxStorage(): Promise<{ storage: OutboxStorage; durable: boolean }> {
  try {
    return { storage: await IdbOutboxStorage.open(), durable: true };
  } catch (err) {
    console.warn('outbox: IndexedDB unavailable, commands are kept in memory only', err);
    return { storage: new MemoryOutboxStorage(), durable: false };
  }
}
