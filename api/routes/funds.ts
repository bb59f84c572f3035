import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { FUND_ERRORS, type AppropriateFund } from '../../domain/fund';
import type { Action } from '../../domain/access';
import type { DomainError } from '../../domain/shared/errors';
import { appropriateFund } from '../../services/appropriate-fund';
import { adoptIntegrationPlan, integrationPlan } from '../../services/integration-plans';
import type { AdoptIntegrationPlan } from '../../domain/integration';
import { fundTotals, getFundBalance, listFunds } from '../../services/fund-queries';
import { readFundFlowPage } from '../../services/fund-flow';
import { REQUEST_REFUSALS, runFundCommand, type FundCommandOnFund } from '../../services/fund-commands';
import type { CountyId } from '../../domain/reference/counties';
import { ApiError, fromDomainError, notFound } from '../errors';
import type { ApiDeps } from '../deps';
import { ERROR_RESPONSES, idempotencyHeadersSchema } from '../schemas/common';
import {
  appropriateBodySchema,
  integrationPlanBodySchema,
  integrationPlanParamsSchema,
  integrationPlanSchema,
  freezeBodySchema,
  fundBalanceSchema,
  fundCommandOutcomeSchema,
  fundListQuerySchema,
  fundParamsSchema,
  returnBodySchema,
  unfreezeBodySchema,
  fundFlowSchema,
  fundFlowQuerySchema,
  fundTotalsQuerySchema,
  fundTotalsSchema,
} from '../schemas/funds';
import { precheck, requestIdOf } from '../route-kit';

/** A fund id names its county (fund-<county>-<year>-<serial>). */
const countyOfFund = (fundId: string): CountyId => fundId.split('-')[1] as CountyId;

/** A fund command's refusal: no such fund is 404, a bad request 422, the fund's state 409. */
const refusalOf = (e: DomainError): ApiError =>
  e.code === FUND_ERRORS.notFound ? new ApiError(404, e.code, e.zh, e.en) : fromDomainError(e, REQUEST_REFUSALS.has(e.code) ? 'precheck' : 'workflow');

/** The three commands on a fund itself, each its own route over one service. */
const FUND_COMMAND_ROUTES = [
  { path: '/funds/:id/freeze', type: 'FreezeFund', action: 'fund.freeze', body: freezeBodySchema, summary: 'Freeze a fund: it may neither allocate nor pay until unfrozen (冻结)' },
  { path: '/funds/:id/unfreeze', type: 'UnfreezeFund', action: 'fund.unfreeze', body: unfreezeBodySchema, summary: 'Unfreeze a frozen fund (解冻)' },
  { path: '/funds/:id/returns', type: 'ReturnFund', action: 'fund.return', body: returnBodySchema, summary: 'Return part of the available balance upwards (收回/退回)' },
] as const satisfies readonly { path: string; type: FundCommandOnFund['type']; action: Action; body: unknown; summary: string }[];

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

    app.post(
      '/integration-plans',
      {
        schema: {
          tags: ['funds'],
          summary:
            "Record a poor county's 整合方案 for a year (统筹整合使用财政涉农资金): the money moved out of each original channel into the county's pool; not several funds paying one project (多渠道/捆绑)",
          headers: idempotencyHeadersSchema,
          body: integrationPlanBodySchema,
          response: { 201: integrationPlanSchema, 200: integrationPlanSchema, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const { requestId: bodyRequestId, ...b } = request.body;
        const requestId = requestIdOf(request.headers['idempotency-key'], bodyRequestId);
        precheck(request.actor, 'integration.adopt', b.countyId);
        const command: AdoptIntegrationPlan = {
          type: 'AdoptIntegrationPlan',
          data: {
            countyId: b.countyId,
            year: b.year,
            documentRef: b.documentNumber,
            adoptedOn: b.adoptedOn,
            channels: b.channels.map((c) => ({ channel: c.channel, amountFen: c.amount })),
            totalFen: b.total,
          },
          meta: { actor: request.actor, now: new Date().toISOString() },
        };
        const r = await adoptIntegrationPlan(deps.db, command, requestId);
        return reply.code(r.repeated ? 200 : 201).send(r);
      },
    );
    app.get(
      '/integration-plans/:countyId/:year',
      {
        schema: {
          tags: ['funds'],
          summary: "A county's 整合方案 for a year: each channel's amount and the pool's total",
          params: integrationPlanParamsSchema,
          response: { 200: integrationPlanSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { countyId, year } = request.params;
        precheck(request.actor, 'read', countyId);
        const plan = await integrationPlan(deps.db, countyId, year);
        if (!plan) throw notFound('integration-plan', `${countyId}/${year}`);
        return plan;
      },
    );

    for (const r of FUND_COMMAND_ROUTES) {
      app.post(
        r.path,
        {
          schema: {
            tags: ['funds'],
            summary: r.summary,
            headers: idempotencyHeadersSchema,
            params: fundParamsSchema,
            body: r.body,
            response: { 200: fundCommandOutcomeSchema, ...ERROR_RESPONSES },
          },
        },
        async (request) => {
          const { id } = request.params;
          const { requestId: bodyRequestId, ...data } = request.body as { requestId?: string; reason: string; amount?: number };
          const requestId = requestIdOf(request.headers['idempotency-key'], bodyRequestId);
          precheck(request.actor, r.action, countyOfFund(id));
          const command = { type: r.type, data: { ...data, fundId: id }, meta: { actor: request.actor, now: new Date().toISOString() } } as FundCommandOnFund;
          const outcome = await runFundCommand(deps.db, command, { ...(requestId ? { requestId } : {}), log: request.log });
          if (!outcome.ok) throw refusalOf(outcome.error);
          const { ok: _ok, duplicate, ...rest } = outcome;
          return { ...rest, repeated: duplicate };
        },
      );
    }

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
      '/funds/totals',
      {
        schema: {
          tags: ['funds'],
          summary: 'Fund balances summed by source, county and/or year, with the grand total they add up to',
          querystring: fundTotalsQuerySchema,
          response: { 200: fundTotalsSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const q = request.query;
        precheck(request.actor, 'read', q.county);
        return fundTotals(deps.db, { county: q.county ?? request.actor.countyId, year: q.year, source: q.source }, q.by);
      },
    );

    app.get(
      '/funds/:id/flow',
      {
        schema: {
          tags: ['funds', 'audit'],
          summary:
            'Where the money went: appropriation → allocations → payments → payees, each payment with its source, reconciled to the fen; allocations in pages of at most `limit` (next page: after=<next>), payees those of the page',
          params: fundParamsSchema,
          querystring: fundFlowQuerySchema,
          response: { 200: fundFlowSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { id } = request.params;
        precheck(request.actor, 'read', countyOfFund(id));
        const flow = await readFundFlowPage(deps.db, id, request.query);
        if (!flow) throw notFound('fund', id);
        return flow;
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
        if (!fund) throw notFound('fund', id);
        return fund;
      },
    );
  };
