import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, Presentation, PresentationMessage } from '../../protocol';
import type { RunningServer } from '../../server/app/start';
import { api, login, removeDir, reportCase, StreamClient, startTestServer, tempDir, waitFor } from './helpers';

const PHONE = '13987654321';
const NAME = '李秀英';

/** A wall page as the renderer opens it: surface `wall`, resnapshots when told. */
function wallPage(url: string, token: string): StreamClient & { presentations: (Presentation | null)[] } {
  const client = new StreamClient(url, token, undefined, 'wall') as StreamClient & {
    presentations: (Presentation | null)[];
  };
  client.presentations = [];
  client.socket.on('presentation', (m: PresentationMessage) => client.presentations.push(m.presentation));
  client.socket.on('resync', () => client.socket.emit('resync'));
  return client;
}

const control = (url: string, token: string, body: unknown) =>
  api<{ presentation: Presentation | null; error?: { code: string } }>(url, token, '/api/presentation', {
    method: 'POST',
    body: JSON.stringify(body),
  });

describe('presenter mode on the server', () => {
  let dir: string;
  let server: RunningServer;
  let supervisor: string;
  let presenter: string;
  let wall: string;

  const report = () =>
    reportCase(server.url, supervisor, { lng: server.preset.center[0], lat: server.preset.center[1] });

  beforeAll(async () => {
    dir = tempDir();
    server = await startTestServer(dir);
    supervisor = await login(server.url, 'supervisor');
    presenter = await login(server.url, 'presenter');
    wall = await login(server.url, 'wall');
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    removeDir(dir);
  });

  it('only presenter, supervisor and admin drive; bad controls get typed errors', async () => {
    expect((await control(server.url, wall, { action: 'start', tour: 'demo' })).status).toBe(403);
    expect((await control(server.url, presenter, { action: 'next' })).body.error?.code).toBe('conflict');
    expect((await control(server.url, presenter, { action: 'jump' })).status).toBe(400);
    expect((await control(server.url, presenter, { action: 'start', tour: 'nope' })).status).toBe(404);
    const tours = await api<{ items: { name: string }[] }>(server.url, presenter, '/api/tours');
    expect(tours.body.items.map((t) => t.name)).toContain('demo');
    // A lobby screen (wall credential) may read a tour, without the talking points.
    const forWall = await api<{ steps: { notes: { 'zh-CN': string[] } }[] }>(server.url, wall, '/api/tours/demo');
    expect(forWall.body.steps.every((s) => s.notes['zh-CN'].length === 0)).toBe(true);
  });

  it('masks every wall page while a presentation runs, whatever its credential, and only then', async () => {
    // A wall page running on a supervisor's credential shows full data when nobody presents…
    const page = wallPage(server.url, supervisor);
    const console = new StreamClient(server.url, supervisor, undefined, 'console');
    const tablet = new StreamClient(server.url, presenter, undefined, 'presenter');
    await Promise.all([page.ready(), console.ready(), tablet.connected()]);
    const before = await report();
    await waitFor(() => page.caseEvents(before.id).length > 0, 'the unmasked event');
    expect(page.caseEvents(before.id)[0]?.reporter?.phone).toBe(PHONE);

    const started = await control(server.url, presenter, { action: 'start', tour: 'demo' });
    expect(started.status).toBe(200);
    await waitFor(() => page.presentations.at(-1)?.stepIndex === 0, 'the presentation on the wall page');
    const from = page.raw.length;
    await waitFor(() => page.snapshots.length === 2, 'the masked snapshot');
    expect(page.snapshots[1]?.masked).toBe(true);

    const during = await report();
    await waitFor(() => page.caseEvents(during.id).length > 0, 'the masked event');
    await waitFor(() => console.caseEvents(during.id).length > 0, 'the console event');
    const seen = page.raw.slice(from).join('\n');
    expect(seen).toContain(during.code);
    expect(seen).not.toContain(PHONE);
    expect(seen).not.toContain(NAME);
    // The console is not a wall: the supervisor keeps working with full data.
    expect(console.caseEvents(during.id)[0]?.reporter?.name).toBe(NAME);
    // …and over HTTP: a wall page's case request is masked too.
    const viaWall = await api<Case>(server.url, supervisor, `/api/cases/${during.id}`, {
      headers: { 'x-gridwall-surface': 'wall' },
    });
    expect(viaWall.body.reporter).toBeNull();
    expect(JSON.stringify(viaWall.body)).not.toContain(PHONE);
    const viaConsole = await api<Case>(server.url, supervisor, `/api/cases/${during.id}`);
    expect(viaConsole.body.reporter?.phone).toBe(PHONE);

    // The presenter's tablet follows the presentation but gets no case data.
    await waitFor(() => tablet.raw.some((m) => m.startsWith('presentation')), 'the tablet presentation');
    expect(tablet.snapshots).toHaveLength(0);
    expect(tablet.raw.join('\n')).not.toContain(during.code);

    // The talking points never go to the walls.
    expect(page.raw.join('\n')).not.toContain('570,523');

    await control(server.url, presenter, { action: 'stop' });
    await waitFor(() => page.snapshots.length === 3, 'the full snapshot after the presentation');
    expect(page.snapshots[2]?.masked).toBe(false);
    page.close();
    console.close();
    tablet.close();
  }, 120_000);

  it('spotlights a new case that arrives during a spotlight step', async () => {
    await control(server.url, presenter, { action: 'start', tour: 'demo', step: 6 });
    const fresh = await report();
    const state = await waitFor(() => server.presenter.current?.spotlight, 'the spotlight');
    expect(state).toMatchObject({ caseId: fresh.id, code: fresh.code });
    await control(server.url, presenter, { action: 'stop' });
  }, 60_000);

  it('survives a restart: the presentation and the wall masking come back before the first message', async () => {
    await control(server.url, presenter, { action: 'start', tour: 'demo', step: 3 });
    await control(server.url, presenter, { action: 'pause', on: true });
    await server.close();
    server = await startTestServer(dir);
    const page = wallPage(server.url, await login(server.url, 'supervisor'));
    await page.ready();
    expect(page.presentations[0]).toMatchObject({ tour: 'demo', stepIndex: 3, paused: true });
    expect(page.snapshots[0]?.masked).toBe(true);
    expect(page.raw.join('\n')).not.toContain(PHONE);
    page.close();
    presenter = await login(server.url, 'presenter');
    await control(server.url, presenter, { action: 'stop' });
  }, 120_000);
});
