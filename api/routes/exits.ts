import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { COUNTY_EXIT, EXIT_ROUND, RETURN_REVIEW, VILLAGE_EXIT } from '../../domain/exits';
import type { Actor } from '../../domain/shared/actor';
import type { CountyId } from '../../domain/reference/counties';
import { countyOf, noticeSeconds } from '../../services/exit-workflows';
import { exitRoundStatus, sendExitRoundStep, startExitRound } from '../../services/exit-rounds';
import { sendVillageExitStep, startVillageExit, villageExitStatus } from '../../services/village-exits';
import { countyExitStatus, sendCountyExitStep, startCountyExit } from '../../services/county-exits';
import { returnReviewStatus, sendReturnReviewStep, startReturnReview } from '../../services/return-reviews';
import { progressAgainstPlan } from '../../services/exit-progress';
import type { ExitRoundStepRequest } from '../../workflows/exit-round.messages';
import type { VillageExitStepRequest } from '../../workflows/village-exit.messages';
import type { CountyExitStepRequest } from '../../workflows/county-exit.messages';
import type { ReturnReviewStepRequest } from '../../workflows/return-review.messages';
import { fromDomainError, notFound, type NotFoundNoun } from '../errors';
import type { ApiDeps } from '../deps';
import { ERROR_RESPONSES, idempotencyHeadersSchema } from '../schemas/common';
import {
  countyExitParamsSchema,
  countyExitStepBodySchema,
  progressQuerySchema,
  progressSchema,
  reviewParamsSchema,
  reviewStepBodySchema,
  roundParamsSchema,
  roundStepBodySchema,
  startCountyExitBodySchema,
  startedSchema,
  startReviewBodySchema,
  startRoundBodySchema,
  startVillageExitBodySchema,
  countyExitStatusSchema,
  exitRoundStatusSchema,
  exitRoundStepOutcomeSchema,
  returnReviewStatusSchema,
  villageExitStatusSchema,
  villageExitParamsSchema,
  villageExitStartedSchema,
  villageExitStepBodySchema,
} from '../schemas/exits';
import { precheck, requestIdOf } from '../route-kit';

/**
 * The step as the workflow takes it: the token's actor with the token itself as its assertion (the
 * activity that records the step checks it), the client's request id split off.
 */
const stepOf = <T>(
  caller: { actor: Actor; token: string },
  body: { requestId?: string | undefined; type: string },
  header: string | undefined,
): { request: T; requestId: string | undefined } => {
  const { requestId: bodyRequestId, ...rest } = body;
  return { request: { ...rest, actor: caller.actor, assertion: caller.token } as T, requestId: requestIdOf(header, bodyRequestId) };
};

const found = <S>(s: S | null, what: NotFoundNoun, id: string): S => {
  if (s === null) throw notFound(what, id);
  return s;
};

