import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The thread that writes: its own connection to the same database file, running each write group
 * as one transaction of statements prepared once. The event loop only hands the group over (SQL
 * compiled by Kysely on this side, parameters bound) and goes on with sockets while SQLite works;
 * WAL checkpoints happen in that thread too, never on the event loop.
 *
 * The thread runs plain JavaScript (`eval`): it needs no TypeScript loader, under tsx, vitest or a
 * packaged server alike.
 */
const WRITER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');
const statements = [];
const run = db.transaction((ops) => {
  for (const op of ops) {
    const changes = statements[op[0]].run(...op[1]).changes;
    // An update of a row that must exist and does not: roll the group back rather than lose it.
    if (op[2] === 1 && changes !== 1) throw new Error('update of a missing row: ' + JSON.stringify(op[1][op[1].length - 1]));
  }
});
parentPort.on('message', (msg) => {
  if (msg.type === 'close') {
    db.close();
    parentPort.postMessage({ type: 'closed' });
    return;
  }
  try {
    for (const [id, sql] of msg.prepare) statements[id] = db.prepare(sql);
    run(msg.ops);
    parentPort.postMessage({ type: 'done', id: msg.id });
  } catch (err) {
    parentPort.postMessage({ type: 'done', id: msg.id, error: String(err && err.message || err) });
  }
});
`;

/** One statement run: [statement id, parameters], with 1 third for an update that must change one row. */
export type WriteOp = [number, unknown[]] | [number, unknown[], 1];

export class WriterThread {
  private readonly worker: Worker;
  private readonly ids = new Map<string, number>();
  private newStatements: Array<[number, string]> = [];
  private readonly waiting = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  private nextId = 0;
  private closed: Promise<void> | null = null;

  constructor(file: string) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WRITER_SOURCE, { eval: true, workerData: { file, driver } });
    this.worker.on('message', (msg: { type: string; id?: number; error?: string }) => {
      if (msg.type !== 'done' || msg.id === undefined) return;
      const w = this.waiting.get(msg.id);
      this.waiting.delete(msg.id);
      if (msg.error === undefined) w?.resolve();
      else w?.reject(new Error(msg.error));
    });
    this.worker.on('error', (err) => this.failAll(err));
    this.worker.on('exit', () => this.failAll(new Error('the database writer stopped')));
    // Idle between groups, the thread must not keep the process alive.
    this.worker.unref();
  }

  /** The id the thread knows a SQL text by (prepared there on first use). */
  statement(sql: string): number {
    let id = this.ids.get(sql);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(sql, id);
      this.newStatements.push([id, sql]);
    }
    return id;
  }

  /** Runs the ops in one transaction; resolves once it is committed. */
  write(ops: WriteOp[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('storage is closed'));
    const id = ++this.nextId;
    const prepare = this.newStatements;
    this.newStatements = [];
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ type: 'write', id, prepare, ops });
    }).finally(() => {
      if (this.waiting.size === 0) this.worker.unref();
    });
  }

  /** Lets the writes already sent finish, then closes the thread's connection. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      // The thread takes messages in order: the writes already sent are committed before it closes.
      this.worker.ref();
      await new Promise<void>((resolve) => {
        this.worker.on('message', (msg: { type: string }) => {
          if (msg.type === 'closed') resolve();
        });
        this.worker.postMessage({ type: 'close' });
      });
      await this.worker.terminate();
    })();
    return this.closed;
  }

  private failAll(err: Error): void {
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }
}
