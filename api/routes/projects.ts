import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { CountyId } from '../../domain/reference/counties';
import { decide, initialState, type ProposeProject } from '../../domain/project';
import { proposeOnce } from '../../services/project-proposals';
import { sendFundingUpdate, sendPaymentUpdate, sendStep } from '../../services/project-updates';
import { getProject } from '../../services/project-queries';
import { listProjects } from '../../services/project-list';
import type { ProjectStepRequest } from '../../workflows/project-lifecycle.messages';
import { ApiError, fromDomainError, notFound } from '../errors';
import { precheck, requestIdOf } from '../route-kit';
import { projectFile } from '../../services/project-file';
import { projectNext, stageSteps } from '../../services/project-next';
import { PROJECT_STATUSES } from '../../domain/project/state';
import { projectNextSchema, stageStepsQuerySchema, stageStepsSchema } from '../schemas/project-steps';
import type { ApiDeps } from '../deps';
import { ERROR_RESPONSES, idempotencyHeadersSchema, requiredIdempotencyHeadersSchema } from '../schemas/common';
import { projectFileSchema } from '../schemas/project-file';
import {
  cancelBodySchema,
  fundingBodySchema,
  fundingOutcomeSchema,
  paymentBodySchema,
  paymentOutcomeSchema,
  projectListQuerySchema,
  projectParamsSchema,
  projectStatusSchema,
  projectSummarySchema,
  proposalOutcomeSchema,
  proposeBodySchema,
  stepBodySchema,
  stepOutcomeSchema,
} from '../schemas/projects';

/** A project id names its county (prj-<county>-<year>-<serial>): scope is checked from it before anything is sent. */
export const countyOfProject = (projectId: string): CountyId => projectId.split('-')[1] as CountyId;

