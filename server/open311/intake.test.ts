import { describe, expect, it } from 'vitest';
import type { Area } from '../../protocol';
import { CATEGORIES, makeCase } from '../../test/fixtures/server';
import { toGeoRequest, w3 } from './format';
import { acceptRequest, apiKeyHolder, field, GeoReportError, gazetteer, type IntakeEnv, personName } from './intake';

const area = (
  id: string,
  level: Area['level'],
  parentId: string | null,
  name: string,
  center: [number, number],
): Area => ({
  id,
  code: id,
  name,
  level,
  parentId,
  polygon: [
    [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 0],
    ],
  ],
  center,
});
const AREAS = [
  area('d', 'district', null, '金凤区', [106.2, 38.5]),
  area('s1', 'street', 'd', '满城北街街道', [106.21, 38.51]),
  area('s2', 'street', 'd', '黄河东路街道', [106.22, 38.52]),
  area('c1', 'community', 's1', '阅海社区', [106.23, 38.53]),
  area('c2', 'community', 's2', '阅海社区', [106.24, 38.54]),
  area('c3', 'community', 's2', '阅海湾社区', [106.25, 38.55]),
];

const env: IntakeEnv = {
  categories: new Map(CATEGORIES.map((c) => [c.code, c])),
  apiKeys: [{ key: 'demo', name: '演示热线' }],
  // The service area: 106–107° E, 38–39° N.
  gridAt: (lng, lat) => (lng >= 106 && lng < 107 && lat >= 38 && lat < 39 ? 'g1' : null),
  locate: gazetteer(AREAS),
  areaName: '金凤区',
};
const valid = { api_key: 'demo', service_code: 'road_dirty', lat: '38.5', long: '106.2', description: '路面脏' };

const errorOf = (body: Record<string, unknown>): GeoReportError => {
  try {
    acceptRequest(body, env);
  } catch (err) {
    if (err instanceof GeoReportError) return err;
    throw err;
  }
  throw new Error('accepted');
};

describe('Open311 intake', () => {
  it('turns a valid request into an open311 case report', () => {
    const { report, client } = acceptRequest(
      { ...valid, first_name: '秀英', last_name: '李', phone: '13700001111', 'attribute[priority]': 'urgent' },
      env,
    );
    expect(client).toBe('演示热线');
    expect(report).toMatchObject({
      category: 'road_dirty',
      source: 'open311',
      priority: 'urgent',
      description: '路面脏',
      location: { lng: 106.2, lat: 38.5, address: '' },
      reporter: { name: '李秀英', phone: '13700001111' },
      media: [],
    });
  });

  it('checks the key first, then the service code, then everything else at once', () => {
    expect(errorOf({ ...valid, api_key: 'x', service_code: 'nope', lat: '0' }).status).toBe(403);
    expect(errorOf({ ...valid, service_code: undefined, lat: '0' }).status).toBe(400);
    expect(errorOf({ ...valid, service_code: 'nope', lat: '0' }).status).toBe(404);
    const many = errorOf({ ...valid, lat: '1', description: 'x'.repeat(2001), phone: 'abc' });
    expect(many.status).toBe(400);
    expect(many.errors.map((e) => e.description)).toEqual([
      expect.stringMatching(/outside the service area/),
      expect.stringMatching(/2000 characters/),
      expect.stringMatching(/phone/),
    ]);
  });

  it('compares API keys by digest and knows no key for an empty string', () => {
    expect(apiKeyHolder(env, 'demo')).toBe('演示热线');
    expect(apiKeyHolder(env, 'dem')).toBeNull();
    expect(apiKeyHolder(env, undefined)).toBeNull();
  });

  it('reads form and JSON fields alike, an empty value being absent', () => {
    expect(field({ a: ['x', 'y'] }, 'a')).toBe('x');
    expect(field({ a: 38.5 }, 'a')).toBe('38.5');
    expect(field({ a: '  ' }, 'a')).toBeUndefined();
    expect(field({ a: { b: 1 } }, 'a')).toBeUndefined();
  });

  it('writes Chinese names family name first', () => {
    expect(personName('秀英', '李')).toBe('李秀英');
    expect(personName('Anna', 'Lee')).toBe('Anna Lee');
    expect(personName(undefined, undefined)).toBe('');
  });

  it('places an address by the most specific community, disambiguated by its street', () => {
    const locate = gazetteer(AREAS);
    expect(locate('黄河东路街道阅海社区 12 号楼')?.area.id).toBe('c2');
    expect(locate('阅海湾社区东门')?.area.id).toBe('c3');
    expect(locate('满城北街街道办事处门口')?.area.id).toBe('s1');
    expect(locate('北京市王府井')).toBeNull();
  });
});

describe('Open311 request format', () => {
  it('masks personal data and keeps internal notes inside', () => {
    const c = makeCase('closed', {
      source: 'open311',
      milestones: { filedAt: 1, dispatchedAt: 2, handledAt: 3, closedAt: 4, closeDueAt: 5 },
      timeline: [
        {
          at: 1,
          action: 'comment',
          actor: { id: 'u', name: 'u', role: 'supervisor' },
          from: 'filed',
          to: 'filed',
          level: 'grid',
          note: '内部备注',
        },
        {
          at: 2,
          action: 'feedback',
          actor: { id: 'w', name: 'w', role: 'worker' },
          from: 'dispatched',
          to: 'handled',
          level: 'grid',
          note: '已清理，已告知张伟 13812345678',
        },
      ],
    });
    const r = toGeoRequest(c, {
      categories: new Map(CATEGORIES.map((x) => [x.code, x])),
      areaById: new Map(),
      offsetMinutes: 480,
    });
    expect(r).toMatchObject({
      service_request_id: c.code,
      status: 'closed',
      status_notes: '已结案 closed：已清理，已告知*** ***',
      service_name: '道路不洁',
      expected_datetime: null,
    });
    const text = JSON.stringify(r);
    for (const secret of ['张伟', '13812345678', '内部备注']) expect(text).not.toContain(secret);
  });

  it('writes W3C times with the calendar offset', () => {
    expect(w3(Date.parse('2026-11-23T01:00:00Z'), 480)).toBe('2026-11-23T09:00:00+08:00');
    expect(w3(Date.parse('2026-11-23T01:00:00Z'), -330)).toBe('2026-11-22T19:30:00-05:30');
  });
});
