import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { CountyId } from '../../domain/reference/counties';
import type { Action } from '../../domain/access';
import { formatYuan } from '../../domain/shared/money';
import { BENEFIT_PROGRAMMES, type BenefitFileCommand, type RoundSummary } from '../../domain/benefit';
import { parseConfig } from '../../infra/config';
import { memberKey } from '../../infra/personal-data/keys';
import { benefitRoundStatus, householdBenefits, recordBenefitFact, sendBenefitRoundStep, setHouseholdAccount, startBenefitRound } from '../../services/benefits';
import { countyOf, noticeSeconds } from '../../services/exit-workflows';
import type { BenefitRoundStepRequest } from '../../workflows/benefit-round.messages';
import { notFound } from '../errors';
import type { ApiDeps } from '../deps';
import { ERROR_RESPONSES, idempotencyHeadersSchema } from '../schemas/common';
import {
  accountBodySchema,
  benefitFactBodySchema,
  benefitLedgerSchema,
  benefitRoundStatusSchema,
  benefitRoundStepBodySchema,
  factOutcomeSchema,
  householdParamsSchema,
  roundParamsSchema,
  startBenefitRoundBodySchema,
} from '../schemas/benefits';
import { precheck, requestIdOf } from '../route-kit';

/** What each step asks of the person taking it (domain/access), checked before the Update is sent; the workflow and decider check again. */
const STEP_ACTIONS = {
  postNotice: 'benefit.post-notice',
  objection: 'benefit.object',
  review: 'benefit.township-review',
  approve: 'benefit.approve',
  disburse: 'benefit.disburse',
} as const satisfies Record<string, Action>;

const inYuan = (s: RoundSummary | undefined) => s && { ...s, listTotalYuan: formatYuan(s.listTotal), paidYuan: formatYuan(s.paid), returnedYuan: formatYuan(s.returned) };

/**
 * Benefits paid to households (到户): the household's benefit file and 一卡通 account, benefit rounds
 * (start, each person's step, status) and each household's benefit ledger. Who may take which step is
 * the domain's rule (domain/benefit); here a county-scoped token is kept to its county first.
 */
