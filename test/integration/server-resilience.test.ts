import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { RunningServer } from '../../server/app/start';
import { ManualClock } from '../../server/clock';
import { api, login, removeDir, reportCase, StreamClient, startTestServer, tempDir, waitFor } from './helpers';

let dir = '';
let server: RunningServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
  removeDir(dir);
});

describe('deadlines across a restart', () => {
  it('a deadline that passed while the server was down fires at start', async () => {
    dir = tempDir();
    const t0 = Date.parse('2026-11-23T09:00:00+08:00');
    server = await startTestServer(dir, { clock: new ManualClock(t0) });
    const sup = await login(server.url, 'supervisor');
    const c = await reportCase(server.url, sup, { lng: server.preset.center[0], lat: server.preset.center[1] });
    expect(c.deadline).toMatchObject({ stage: 'file', dueAt: t0 + 30 * 60_000 });
    await server.close();

    // Two hours later: the 30 working-minute filing limit passed while nothing ran.
    server = await startTestServer(dir, { clock: new ManualClock(t0 + 2 * 3_600_000) });
    await server.tick();
    await server.core.idle();
    const after = server.core.cases.get(c.id);
    expect(after?.deadline).toMatchObject({ warned: true, overdue: true });
    expect(after?.timeline.map((e) => e.action)).toEqual(['reported', 'warning', 'overdue']);
    const alerts = [...server.core.alerts.values()].filter((a) => a.caseId === c.id);
    // The warning made way for the overdue alert, which goes to the level above (襄阳).
    expect(alerts).toEqual([expect.objectContaining({ kind: 'overdue', targetLevel: 'community', stage: 'file' })]);
  });
});

describe('a client that stops reading', () => {
  it('is told to resnapshot instead of making the server buffer without bound', async () => {
    dir = tempDir();
    const running = await startTestServer(dir, { maxBufferedPackets: 5 });
    server = running;
    const sup = await login(running.url, 'supervisor');
    // A raw socket.io client whose TCP socket stops reading after the snapshot.
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
    let snapshotSeen = false;
    let resync = false;
    ws.on('message', (data: Buffer) => {
      const text = data.toString();
      if (text.startsWith('0')) ws.send(`40${JSON.stringify({ token: sup })}`);
      if (text.startsWith('42["snapshot"')) snapshotSeen = true;
      if (text.startsWith('42["resync"')) resync = true;
    });
    await waitFor(() => snapshotSeen, 'snapshot');
    (ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const watcher = new StreamClient(server.url, sup);
    await watcher.ready();
    // Long notes on ten cases at once: each event carries its note (a case's changes go out as
    // patches), so the frames fill the loopback buffers that lie between the server and the paused reader.
    const cases = await Promise.all(
      Array.from({ length: 10 }, () =>
        reportCase(running.url, sup, { lng: running.preset.center[0], lat: running.preset.center[1] }),
      ),
    );
    const note = '现场核实情况：'.repeat(280);
    for (let v = 1; v <= 500 && running.hub.stats.resnapshots === 0; v++) {
      await Promise.all(
        cases.map(async (c) => {
          const res = await api(running.url, sup, '/api/commands', {
            method: 'POST',
            body: JSON.stringify({
              commandId: `slow-client-${c.id}-${v}`,
              caseId: c.id,
              expectedVersion: v,
              type: 'comment',
              note,
            }),
          });
          expect(res.status, JSON.stringify(res.body)).toBe(200);
        }),
      );
    }
    expect(server.hub.stats.resnapshots).toBe(1);
    // A client that keeps reading is not affected.
    expect(watcher.resyncs).toBe(0);
    (ws as unknown as { _socket: { resume(): void } })._socket.resume();
    await waitFor(() => resync, 'resync notice reaches the slow client', 60_000);
    ws.close();
    watcher.close();
  });
});
