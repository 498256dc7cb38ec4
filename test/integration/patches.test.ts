import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Case, Command } from '../../protocol';
import type { RunningServer } from '../../server/app/start';
import { commandId, login, removeDir, reportCase, StreamClient, startTestServer, tempDir, waitFor } from './helpers';

let dir: string;
let server: RunningServer;
let sup: string;
let wallToken: string;
const clients: StreamClient[] = [];
const connect = async (token: string, since?: number, held?: ReadonlyMap<string, Case>) => {
  const c = new StreamClient(server.url, token, since, undefined, held);
  clients.push(c);
  await c.ready();
  return c;
};
const report = () => reportCase(server.url, sup, { lng: server.preset.center[0], lat: server.preset.center[1] });

beforeEach(async () => {
  dir = tempDir();
  server = await startTestServer(dir);
  sup = await login(server.url, 'supervisor');
  wallToken = await login(server.url, 'wall');
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server.close();
  removeDir(dir);
});

/** Moves a case on with a command from the supervisor; returns the new case. */
async function act(c: Case, cmd: Record<string, unknown>): Promise<Case> {
  const s = await connect(sup);
  const ack = await s.command({ commandId: commandId(), caseId: c.id, expectedVersion: c.version, ...cmd } as Command);
  s.close();
  if (!ack.ok) throw new Error(ack.error.message);
  return ack.case;
}

const byId = (cases: Iterable<Case>): Record<string, Case> =>
  Object.fromEntries([...cases].map((c) => [c.id, c]).sort(([a], [b]) => String(a).localeCompare(String(b))));

describe('patch events', () => {
  it('a changed case goes out as a patch; a client that resumes after patches holds exactly what a fresh snapshot gives', async () => {
    const full = await connect(sup);
    const wall = await connect(wallToken);
    const cases: Case[] = [];
    for (let i = 0; i < 4; i++) cases.push(await report());
    const worker = server.core.workers.values().next().value?.id ?? '';
    cases[0] = await act(cases[0] as Case, { type: 'file', note: '已回电李秀英' });
    cases[1] = await act(cases[1] as Case, { type: 'file' });
    await server.core.idle();
    server.hub.flush();
    await waitFor(() => full.lastSeq === server.core.lastSeq && wall.lastSeq === server.core.lastSeq, 'live');
    expect(full.events.filter((e) => e.type === 'case.patched').length).toBeGreaterThanOrEqual(2);
    const since = full.lastSeq;
    const wallSince = wall.lastSeq;
    full.close();
    wall.close();

    // Missed while away: patches of every kind (status, deadline, assignee, timeline notes with
    // the reporter's name and phone), and a new case.
    cases[0] = await act(cases[0] as Case, { type: 'dispatch', assignee: { kind: 'worker', id: worker } });
    cases[0] = await act(cases[0] as Case, { type: 'comment', note: '李秀英 13987654321 说还没清理' });
    cases[1] = await act(cases[1] as Case, { type: 'escalate', reason: '网格无法处置' });
    cases[2] = await act(cases[2] as Case, { type: 'reject', reason: '重复，李秀英已报' });
    cases.push(await report());
    await server.core.idle();
    server.hub.flush();

    const resumed = await connect(sup, since, full.cases);
    const resumedWall = await connect(wallToken, wallSince, wall.cases);
    await waitFor(
      () => resumed.lastSeq === server.core.lastSeq && resumedWall.lastSeq === server.core.lastSeq,
      'caught up',
    );
    expect(resumed.snapshots).toHaveLength(0);
    expect(resumedWall.snapshots).toHaveLength(0);
    expect(resumed.events.some((e) => e.type === 'case.patched')).toBe(true);
    expect(resumed.unapplied).toEqual([]);
    expect(resumedWall.unapplied).toEqual([]);

    const fresh = await connect(sup);
    const freshWall = await connect(wallToken);
    const snap = fresh.snapshots[0];
    const wallSnap = freshWall.snapshots[0];
    expect(snap?.seq).toBe(resumed.lastSeq);
    expect(byId(resumed.cases.values())).toEqual(byId(snap?.cases ?? []));
    expect(byId(resumedWall.cases.values())).toEqual(byId(wallSnap?.cases ?? []));
    expect(resumed.cases.get(cases[0]?.id ?? '')).toEqual(cases[0]);

    // The wall's patches never carried the reporter's data; the supervisor's did.
    const wallWire = [...wall.raw, ...resumedWall.raw].join('\n');
    for (const secret of ['13987654321', '李秀英']) expect(wallWire).not.toContain(secret);
    expect(resumed.raw.join('\n')).toContain('李秀英 13987654321');
  });

  it('after a restart the missed patches come from the log, and a resumed client still equals a fresh snapshot', async () => {
    const full = await connect(sup);
    const wall = await connect(wallToken);
    let a = await report();
    let b = await report();
    a = await act(a, { type: 'file', note: '已回电李秀英' });
    await server.core.idle();
    server.hub.flush();
    await waitFor(() => full.lastSeq === server.core.lastSeq && wall.lastSeq === server.core.lastSeq, 'live');
    const since = full.lastSeq;
    full.close();
    wall.close();
    a = await act(a, { type: 'comment', note: '李秀英 13987654321 又来电' });
    b = await act(b, { type: 'file', priority: 'urgent' });
    b = await act(b, {
      type: 'dispatch',
      assignee: { kind: 'department', id: [...server.core.departments.keys()][0] },
    });
    await server.core.idle();

    // The ring is in memory: after a restart only the log has the missed events.
    await server.close();
    server = await startTestServer(dir);
    sup = await login(server.url, 'supervisor');
    wallToken = await login(server.url, 'wall');
    const resumed = await connect(sup, since, full.cases);
    const resumedWall = await connect(wallToken, since, wall.cases);
    await waitFor(
      () => resumed.lastSeq === server.core.lastSeq && resumedWall.lastSeq === server.core.lastSeq,
      'caught up from the log',
    );
    expect(resumed.snapshots).toHaveLength(0);
    expect(resumedWall.snapshots).toHaveLength(0);
    expect(resumed.events.filter((e) => e.type === 'case.patched')).toHaveLength(3);
    expect(resumed.unapplied).toEqual([]);
    expect(resumedWall.unapplied).toEqual([]);
    const fresh = await connect(sup);
    const freshWall = await connect(wallToken);
    expect(byId(resumed.cases.values())).toEqual(byId(fresh.snapshots[0]?.cases ?? []));
    expect(byId(resumedWall.cases.values())).toEqual(byId(freshWall.snapshots[0]?.cases ?? []));
    expect(resumed.cases.get(b.id)).toEqual(b);
    for (const secret of ['13987654321', '李秀英']) expect(resumedWall.raw.join('\n')).not.toContain(secret);
  });

  it('a patch is a fraction of the whole case it changes', async () => {
    const c = await connect(sup);
    let kase = await report();
    for (let i = 0; i < 6; i++) kase = await act(kase, { type: 'comment', note: `第${i}次跟进` });
    await server.core.idle();
    server.hub.flush();
    await waitFor(() => c.caseEvents(kase.id).at(-1)?.version === kase.version, 'last comment');
    const last = c.events.filter((e) => e.type === 'case.patched').at(-1);
    expect(JSON.stringify(last).length * 5).toBeLessThan(JSON.stringify(kase).length);
  });
});
