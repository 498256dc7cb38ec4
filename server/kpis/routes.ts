import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { KpiFigures } from '../../protocol';
import { HttpError, parseOr400 } from '../transport/http';
import type { StreamHub } from '../transport/stream';
import { type KpiService, UnknownAreaError } from './compute';
import { KpiQuery } from './period';

/** `GET /api/kpis?area=&period=<KpiPeriodName>` or `?area=&from=&to=`: any logged-in role. */
export function registerKpiRoutes(
  app: FastifyInstance,
  kpis: KpiService,
  loggedIn: (req: FastifyRequest) => Promise<void>,
): void {
  app.get('/api/kpis', { preHandler: loggedIn }, async (req): Promise<KpiFigures> => {
    const query = parseOr400(KpiQuery, req.query);
    const period = kpis.periods.resolve(query, kpis.now());
    if ('error' in period) throw new HttpError(400, 'invalid', period.error);
    try {
      return await kpis.figures(
        query.area ?? null,
        period,
        query.from || query.to ? undefined : (query.period ?? 'today'),
      );
    } catch (err) {
      if (err instanceof UnknownAreaError) throw new HttpError(404, 'not_found', err.message);
      throw err;
    }
  });
}

/**
 * Pushes today's district-wide figures (and the rolling-30-day summary, refreshed at most once a
 * minute) to every client at most every `intervalMs` of real time, and only after cases changed:
 * refreshes them, then has the hub send them (the hub reads them back through `latestToday` and
 * `latestRolling`). Never awaited by the server's tick: a slow query must not hold it up.
 */
export class KpiPusher {
  private changed = false;
  private pushing: Promise<void> | null = null;
  private last = Date.now();
  pushes = 0;

  constructor(
    private readonly hub: Pick<StreamHub, 'pushKpis'>,
    private readonly kpis: Pick<KpiService, 'pushPayload'>,
    onEvents: (listener: () => void) => unknown,
    private readonly intervalMs = 5000,
  ) {
    onEvents(() => {
      this.changed = true;
    });
  }

  tick(now = Date.now()): void {
    if (!this.changed || this.pushing || now - this.last < this.intervalMs) return;
    this.changed = false;
    this.last = now;
    this.pushing = this.kpis
      .pushPayload()
      .then(() => this.hub.pushKpis())
      .then(() => {
        this.pushes += 1;
      })
      .catch((err: Error) => console.error('kpi push failed:', err.message))
      .finally(() => {
        this.pushing = null;
      });
  }

  /** Resolves when no push is under way (the server waits for it before closing storage). */
  async idle(): Promise<void> {
    await this.pushing;
  }
}
