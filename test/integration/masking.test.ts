import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case } from '../../protocol';
import type { RunningServer } from '../../server/app/start';
import {
  api,
  commandId,
  login,
  removeDir,
  reportCase,
  StreamClient,
  startTestServer,
  tempDir,
  waitFor,
} from './helpers';

/**
 * Issue 24: personal data however it is written (4-4-3, full-width digits, dots, an ID number with
 * spaces, a spaced name, a phone in a media URL) never reaches a wall, on the wire or over HTTP, and
 * a wall's search never matches it.
 */
let dir: string;
let server: RunningServer;
let sup: string;
let wallToken: string;

beforeAll(async () => {
  dir = tempDir();
  server = await startTestServer(dir);
  sup = await login(server.url, 'supervisor');
  wallToken = await login(server.url, 'wall');
});
afterAll(async () => {
  await server.close();
  removeDir(dir);
});

interface CasePage {
  items: Case[];
  total: number;
}

const SECRETS = ['李秀英', '秀英', '1381', '１３８', '138.1234', '64010619800101', '19800101 123X', '13987654321'];

describe('masking for a wall, every variant', () => {
  it('never sends a variant of a phone, an ID number or the name to a wall, and its search finds none', async () => {
    const wall = new StreamClient(server.url, wallToken);
    await wall.ready();
    const c = await reportCase(server.url, sup, {
      description:
        '李 秀英反映：电话１３８１２３４５６７８，备用138.1234.5678或1381 2345 678，身份证640106 19800101 123X',
      location: { lng: 106.25, lat: 38.47, address: '长城中路12号 李秀英家' },
      media: ['https://media.example/r/1381-2345-678.jpg', 'https://media.example/ok.jpg'],
    });
    const s = new StreamClient(server.url, sup);
    await s.ready();
    const ack = await s.command({
      commandId: commandId(),
      caseId: c.id,
      expectedVersion: 1,
      type: 'comment',
      note: '已回电李\u3000秀英，138-1234-5678',
    });
    expect(ack.ok).toBe(true);
    await waitFor(() => wall.caseEvents(c.id).length >= 2, 'the wall gets the case and the comment');

    const one = await api<Case>(server.url, wallToken, `/api/cases/${c.id}`);
    const http = [one, await api(server.url, wallToken, '/api/cases?limit=50')];
    const everything = [...wall.raw, ...http.map((h) => JSON.stringify(h.body))].join('\n');
    expect(everything).toContain(c.code);
    for (const secret of SECRETS) expect(everything.includes(secret), secret).toBe(false);
    expect(one.body.media).toEqual(['https://media.example/ok.jpg']);

    for (const q of ['李秀英', '李 秀英', '秀英', '1381', '138.1234.5678', '64010619800101', '长城中路12号 李秀英家']) {
      const found = await api<CasePage>(server.url, wallToken, `/api/cases?q=${encodeURIComponent(q)}`);
      expect({ q, ids: found.body.items.map((x) => x.id) }).toEqual({ q, ids: [] });
    }
    // The address itself is no personal data: a wall finds the case by it.
    const byAddress = await api<CasePage>(server.url, wallToken, `/api/cases?q=${encodeURIComponent('长城中路')}`);
    expect(byAddress.body.items.map((x) => x.id)).toContain(c.id);
    // The supervisor sees everything and finds the case by the phone.
    expect(JSON.stringify(s.caseEvents(c.id))).toContain('１３８１２３４５６７８');
    const byPhone = await api<CasePage>(server.url, sup, '/api/cases?q=13987654321');
    expect(byPhone.body.items.map((x) => x.id)).toContain(c.id);
    wall.close();
    s.close();
  });
});
