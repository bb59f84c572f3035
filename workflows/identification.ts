import { allHandlersFinished, condition, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import { storeRetry } from './retry-policies';
import type { createIdentificationActivities } from '../activities/identification-activities';
import { IDENTIFICATION } from '../domain/identification/steps';
import type { IdentificationCommand, IdentificationRules } from '../domain/identification';
import type { StreamCommandResult } from '../activities/exit-activities';
import {
  identificationStatusQuery,
  identificationStepSchema,
  identificationStepUpdate,
  type IdentificationApplicant,
  type IdentificationInput,
  type IdentificationPhase,
  type IdentificationStatus,
  type IdentificationStepRequest,
} from './identification.messages';
import { OneAtATime } from './one-at-a-time';
import { refusal } from './refusal';
import { checkHumanStep, handleHumanSteps, StepCounter, streamCommandStep } from './steps';
import { asserted } from './actor-assertion';
import { takeNoticeTerms } from './notice-terms';

const acts = proxyActivities<ReturnType<typeof createIdentificationActivities>>({
  startToCloseTimeout: '2 minutes',
  retry: storeRetry(['EventStoreInvalid', 'NotInWorkflow']),
});
type Parsed = ReturnType<typeof identificationStepSchema.parse>;

/**
 * 识别: the yearly identification of one village's poor households. Applications (农户申请) and the
 * 村两委's appraisal (民主评议) come as Updates; the township posts the village notice (村公示); when
 * it has run, the township reviews and posts its own notice (乡审核公示); when that has run, the
 * county approves and announces (县审定公告), and only then are the approved households registered
 * (建档立卡). An objection during either notice takes a household out of the year's round.
 */
export async function identificationRound(input: IdentificationInput): Promise<IdentificationStatus> {
  // The notice terms: the input's until the run takes those in force at its start (takeNoticeTerms).
  let noticeSeconds = input.noticeSeconds;
  let rules: IdentificationRules = { noticeMinSeconds: input.minNoticeSeconds ?? input.noticeSeconds };
  let phase: IdentificationPhase = 'applying';
  let noticeEndsAt: string | undefined;
  const households = new Map<string, IdentificationApplicant>();
  const registered: string[] = [];
  const numbered = new StepCounter();
  const steps = new OneAtATime();
  const round = { villageId: input.villageId, year: input.year };

  const apply = streamCommandStep<IdentificationCommand, IdentificationRules>(acts.applyIdentificationCommand, numbered, {
    rules: () => rules,
    correlationId: input.correlationId,
    countyId: input.countyId,
  });
  const must = (r: StreamCommandResult): void => {
    if (!r.ok) throw refusal(r.error!);
  };
  const set = (ids: readonly string[], status: string, reason?: string): void => {
    for (const householdId of ids) households.set(householdId, { householdId, status, ...(reason ? { reason } : {}) });
  };
  const withStatus = (status: string): string[] => [...households.values()].filter((h) => h.status === status).map((h) => h.householdId);
  const status = (): IdentificationStatus => ({
    ...round,
    phase,
    ...(noticeEndsAt && (phase === 'village-notice' || phase === 'township-notice') ? { noticeEndsAt } : {}),
    households: [...households.values()],
    registered: [...registered],
  });
  const noticeEnd = (): string => new Date(Date.now() + noticeSeconds * 1000).toISOString();

  const take = async (req: Parsed): Promise<void> => {
    switch (req.type) {
      case 'apply':
        must(
          await apply(
            { type: 'RecordApplication', data: { ...round, householdId: req.householdId, recordRef: req.recordRef, file: req.file } },
            req.actor,
            'apply',
            asserted(req.assertion),
          ),
        );
        set([req.householdId], 'applied');
        return;
      case 'appraise':
        must(
          await apply(
            { type: 'AppraiseApplications', data: { ...round, agreed: req.agreed, rejected: req.rejected, recordRef: req.recordRef } },
            req.actor,
            'appraise',
            asserted(req.assertion),
          ),
        );
        set(req.agreed, 'appraised');
        set(req.rejected, 'out', 'appraisal-rejected');
        return;
      case 'postVillageNotice': {
        const endsAt = noticeEnd();
        must(await apply({ type: 'PostIdentificationVillageNotice', data: { ...round, endsAt } }, req.actor, 'village-notice', asserted(req.assertion)));
        set(withStatus('appraised'), 'village-notice');
        noticeEndsAt = endsAt;
        phase = 'village-notice';
        return;
      }
      case 'object':
        must(
          await apply(
            { type: 'RaiseIdentificationObjection', data: { ...round, householdId: req.householdId, objectionId: req.objectionId, summary: req.summary } },
            req.actor,
            'objection',
            asserted(req.assertion),
          ),
        );
        set([req.householdId], 'out', 'objection-raised');
        return;
      case 'townshipReview': {
        must(
          await apply(
            { type: 'ReviewIdentificationByTownship', data: { ...round, approved: req.approved, rejected: req.rejected, note: req.note } },
            req.actor,
            'township-review',
            asserted(req.assertion),
          ),
        );
        set(req.approved, 'township-approved');
        set(req.rejected, 'out', 'township-rejected');
        if (req.approved.length === 0) {
          phase = 'closed';
          return;
        }
        // 乡审核公示: the reviewing township posts its approved list at once.
        const endsAt = noticeEnd();
        must(await apply({ type: 'PostIdentificationTownshipNotice', data: { ...round, endsAt } }, req.actor, 'township-notice', asserted(req.assertion)));
        noticeEndsAt = endsAt;
        phase = 'township-notice';
        return;
      }
      case 'announce': {
        must(
          await apply(
            { type: 'AnnounceIdentification', data: { ...round, approved: req.approved, rejected: req.rejected, note: req.note } },
            req.actor,
            'announce',
            asserted(req.assertion),
          ),
        );
        set(req.approved, 'approved');
        set(req.rejected, 'out', 'county-rejected');
        const s = numbered.next('register');
        const r = await acts.registerIdentified({
          ...round,
          countyId: input.countyId,
          actor: req.actor,
          step: s.step,
          correlationId: input.correlationId,
          causationId: s.causationId,
        });
        registered.push(...r.registered);
        for (const x of r.refused) set([x.householdId], 'out', x.code);
        phase = 'announced';
        return;
      }
    }
  };

  handleHumanSteps(
    identificationStepUpdate,
    steps,
    (raw: IdentificationStepRequest): Parsed => checkHumanStep(IDENTIFICATION, identificationStepSchema, raw, input.countyId, phase),
    async (req): Promise<IdentificationStatus> => {
      await take(req);
      return status();
    },
  );
  setHandler(identificationStatusQuery, status);

  const opened = await steps.run(async () => {
    const terms = await takeNoticeTerms('identification', input.countyId, { noticeSeconds, minNoticeSeconds: rules.noticeMinSeconds });
    noticeSeconds = terms.noticeSeconds;
    rules = { ...rules, noticeMinSeconds: terms.minNoticeSeconds };
    return apply({ type: 'OpenIdentificationRound', data: { ...round, countyId: input.countyId } }, input.opener, 'open', asserted(input.assertion));
  });
  if (!opened.ok) {
    phase = 'closed';
    return status();
  }

  // Each notice runs its full time; objections arrive as Updates meanwhile. Then the next phase, or the end if nobody is left.
  for (;;) {
    await condition(() => phase === 'village-notice' || phase === 'township-notice' || phase === 'announced' || phase === 'closed');
    const p = phase as IdentificationPhase;
    if (p !== 'village-notice' && p !== 'township-notice') break;
    await sleep(Math.max(0, Date.parse(noticeEndsAt!) - Date.now()) + 1);
    await steps.run(async () => {
      const q = phase as IdentificationPhase;
      if (q === 'village-notice') phase = withStatus('village-notice').length > 0 ? 'township-review' : 'closed';
      else if (q === 'township-notice') phase = withStatus('township-approved').length > 0 ? 'county-review' : 'closed';
    });
  }
  await condition(allHandlersFinished);
  return status();
}
