import type { FastifyPluginAsync } from 'fastify';
import { postgresProbes, readiness, temporalProbe } from '../../infra/health';
import { scrape } from '../../infra/metrics';
import type { ApiDeps } from '../deps';

/**
 * For operators, outside the bearer guard: `/healthz` (the process answers), `/readyz` (PostgreSQL
 * with every migration, and Temporal, answer: 503 naming what does not) and `/metrics` (Prometheus
 * text). Keep /metrics on the monitoring network (README, Operating it): it holds counts, no personal data.
 */
export const operationsRoutes =
  (deps: ApiDeps): FastifyPluginAsync =>
  async (app) => {
    app.get('/healthz', { schema: { hide: true } }, async () => ({ alive: true }));
    app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
      const r = await readiness({
        ...postgresProbes(deps.db),
        temporal: () => temporalProbe(deps.client.connection),
      });
      return reply.code(r.ready ? 200 : 503).send(r);
    });
    app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
      const m = await scrape(deps.db);
      return reply.header('content-type', m.contentType).send(m.body);
    });
  };
