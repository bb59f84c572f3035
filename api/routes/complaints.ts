import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { CountyId } from '../../domain/reference/counties';
import { COUNTY_SCOPED_ROLES } from '../../domain/shared/actor';
import { answerComplaint, complaintView, fileComplaint, listComplaints, PUBLIC_INTAKE, publicComplaintStatus } from '../../services/complaints';
import { countyOf } from '../../services/exit-workflows';
import { ApiError, notFound } from '../errors';
import type { ApiDeps } from '../deps';
import { ERROR_RESPONSES, idempotencyHeadersSchema } from '../schemas/common';
import {
  answerComplaintBodySchema,
  complaintCaseStatusSchema,
  complaintListSchema,
  complaintParamsSchema,
  complaintSchema,
  complaintsQuerySchema,
  filedComplaintSchema,
  publicComplaintBodySchema,
  publicComplaintStatusSchema,
  recordComplaintBodySchema,
} from '../schemas/complaints';
import { precheck, requestIdOf } from '../route-kit';

const now = () => new Date().toISOString();

/** Complaints from the public form, per address per hour: enough for a family, too few to flood a county's desk. */
export const PUBLIC_COMPLAINTS_PER_HOUR = 5;

/** Look-ups of a complaint by its id, per address per hour: a filer checks a few times; guessing ids (64 random bits) gets nowhere. */
export const PUBLIC_COMPLAINT_LOOKUPS_PER_HOUR = 60;

/**
 * Complaints (申诉、投诉举报) behind a token: an official records a 12317 call, a visit or a letter;
 * the county (the city once told) answers; inspectors and officials list them. The answer deadline
 * and its escalation are the case workflow's (workflows/complaint-case.ts).
 */
export const complaintRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/complaints',
      {
        schema: {
          tags: ['complaints'],
          summary: 'Record a complaint taken by the 12317 line, a visit or a letter, about a round, a payment or a household: its answer is due in 15 days, then it escalates',
          headers: idempotencyHeadersSchema,
          body: recordComplaintBodySchema,
          response: { 201: filedComplaintSchema, 200: filedComplaintSchema, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const { requestId: bodyId, ...b } = request.body;
        precheck(request.actor, 'complaint.record', undefined);
        const requestId = requestIdOf(request.headers['idempotency-key'], bodyId);
        const r = await fileComplaint(
          deps.db,
          deps.client,
          deps.taskQueue,
          { ...b, actor: request.actor, now: now() },
          { daySeconds: deps.noticeDaySeconds, ...(requestId ? { requestId } : {}) },
        );
        return reply.code(r.duplicate ? 200 : 201).send(r);
      },
    );

    app.get(
      '/complaints',
      {
        schema: {
          tags: ['complaints'],
          summary: "Complaints, newest first, with their due time, escalation and answer: a county-scoped reader sees its county's, inspectors and the city every county's",
          querystring: complaintsQuerySchema,
          response: { 200: complaintListSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const scoped = COUNTY_SCOPED_ROLES.includes(request.actor.role) ? request.actor.countyId : undefined;
        const county = (request.query.county ?? scoped) as CountyId | undefined;
        precheck(request.actor, 'read', county);
        return listComplaints(deps.db, { ...(county ? { countyId: county } : {}), ...(request.query.open !== undefined ? { open: request.query.open } : {}), now: now() });
      },
    );

    app.get(
      '/complaints/:complaintId',
      {
        schema: {
          tags: ['complaints'],
          summary: 'One complaint: subject, due time, escalation, answer',
          params: complaintParamsSchema,
          response: { 200: complaintSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { complaintId } = request.params;
        precheck(request.actor, 'read', countyOf(complaintId) as CountyId);
        const c = await complaintView(deps.db, complaintId, now());
        if (!c) throw notFound('complaint', complaintId);
        return c;
      },
    );

    app.post(
      '/complaints/:complaintId/answer',
      {
        schema: {
          tags: ['complaints'],
          summary: 'Answer a complaint (an Update of its case): the finding and what was done; whoever decided on the round complained about may not answer',
          headers: idempotencyHeadersSchema,
          params: complaintParamsSchema,
          body: answerComplaintBodySchema,
          response: { 200: complaintCaseStatusSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { complaintId } = request.params;
        precheck(request.actor, 'complaint.answer', countyOf(complaintId) as CountyId);
        const { requestId: bodyId, ...b } = request.body;
        return answerComplaint(deps.client, complaintId, { ...b, actor: request.actor, assertion: request.token }, requestIdOf(request.headers['idempotency-key'], bodyId));
      },
    );
  };

/**
 * The public form (no token): anyone, a household or a neighbour, files about a round, a payment
 * or a household. Limited per address; recorded under the intake's id, never the filer's.
 */
export const publicComplaintRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    await app.register(rateLimit, {
      max: PUBLIC_COMPLAINTS_PER_HOUR,
      timeWindow: 3_600_000,
      keyGenerator: (request) => `complaint:${request.ip}`,
      errorResponseBuilder: (_request, context) =>
        new ApiError(
          429,
          'RATE_LIMITED',
          `提交过于频繁：每个地址每小时最多 ${context.max} 件，请稍后再试或拨打12317`,
          `too many complaints: at most ${context.max} an hour from one address; try later or call 12317`,
          { limitPerHour: context.max, retryAfterSeconds: Math.ceil(context.ttl / 1000) },
        ),
    });
    app.get(
      '/public/complaints/:complaintId',
      {
        schema: {
          tags: ['complaints'],
          summary:
            'Look up a complaint by its id without an account (查询办理进度): where it stands, when the answer is due, escalation, and the answer; not what was complained of or by whom',
          security: [],
          params: complaintParamsSchema,
          response: { 200: publicComplaintStatusSchema, ...ERROR_RESPONSES },
        },
        config: {
          rateLimit: {
            max: PUBLIC_COMPLAINT_LOOKUPS_PER_HOUR,
            timeWindow: 3_600_000,
            keyGenerator: (request: { ip: string }) => `complaint-lookup:${request.ip}`,
            errorResponseBuilder: (_request: unknown, context: { max: number; ttl: number }) =>
              new ApiError(
                429,
                'RATE_LIMITED',
                `查询过于频繁：每个地址每小时最多查询 ${context.max} 次，请稍后再试或拨打12317`,
                `too many look-ups: at most ${context.max} an hour from one address; try later or call 12317`,
                { limitPerHour: context.max, retryAfterSeconds: Math.ceil(context.ttl / 1000) },
              ),
          },
        },
      },
      async (request) => {
        const c = await publicComplaintStatus(deps.db, request.params.complaintId, now());
        if (!c) throw notFound('complaint', request.params.complaintId);
        return c;
      },
    );
    app.post(
      '/public/complaints',
      {
        schema: {
          tags: ['complaints'],
          summary: 'File a complaint without an account (网上投诉): anonymous, limited per address; answers the complaint id and when the answer is due',
          security: [],
          body: publicComplaintBodySchema,
          response: { 201: filedComplaintSchema, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const r = await fileComplaint(
          deps.db,
          deps.client,
          deps.taskQueue,
          { ...request.body, channel: 'online', actor: PUBLIC_INTAKE, now: now() },
          { daySeconds: deps.noticeDaySeconds },
        );
        return reply.code(201).send(r);
      },
    );
  };
