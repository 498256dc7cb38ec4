import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PresentationControl } from '../../protocol';
import { HttpError, parseOr400, statusOf } from '../transport/http';
import type { PresenterRelay } from './relay';
import type { TourLibrary } from './tours';

/**
 * `GET /api/tours` (presenter, supervisor, admin), `GET /api/tours/:name` (talking points only for those),
 * `GET /api/presentation` (any role), `POST /api/presentation` (presenter, supervisor, admin).
 */
export function registerPresenterRoutes(
  app: FastifyInstance,
  tours: TourLibrary,
  relay: PresenterRelay,
  guards: { anyRole: (req: FastifyRequest) => Promise<void>; presenting: (req: FastifyRequest) => Promise<void> },
): void {
  app.get('/api/tours', { preHandler: guards.presenting }, async () => ({ items: tours.list() }));

  // Any role: a lobby screen (a wall credential) plays a tour unattended, without its talking points.
  app.get<{ Params: { name: string } }>('/api/tours/:name', { preHandler: guards.anyRole }, async (req) => {
    const tour = tours.get(req.params.name);
    if (!tour) throw new HttpError(404, 'not_found', `no tour named ${req.params.name}`);
    if (req.principal?.role !== 'wall') return tour;
    return { ...tour, steps: tour.steps.map((s) => ({ ...s, notes: { 'zh-CN': [], en: [] } })) };
  });

  app.get('/api/presentation', { preHandler: guards.anyRole }, async () => ({ presentation: relay.current }));

  app.post('/api/presentation', { preHandler: guards.presenting }, async (req, reply) => {
    const control = parseOr400(PresentationControl, req.body);
    const result = await relay.control(control, req.principal?.username ?? 'unknown');
    if (!result.ok) {
      return reply.status(statusOf(result.code)).send({ error: { code: result.code, message: result.message } });
    }
    return { presentation: result.presentation };
  });
}
