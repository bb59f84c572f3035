import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppropriateFund } from '../../domain/fund';
import { appropriateFund } from '../../activities/appropriate-fund';
import { getFundBalance, listFunds } from '../../services/fund-queries';
import type { CountyId } from '../../domain/reference/counties';
import { fromDomainError, notFound } from '../errors';
import type { ApiDeps } from '../deps';
import { ERROR_RESPONSES, idempotencyHeadersSchema } from '../schemas/common';
import { appropriateBodySchema, fundBalanceSchema, fundListQuerySchema, fundParamsSchema } from '../schemas/funds';
import { precheck, requestIdOf } from './projects';

/** A fund id names its county (fund-<county>-<year>-<serial>). */
const countyOfFund = (fundId: string): CountyId => fundId.split('-')[1] as CountyId;

export const fundRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/funds',
      {
        schema: {
          tags: ['funds'],
          summary: 'Appropriate a fund to a county (下达)',
          headers: idempotencyHeadersSchema,
          body: appropriateBodySchema,
          response: {
            201: z.object({ fundId: z.string(), position: z.number().int(), streamVersion: z.number().int(), eventId: z.string(), repeated: z.boolean() }),
            200: z.object({ fundId: z.string(), position: z.number().int(), streamVersion: z.number().int(), eventId: z.string(), repeated: z.boolean() }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request, reply) => {
        const { requestId: bodyRequestId, ...data } = request.body;
        requestIdOf(request.headers['idempotency-key'], bodyRequestId);
        precheck(request.actor, 'fund.appropriate', data.countyId);
        const command: AppropriateFund = { type: 'AppropriateFund', data: data as AppropriateFund['data'], meta: { actor: request.actor, now: new Date().toISOString() } };
        // The event id derives from the fund id, so repeating the same appropriation is answered, not recorded twice.
        const r = await appropriateFund(deps.db, command);
        if (!r.ok) throw fromDomainError(r.error, 'workflow');
        return reply.code(r.duplicate ? 200 : 201).send({ fundId: data.fundId, position: r.position, streamVersion: r.streamVersion, eventId: r.eventId, repeated: r.duplicate });
      },
    );

    app.get(
      '/funds',
      {
        schema: {
          tags: ['funds'],
          summary: 'List fund balances (keyset pages by fund id)',
          querystring: fundListQuerySchema,
          response: { 200: z.object({ items: z.array(fundBalanceSchema), next: z.string().nullable() }), ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const q = request.query;
        precheck(request.actor, 'read', q.county);
        const county = q.county ?? request.actor.countyId;
        const page = await listFunds(deps.db, { county, year: q.year, source: q.source, after: q.after, limit: q.limit });
        return { items: page.items, next: page.next };
      },
    );

    app.get(
      '/funds/:id',
      {
        schema: { tags: ['funds'], summary: "A fund's balances", params: fundParamsSchema, response: { 200: fundBalanceSchema, ...ERROR_RESPONSES } },
      },
      async (request) => {
        const { id } = request.params;
        precheck(request.actor, 'read', countyOfFund(id));
        const fund = await getFundBalance(deps.db, id);
        if (!fund) throw notFound('资金', id);
        return fund;
      },
    );
  };
