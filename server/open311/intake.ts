import { createHash, timingSafeEqual } from 'node:crypto';
import type { Area, CaseReportParsed, Category } from '../../protocol';
import { CaseReport } from '../../protocol';

/** One GeoReport v2 error; a response carries an array of them. */
export interface GeoError {
  code: number;
  description: string;
}

/** An error answer: the HTTP status and the spec's error array. */
export class GeoReportError extends Error {
  constructor(
    readonly status: number,
    readonly errors: GeoError[],
  ) {
    super(errors.map((e) => e.description).join('; '));
  }

  static one(status: number, description: string): GeoReportError {
    return new GeoReportError(status, [{ code: status, description }]);
  }
}

/** Our cases hold 2,000 characters (the spec allows servers up to 4,000). */
export const MAX_DESCRIPTION = 2000;
const MAX_ADDRESS = 200;
const MAX_DETAIL = 100;
const MAX_NAME = 32;
const PHONE = /^\+?[\d][\d\s-]{4,18}$/;

/** The attributes every service takes (GET services/{code}.json). */
export const ATTRIBUTES = [
  {
    variable: true,
    code: 'priority',
    datatype: 'singlevaluelist',
    required: false,
    datatype_description: '一般 normal 或 紧急 urgent',
    order: 1,
    description: '紧急程度：危及人身安全时选紧急。How urgent: urgent when people are in danger.',
    values: [
      { key: 'normal', name: '一般 normal' },
      { key: 'urgent', name: '紧急 urgent' },
    ],
  },
  {
    variable: true,
    code: 'location_detail',
    datatype: 'string',
    required: false,
    datatype_description: `最多 ${MAX_DETAIL} 字 at most ${MAX_DETAIL} characters`,
    order: 2,
    description: '具体位置：楼栋、门牌或地标。The exact spot: building, door number or landmark.',
    values: [],
  },
] as const;

/** What the intake needs from the server: categories, API keys, and where a place lies. */
export interface IntakeEnv {
  categories: ReadonlyMap<string, Category>;
  apiKeys: ReadonlyArray<{ key: string; name: string }>;
  /** The grid holding a point, or null when it lies outside every grid (outside the service area). */
  gridAt(lng: number, lat: number): string | null;
  /** Places an address by the community or street named in it; null when none is named. */
  locate(address: string): { lng: number; lat: number; area: Area } | null;
  areaName: string;
}

