import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDataDir, checkPort, describeStartupError, StartupError } from './preflight';

const dir = mkdtempSync(join(tmpdir(), 'gridwall-preflight-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const context = { dataDir: dir, host: '127.0.0.1', port: 8080 };

describe('start-up checks', () => {
  it('a taken port fails with one line and keeps EADDRINUSE (npm start then takes a free port)', async () => {
    const taken = createServer();
    const port = await new Promise<number>((done) =>
      taken.listen(0, '127.0.0.1', () => done((taken.address() as { port: number }).port)),
    );
    const err = await checkPort('127.0.0.1', port).catch((e: unknown) => e);
    taken.close();
    expect(err).toBeInstanceOf(StartupError);
    expect(err).toMatchObject({ code: 'EADDRINUSE', message: expect.stringMatching(/is in use: .*--port N/) });
    await expect(checkPort('127.0.0.1', 0)).resolves.toBeUndefined();
  });

  it('a data dir that is a file, and a writable one', () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    expect(() => checkDataDir(file)).toThrow(/is a file: pass --data with a directory/);
    expect(() => checkDataDir(join(dir, 'new', 'nested'))).not.toThrow();
  });

  it("says SQLite's errors as what to do with the database", () => {
    const sqlite = (code: string, message: string) => Object.assign(new Error(message), { code });
    expect(describeStartupError(sqlite('SQLITE_NOTADB', 'file is not a database'), context)).toMatch(
      /gridwall\.db is damaged \(file is not a database\): restore it from a backup/,
    );
    expect(describeStartupError(sqlite('SQLITE_CORRUPT_INDEX', 'database disk image is malformed'), context)).toMatch(
      /is damaged/,
    );
    expect(describeStartupError(sqlite('SQLITE_READONLY_DBMOVED', 'x'), context)).toMatch(/make the data directory/);
    expect(describeStartupError(new Error('first\nsecond'), context)).toBe('first');
  });
});
