import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, CommandAck } from '../../protocol';
import type { RunningServer } from '../../server/app/start';
import { api, commandId, login, removeDir, reportCase, startTestServer, tempDir } from './helpers';

let dir: string;
let server: RunningServer;
let sup: string;
let base: string;
let inside: { lat: string; long: string };

interface GeoError {
  code: number;
  description: string;
}
interface Created {
  service_request_id: string;
  service_notice: string;
  account_id: null;
}
interface GeoRequest {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_code: string;
  service_name: string;
  description: string | null;
  agency_responsible: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string | null;
  lat: number;
  long: number;
  media_url: string | null;
}

/** A resident's report as a hotline system posts it: form-encoded, with name and phone. */
const resident = (over: Record<string, string> = {}): Record<string, string> => ({
  api_key: 'demo',
  service_code: 'exposed_garbage',
  ...inside,
  address_string: '宁安大街 88 号东侧',
  description: '小区东门外垃圾三天没人清运，联系电话 13700001111',
  first_name: '秀英',
  last_name: '李',
  phone: '13700001111',
  email: 'li@example.com',
  media_url: 'https://media.example.com/p/1.jpg',
  ...over,
});

async function postForm(fields: Record<string, string>): Promise<{ status: number; body: unknown; text: string }> {
  const res = await fetch(`${base}/requests.json`, { method: 'POST', body: new URLSearchParams(fields) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, text };
}
async function postJson(body: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${base}/requests.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}
async function get<T>(path: string): Promise<{ status: number; body: T; text: string; type: string | null }> {
  const res = await fetch(`${base}${path}`);
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as T, text, type: res.headers.get('content-type') };
}
const caseByCode = async (code: string): Promise<Case> => {
  const page = await api<{ items: Case[] }>(server.url, sup, `/api/cases?q=${encodeURIComponent(code)}`);
  const c = page.body.items.find((x) => x.code === code);
  if (!c) throw new Error(`no case ${code}`);
  return c;
};
const command = async (body: Record<string, unknown>): Promise<Case> => {
  const res = await api<CommandAck>(server.url, sup, '/api/commands', {
    method: 'POST',
    body: JSON.stringify({ commandId: commandId(), ...body }),
  });
  if (!res.body.ok) throw new Error(JSON.stringify(res.body));
  return res.body.case;
};
/** Asserts the spec's error array with the given HTTP status, and that no case was created. */
async function refused(
  send: () => Promise<{ status: number; body: unknown }>,
  status: number,
  match?: RegExp,
): Promise<GeoError[]> {
  await server.core.idle();
  const before = await server.core.storage.caseCount();
  const res = await send();
  expect(res.status).toBe(status);
  const errors = res.body as GeoError[];
  expect(Array.isArray(errors)).toBe(true);
  expect(errors.length).toBeGreaterThan(0);
  for (const e of errors) {
    expect(typeof e.code).toBe('number');
    expect(typeof e.description).toBe('string');
  }
  if (match) expect(errors.map((e) => e.description).join(' ')).toMatch(match);
  await server.core.idle();
  expect(await server.core.storage.caseCount()).toBe(before);
  return errors;
}

beforeAll(async () => {
  dir = tempDir();
  server = await startTestServer(dir);
  sup = await login(server.url, 'supervisor');
  base = `${server.url}/open311/v2`;
  inside = { lat: String(server.preset.center[1]), long: String(server.preset.center[0]) };
});
afterAll(async () => {
  await server.close();
  removeDir(dir);
});

