import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { CountyId } from '../../domain/reference/counties';
import { listPayments } from '../../services/payment-ledger-queries';
import { listAnomaliesPage } from '../../services/anomaly-queries';
import type { ApiDeps } from '../deps';
import { ERROR_RESPONSES } from '../schemas/common';
import { anomalyListSchema, anomalyQuerySchema, paymentListQuerySchema, paymentPageSchema } from '../schemas/ledger';
import { precheck } from '../route-kit';

/** Fund, project and household ids name their county (<kind>-<county>-…). */
const countyIn = (id: string): CountyId => id.split('-')[1] as CountyId;

export const ledgerRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/payments',
      {
        schema: {
          tags: ['funds'],
          summary: 'The payment ledger: one row per payment, in store order (keyset pages by position), with the totals of the filter',
          querystring: paymentListQuerySchema,
          response: { 200: paymentPageSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const q = request.query;
        precheck(request.actor, 'read', q.county);
        // A fund, project or household in another county is out of scope as much as that county is.
        for (const id of [q.fund, q.project, q.household]) if (id) precheck(request.actor, 'read', countyIn(id));
        const county = q.county ?? request.actor.countyId;
        return listPayments(deps.db, { county, fund: q.fund, project: q.project, payee: q.payee, household: q.household, year: q.year, after: q.after, limit: q.limit });
      },
    );

    app.get(
      '/anomalies',
      {
        schema: {
          tags: ['funds', 'projects'],
          summary:
            'Anomalies: over-allocation attempts, payments before acceptance, shared payee accounts, payments to exited or unregistered households, idle allocations, overdue stages, payments confirmed but not recorded, steps stuck retrying (from the workers stuck_steps table)',
          querystring: anomalyQuerySchema,
          response: { 200: anomalyListSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const q = request.query;
        precheck(request.actor, 'read', q.county);
        const county = q.county ?? request.actor.countyId;
        const asOf = q.asOf ?? new Date().toISOString().slice(0, 10);
        return { asOf, ...(await listAnomaliesPage(deps.db, { county, kind: q.kind, asOf }, { limit: q.limit, after: q.after })) };
      },
    );
  };
