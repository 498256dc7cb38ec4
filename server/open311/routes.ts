import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Case } from '../../protocol';
import type { CaseCore } from '../cases/core';
import type { Database } from '../storage/schema';
import { type FormatEnv, type GeoRequest, PUBLIC_SOURCES, serviceNotice, toGeoRequest, toService } from './format';
import { ATTRIBUTES, acceptRequest, GeoReportError, gazetteer, type IntakeEnv } from './intake';

const DAY = 86_400_000;
/** The spec: "a span of 90 days or first 1000 requests returned, whichever is smallest". */
const MAX_SPAN = 90 * DAY;
const MAX_RESULTS = 1000;
const MAX_IDS = 200;
const SPEC = 'http://wiki.open311.org/GeoReport_v2';
const CHANGESET = '2026-01-01T00:00:00+08:00';
const W3_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

type Query = Record<string, string | string[] | undefined>;

/**
 * Open311 GeoReport v2 at `/open311/v2/`, JSON only. Reports enter the lifecycle through
 * `core.report` as cases from source `open311`; reads are public (the spec asks no key for them)
 * and masked like a wall's view: the case code is the query code a resident reads status with.
 * Every error answers the spec's `[{ code, description }]`.
 */
export function registerOpen311(app: FastifyInstance, core: CaseCore): void {
  const offsetMinutes = core.config.calendar.utcOffsetMinutes;
  const rootName = () => core.areas.find((a) => a.parentId === null)?.name ?? '';
  let places: { areas: readonly unknown[]; locate: IntakeEnv['locate'] } | null = null;
  const intakeEnv = (): IntakeEnv => {
    if (places?.areas !== core.areas) places = { areas: core.areas, locate: gazetteer(core.areas) };
    return {
      categories: core.categories,
      apiKeys: core.config.apiKeys,
      gridAt: (lng, lat) => core.gridAt(lng, lat),
      locate: places.locate,
      areaName: rootName(),
    };
  };
  const formatEnv = (): FormatEnv => ({ categories: core.categories, areaById: core.areaById, offsetMinutes });
  const db = core.storage.db;

  void app.register(
    async (scope) => {
      scope.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) => {
        if (err instanceof GeoReportError) return reply.status(err.status).send(err.errors);
        const status = err.statusCode ?? 500;
        if (status >= 500) {
          console.error('open311 error:', err);
          return reply.status(500).send([{ code: 500, description: 'general service error 服务错误' }]);
        }
        // Oversized or malformed bodies and unsupported content types: the spec's general 400.
        const description = status === 413 ? 'request body too large 请求过大' : err.message;
        return reply.status(status === 404 || status === 403 ? status : 400).send([{ code: 400, description }]);
      });
      scope.setNotFoundHandler((req, reply) => {
        const xml = /\.xml(\?|$)/.test(req.url);
        const status = xml ? 400 : 404;
        return reply.status(status).send([
          {
            code: status,
            description: xml ? 'this server answers JSON only: use .json 仅支持 JSON' : 'no such resource 资源不存在',
          },
        ]);
      });

      scope.get('/discovery.json', async (req) => ({
        changeset: CHANGESET,
        contact: '网格化服务管理中心 grid-governance command center',
        key_service: '向指挥中心申请 API key. Ask the command center for an API key.',
        endpoints: [
          {
            specification: SPEC,
            url: `${req.protocol}://${req.headers.host ?? 'localhost'}/open311/v2`,
            changeset: CHANGESET,
            type: 'production',
            formats: ['application/json'],
          },
        ],
      }));

      scope.get('/services.json', async () => [...core.categories.values()].map(toService));

      scope.get<{ Params: { file: string } }>('/services/:file', async (req) => {
        const code = jsonResource(req.params.file);
        if (!core.categories.has(code)) throw GeoReportError.one(404, `service_code ${code} not found 无此服务类型`);
        return { service_code: code, attributes: ATTRIBUTES };
      });

      scope.post('/requests.json', async (req, reply) => {
        const body = {
          ...(req.query as Query),
          ...(req.body && typeof req.body === 'object' && !Array.isArray(req.body)
            ? (req.body as Record<string, unknown>)
            : {}),
        };
        const accepted = acceptRequest(body, intakeEnv());
        const c = await core.report(accepted.report, {
          id: 'open311',
          name: accepted.client.slice(0, 64),
          role: 'public',
        });
        return reply
          .status(201)
          .send([{ service_request_id: c.code, service_notice: serviceNotice(c.code), account_id: null }]);
      });

      scope.get<{ Querystring: Query }>('/requests.json', async (req) => {
        const q = req.query;
        const ids = list(q.service_request_id);
        if (ids.length > 0) {
          if (ids.length > MAX_IDS) throw GeoReportError.one(400, `at most ${MAX_IDS} service_request_id at once`);
          const found = new Map((await byCodes(db, ids)).map((c) => [c.code, c]));
          return ids.flatMap((id) => {
            const c = found.get(id);
            return c ? [toGeoRequest(c, formatEnv())] : [];
          });
        }
        const range = dateRange(q, core.clock.now());
        const statuses = list(q.status);
        for (const s of statuses) {
          if (s !== 'open' && s !== 'closed') throw GeoReportError.one(400, `status must be open or closed, not ${s}`);
        }
        const cases = await search(db, {
          ...range,
          categories: list(q.service_code),
          open: statuses.length === 1 ? statuses[0] === 'open' : null,
        });
        return cases.map((c) => toGeoRequest(c, formatEnv()));
      });

      scope.get<{ Params: { file: string } }>('/requests/:file', async (req): Promise<GeoRequest[]> => {
        const id = jsonResource(req.params.file);
        const [c] = await byCodes(db, [id]);
        if (!c) throw GeoReportError.one(404, `service_request_id ${id.slice(0, 64)} not found 查询码不存在`);
        return [toGeoRequest(c, formatEnv())];
      });
    },
    { prefix: '/open311/v2' },
  );
}