describe('discovery and services', () => {
  it('GET discovery.json names the v2 endpoint and its JSON format', async () => {
    const res = await get<{ endpoints: Array<{ specification: string; url: string; formats: string[] }> }>(
      '/discovery.json',
    );
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/application\/json/);
    expect(res.body.endpoints[0]).toMatchObject({
      specification: 'http://wiki.open311.org/GeoReport_v2',
      url: base,
      formats: ['application/json'],
    });
  });

  it('GET services.json lists every case category with its Chinese name and group', async () => {
    const res = await get<Array<Record<string, unknown>>>('/services.json');
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(server.core.categories.size);
    expect(res.body.find((s) => s.service_code === 'exposed_garbage')).toMatchObject({
      service_name: '暴露垃圾',
      group: '市容环境',
      metadata: true,
      type: 'realtime',
    });
    for (const s of res.body) {
      expect(typeof s.description).toBe('string');
      expect(typeof s.keywords).toBe('string');
    }
  });

  it('GET services/{code}.json defines the attributes; an unknown code is 404, XML is 400', async () => {
    const res = await get<{
      service_code: string;
      attributes: Array<{ code: string; order: number; values: unknown[] }>;
    }>('/services/dirty_road.json');
    expect(res.status).toBe(200);
    expect(res.body.service_code).toBe('dirty_road');
    expect(res.body.attributes.map((a) => a.code)).toEqual(['priority', 'location_detail']);
    expect(res.body.attributes[0]?.values).toHaveLength(2);
    await refused(() => get('/services/no_such_thing.json'), 404, /not found/);
    await refused(() => get('/services/dirty_road.xml'), 400, /JSON/);
    await refused(() => get('/nothing-here.json'), 404);
  });
});

describe('POST requests.json', () => {
  it('creates a case from source open311 through the lifecycle and answers the query code', async () => {
    const before = await server.core.storage.caseCount();
    const res = await postForm(resident());
    expect(res.status).toBe(201);
    const [created] = res.body as Created[];
    expect(created?.account_id).toBeNull();
    expect(created?.service_notice).toContain(created?.service_request_id);
    expect(await server.core.storage.caseCount()).toBe(before + 1);
    const c = await caseByCode(created?.service_request_id ?? '');
    expect(c).toMatchObject({
      source: 'open311',
      status: 'reported',
      category: 'exposed_garbage',
      priority: 'normal',
      reporter: { name: '李秀英', phone: '13700001111' },
      media: ['https://media.example.com/p/1.jpg'],
      location: { lat: server.preset.center[1], lng: server.preset.center[0], address: '宁安大街 88 号东侧' },
    });
    expect(c.gridId).toBe(server.core.gridAt(server.preset.center[0], server.preset.center[1]));
    expect(c.timeline[0]).toMatchObject({ action: 'reported', actor: { id: 'open311', role: 'public' } });
    expect(c.deadline?.stage).toBe('file');
    // Email is not kept anywhere.
    expect(JSON.stringify(c)).not.toContain('li@example.com');
  });

  it('takes JSON too, with attributes, and places an address_string by the community it names', async () => {
    const community = server.core.areas.find((a) => a.level === 'community');
    if (!community) throw new Error('no community');
    const res = await postJson({
      api_key: 'demo',
      service_code: 'dirty_road',
      address_string: `${community.name}菜市场门口`,
      description: '路面油污',
      attribute: { priority: 'urgent', location_detail: '3 号门' },
    });
    expect(res.status).toBe(201);
    const c = await caseByCode((res.body as Created[])[0]?.service_request_id ?? '');
    expect(c.priority).toBe('urgent');
    expect(c.reporter).toBeNull();
    expect(c.location.address).toBe(`${community.name}菜市场门口 3 号门`);
    expect(server.core.areaById.get(c.gridId)?.parentId).toBe(community.id);
  });

  it('accepts a form-encoded attribute[code] and fills a missing description with the service name', async () => {
    const res = await postForm({
      api_key: 'demo',
      service_code: 'dirty_road',
      ...inside,
      'attribute[priority]': 'urgent',
    });
    expect(res.status).toBe(201);
    const c = await caseByCode((res.body as Created[])[0]?.service_request_id ?? '');
    expect(c.priority).toBe('urgent');
    expect(c.description).toBe('道路不洁');
  });

  it('refuses a missing or wrong api_key with 403', async () => {
    const { api_key: _, ...noKey } = resident();
    await refused(() => postForm(noKey), 403, /api_key/);
    await refused(() => postForm(resident({ api_key: 'not-the-key' })), 403, /invalid api_key/);
  });

  it('refuses a missing service_code (400) and an unknown one (404)', async () => {
    const { service_code: _, ...noCode } = resident();
    await refused(() => postForm(noCode), 400, /service_code/);
    await refused(() => postForm(resident({ service_code: 'potholes' })), 404, /potholes not found/);
  });

  it('refuses a missing, half or out-of-area location with 400', async () => {
    const { lat: _a, long: _b, address_string: _c, ...noLocation } = resident();
    await refused(() => postForm(noLocation), 400, /location is required/);
    const { long: _d, ...onlyLat } = resident();
    await refused(() => postForm(onlyLat), 400, /go together/);
    await refused(() => postForm(resident({ lat: '39.9042', long: '116.4074' })), 400, /outside the service area/);
    await refused(() => postForm(resident({ lat: 'north', long: 'east' })), 400, /not WGS84/);
    const { lat: _e, long: _f, ...addressOnly } = resident();
    await refused(() => postForm({ ...addressOnly, address_string: '北京市东城区王府井' }), 400, /send lat\/long/);
  });

  it('refuses an oversized description, a bad media_url, phone or priority with 400: all problems at once', async () => {
    await refused(() => postForm(resident({ description: '垃'.repeat(2001) })), 400, /2000 characters/);
    const errors = await refused(
      () => postForm(resident({ media_url: 'javascript:alert(1)', phone: 'call me', 'attribute[priority]': 'now' })),
      400,
    );
    expect(errors.map((e) => e.code)).toEqual([400, 400, 400]);
    // A body beyond the server's limit is refused the same way.
    await refused(() => postForm(resident({ description: 'x'.repeat(300_000) })), 400, /too large/);
    await refused(
      () =>
        fetch(`${base}/requests.json`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{',
        }).then(async (r) => ({ status: r.status, body: await r.json() })),
      400,
    );
  });
});

