import type { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NOTICE_DAYS } from '../../domain/policy/exit-thresholds';
import type { CountyId } from '../../domain/reference/counties';
import type { Action } from '../../domain/access';
import { IDENTIFICATION } from '../../domain/identification/steps';
import { countyOf, noticeSeconds } from '../../services/exit-workflows';
import { identificationStatus, recordApplication, sendIdentificationStep, startIdentification } from '../../services/identification';
import { applyRemovalStep, type RemovalStep } from '../../services/removals';
import type { IdentificationStepRequest } from '../../workflows/identification.messages';
import { notFound } from '../errors';
import type { ApiDeps } from '../deps';
import { ERROR_RESPONSES, idempotencyHeadersSchema } from '../schemas/common';
import { startedSchema } from '../schemas/exits';
import {
  applicationBodySchema,
  identificationParamsSchema,
  identificationStatusSchema,
  identificationStepBodySchema,
  proposeRemovalBodySchema,
  removalDecisionBodySchema,
  removalNoticeBodySchema,
  removalOutcomeSchema,
  removalParamsSchema,
  removeMemberBodySchema,
  startIdentificationBodySchema,
} from '../schemas/identification';
import { precheck, requestIdOf } from '../route-kit';

/**
 * 识别 (identification rounds) and 动态调整 (removals): how a household enters the register and
 * leaves it. Direct registration (/registry/*) imports the 2015 baseline only.
 */
export const identificationRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const days = (n: number) => noticeSeconds(n, deps.noticeDaySeconds);
    const status = { 200: identificationStatusSchema, ...ERROR_RESPONSES };

    app.post(
      '/identification-rounds',
      {
        schema: {
          tags: ['identification'],
          summary: "Open a village's yearly identification round (识别), as the token's township official or work team",
          headers: idempotencyHeadersSchema,
          body: startIdentificationBodySchema,
          response: { 201: startedSchema, 200: startedSchema, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const requestId = requestIdOf(request.headers['idempotency-key'], b.requestId);
        precheck(request.actor, 'identification.open', countyOf(b.villageId) as CountyId);
        const r = await startIdentification(
          deps.client,
          deps.exitTaskQueue,
          { villageId: b.villageId, year: b.year, opener: request.actor, assertion: request.token, noticeSeconds: days(b.noticeDays) },
          requestId,
        );
        return reply.code(r.repeated ? 200 : 201).send(r);
      },
    );

    app.post(
      '/identification-rounds/:villageId/:year/applications',
      {
        schema: {
          tags: ['identification'],
          summary: "农户申请: a household's application with its file and signed form, checked as a registry row; registered only when the county announces",
          headers: idempotencyHeadersSchema,
          params: identificationParamsSchema,
          body: applicationBodySchema,
          response: status,
        },
      },
      async (request) => {
        const { villageId, year } = request.params;
        const { requestId: bodyRequestId, ...application } = request.body;
        const requestId = requestIdOf(request.headers['idempotency-key'], bodyRequestId);
        precheck(request.actor, 'identification.apply', countyOf(villageId) as CountyId);
        const v = await recordApplication(deps.db, deps.client, { villageId, year }, application, {
          actor: request.actor,
          assertion: request.token,
          salt: deps.memberKeySalt,
          ...(deps.idNumbersKey ? { idKey: deps.idNumbersKey } : {}),
          ...(requestId ? { requestId } : {}),
        });
        return { ...v };
      },
    );

    app.post(
      '/identification-rounds/:villageId/:year/steps',
      {
        schema: {
          tags: ['identification'],
          summary: 'Take a step of an identification round (an Update: appraise, postVillageNotice, object, townshipReview, announce)',
          headers: idempotencyHeadersSchema,
          params: identificationParamsSchema,
          body: identificationStepBodySchema,
          response: status,
        },
      },
      async (request) => {
        const { villageId, year } = request.params;
        const { requestId: bodyRequestId, ...rest } = request.body as { requestId?: string; type: string };
        const requestId = requestIdOf(request.headers['idempotency-key'], bodyRequestId);
        precheck(request.actor, IDENTIFICATION.steps[rest.type as keyof typeof IDENTIFICATION.steps].action, countyOf(villageId) as CountyId);
        return {
          ...(await sendIdentificationStep(deps.client, villageId, year, { ...rest, actor: request.actor, assertion: request.token } as IdentificationStepRequest, requestId)),
        };
      },
    );

    app.get(
      '/identification-rounds/:villageId/:year',
      {
        schema: {
          tags: ['identification'],
          summary: "An identification round's phase, each applicant's place, who acts next and the households registered",
          params: identificationParamsSchema,
          response: status,
        },
      },
      async (request) => {
        const { villageId, year } = request.params;
        precheck(request.actor, 'read', countyOf(villageId) as CountyId);
        const s = await identificationStatus(deps.client, villageId, year);
        if (s === null) throw notFound('identification-round', `${villageId}/${year}`);
        return { ...s };
      },
    );

    const removal = <B extends z.ZodObject>(path: string, summary: string, action: Action, body: B, stepOf: (b: z.output<B>) => RemovalStep) =>
      app.post(
        path,
        {
          schema: {
            tags: ['registry'],
            summary,
            headers: idempotencyHeadersSchema,
            params: removalParamsSchema,
            body,
            response: { 200: removalOutcomeSchema, ...ERROR_RESPONSES },
          },
        },
        async (request) => {
          const { id } = request.params;
          const b = request.body as z.output<B> & { requestId?: string };
          const requestId = requestIdOf(request.headers['idempotency-key'], b.requestId);
          precheck(request.actor, action, countyOf(id) as CountyId);
          const r = await applyRemovalStep(deps.db, id, stepOf(b), {
            actor: request.actor,
            salt: deps.memberKeySalt,
            minNoticeSeconds: days(NOTICE_DAYS.removal.value),
            ...(requestId ? { requestId } : {}),
          });
          return { ...r };
        },
      );

    removal(
      '/households/:id/removal',
      '动态调整: the village proposes that a household leave the register, with its reason (deceased, moved-away, wrongly-identified) and record',
      'household.propose-removal',
      proposeRemovalBodySchema,
      (b) => ({ type: 'ProposeRemoval', year: b.year, reason: b.reason, recordRef: b.recordRef }),
    );
    removal(
      '/households/:id/removal/notice',
      'The township posts the proposed removal for notice (在乡（镇）内公示, at least 7 days)',
      'household.post-removal-notice',
      removalNoticeBodySchema,
      (b) => ({
        type: 'PostRemovalNotice',
        noticeSeconds: days(b.noticeDays),
      }),
    );
    removal(
      '/households/:id/removal/decision',
      'After the notice the county decides: approved, the household leaves the register (县公告) and nothing more is paid to it',
      'household.decide-removal',
      removalDecisionBodySchema,
      (b) => ({ type: 'DecideRemoval', approved: b.approved, note: b.note }),
    );
    removal(
      '/households/:id/members/removal',
      'One member leaves a household that stays (deceased, moved-away, married-out, wrongly-registered), named by the ID number on file',
      'household.remove-member',
      removeMemberBodySchema,
      (b) => ({ type: 'RemoveMember', year: b.year, idNumber: b.idNumber, reason: b.reason, recordRef: b.recordRef }),
    );
  };
