import { allHandlersFinished, condition, patched, proxyActivities, proxyLocalActivities, setHandler, sleep } from '@temporalio/workflow';
import { storeRetry } from './retry-policies';
import type { createHouseholdActivities, BatchCommandType, HouseholdCommandItem, HouseholdOutcome } from '../activities/household-activities';
import { EXIT_ROUND, IN_ROUND, roundHouseholdsRefusal } from '../domain/exits';
import { DEFAULT_HOUSEHOLD_RULES } from '../domain/household/decide-common';
import type { Actor } from '../domain/shared/actor';
import { domainError } from '../domain/shared/errors';
import {
  exitRoundStatusQuery,
  exitRoundStepSchema,
  exitRoundStepUpdate,
  type ExitRoundInput,
  type ExitRoundPhase,
  type ExitRoundResult,
  type ExitRoundStepOutcome,
  type ExitRoundStepRequest,
  type RoundHousehold,
} from './exit-round.messages';
import { OneAtATime } from './one-at-a-time';
import { takeNoticeTerms } from './notice-terms';
import { now } from './clock';
import { refusal } from './refusal';
import { asserted, provingActor } from './actor-assertion';
import { checkHumanStep, handleHumanSteps, StepCounter } from './steps';

const acts = proxyActivities<ReturnType<typeof createHouseholdActivities>>({
  startToCloseTimeout: '2 minutes',
  retry: storeRetry(['EventStoreInvalid', 'NotInWorkflow']),
});

// A step's households as a local activity: it runs inside the workflow task that took the Update, so
// the Update is answered in one task instead of three (accept, activity task, completing task: two
// round trips to the server and two queue waits less). Retried the same way; a retry after a lost
// worker runs again on another and finds its event ids stored (idempotent, as before).
const localActs = proxyLocalActivities<ReturnType<typeof createHouseholdActivities>>({
  startToCloseTimeout: '2 minutes',
  retry: storeRetry(['EventStoreInvalid', 'NotInWorkflow']),
});

const BATCH = 500;

type Parsed = ReturnType<typeof exitRoundStepSchema.parse>;

/**
 * The yearly exit round of one village: every candidate household assessed against the year's line
 * and 两不愁三保障, then the village appraisal, the work team's check and each household's consent
 * (Updates), the notice during which an objection takes a household out, the township review and
 * the county's announcement. Households are handled in batches inside activities; the workflow
 * keeps only each household's id and status.
 */