/** `X.json` → X; `X.xml` is a format this server does not offer (400); anything else does not exist. */
function jsonResource(file: string): string {
  if (file.endsWith('.json') && file.length > 5) return file.slice(0, -5);
  if (file.endsWith('.xml')) throw GeoReportError.one(400, 'this server answers JSON only: use .json 仅支持 JSON');
  throw GeoReportError.one(404, 'no such resource 资源不存在');
}

/** A comma-delimited, possibly repeated, parameter. */
function list(v: string | string[] | undefined): string[] {
  const parts = (Array.isArray(v) ? v : v === undefined ? [] : [v]).flatMap((s) => s.split(','));
  return [...new Set(parts.map((s) => s.trim()).filter(Boolean))];
}

function dateRange(q: Query, now: number): { from: number; to: number } {
  const parse = (name: 'start_date' | 'end_date'): number | null => {
    const v = list(q[name])[0];
    if (v === undefined) return null;
    const t = W3_TIME.test(v) ? Date.parse(v) : Number.NaN;
    if (!Number.isFinite(t))
      throw GeoReportError.one(400, `${name} must be a W3C date-time with its offset, e.g. 2026-11-01T00:00:00+08:00`);
    return t;
  };
  const start = parse('start_date');
  const end = parse('end_date');
  const to = end ?? (start === null ? now : start + MAX_SPAN);
  const from = start ?? to - MAX_SPAN;
  if (to < from) throw GeoReportError.one(400, 'end_date is before start_date');
  if (to - from > MAX_SPAN) throw GeoReportError.one(400, 'a search spans at most 90 days');
  return { from, to };
}

/** The public cases with these codes (query codes). */
async function byCodes(db: Kysely<Database>, codes: string[]): Promise<Case[]> {
  const rows = await db
    .selectFrom('cases')
    .select('data')
    .where('code', 'in', codes)
    .where('source', 'in', PUBLIC_SOURCES)
    .execute();
  return rows.map((r) => JSON.parse(r.data) as Case);
}

/** Public cases requested in [from, to], newest first, at most 1000. */
async function search(
  db: Kysely<Database>,
  f: { from: number; to: number; categories: string[]; open: boolean | null },
): Promise<Case[]> {
  let q = db
    .selectFrom('cases')
    .select('data')
    .where('created_at', '>=', f.from)
    .where('created_at', '<=', f.to)
    .where('source', 'in', PUBLIC_SOURCES);
  if (f.categories.length > 0) q = q.where('category', 'in', f.categories);
  if (f.open !== null) q = q.where('active', '=', f.open ? 1 : 0);
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(MAX_RESULTS).execute();
  return rows.map((r) => JSON.parse(r.data) as Case);
}