describe('GET requests', () => {
  it('the reporter reads status and notes with the query code, and never the personal data', async () => {
    const created = (await postForm(resident())).body as Created[];
    const code = created[0]?.service_request_id ?? '';
    const open = await get<GeoRequest[]>(`/requests/${code}.json`);
    expect(open.status).toBe(200);
    expect(open.body).toHaveLength(1);
    expect(open.body[0]).toMatchObject({
      service_request_id: code,
      status: 'open',
      service_code: 'exposed_garbage',
      service_name: '暴露垃圾',
      description: '小区东门外垃圾三天没人清运，联系电话 ***',
      address: '宁安大街 88 号东侧',
      lat: server.preset.center[1],
      long: server.preset.center[0],
      media_url: 'https://media.example.com/p/1.jpg',
    });
    expect(open.body[0]?.status_notes).toContain('待立案');
    expect(open.body[0]?.expected_datetime).toBeNull();
    expect(open.body[0]?.requested_datetime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);

    // Through the whole loop, with notes that name the resident.
    const c = await caseByCode(code);
    let v = (await command({ caseId: c.id, expectedVersion: c.version, type: 'file' })).version;
    v = (
      await command({
        caseId: c.id,
        expectedVersion: v,
        type: 'dispatch',
        assignee: { kind: 'department', id: 'dept-urban' },
      })
    ).version;
    const dispatched = await get<GeoRequest[]>(`/requests/${code}.json`);
    expect(dispatched.body[0]).toMatchObject({ status: 'open', agency_responsible: '城管局' });
    expect(dispatched.body[0]?.status_notes).toContain('处置中');
    expect(dispatched.body[0]?.expected_datetime).toMatch(/\+08:00$/);
    v = (await command({ caseId: c.id, expectedVersion: v, type: 'comment', note: '内部：李秀英很着急' })).version;
    v = (await command({ caseId: c.id, expectedVersion: v, type: 'feedback', note: '已清运完毕，已电话告知李秀英' }))
      .version;
    v = (await command({ caseId: c.id, expectedVersion: v, type: 'verify' })).version;
    await command({ caseId: c.id, expectedVersion: v, type: 'close', satisfaction: 'satisfied' });
    const closed = await get<GeoRequest[]>(`/requests/${code}.json`);
    expect(closed.body[0]).toMatchObject({ status: 'closed', agency_responsible: '城管局', expected_datetime: null });
    expect(closed.body[0]?.status_notes).toBe('已结案 closed：已清运完毕，已电话告知***');
    for (const text of [open.text, closed.text]) {
      for (const secret of ['13700001111', '李秀英', '秀英', 'li@example.com', '内部'])
        expect(text).not.toContain(secret);
    }
  });

  it('a rejected request is closed with the reason as its note', async () => {
    const code = ((await postForm(resident())).body as Created[])[0]?.service_request_id ?? '';
    const c = await caseByCode(code);
    await command({ caseId: c.id, expectedVersion: c.version, type: 'reject', reason: '不属于城市管理范围' });
    const res = await get<GeoRequest[]>(`/requests/${code}.json`);
    expect(res.body[0]).toMatchObject({ status: 'closed', status_notes: '不予立案 not accepted：不属于城市管理范围' });
  });

  it('an unknown id, or a case the public never reported, is 404', async () => {
    await refused(() => get('/requests/20990101-999999.json'), 404, /not found/);
    const [lng, lat] = server.preset.center;
    const inner = await reportCase(server.url, sup, { source: 'grid_worker', lng, lat });
    expect(inner.source).toBe('grid_worker');
    await refused(() => get(`/requests/${inner.code}.json`), 404);
    await refused(() => get(`/requests/${inner.code}.xml`), 400);
  });

  it('GET requests.json lists public requests newest first, filtered by ids, service, status and dates', async () => {
    const a = ((await postForm(resident({ service_code: 'illegal_ads' }))).body as Created[])[0]?.service_request_id;
    const b = ((await postForm(resident({ service_code: 'illegal_ads' }))).body as Created[])[0]?.service_request_id;
    const all = await get<GeoRequest[]>('/requests.json');
    expect(all.status).toBe(200);
    expect(all.body[0]?.service_request_id).toBe(b);
    expect(all.body.map((r) => r.service_request_id)).toContain(a);
    const times = all.body.map((r) => Date.parse(r.requested_datetime));
    expect(times).toEqual([...times].sort((x, y) => y - x));
    expect(all.text).not.toContain('13700001111');

    const ads = await get<GeoRequest[]>('/requests.json?service_code=illegal_ads,noise');
    expect(ads.body.map((r) => r.service_request_id)).toEqual([b, a]);
    const byIds = await get<GeoRequest[]>(`/requests.json?service_request_id=${a},nope,${b}&status=closed`);
    expect(byIds.body.map((r) => r.service_request_id)).toEqual([a, b]);
    const open = await get<GeoRequest[]>('/requests.json?status=open');
    expect(open.body.every((r) => r.status === 'open')).toBe(true);
    const closed = await get<GeoRequest[]>('/requests.json?status=closed');
    expect(closed.body.length).toBeGreaterThan(0);
    expect(closed.body.every((r) => r.status === 'closed')).toBe(true);
    expect(open.body.length + closed.body.length).toBe(all.body.length);

    const now = server.core.clock.now();
    const iso = (t: number) => new Date(t).toISOString();
    const future = await get<GeoRequest[]>(
      `/requests.json?start_date=${iso(now + 3_600_000)}&end_date=${iso(now + 7_200_000)}`,
    );
    expect(future.body).toEqual([]);
    const window = await get<GeoRequest[]>(`/requests.json?start_date=${encodeURIComponent(iso(now - 3_600_000))}`);
    expect(window.body.length).toBe(all.body.length);

    await refused(() => get('/requests.json?start_date=yesterday'), 400, /W3C/);
    await refused(
      () => get(`/requests.json?start_date=${iso(now - 100 * 86_400_000)}&end_date=${iso(now)}`),
      400,
      /90 days/,
    );
    await refused(() => get('/requests.json?status=pending'), 400, /open or closed/);
  });
});