export interface AcceptedRequest {
  report: CaseReportParsed;
  /** The API key's holder (a hotline system, a city app), for the case's timeline. */
  client: string;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Finds the key's holder, comparing digests in constant time. */
export function apiKeyHolder(env: Pick<IntakeEnv, 'apiKeys'>, given: string | undefined): string | null {
  if (!given) return null;
  const d = digest(given);
  let found: string | null = null;
  for (const k of env.apiKeys) if (timingSafeEqual(d, digest(k.key))) found = k.name;
  return found;
}

/**
 * A field of a form-encoded or JSON body: forms give strings (an array when repeated), JSON may
 * give numbers. Empty means absent ("a null parameter is treated as a non-declared one").
 */
export function field(body: Record<string, unknown>, name: string): string | undefined {
  let v = body[name];
  if (Array.isArray(v)) v = v[0];
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

/** `attribute[code]=v` in a form, or `{"attribute": {"code": v}}` in JSON. */
export function attribute(body: Record<string, unknown>, code: string): string | undefined {
  const nested = body.attribute;
  if (nested && typeof nested === 'object' && !Array.isArray(nested)) {
    const v = field(nested as Record<string, unknown>, code);
    if (v !== undefined) return v;
  }
  return field(body, `attribute[${code}]`);
}

/**
 * Checks a POST requests.json body the way the spec orders it: the key (403), the service code
 * (400 missing, 404 unknown), then every other problem at once (400). Creates nothing.
 */
export function acceptRequest(body: Record<string, unknown>, env: IntakeEnv): AcceptedRequest {
  const client = apiKeyHolder(env, field(body, 'api_key'));
  if (!client) {
    throw GeoReportError.one(
      403,
      field(body, 'api_key') ? 'invalid api_key 无效的 api_key' : 'api_key is required 缺少 api_key',
    );
  }
  const code = field(body, 'service_code');
  if (!code) throw GeoReportError.one(400, 'service_code was not provided 缺少 service_code');
  const category = env.categories.get(code);
  if (!category) throw GeoReportError.one(404, `service_code ${code.slice(0, 64)} not found 无此服务类型`);

  const errors: string[] = [];
  const lat = field(body, 'lat');
  const long = field(body, 'long');
  const addressString = field(body, 'address_string');
  const detail = attribute(body, 'location_detail');
  let location: { lng: number; lat: number } | null = null;
  if (lat !== undefined || long !== undefined) {
    const y = Number(lat);
    const x = Number(long);
    if (lat === undefined || long === undefined) errors.push('lat and long go together 经纬度须同时提供');
    else if (!Number.isFinite(x) || !Number.isFinite(y) || Math.abs(y) > 90 || Math.abs(x) > 180)
      errors.push('lat/long are not WGS84 coordinates 经纬度无效');
    else if (env.gridAt(x, y) === null)
      errors.push(`the location lies outside the service area (${env.areaName}) 位置不在服务范围内`);
    else location = { lng: x, lat: y };
  } else if (addressString !== undefined) {
    const placed = env.locate(addressString);
    if (!placed)
      errors.push(
        `address_string names no community or street of ${env.areaName}; send lat/long 地址无法定位，请提供经纬度`,
      );
    else location = { lng: placed.lng, lat: placed.lat };
  } else if (field(body, 'address_id') !== undefined) {
    errors.push('address_id is not supported here; send lat/long or address_string 不支持 address_id');
  } else {
    errors.push('a location is required: lat & long, or address_string 缺少位置');
  }
  if (addressString !== undefined && addressString.length > MAX_ADDRESS)
    errors.push(`address_string is limited to ${MAX_ADDRESS} characters 地址过长`);
  if (detail !== undefined && detail.length > MAX_DETAIL)
    errors.push(`attribute location_detail is limited to ${MAX_DETAIL} characters 具体位置过长`);

  const description = field(body, 'description');
  if (description !== undefined && description.length > MAX_DESCRIPTION)
    errors.push(`description is limited to ${MAX_DESCRIPTION} characters 描述过长`);

  const priority = attribute(body, 'priority') ?? 'normal';
  if (priority !== 'normal' && priority !== 'urgent')
    errors.push('attribute priority must be normal or urgent 紧急程度无效');

  const media = field(body, 'media_url');
  if (media !== undefined && !isHttpUrl(media)) errors.push('media_url must be an http(s) URL 媒体链接无效');

  const phone = field(body, 'phone');
  if (phone !== undefined && !PHONE.test(phone)) errors.push('phone is not a phone number 电话号码无效');
  const name = personName(field(body, 'first_name'), field(body, 'last_name'));
  if (name.length > MAX_NAME) errors.push(`first_name and last_name are limited to ${MAX_NAME} characters 姓名过长`);

  if (errors.length > 0 || !location) {
    throw new GeoReportError(
      400,
      errors.map((description) => ({ code: 400, description })),
    );
  }
  const address = [addressString, detail].filter(Boolean).join(' ').slice(0, MAX_ADDRESS);
  const parsed = CaseReport.safeParse({
    category: category.code,
    source: 'open311',
    priority,
    // The spec makes the description optional; a case needs one: the service's name says what.
    description: description ?? category.name,
    location: { lng: location.lng, lat: location.lat, address },
    // Email, device and account ids are not kept: the case keeps only what a call-back needs.
    reporter: name || phone ? { name, phone: phone ?? '' } : null,
    media: media ? [media] : [],
  });
  if (!parsed.success) {
    throw new GeoReportError(
      400,
      parsed.error.issues.map((i) => ({ code: 400, description: `${i.path.join('.')}: ${i.message}` })),
    );
  }
  return { report: parsed.data, client };
}

/** Chinese names are family name first, without a space; others given name first. */
export function personName(first: string | undefined, last: string | undefined): string {
  if (!first && !last) return '';
  const cjk = /[\u3400-\u9fff]/.test(`${first ?? ''}${last ?? ''}`);
  return cjk ? `${last ?? ''}${first ?? ''}` : [first, last].filter(Boolean).join(' ');
}

function isHttpUrl(s: string): boolean {
  if (s.length > 2048) return false;
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * A gazetteer over the area tree: an address is placed at the centre of the community (else the
 * street) whose full name it contains, the longest name first (阅海湾社区 before 阅海社区); where
 * two communities share a name, the one whose street the address also names.
 */
export function gazetteer(
  areas: readonly Area[],
): (address: string) => { lng: number; lat: number; area: Area } | null {
  const byId = new Map(areas.map((a) => [a.id, a]));
  const named = areas
    .filter((a) => a.level === 'community' || a.level === 'street')
    .sort((a, b) => (a.level === b.level ? b.name.length - a.name.length : a.level === 'community' ? -1 : 1));
  return (address) => {
    const hits = named.filter((a) => address.includes(a.name));
    const parentNamed = (a: Area) => {
      const parent = a.parentId ? byId.get(a.parentId) : undefined;
      return parent !== undefined && address.includes(parent.name);
    };
    const hit = hits.find((a) => a.level === 'community' && parentNamed(a)) ?? hits[0];
    return hit ? { lng: hit.center[0], lat: hit.center[1], area: hit } : null;
  };
}
