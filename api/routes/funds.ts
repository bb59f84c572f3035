import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppropriateFund } from '../../domain/fund';
import { appropriateFund } from '../../activities/appropriate-fund';
import type { CountyId } from '../../domain/reference/counties';
import { fromDomainError, notFound } from '../errors';
import type { ApiDeps } from '../deps';
import { ERROR_RESPONSES, idempotencyHeadersSchema } from '../schemas/common';
import { appropriateBodySchema, fundBalanceSchema, fundListQuerySchema, fundParamsSchema } from '../schemas/funds';
import { precheck, requestIdOf } from './projects';

/** A fund id names its county (fund-<county>-<year>-<serial>). */
const countyOfFund = (fundId: string): CountyId => fundId.split('-')[1] as CountyId;

const balanceOf = (r: {
  fund_id: string;
  source: string;
  county_id: string;
  fiscal_year: number;
  document_number: string;
  appropriated_fen: string;
  available_fen: string;
  allocated_unpaid_fen: string;
  paid_fen: string;
  returned_fen: string;
  frozen: boolean;
  last_event_position: string;
}) => ({
  fundId: r.fund_id,
  source: r.source,
  countyId: r.county_id,
  fiscalYear: r.fiscal_year,
  documentNumber: r.document_number,
  appropriatedFen: Number(r.appropriated_fen),
  availableFen: Number(r.available_fen),
  allocatedUnpaidFen: Number(r.allocated_unpaid_fen),
  paidFen: Number(r.paid_fen),
  returnedFen: Number(r.returned_fen),
  frozen: r.frozen,
  lastEventPosition: Number(r.last_event_position),
});

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
        let query = deps.db.selectFrom('fund_balances').selectAll().orderBy('fund_id').limit(q.limit + 1);
        if (county) query = query.where('county_id', '=', county);
        if (q.year) query = query.where('fiscal_year', '=', q.year);
        if (q.source) query = query.where('source', '=', q.source);
        if (q.after) query = query.where('fund_id', '>', q.after);
        const rows = await query.execute();
        const page = rows.slice(0, q.limit).map(balanceOf);
        return { items: page, next: rows.length > q.limit ? page[page.length - 1]!.fundId : null };
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
        const row = await deps.db.selectFrom('fund_balances').selectAll().where('fund_id', '=', id).executeTakeFirst();
        if (!row) throw notFound('资金', id);
        return balanceOf(row);
      },
    );
  };
