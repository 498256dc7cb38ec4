import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Auth } from '../access/auth';
import { clearSessionCookie, sessionCookie, tokenFromCookie } from '../access/sessionCookie';
import { HttpError } from './http';

const isHttps = (req: FastifyRequest): boolean =>
  req.protocol === 'https' || req.headers['x-forwarded-proto'] === 'https';

/**
 * The token exchange of browser mode: a page that was given a token (`?token=`, or the demo login)
 * trades it for an HttpOnly cookie and forgets it, so no script on the page can read it again.
 * HTTP and the stream accept the cookie wherever they accept a bearer token.
 */
export function registerSessionCookie(app: FastifyInstance, auth: Auth): void {
  app.post('/api/session/cookie', async (req, reply) => {
    // Only a bearer token is exchanged: a cookie cannot renew itself by this route.
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7) : '';
    const principal = await auth.authenticate(token);
    if (!principal) throw new HttpError(401, 'unauthorized', 'missing, unknown or expired token');
    const host = req.headers.host ?? '';
    reply.header('set-cookie', sessionCookie(host, token, principal.expiresAt, Date.now(), isHttps(req)));
    reply.header('cache-control', 'no-store');
    return { role: principal.role, kind: principal.kind, expiresAt: principal.expiresAt };
  });

  // Whether this page's cookie holds a live credential: always 200, so a page without one does not
  // log a failed request on every start.
  app.get('/api/session/cookie', async (req, reply) => {
    reply.header('cache-control', 'no-store');
    const principal = await auth.authenticate(tokenFromCookie(req.headers));
    return principal ? { active: true, role: principal.role, kind: principal.kind } : { active: false };
  });

  app.delete('/api/session/cookie', async (req, reply) => {
    reply.header('set-cookie', clearSessionCookie(req.headers.host ?? ''));
    return { ok: true };
  });
}
