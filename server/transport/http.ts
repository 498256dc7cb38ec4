import { existsSync } from 'node:fs';
import { join } from 'node:path';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { ApiError, CalendarAnswer, Health, MapConfigAnswer, Role } from '../../protocol';
import { CaseQuery, CaseReport, CreateDeviceRequest, describeZodError, LoginRequest, PAGE_PATHS } from '../../protocol';
import type { Auth, Principal } from '../access/auth';
import { maskCase, shouldMask } from '../access/masking';
import { tokenFromCookie } from '../access/sessionCookie';
import type { CaseCore } from '../cases/core';
import { registerBaseMap } from './basemap';
import type { HandleCommand } from './commands';
import { registerMedia } from './media';

export interface HttpContext {
  core: CaseCore;
  auth: Auth;
  /** The command entrance shared with the socket. */
  commands: HandleCommand;
  version: string;
  startedAt: number;
  rendererDir: string;
  mediaDir: string;
  simulator: () => Health['simulator'];
  seq: () => number;
  /** [kpis/open311 hook] Routes of other modules, given the auth guards. */
  extraRoutes?: (app: FastifyInstance, guards: RouteGuards) => void | Promise<void>;
  /** [presenter hook] Whether wall pages get masked data now (a presentation runs). */
  masksWalls?: () => boolean;
}

/** [kpis/open311 hook] preHandlers that check the token and the role. */
export interface RouteGuards {
  anyRole: (req: FastifyRequest) => Promise<void>;
  privileged: (req: FastifyRequest) => Promise<void>;
  adminOnly: (req: FastifyRequest) => Promise<void>;
  /** [presenter hook] presenter, supervisor or admin. */
  presenting: (req: FastifyRequest) => Promise<void>;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiError['code'],
    message: string,
  ) {
    super(message);
  }
}

/** Parses input with a protocol schema or answers 400 with what was wrong. */
export function parseOr400<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new HttpError(400, 'invalid', describeZodError(parsed.error));
  }
  return parsed.data;
}

