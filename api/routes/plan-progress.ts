import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { planProgress } from '../../services/plan-progress';
import type { ApiDeps } from '../deps';
import { ERROR_RESPONSES } from '../schemas/common';
import { planProgressQuerySchema, planProgressSchema } from '../schemas/plan-progress';
import { precheck } from '../route-kit';

/** The plan traced to households (GET /progress/plan): plan amount, allocated, paid and households reached per county × category × sub-item, by year. */
export const planProgressRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/progress/plan',
      {
        schema: {
          tags: ['funds', 'projects'],
          summary:
            "The plan's money traced to households: per county × category × plan sub-item, the plan's amount for the county, what was allocated (net of releases) and paid, and the households paid, by year; the totals are GET /funds/totals' allocated-not-yet-paid + paid, and paid, to the fen",
          querystring: planProgressQuerySchema,
          response: { 200: planProgressSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const q = request.query;
        precheck(request.actor, 'read', q.county);
        // A county-scoped reader asking for no county sees their own.
        const county = q.county ?? request.actor.countyId;
        const p = await planProgress(deps.db, {
          ...(county ? { countyId: county } : {}),
          ...(q.year !== undefined ? { year: q.year } : {}),
          ...(q.category ? { category: q.category } : {}),
          ...(q.all ? { all: true } : {}),
        });
        return { rows: p.rows.map((r) => ({ ...r, years: [...r.years] })), totals: p.totals };
      },
    );
  };