export async function exitRound(input: ExitRoundInput): Promise<ExitRoundResult> {
  // Runs started before this took each step's households in a regular activity.
  const stepsLocal = patched('exit-round-steps-local');
  // The notice terms: the input's until the run takes those in force at its start (takeNoticeTerms).
  let noticeSeconds = input.noticeSeconds;
  let rules = { ...DEFAULT_HOUSEHOLD_RULES, exitNoticeMinSeconds: input.minNoticeSeconds ?? input.noticeSeconds };
  // `version`: the household stream's version after the round's last step on it (the step's outcome),
  // handed to the next step so the household's kept state is decided on without a read (household-batch.ts).
  const households = new Map<string, RoundHousehold & { members?: number | undefined; version?: number | undefined }>();
  let phase: ExitRoundPhase = 'assessing';
  let noticeEndsAt: string | undefined;
  const steps = new OneAtATime();
  const numbered = new StepCounter();

  const ids = (status: readonly string[]): string[] => [...households.values()].filter((h) => status.includes(h.status)).map((h) => h.householdId);
  // Without object spreads: the bundle compiles each to a helper call, and settle runs for every
  // household of every step (~0.8 ms of the workflow thread an Update).
  const settle = (o: HouseholdOutcome, left?: string): void => {
    const prev = households.get(o.householdId);
    if (!o.ok) {
      if (prev && o.version !== undefined) prev.version = o.version;
      return;
    }
    const removed = o.removedReason ?? (o.status === 'poor' ? left : undefined);
    const members = o.memberCount ?? prev?.members;
    const { householdId, version } = o;
    households.set(householdId, removed ? { householdId, status: 'removed', reason: removed, members, version } : { householdId, status: o.status, members, version });
  };
  /** After every step: does anyone remain, and has the village part ended? */
  const advance = (): void => {
    if (ids(IN_ROUND).length === 0 && phase !== 'announced') phase = 'closed';
    else if (phase === 'township-review' && ids(['in-notice']).length === 0) phase = 'announcing';
  };

  /** `assertion` proves `actor` to the activity that records the step (refused ACTOR_ASSERTION_* otherwise). */
  const run = async (items: HouseholdCommandItem[], actor: Actor, stepName: string, assertion: string | undefined, left?: string): Promise<HouseholdOutcome[]> => {
    const s = numbered.next(stepName);
    const out: HouseholdOutcome[] = [];
    for (let i = 0; i < items.length; i += BATCH) {
      const part = await provingActor(
        (stepsLocal ? localActs : acts).applyHouseholdCommands({
          step: `${s.step}:${i / BATCH}`,
          items: items.slice(i, i + BATCH),
          actor,
          ...asserted(assertion),
          now: now(),
          rules,
          correlationId: input.correlationId,
          causationId: s.causationId,
        }),
      );
      out.push(...part);
    }
    for (const o of out) settle(o, left);
    return out;
  };
  const cmd = (type: BatchCommandType, householdIds: readonly string[], data: Record<string, unknown>): HouseholdCommandItem[] =>
    householdIds.map((householdId) => {
      const version = households.get(householdId)?.version;
      return version !== undefined ? { householdId, type, data, version } : { householdId, type, data };
    });

  const statuses = (): ReadonlyMap<string, string> => new Map([...households.values()].map((h) => [h.householdId, h.status]));
  const check = (raw: ExitRoundStepRequest): Parsed => {
    const req = checkHumanStep(EXIT_ROUND, exitRoundStepSchema, raw, input.countyId, phase);
    const refused = roundHouseholdsRefusal(req, statuses());
    if (refused) throw refusal(refused);
    return req;
  };

  const take = async (req: Parsed): Promise<HouseholdOutcome[]> => {
    switch (req.type) {
      case 'appraise':
        return run(
          [
            ...cmd('AppraiseInVillage', req.agreed, { agreed: true, recordRef: req.recordRef }),
            ...cmd('AppraiseInVillage', req.rejected, { agreed: false, recordRef: req.recordRef }),
          ],
          req.actor,
          'appraise',
          req.assertion,
        );
      case 'check':
        return run(
          [
            ...cmd('CheckByWorkTeam', req.confirmed, { confirmed: true, findings: req.findings }),
            ...cmd('CheckByWorkTeam', req.notConfirmed, { confirmed: false, findings: req.findings }),
          ],
          req.actor,
          'check',
          req.assertion,
        );
      case 'consent':
        return run(cmd('RecordConsent', req.householdIds, { consents: req.consents, recordRef: req.recordRef }), req.actor, 'consent', req.assertion);
      case 'withdrawConsent':
        return run(cmd('WithdrawConsent', req.householdIds, { recordRef: req.recordRef }), req.actor, 'withdraw', req.assertion);
      case 'postNotice': {
        const endsAt = new Date(Date.now() + noticeSeconds * 1000).toISOString();
        const out = await run(cmd('PostExitNotice', ids(['consented']), { endsAt }), req.actor, 'notice', req.assertion);
        if (out.some((o) => o.ok)) {
          noticeEndsAt = endsAt;
          phase = 'in-notice';
        }
        return out;
      }
      case 'object':
        return run(cmd('RaiseExitObjection', [req.householdId], { objectionId: req.objectionId, summary: req.summary }), req.actor, 'objection', req.assertion);
      case 'townshipReview':
        return run(
          [...cmd('ReviewByTownship', req.approved, { approved: true, note: req.note }), ...cmd('ReviewByTownship', req.rejected, { approved: false, note: req.note })],
          req.actor,
          'township',
          req.assertion,
        );
      case 'announce': {
        const out = await run(cmd('AnnounceExit', ids(['township-reviewed']), {}), req.actor, 'announce', req.assertion);
        if (out.some((o) => o.ok)) phase = 'announced';
        return out;
      }
    }
  };

  handleHumanSteps(exitRoundStepUpdate, steps, check, async (req): Promise<ExitRoundStepOutcome> => {
    const out = await take(req);
    advance();
    const refused = out.filter((o) => !o.ok).map((o) => ({ householdId: o.householdId, code: o.code ?? 'REFUSED', message: o.message ?? '' }));
    if (out.length > 0 && refused.length === out.length) {
      throw refusal(domainError(refused[0]!.code, refused[0]!.message, refused[0]!.message, { householdId: refused[0]!.householdId, refused: refused.length }));
    }
    return { phase, accepted: out.filter((o) => o.ok).map((o) => o.householdId), refused };
  });

  setHandler(exitRoundStatusQuery, () => {
    const counts: Record<string, number> = {};
    for (const h of households.values()) counts[h.status] = (counts[h.status] ?? 0) + 1;
    return {
      villageId: input.villageId,
      year: input.year,
      phase,
      ...(noticeEndsAt ? { noticeEndsAt } : {}),
      counts,
      households: [...households.values()].map(({ householdId, status, reason }) => ({ householdId, status, ...(reason ? { reason } : {}) })),
    };
  });

  // 1. Assessment: the workflow's own step, for every candidate.
  const candidates = input.householdIds ?? (await acts.listVillageHouseholds({ villageId: input.villageId }));
  for (const id of candidates) households.set(id, { householdId: id, status: 'candidate' });
  await steps.run(async () => {
    const terms = await takeNoticeTerms('householdExit', input.countyId, { noticeSeconds, minNoticeSeconds: rules.exitNoticeMinSeconds });
    noticeSeconds = terms.noticeSeconds;
    rules = { ...rules, exitNoticeMinSeconds: terms.minNoticeSeconds };
    const assessed = await run(cmd('AssessForExit', candidates, { year: input.year }), input.assessor, 'assess', input.assertion);
    for (const o of assessed) {
      if (!o.ok) households.set(o.householdId, { householdId: o.householdId, status: 'not-assessed', reason: o.code ?? 'REFUSED' });
      else if (o.eligible === false) households.set(o.householdId, { householdId: o.householdId, status: 'not-eligible', reason: 'below-standard' });
    }
    phase = 'village-steps';
    advance();
  });

  // 2. The notice runs its full time; objections arrive as Updates meanwhile.
  await condition(() => phase === 'in-notice' || phase === 'closed');
  if ((phase as ExitRoundPhase) === 'in-notice') {
    await sleep(Math.max(0, Date.parse(noticeEndsAt!) - Date.now()) + 1);
    await steps.run(async () => {
      phase = ids(['in-notice']).length > 0 ? 'township-review' : 'closed';
      advance();
    });
  }

  // 3. Township review, then the county's announcement.
  await condition(() => phase === 'announced' || phase === 'closed');
  await condition(allHandlersFinished);
  const exited = ids(['exited']);
  return {
    villageId: input.villageId,
    year: input.year,
    exited,
    peopleExited: exited.reduce((n, id) => n + (households.get(id)?.members ?? 0), 0),
    stayed: [...households.values()].filter((h) => h.status !== 'exited').map(({ householdId, status, reason }) => ({ householdId, status, ...(reason ? { reason } : {}) })),
  };
}