export const benefitRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const cfg = parseConfig({});
    const salt = deps.memberKeySalt ?? cfg.MEMBER_KEY_SALT;
    const taskQueue = deps.taskQueue;
    const days = (n: number) => noticeSeconds(n, deps.noticeDaySeconds);
    const now = () => new Date().toISOString();

    app.get(
      '/benefit-programmes',
      { schema: { tags: ['benefits'], summary: 'The benefit programmes (到户) as versioned policy data: standards, sources, rules, periods, evidence' } },
      async () => ({
        programmes: Object.values(BENEFIT_PROGRAMMES),
      }),
    );

    app.post(
      '/households/:id/benefit-file',
      {
        schema: {
          tags: ['benefits'],
          summary: "Record a fact on a household's benefit file (member attributes, housing grade, 验收, relocation plan, microcredit loan)",
          headers: idempotencyHeadersSchema,
          params: householdParamsSchema,
          body: benefitFactBodySchema,
          response: { 201: factOutcomeSchema, 200: factOutcomeSchema, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const householdId = request.params.id;
        precheck(request.actor, 'benefit.record-fact', countyOf(householdId) as CountyId);
        const { requestId: bodyId, type, ...b } = request.body;
        const requestId = requestIdOf(request.headers['idempotency-key'], bodyId);
        const meta = { actor: request.actor, now: now() };
        const command: BenefitFileCommand =
          type === 'memberAttributes'
            ? (() => {
                const { idNumber, ...attrs } = b as Extract<typeof request.body, { type: 'memberAttributes' }>;
                return { type: 'RecordMemberAttributes', data: { householdId, memberKey: memberKey(idNumber, salt), ...attrs }, meta };
              })()
            : type === 'housingGrade'
              ? { type: 'GradeHousing', data: { householdId, ...(b as Extract<typeof request.body, { type: 'housingGrade' }>) }, meta }
              : type === 'renovationAccepted'
                ? { type: 'AcceptRenovation', data: { householdId, ...(b as Extract<typeof request.body, { type: 'renovationAccepted' }>) }, meta }
                : type === 'relocation'
                  ? { type: 'JoinRelocationPlan', data: { householdId, ...(b as Extract<typeof request.body, { type: 'relocation' }>) }, meta }
                  : { type: 'RecordMicrocreditLoan', data: { householdId, ...(b as Extract<typeof request.body, { type: 'loan' }>) }, meta };
        const r = await recordBenefitFact(deps.db, salt, command, requestId);
        return reply.code(r.duplicate ? 200 : 201).send({ ...r, positions: [...r.positions] });
      },
    );

    app.post(
      '/households/:id/account',
      {
        schema: {
          tags: ['benefits'],
          summary: "Set or change a household's 一卡通 account (who and why are recorded; the number is stored only as a key and a masked form)",
          headers: idempotencyHeadersSchema,
          params: householdParamsSchema,
          body: accountBodySchema,
          response: { 201: factOutcomeSchema, 200: factOutcomeSchema, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const householdId = request.params.id;
        precheck(request.actor, 'benefit.set-account', countyOf(householdId) as CountyId);
        const b = request.body;
        const r = await setHouseholdAccount(
          deps.db,
          salt,
          { householdId, accountNumber: b.accountNumber, bank: b.bank, reason: b.reason, actor: request.actor, now: now() },
          requestIdOf(request.headers['idempotency-key'], b.requestId),
        );
        return reply.code(r.duplicate ? 200 : 201).send({ ...r, positions: [...r.positions] });
      },
    );

    app.get(
      '/households/:id/benefits',
      {
        schema: {
          tags: ['benefits'],
          summary: "A household's benefit ledger: every payment by programme, period and source fund, with its rule and policy version",
          params: householdParamsSchema,
          response: { 200: benefitLedgerSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const householdId = request.params.id;
        precheck(request.actor, 'read', countyOf(householdId) as CountyId);
        const l = await householdBenefits(deps.db, householdId);
        return { ...l, paidYuan: formatYuan(l.paidFen), returnedYuan: formatYuan(l.returnedFen), rows: l.rows.map((r) => ({ ...r, amountYuan: formatYuan(r.amountFen) })) };
      },
    );

    app.post(
      '/benefit-rounds',
      {
        schema: {
          tags: ['benefits'],
          summary: 'Start a benefit round (programme × township × period): the token holder draws up the list from the registry',
          headers: idempotencyHeadersSchema,
          body: startBenefitRoundBodySchema,
          response: { 201: benefitRoundStatusSchema, 200: benefitRoundStatusSchema, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const b = request.body;
        precheck(request.actor, 'benefit.draft', countyOf(b.townshipId) as CountyId);
        const r = await startBenefitRound(
          deps.client,
          taskQueue,
          {
            programmeId: b.programmeId,
            townshipId: b.townshipId,
            villageIds: b.villageIds,
            period: b.period,
            ...(b.standards ? { standards: b.standards } : {}),
            drafter: request.actor,
            assertion: request.token,
            noticeSeconds: days(b.noticeDays),
            minNoticeSeconds: days(7),
            ...(b.batchSize ? { batchSize: b.batchSize } : {}),
          },
          requestIdOf(request.headers['idempotency-key'], b.requestId),
        );
        const { error: _e, summary, ...status } = r.status;
        return reply
          .code(r.repeated ? 200 : 201)
          .send({ ...status, ...(summary ? { summary: inYuan(summary) } : {}), workflowId: r.workflowId, runId: r.runId, repeated: r.repeated });
      },
    );

    app.post(
      '/benefit-rounds/:roundId/steps',
      {
        schema: {
          tags: ['benefits'],
          summary: 'Take a step of a benefit round (an Update: postNotice, objection, review, approve, disburse)',
          headers: idempotencyHeadersSchema,
          params: roundParamsSchema,
          body: benefitRoundStepBodySchema,
          response: { 200: benefitRoundStatusSchema.partial().extend({ phase: benefitRoundStatusSchema.shape.phase }), ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { roundId } = request.params;
        precheck(request.actor, STEP_ACTIONS[request.body.type], countyOf(roundId) as CountyId);
        const { requestId: bodyId, ...rest } = request.body;
        const out = await sendBenefitRoundStep(
          deps.client,
          roundId,
          { ...rest, actor: request.actor, assertion: request.token } as BenefitRoundStepRequest,
          requestIdOf(request.headers['idempotency-key'], bodyId),
        );
        return { phase: out.phase, ...(out.summary ? { summary: inYuan(out.summary) } : {}) };
      },
    );

    app.get(
      '/benefit-rounds/:roundId',
      {
        schema: {
          tags: ['benefits'],
          summary: "A benefit round's phase and totals (list, paid, returned) in fen and 元",
          params: roundParamsSchema,
          response: { 200: benefitRoundStatusSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { roundId } = request.params;
        precheck(request.actor, 'read', countyOf(roundId) as CountyId);
        const s = await benefitRoundStatus(deps.client, roundId);
        if (s === null) throw notFound('benefit-round', roundId);
        const { error: _e, summary, ...rest } = s;
        return { ...rest, ...(summary ? { summary: inYuan(summary) } : {}) };
      },
    );
  };
