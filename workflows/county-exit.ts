import { allHandlersFinished, condition, patched, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import { storeRetry } from './retry-policies';
import type { createExitActivities } from '../activities/exit-activities';
import { COUNTY_EXIT } from '../domain/exits';
import { DEFAULT_COUNTY_RULES } from '../domain/county/decide';
import type { CountyCommand, SampleBasis } from '../domain/county/commands';
import { countySampleSeed, provincialCheckRequestRefusal, sampleSizes } from '../domain/county/sample';
import { requestRefusal } from '../domain/exits';
import { domainError, type DomainError } from '../domain/shared/errors';
import {
  countyExitStatusQuery,
  countyExitStepSchema,
  countyExitStepUpdate,
  type CountyExitInput,
  type CountyExitPhase,
  type CountyExitStatus,
  type CountyExitStepRequest,
} from './county-exit.messages';
import { OneAtATime } from './one-at-a-time';
import { takeNoticeTerms } from './notice-terms';
import { refusal } from './refusal';
import { checkHumanStep, handleHumanSteps, provedEarlier, StepCounter, streamCommandStep } from './steps';
import { asserted, provingActor } from './actor-assertion';

const acts = proxyActivities<ReturnType<typeof createExitActivities>>({
  startToCloseTimeout: '5 minutes',
  retry: storeRetry(['EventStoreInvalid', 'NotInWorkflow']),
});
type Parsed = ReturnType<typeof countyExitStepSchema.parse>;

/** The blocked reason as the county state keeps it: the first failure, with every failure in details. */
const blocked = (failures: readonly { code: string; zh: string; en: string }[]): DomainError => {
  const first = failures[0]!;
  return failures.length === 1 ? domainError(first.code, first.zh, first.en) : domainError(first.code, first.zh, first.en, { failures });
};

/**
 * A county's exit (摘帽, or a non-poor county's overall exit): its figures from the households' and
 * villages' current states, the application (blocked with the failing test's reason), the city's
 * pre-check, the provincial check with a seeded third-party sample whose every finding is
 * recorded, the notice and the announcement.
 */
export async function countyExit(input: CountyExitInput): Promise<CountyExitStatus> {
  const { workflowId } = workflowInfo();
  // Runs started before this drew the sample from a seed the provincial checker gave; new runs fix it
  // from the store digest when the county applies, before anyone can read what the check will draw.
  const seedFixed = patched('county-exit-sample-seed-at-application');
  let sampleBasis: SampleBasis | undefined;
  // The notice terms: the input's until the run takes those in force at its start (takeNoticeTerms).
  let noticeSeconds = input.noticeSeconds;
  let rules = { ...DEFAULT_COUNTY_RULES, noticeMinSeconds: input.minNoticeSeconds ?? input.noticeSeconds };
  const c = { countyId: input.countyId };
  let phase: CountyExitPhase = 'applying';
  let figures: CountyExitStatus['figures'] = undefined;
  let sample: CountyExitStatus['sample'];
  let blockedBy: DomainError | undefined;
  let noticeEndsAt: string | undefined;
  const numbered = new StepCounter();
  const steps = new OneAtATime();

  const apply = streamCommandStep<CountyCommand, typeof rules>(acts.applyCountyCommand, numbered, {
    rules: () => rules,
    correlationId: input.correlationId,
    countyId: input.countyId,
  });
  const status = (): CountyExitStatus => ({
    countyId: input.countyId,
    year: input.year,
    phase,
    ...(figures ? { figures } : {}),
    ...(sample ? { sample } : {}),
    ...(blockedBy ? { blockedBy } : {}),
    ...(noticeEndsAt ? { noticeEndsAt } : {}),
  });
  const block = (e: DomainError): CountyExitStatus => {
    blockedBy = e;
    phase = 'blocked';
    return status();
  };

  const check = (raw: CountyExitStepRequest): Parsed => {
    const req = checkHumanStep(COUNTY_EXIT, countyExitStepSchema, raw, input.countyId, phase);
    if (req.type === 'provincialCheck') {
      const bad = seedFixed
        ? provincialCheckRequestRefusal(req)
        : req.seed === undefined || req.exitedToSample === undefined || req.nonRegisteredToSample === undefined
          ? requestRefusal(COUNTY_EXIT, 'seed', 'Required')
          : undefined;
      if (bad) throw refusal(bad);
    }
    return req;
  };

  const take = async (req: Parsed): Promise<CountyExitStatus> => {
    switch (req.type) {
      case 'cityPreCheck': {
        const r = await apply({ type: 'RecordCityPreCheck', data: { ...c, passed: req.passed, findings: req.findings } }, req.actor, 'city', asserted(req.assertion));
        if (!r.ok) throw refusal(r.error!);
        if (!req.passed) return block(domainError('COUNTY_CITY_PRECHECK_FAILED', `市级初审未通过：${req.findings}`, `the city pre-check failed: ${req.findings}`));
        phase = 'awaiting-province';
        return status();
      }
      case 'provincialCheck': {
        const check = numbered.next('province');
        const seed = seedFixed ? countySampleSeed(input.countyId, input.year, sampleBasis!) : req.seed!;
        const sizes = sampleSizes(req);
        const s = await provingActor(
          acts.drawAndRecordSample({
            actor: req.actor,
            ...asserted(req.assertion),
            countyId: input.countyId,
            checkId: `${workflowId}:${check.n}`,
            seed,
            exitedToSample: sizes.exited,
            nonRegisteredToSample: sizes.nonRegistered,
            nonRegisteredHouseholds: input.nonRegisteredHouseholds,
            foundPoor: req.foundPoor,
            year: input.year,
            ...(seedFixed ? { ruralPopulation: input.ruralPopulation } : {}),
          }),
        );
        sample = { seed, drawn: s.drawn.length, wronglyExited: s.wronglyExited.found, missedPoor: s.missedPoor.found };
        if (s.wronglyExited.checked === 0) return block(domainError('COUNTY_NO_EXITED_TO_SAMPLE', '没有已退出的户可供抽查', 'no exited household to sample'));
        const r = await apply(
          {
            type: 'RecordProvincialCheck',
            data: {
              ...c,
              sample: { seed, households: s.drawn.length, evaluator: req.evaluator },
              ...(seedFixed && s.frames ? { frames: s.frames } : {}),
              wronglyExited: s.wronglyExited,
              missedPoor: s.missedPoor,
              approval: req.approval,
              incomeGrowthBp: req.incomeGrowthBp,
              servicesAtOrNearProvince: req.servicesAtOrNearProvince,
            },
          },
          req.actor,
          'province',
          asserted(req.assertion),
        );
        if (!r.ok) throw refusal(r.error!);
        if (r.status === 'blocked') return block(blocked(r.blockedBy ?? [{ code: 'COUNTY_PROVINCIAL_CHECK_FAILED', zh: '省级核查未通过', en: 'the provincial check failed' }]));
        const endsAt = new Date(Date.now() + noticeSeconds * 1000).toISOString();
        // The province checks and posts the notice: recorded under the actor who posts it. Runs
        // started before this posted it under the city office named at the start.
        const provincePosts = patched('county-exit-province-posts-notice');
        const n = await apply(
          { type: 'PostCountyExitNotice', data: { ...c, endsAt } },
          provincePosts ? req.actor : input.city!,
          'notice',
          provincePosts ? asserted(req.assertion) : provedEarlier(),
        );
        if (!n.ok) throw refusal(n.error!);
        noticeEndsAt = endsAt;
        phase = 'in-notice';
        return status();
      }
      case 'object': {
        const r = await apply(
          { type: 'RaiseCountyExitObjection', data: { ...c, objectionId: req.objectionId, summary: req.summary } },
          req.actor,
          'objection',
          asserted(req.assertion),
        );
        if (!r.ok) throw refusal(r.error!);
        return block(
          domainError('COUNTY_OBJECTION_RAISED', `公示期内有异议：${req.summary}`, `an objection was raised during the notice: ${req.summary}`, { objectionId: req.objectionId }),
        );
      }
      case 'announce': {
        const r = await apply({ type: 'AnnounceCountyExit', data: c }, req.actor, 'announce', asserted(req.assertion));
        if (!r.ok) throw refusal(r.error!);
        phase = 'exited';
        return status();
      }
    }
  };

  handleHumanSteps(countyExitStepUpdate, steps, check, take);
  setHandler(countyExitStatusQuery, status);

  const applied = await steps.run(async () => {
    const terms = await takeNoticeTerms('countyExit', input.countyId, { noticeSeconds, minNoticeSeconds: rules.noticeMinSeconds });
    noticeSeconds = terms.noticeSeconds;
    rules = { ...rules, noticeMinSeconds: terms.minNoticeSeconds };
    const t = await acts.tallyCounty(c);
    figures = { poorRemaining: t.poorRemaining, ruralPopulation: input.ruralPopulation, poorVillagesExited: t.poorVillagesExited };
    if (seedFixed) sampleBasis = await acts.storeDigestHead();
    return apply(
      { type: 'ApplyForCountyExit', data: { ...c, year: input.year, ...figures, ...(sampleBasis ? { sampleBasis } : {}) } },
      input.county,
      'apply',
      asserted(input.assertion),
    );
  });
  if (!applied.ok) return block(applied.error!);
  phase = 'awaiting-city';

  await condition(() => phase === 'in-notice' || phase === 'blocked');
  if ((phase as CountyExitPhase) === 'in-notice') {
    await sleep(Math.max(0, Date.parse(noticeEndsAt!) - Date.now()) + 1);
    await steps.run(async () => {
      if ((phase as CountyExitPhase) === 'in-notice') phase = 'awaiting-announcement';
    });
  }
  await condition(() => phase === 'exited' || phase === 'blocked');
  await condition(allHandlersFinished);
  return status();
}
