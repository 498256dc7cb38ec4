import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

/**
 * A start-up that cannot go on, said in one line with what to do. The CLI prints it and exits
 * non-zero; anything else that escapes start-up is turned into one line by `describeStartupError`.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';

  /** The system's code where there is one (`EADDRINUSE`: `npm start` then takes a free port). */
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export const DB_FILE = 'gridwall.db';

/**
 * The data dir must be a directory this process can write, and so must the database and the WAL
 * files a crash leaves beside it: SQLite opens a read-only WAL database and reads it, so without
 * this check the server listened and answered 500 on the first write.
 */
export function checkDataDir(dataDir: string): void {
  const dir = resolve(dataDir);
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new StartupError(`data directory ${dir} is a file: pass --data with a directory`);
  }
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new StartupError(
      `cannot create data directory ${dir} (${codeOf(err)}): create it writable for this user or pass --data DIR`,
    );
  }
  // A real write, not access(): root passes access() on a read-only mount, and so do some ACLs.
  const probe = join(dir, `.write-test-${process.pid}`);
  try {
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (err) {
    // WAL files mean the last stop was unclean: SQLite must write to recover them.
    const crashed = existsSync(join(dir, `${DB_FILE}-wal`)) ? ' and holds WAL files left by an unclean stop' : '';
    throw new StartupError(
      `data directory ${dir} is read-only${crashed} (${codeOf(err)}): make it writable for this user or pass --data DIR`,
    );
  }
  for (const file of [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`]) {
    const path = join(dir, file);
    if (!existsSync(path)) continue;
    try {
      // Opening for append changes nothing and fails exactly where SQLite's writes would.
      writeFileSync(path, '', { flag: 'a' });
    } catch (err) {
      throw new StartupError(
        `${path} is read-only (${codeOf(err)}): make the data directory's files writable for this user`,
      );
    }
  }
}

/** Fails fast on a taken port, before minutes of history are filled for nothing. */
export async function checkPort(host: string, port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((done, fail) => {
    const probe = createServer();
    probe.once('error', (err) => fail(new StartupError(describeListenError(err, host, port), codeOf(err))));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => done()));
  });
}

function describeListenError(err: unknown, host: string, port: number): string {
  switch (codeOf(err)) {
    case 'EADDRINUSE':
      return `port ${port} on ${host} is in use: stop what listens there or pass --port N (0 picks a free one)`;
    case 'EACCES':
      return `port ${port} on ${host} needs privileges this user lacks: pass --port 1024 or above`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return `cannot listen on ${host}: no such address on this machine; pass --host with one of its addresses`;
    default:
      return `cannot listen on ${host}:${port} (${codeOf(err)}): pass another --host or --port`;
  }
}

function codeOf(err: unknown): string {
  return (err as { code?: string }).code ?? (err as Error).message ?? String(err);
}

/** Any error out of start-up as one line. SQLite's codes say what is wrong with the database. */
export function describeStartupError(err: unknown, context: { dataDir: string; host: string; port: number }): string {
  if (err instanceof StartupError) return err.message;
  const code = codeOf(err);
  const db = join(resolve(context.dataDir), DB_FILE);
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return `database ${db} is damaged (${firstLine(err)}): restore it from a backup, or move the data directory away to start a new one`;
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM') {
    return `cannot write database ${db} (${code}): make the data directory and its files writable for this user`;
  }
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return `the disk holding ${db} is full: free some space`;
  if (['EADDRINUSE', 'EACCES', 'EADDRNOTAVAIL'].includes(code) && (err as { syscall?: string }).syscall === 'listen') {
    return describeListenError(err, context.host, context.port);
  }
  return firstLine(err);
}

const firstLine = (err: unknown): string => ((err as Error).message ?? String(err)).split('\n')[0] ?? '';