export const projectRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/projects',
      {
        schema: {
          tags: ['projects'],
          summary: 'Propose a project (starts its lifecycle workflow)',
          headers: idempotencyHeadersSchema,
          body: proposeBodySchema,
          response: { 201: proposalOutcomeSchema, 200: proposalOutcomeSchema, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const { requestId: bodyRequestId, projectId: givenId, deadlines, ...data } = request.body;
        const requestId = requestIdOf(request.headers['idempotency-key'], bodyRequestId);
        precheck(request.actor, 'project.propose', data.countyId);
        // With a request id the project id is derived from it, so a repeated request names the same workflow.
        const serial = requestId ? createHash('sha256').update(`${request.actor.userId}\0${requestId}`).digest('hex').slice(0, 12) : randomBytes(6).toString('hex');
        const projectId = givenId ?? `prj-${data.countyId}-${data.fiscalYear}-${serial}`;
        if (countyOfProject(projectId) !== data.countyId) {
          throw new ApiError(
            422,
            'PROJECT_ID_COUNTY_MISMATCH',
            '项目编号中的县与申报县不一致',
            `the project id names ${countyOfProject(projectId)}, the proposal ${data.countyId}`,
          );
        }
        const command: ProposeProject = {
          type: 'ProposeProject',
          data: { ...data, projectId } as ProposeProject['data'],
          meta: { actor: request.actor, now: new Date().toISOString() },
        };
        const decided = decide(command, initialState());
        if (!decided.ok) throw fromDomainError(decided.error, 'precheck');
        const started = await proposeOnce(deps.client, command, deps.taskQueue, requestId, deadlines ? { deadlines } : {}, request.token);
        return reply.code(started.repeated ? 200 : 201).send(started);
      },
    );

    app.post(
      '/projects/:id/steps',
      {
        schema: {
          tags: ['projects'],
          summary: 'Take a human step (an Update of the project workflow)',
          headers: idempotencyHeadersSchema,
          params: projectParamsSchema,
          body: stepBodySchema,
          response: { 200: stepOutcomeSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { id } = request.params;
        const requestId = requestIdOf(request.headers['idempotency-key'], request.body.requestId);
        precheck(request.actor, 'read', countyOfProject(id));
        const step = { type: request.body.type, data: request.body.data, actor: request.actor, assertion: request.token } as ProjectStepRequest;
        const outcome = await sendStep(deps.client, id, step, requestId, deps.db);
        return { ...outcome, positions: [...outcome.positions] };
      },
    );

    app.post(
      '/projects/:id/cancel',
      {
        schema: {
          tags: ['projects', 'funds'],
          summary: 'Cancel a project: what its allocations have not paid goes back to the funds',
          headers: idempotencyHeadersSchema,
          params: projectParamsSchema,
          body: cancelBodySchema,
          response: { 200: stepOutcomeSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { id } = request.params;
        const { requestId: bodyRequestId, ...data } = request.body;
        const requestId = requestIdOf(request.headers['idempotency-key'], bodyRequestId);
        precheck(request.actor, 'project.cancel', countyOfProject(id));
        const outcome = await sendStep(deps.client, id, { type: 'CancelProject', data, actor: request.actor, assertion: request.token }, requestId, deps.db);
        return { ...outcome, positions: [...outcome.positions] };
      },
    );

    app.post(
      '/projects/:id/funding',
      {
        schema: {
          tags: ['projects', 'funds'],
          summary: "Record one fund's share of the project's budget (Idempotency-Key header required)",
          headers: requiredIdempotencyHeadersSchema,
          params: projectParamsSchema,
          body: fundingBodySchema,
          response: { 200: fundingOutcomeSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { id } = request.params;
        const body = request.body;
        const requestId = request.headers['idempotency-key'];
        precheck(request.actor, 'project.record-funding', countyOfProject(id));
        const outcome = await sendFundingUpdate(deps.client, id, { ...body, actor: request.actor, assertion: request.token }, requestId, deps.db);
        return { ...outcome, positions: [...outcome.positions] };
      },
    );

    app.post(
      '/projects/:id/payments',
      {
        schema: {
          tags: ['projects', 'funds'],
          summary: 'Pay a milestone from one allocation (Idempotency-Key header required)',
          headers: requiredIdempotencyHeadersSchema,
          params: projectParamsSchema,
          body: paymentBodySchema,
          response: { 200: paymentOutcomeSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { id } = request.params;
        const body = request.body;
        const requestId = request.headers['idempotency-key'];
        precheck(request.actor, 'project.record-payment', countyOfProject(id));
        const outcome = await sendPaymentUpdate(deps.client, id, { ...body, actor: request.actor, assertion: request.token }, requestId, deps.db);
        return { ...outcome, positions: [...outcome.positions] };
      },
    );

    app.get(
      '/projects',
      {
        schema: {
          tags: ['projects'],
          summary: 'List projects (keyset pages by project id)',
          querystring: projectListQuerySchema,
          response: { 200: z.object({ items: z.array(projectSummarySchema), next: z.string().nullable() }), ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const q = request.query;
        precheck(request.actor, 'read', q.county);
        // A county-scoped reader asking for no county sees their own.
        const county = q.county ?? request.actor.countyId;
        const page = await listProjects(deps.db, { county, category: q.category, year: q.year, stage: q.stage, nextRole: q.nextRole, after: q.after, limit: q.limit });
        return { items: page.items, next: page.next };
      },
    );

    app.get(
      '/projects/:id',
      {
        schema: {
          tags: ['projects'],
          summary: "A project's read model and its workflow's live status",
          params: projectParamsSchema,
          response: { 200: z.object({ summary: projectSummarySchema.nullable(), status: projectStatusSchema.nullable() }), ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { id } = request.params;
        precheck(request.actor, 'read', countyOfProject(id));
        const detail = await getProject(deps, id);
        if (!detail.summary && !detail.status) throw notFound('project', id);
        return detail;
      },
    );

    app.get(
      '/projects/:id/next',
      {
        schema: {
          tags: ['projects'],
          summary:
            'What a project waits for and what may be done to it now: its stage, who acts next and by which deadline, and each step its rules open (domain/project/step-guide.ts) with the roles that may take it, who may not (separation of duties), the data it needs and an example body (amounts as 元/万元 text)',
          params: projectParamsSchema,
          response: { 200: projectNextSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { id } = request.params;
        precheck(request.actor, 'read', countyOfProject(id));
        const next = await projectNext(deps.db, id);
        if (!next) throw notFound('project', id);
        return next;
      },
    );

    app.get(
      '/project-steps',
      {
        schema: {
          tags: ['projects'],
          summary: 'The steps of a project stage (or of every stage) before any project exists: roles, separation of duties, data and an example of each',
          querystring: stageStepsQuerySchema,
          response: { 200: stageStepsSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => ({ stages: (request.query.stage ? [request.query.stage] : PROJECT_STATUSES).map(stageSteps) }),
    );

    app.get(
      '/projects/:id/file',
      {
        schema: {
          tags: ['projects'],
          summary:
            "A project's file folded from its stream (四议两公开 record, notice and objections, allocations by fund and source, contract, milestones, payments by kind, findings) and what the signed-in person may do to it now: the steps the rules offer them and each milestone kind's room (fen)",
          params: projectParamsSchema,
          response: { 200: projectFileSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { id } = request.params;
        precheck(request.actor, 'read', countyOfProject(id));
        const file = await projectFile(deps.db, id, request.actor);
        if (!file) throw notFound('project', id);
        return { ...file, offered: { steps: [...file.offered.steps] }, payments: file.payments.map((p) => ({ ...p })) };
      },
    );
  };
