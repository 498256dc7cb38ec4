import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, tempDir } from './helpers';

/**
 * Every bad start of `npm run server` ends with a non-zero exit and exactly one line on stderr that
 * says what to do (issue 24). The server runs as a child process, as an operator would start it.
 */

// Root writes anywhere; a read-only data dir is only read-only to another user.
const asOtherUser = process.getuid?.() === 0 ? { uid: 65_534, gid: 65_534 } : {};

function runServer(args: string[], user: { uid?: number; gid?: number } = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOME: tmp },
    ...user,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise<{ code: number | null; stdout: string; lines: string[] }>((done) => {
    child.on('exit', (code) => done({ code, stdout, lines: stderr.split('\n').filter((l) => l.trim() !== '') }));
  });
}

/** The one line, checked: non-zero exit, nothing else printed. */
async function failsWith(args: string[], pattern: RegExp, code = 1, user = {}) {
  const result = await runServer(args, user);
  expect(result.lines).toHaveLength(1);
  expect(result.lines[0]).toMatch(pattern);
  expect(result.code).toBe(code);
  expect(result.stdout).toBe('');
}

let tmp = '';
beforeAll(() => {
  tmp = tempDir();
  chmodSync(tmp, 0o755);
});
afterAll(() => removeDir(tmp));

const serve = (dir: string) => ['--data', dir, '--port', '0', '--preset', 'small', '--no-sim'];

describe('npm run server: a bad start is one line and a non-zero exit', () => {
  it('an unknown flag, a flag without its value and a bad number are usage errors (exit 2)', async () => {
    await failsWith(['--bogus'], /^GridWall server: unknown flag --bogus: run with --help/, 2);
    await failsWith(['--port'], /^GridWall server: --port needs a value/, 2);
    await failsWith(['--port', 'eighty'], /^GridWall server: --port must be a non-negative number, got "eighty"/, 2);
  });

  it('--help lists every flag and exits 0', async () => {
    const result = await runServer(['--help']);
    expect(result.code).toBe(0);
    for (const flag of [
      'host',
      'port',
      'data',
      'config',
      'preset',
      'seed',
      'speed',
      'history-days',
      'no-sim',
      'help',
    ]) {
      expect(result.stdout).toContain(`--${flag} `);
    }
  });

  it('a missing config, a config that is not JSON, and one that breaks the schema (naming the field)', async () => {
    const dir = join(tmp, 'config');
    mkdirSync(dir);
    await failsWith(
      [...serve(dir), '--config', join(dir, 'missing.json')],
      /failed to start: config file .*missing\.json not found: pass --config with an existing file/,
    );
    writeFileSync(join(dir, 'broken.json'), '{"users": [');
    await failsWith(
      [...serve(dir), '--config', join(dir, 'broken.json')],
      /broken\.json is not valid JSON .*: fix the file$/,
    );
    writeFileSync(join(dir, 'schema.json'), JSON.stringify({ sessionHours: -1 }));
    await failsWith(
      [...serve(dir), '--config', join(dir, 'schema.json')],
      /schema\.json is invalid, fix: sessionHours: /,
    );
  });

  it('a corrupt database', async () => {
    const dir = join(tmp, 'corrupt');
    mkdirSync(dir);
    writeFileSync(join(dir, 'gridwall.db'), Buffer.alloc(8192, 0x5a));
    await failsWith(
      serve(dir),
      /database .*gridwall\.db is damaged \(file is not a database\): restore it from a backup/,
    );
  });

  it('a read-only data dir, and one where a crash left WAL files', async () => {
    const empty = join(tmp, 'readonly');
    mkdirSync(empty);
    chmodSync(empty, 0o555);
    await failsWith(
      serve(empty),
      /data directory .*readonly is read-only \(EACCES\): make it writable/,
      1,
      asOtherUser,
    );

    const crashed = join(tmp, 'crashed');
    mkdirSync(crashed);
    // A writer that never closes: its WAL is not checkpointed and stays beside the database.
    const db = new Database(join(crashed, 'gridwall.db'));
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    for (const f of ['gridwall.db', 'gridwall.db-wal', 'gridwall.db-shm']) chmodSync(join(crashed, f), 0o444);
    chmodSync(crashed, 0o555);
    await failsWith(serve(crashed), /crashed is read-only and holds WAL files left by an unclean stop/, 1, asOtherUser);
    db.close();
  });

  it('a port in use', async () => {
    const taken: Server = createServer();
    const port = await new Promise<number>((done) =>
      taken.listen(0, '127.0.0.1', () => done((taken.address() as { port: number }).port)),
    );
    try {
      await failsWith(
        [...serve(join(tmp, 'port')), '--port', String(port)],
        new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use: stop what listens there or pass --port N`),
      );
    } finally {
      taken.close();
    }
  });
});