export async function buildHttp(ctx: HttpContext): Promise<FastifyInstance> {
  const app = Fastify({ bodyLimit: 256 * 1024, logger: false, trustProxy: false });
  await app.register(formbody);

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, _req, reply) => {
    if (err instanceof HttpError) {
      return reply.status(err.status).send({ error: { code: err.code, message: err.message } });
    }
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    const code = codeOfStatus(status);
    if (status === 500) console.error('http error:', err);
    return reply.status(status).send({ error: { code, message: status === 500 ? 'internal error' : err.message } });
  });

  const requireRole =
    (...roles: Role[]) =>
    async (req: FastifyRequest) => {
      const header = req.headers.authorization;
      // A bearer token first; else the page's HttpOnly session cookie (browser mode, Electron).
      const token = (header?.startsWith('Bearer ') ? header.slice(7) : '') || tokenFromCookie(req.headers);
      const principal = await ctx.auth.authenticate(token);
      if (!principal) throw new HttpError(401, 'unauthorized', 'missing, unknown or expired token');
      if (roles.length > 0 && !roles.includes(principal.role)) {
        throw new HttpError(403, 'forbidden', `role ${principal.role} may not do this`);
      }
      req.principal = principal;
    };
  const anyRole = requireRole();
  const privileged = requireRole('supervisor', 'admin');
  const adminOnly = requireRole('admin');
  const presenting = requireRole('presenter', 'supervisor', 'admin');
  // A wall page says so (`x-gridwall-surface: wall`): while a presentation runs it is masked whatever its role.
  const masks = (req: FastifyRequest): boolean =>
    shouldMask(who(req).role) || (req.headers['x-gridwall-surface'] === 'wall' && (ctx.masksWalls?.() ?? false));
  const who = (req: FastifyRequest): Principal => {
    if (!req.principal) throw new HttpError(401, 'unauthorized', 'not logged in');
    return req.principal;
  };

  app.get(
    '/health',
    async (): Promise<Health> => ({
      ok: true,
      version: ctx.version,
      seq: ctx.seq(),
      uptimeSeconds: Math.round((Date.now() - ctx.startedAt) / 1000),
      simulator: ctx.simulator(),
    }),
  );

  app.post('/api/login', async (req, reply) => {
    const body = parseOr400(LoginRequest, req.body);
    const result = await ctx.auth.login(body.username, body.password, req.ip);
    if (!result.ok && result.reason === 'throttled') {
      reply.header('retry-after', String(Math.ceil(result.retryAfterMs / 1000)));
      throw new HttpError(429, 'rate_limited', 'too many failed logins: try again later');
    }
    if (!result.ok) throw new HttpError(401, 'unauthorized', 'wrong username or password');
    return reply.send({
      token: result.token,
      role: result.principal.role,
      username: body.username,
      expiresAt: result.principal.expiresAt,
    });
  });

  app.get('/api/me', { preHandler: anyRole }, async (req) => {
    const p = who(req);
    return { username: p.username, role: p.role, kind: p.kind, expiresAt: p.expiresAt };
  });

  app.post('/api/session/renew', { preHandler: anyRole }, async (req) => {
    const p = who(req);
    return { expiresAt: await ctx.auth.renew(p) };
  });

  app.post('/api/logout', { preHandler: anyRole }, async (req) => {
    await ctx.auth.logout(who(req));
    return { ok: true };
  });

  /** [console hook] The working calendar deadlines count in: the console's countdown in working time. */
  app.get('/api/calendar', { preHandler: anyRole }, async (): Promise<CalendarAnswer> => ctx.core.config.calendar);

  /**
   * The map's grid colour classes (public, as /api/basemap: the wall's map asks before it logs in,
   * and thresholds are no secret): one meaning for a colour on every display.
   */
  app.get('/api/map', async (): Promise<MapConfigAnswer> => ({ gridClasses: ctx.core.config.gridClasses }));

  app.get<{ Params: { id: string } }>('/api/cases/:id', { preHandler: anyRole }, async (req) => {
    const c = ctx.core.cases.get(req.params.id) ?? (await ctx.core.storage.getCase(req.params.id));
    if (!c) throw new HttpError(404, 'not_found', `no case with id ${req.params.id}`);
    return masks(req) ? maskCase(c) : c;
  });

  app.get('/api/cases', { preHandler: anyRole }, async (req) => {
    const query = parseOr400(CaseQuery, req.query);
    const masked = masks(req);
    let cursor: { createdAt: number; id: string } | null = null;
    if (query.cursor) {
      const [t, id] = Buffer.from(query.cursor, 'base64url').toString().split('|');
      if (!t || !id || !Number.isFinite(Number(t))) throw new HttpError(400, 'invalid', 'bad cursor');
      cursor = { createdAt: Number(t), id };
    }
    const page = await ctx.core.storage.queryCases({ ...query, searchPhone: !masked }, query.limit, cursor);
    return {
      items: masked ? page.items.map(maskCase) : page.items,
      total: page.total,
      next: page.next ? Buffer.from(`${page.next.createdAt}|${page.next.id}`).toString('base64url') : null,
    };
  });

  /** The same commands as the socket, for clients that cannot keep one open: the same handler answers. */
  app.post('/api/commands', { preHandler: anyRole }, async (req, reply) => {
    const { ack, json } = await ctx.commands(req.body, { principal: who(req), remoteAddress: req.ip });
    if (!ack.ok) reply.status(statusOf(ack.error.code));
    return json === null ? ack : reply.type('application/json; charset=utf-8').send(json);
  });

  /** The hotline desk enters a resident's call as a new report. */
  app.post('/api/reports', { preHandler: privileged }, async (req, reply) => {
    const p = who(req);
    const report = parseOr400(CaseReport, req.body);
    if (!ctx.core.categories.has(report.category))
      throw new HttpError(400, 'invalid', `unknown category ${report.category}`);
    const c = await ctx.core.report(report, { id: p.username, name: ctx.auth.displayName(p.username), role: p.role });
    return reply.status(201).send(c);
  });

  app.get<{ Querystring: { limit?: string; before?: string } }>(
    '/api/audit',
    { preHandler: adminOnly },
    async (req) => {
      const limit = Math.min(Math.max(Number(req.query.limit ?? 100) || 100, 1), 1000);
      const before = req.query.before ? Number(req.query.before) : null;
      return { items: await ctx.core.storage.access.listAudit(limit, Number.isFinite(before) ? before : null) };
    },
  );

  app.get('/api/devices', { preHandler: adminOnly }, async () => ({
    items: await ctx.core.storage.access.listDevices(),
  }));
  app.post('/api/devices', { preHandler: adminOnly }, async (req, reply) => {
    const body = parseOr400(CreateDeviceRequest, req.body);
    const created = await ctx.auth.createDevice(body.name, body.role, who(req).username);
    return reply.status(201).send(created);
  });
  app.delete<{ Params: { id: string } }>('/api/devices/:id', { preHandler: adminOnly }, async (req) => {
    if (!(await ctx.auth.revokeDevice(req.params.id)))
      throw new HttpError(404, 'not_found', `no device ${req.params.id}`);
    return { ok: true };
  });

  await ctx.extraRoutes?.(app, { anyRole, privileged, adminOnly, presenting });
  // [basemap] The operator's base map from the config's folder.
  await registerBaseMap(app, ctx.core.config.baseMap);

  // Browser mode: the built renderer, and the media the demo cameras play.
  await registerMedia(app, ctx.mediaDir);
  const hasRenderer = existsSync(join(ctx.rendererDir, 'index.html'));
  if (hasRenderer) {
    await app.register(fastifyStatic, { root: ctx.rendererDir, prefix: '/', index: false, wildcard: false });
    for (const route of PAGE_PATHS) {
      app.get(route, (_req, reply: FastifyReply) => reply.type('text/html').sendFile('index.html'));
    }
  } else {
    for (const route of PAGE_PATHS) {
      app.get(route, (_req, reply) =>
        reply
          .type('text/html; charset=utf-8')
          .send(
            '<!doctype html><meta charset="utf-8"><title>GridWall</title><p>The renderer is not built yet: run <code>npm run build</code>. 界面尚未构建。</p>',
          ),
      );
    }
  }
  return app;
}

/**
 * The code of an error that did not come as an `HttpError` (fastify's own, @fastify/static's): a
 * refused path (403) is `forbidden`, not a server that is down.
 */
export const codeOfStatus = (status: number): ApiError['code'] => {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate_limited';
  if (status >= 400 && status < 500) return 'invalid';
  return 'unavailable';
};

export const statusOf = (code: ApiError['code']): number =>
  ({
    invalid: 400,
    unauthorized: 401,
    forbidden: 403,
    not_found: 404,
    conflict: 409,
    illegal_transition: 409,
    unavailable: 503,
    rate_limited: 429,
  })[code];
