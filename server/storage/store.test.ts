import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Case } from '../../protocol';
import { makeCase, T0 } from '../../test/fixtures/server';
import { caseRow } from './caseRows';
import { Storage, type WriteBatch } from './store';

let dir: string;
let storage: Storage;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gridwall-store-'));
  storage = await Storage.openSqlite(dir);
});
afterEach(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

const batch = (over: Partial<WriteBatch>): WriteBatch => ({
  cases: [],
  events: [],
  applied: [],
  audit: [],
  alerts: [],
  meta: [],
  ...over,
});
const put = (c: Case, previous?: Case) => ({ case: c, json: JSON.stringify(c), previous: previous ?? null });
const storedRow = (id: string) => storage.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();

describe('Storage.commit (precompiled statements on the writer thread)', () => {
  it('writes every part of a group, readable at once through the main connection', async () => {
    const c = makeCase('reported', { id: 'c1', code: 'X-000001' });
    await storage.commit(
      batch({
        cases: [put(c)],
        events: [{ seq: 1, at: T0, type: 'case.upserted', payload: JSON.stringify(c) }],
        applied: [{ commandId: 'cmd-1', caseId: 'c1', at: T0, ack: '{"ok":true,"seq":1}' }],
        audit: [
          {
            at: T0,
            username: 'sup',
            role: 'supervisor',
            remote_address: '127.0.0.1',
            command_id: 'cmd-1',
            command_type: 'file',
            case_id: 'c1',
            result: 'ok',
            detail: null,
          },
        ],
        meta: [{ key: 'caseCounter', value: '1' }],
      }),
    );
    expect(await storage.getCase('c1')).toEqual(c);
    expect(await storage.eventsBetween(0, 1)).toEqual([
      { seq: 1, at: T0, type: 'case.upserted', payload: JSON.stringify(c) },
    ]);
    expect([...(await storage.findApplied(['cmd-1', 'cmd-unknown'])).keys()]).toEqual(['cmd-1']);
    // Probed 64 ids at a time (lists of 1, 8 and 64): found wherever it stands in a long list.
    const many = Array.from({ length: 150 }, (_, i) => `cmd-x${i}`);
    for (const at of [0, 7, 63, 64, 100, 149]) {
      const ids = many.map((id, i) => (i === at ? 'cmd-1' : id));
      expect([...(await storage.findApplied(ids)).keys()]).toEqual(['cmd-1']);
    }
    expect([...(await storage.findApplied(['cmd-1'])).keys()]).toEqual(['cmd-1']);
    expect((await storage.findApplied([])).size).toBe(0);
    expect((await storage.access.listAudit(10, null)).map((a) => a.commandId)).toEqual(['cmd-1']);
    expect(await storage.getMeta('caseCounter')).toBe('1');
  });

  it('an update of the changed columns leaves the row as a whole-row upsert would', async () => {
    const before = makeCase('reported', { id: 'c1', code: 'X-000001', description: '道路不洁' });
    await storage.commit(batch({ cases: [put(before)] }));
    const after: Case = {
      ...before,
      status: 'filed',
      description: '道路不洁 13812345678',
      milestones: { ...before.milestones, filedAt: T0 + 60_000 },
      version: before.version + 1,
      updatedAt: T0 + 60_000,
    };
    await storage.commit(batch({ cases: [put(after, before)] }));
    expect(await storedRow('c1')).toEqual(caseRow(after));
    expect((await storedRow('c1'))?.search_text).not.toContain('13812345678');
  });

  it('fails the whole group when an update names a row that is not stored (nothing of it is written)', async () => {
    const ghost = makeCase('filed', { id: 'c404', code: 'X-000404' });
    const fresh = makeCase('reported', { id: 'c2', code: 'X-000002' });
    await expect(storage.commit(batch({ cases: [put(fresh), put({ ...ghost, version: 2 }, ghost)] }))).rejects.toThrow(
      /missing row/,
    );
    expect(await storage.getCase('c2')).toBeNull();
  });
});