export const exitRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const exitQueue = deps.exitTaskQueue;
    const days = (n: number) => noticeSeconds(n, deps.noticeDaySeconds);
    const started = { 201: startedSchema, 200: startedSchema, ...ERROR_RESPONSES };

    app.post(
      '/exit-rounds',
      {
        schema: {
          tags: ['exits'],
          summary: "Start a village's yearly exit round (the token's work-team member assesses)",
          headers: idempotencyHeadersSchema,
          body: startRoundBodySchema,
          response: started,
        },
      },
      async (request, reply) => {
        const b = request.body;
        const requestId = requestIdOf(request.headers['idempotency-key'], b.requestId);
        precheck(request.actor, 'exit-round.start', countyOf(b.villageId) as CountyId);
        const r = await startExitRound(
          deps.client,
          exitQueue,
          { villageId: b.villageId, year: b.year, assessor: request.actor, assertion: request.token, noticeSeconds: days(b.noticeDays), householdIds: b.householdIds },
          requestId,
        );
        return reply.code(r.repeated ? 200 : 201).send(r);
      },
    );
    app.post(
      '/exit-rounds/:villageId/:year/steps',
      {
        schema: {
          tags: ['exits'],
          summary: 'Take a step of an exit round (an Update: appraise, check, consent, postNotice, object, townshipReview, announce…)',
          headers: idempotencyHeadersSchema,
          params: roundParamsSchema,
          body: roundStepBodySchema,
          response: { 200: exitRoundStepOutcomeSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { villageId, year } = request.params;
        precheck(request.actor, EXIT_ROUND.steps[request.body.type as keyof typeof EXIT_ROUND.steps].action, countyOf(villageId) as CountyId);
        const s = stepOf<ExitRoundStepRequest>(request, request.body, request.headers['idempotency-key']);
        return { ...(await sendExitRoundStep(deps.client, villageId, year, s.request, s.requestId)) };
      },
    );
    app.get(
      '/exit-rounds/:villageId/:year',
      {
        schema: {
          tags: ['exits'],
          summary: "An exit round's phase and each household's status",
          params: roundParamsSchema,
          response: { 200: exitRoundStatusSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { villageId, year } = request.params;
        precheck(request.actor, 'read', countyOf(villageId) as CountyId);
        return { ...found(await exitRoundStatus(deps.client, villageId, year), 'exit-round', `${villageId}/${year}`) };
      },
    );

    app.post(
      '/village-exits',
      {
        schema: {
          tags: ['exits'],
          summary:
            "Start a poor village's exit: the token's township official records the checklist and applies. A village that does not meet the standard is refused at once (422, the failing test); otherwise 201 with the status and who acts next",
          headers: idempotencyHeadersSchema,
          body: startVillageExitBodySchema,
          response: { 201: villageExitStartedSchema, 200: villageExitStartedSchema, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const requestId = requestIdOf(request.headers['idempotency-key'], b.requestId);
        precheck(request.actor, 'village-exit.apply', countyOf(b.villageId) as CountyId);
        const r = await startVillageExit(
          deps.client,
          deps.db,
          exitQueue,
          {
            villageId: b.villageId,
            year: b.year,
            ruralPopulation: b.ruralPopulation,
            checklist: b.checklist,
            township: request.actor,
            assertion: request.token,
            noticeSeconds: days(b.noticeDays),
          },
          requestId,
        );
        if (r.status?.phase === 'blocked' && r.status.blockedBy) throw fromDomainError(r.status.blockedBy, 'precheck');
        return reply.code(r.repeated ? 200 : 201).send({ ...r, status: r.status ? { ...r.status } : null });
      },
    );
    app.post(
      '/village-exits/:villageId/:year/steps',
      {
        schema: {
          tags: ['exits'],
          summary: "Take a step of a village's exit (an Update: review, object, announce)",
          headers: idempotencyHeadersSchema,
          params: villageExitParamsSchema,
          body: villageExitStepBodySchema,
          response: { 200: villageExitStatusSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { villageId, year } = request.params;
        precheck(request.actor, VILLAGE_EXIT.steps[request.body.type as keyof typeof VILLAGE_EXIT.steps].action, countyOf(villageId) as CountyId);
        const s = stepOf<VillageExitStepRequest>(request, request.body, request.headers['idempotency-key']);
        return { ...(await sendVillageExitStep(deps.client, villageId, year, s.request, s.requestId)) };
      },
    );
    app.get(
      '/village-exits/:villageId/:year',
      {
        schema: {
          tags: ['exits'],
          summary: "A village exit's phase, incidence and what blocks it",
          params: villageExitParamsSchema,
          response: { 200: villageExitStatusSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { villageId, year } = request.params;
        precheck(request.actor, 'read', countyOf(villageId) as CountyId);
        return { ...found(await villageExitStatus(deps.client, villageId, year), 'village-exit', `${villageId}/${year}`) };
      },
    );

    app.post(
      '/county-exits',
      {
        schema: {
          tags: ['exits'],
          summary:
            "Start a county's exit (摘帽): the token's county official applies (县级提出); the city pre-checks, the provincial office checks and posts the notice, the provincial government announces",
          headers: idempotencyHeadersSchema,
          body: startCountyExitBodySchema,
          response: started,
        },
      },
      async (request, reply) => {
        const b = request.body;
        const requestId = requestIdOf(request.headers['idempotency-key'], b.requestId);
        precheck(request.actor, 'county-exit.apply', b.countyId);
        const r = await startCountyExit(
          deps.client,
          exitQueue,
          {
            countyId: b.countyId,
            year: b.year,
            ruralPopulation: b.ruralPopulation,
            nonRegisteredHouseholds: b.nonRegisteredHouseholds,
            county: request.actor,
            assertion: request.token,
            noticeSeconds: days(b.noticeDays),
          },
          requestId,
        );
        return reply.code(r.repeated ? 200 : 201).send(r);
      },
    );
    app.post(
      '/county-exits/:countyId/:year/steps',
      {
        schema: {
          tags: ['exits'],
          summary: "Take a step of a county's exit (an Update: cityPreCheck, provincialCheck, object, announce)",
          headers: idempotencyHeadersSchema,
          params: countyExitParamsSchema,
          body: countyExitStepBodySchema,
          response: { 200: countyExitStatusSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { countyId, year } = request.params;
        precheck(request.actor, COUNTY_EXIT.steps[request.body.type as keyof typeof COUNTY_EXIT.steps].action, countyId);
        const s = stepOf<CountyExitStepRequest>(request, request.body, request.headers['idempotency-key']);
        return { ...(await sendCountyExitStep(deps.client, countyId, year, s.request, s.requestId)) };
      },
    );
    app.get(
      '/county-exits/:countyId/:year',
      {
        schema: {
          tags: ['exits'],
          summary: "A county exit's phase, figures, sample and what blocks it",
          params: countyExitParamsSchema,
          response: { 200: countyExitStatusSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { countyId, year } = request.params;
        precheck(request.actor, 'read', countyId);
        return { ...found(await countyExitStatus(deps.client, countyId, year), 'county-exit', `${countyId}/${year}`) };
      },
    );

    app.post(
      '/return-reviews',
      { schema: { tags: ['exits'], summary: "Start a household's return-to-poverty review", headers: idempotencyHeadersSchema, body: startReviewBodySchema, response: started } },
      async (request, reply) => {
        const b = request.body;
        const requestId = requestIdOf(request.headers['idempotency-key'], b.requestId);
        precheck(request.actor, 'return-review.start', countyOf(b.householdId) as CountyId);
        const r = await startReturnReview(deps.client, exitQueue, { householdId: b.householdId, year: b.year, noticeSeconds: days(b.noticeDays) }, requestId);
        return reply.code(r.repeated ? 200 : 201).send(r);
      },
    );
    app.post(
      '/return-reviews/:householdId/:year/steps',
      {
        schema: {
          tags: ['exits'],
          summary: 'Take a step of a return review (an Update: visit, postNotice, decide — the decision)',
          headers: idempotencyHeadersSchema,
          params: reviewParamsSchema,
          body: reviewStepBodySchema,
          response: { 200: returnReviewStatusSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { householdId, year } = request.params;
        precheck(request.actor, RETURN_REVIEW.steps[request.body.type as keyof typeof RETURN_REVIEW.steps].action, countyOf(householdId) as CountyId);
        const s = stepOf<ReturnReviewStepRequest>(request, request.body, request.headers['idempotency-key']);
        return { ...(await sendReturnReviewStep(deps.client, householdId, year, s.request, s.requestId)) };
      },
    );
    app.get(
      '/return-reviews/:householdId/:year',
      { schema: { tags: ['exits'], summary: "A return review's phase", params: reviewParamsSchema, response: { 200: returnReviewStatusSchema, ...ERROR_RESPONSES } } },
      async (request) => {
        const { householdId, year } = request.params;
        precheck(request.actor, 'read', countyOf(householdId) as CountyId);
        return { ...found(await returnReviewStatus(deps.client, householdId, year), 'return-review', `${householdId}/${year}`) };
      },
    );

    app.get(
      '/progress',
      {
        schema: {
          tags: ['exits'],
          summary: "Households, people, villages and counties exited per year against the plan's targets, net of returns",
          querystring: progressQuerySchema,
          response: { 200: progressSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const q = request.query;
        precheck(request.actor, 'read', q.county);
        // A county-scoped reader asking for no county sees their own.
        const county = q.county ?? request.actor.countyId;
        const p = await progressAgainstPlan(deps.db, { ...(county ? { countyId: county } : {}), ...(q.year !== undefined ? { year: q.year } : {}) });
        return { ...p, years: [...p.years], counties: [...p.counties] };
      },
    );
  };
