import { allHandlersFinished, condition, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { createHouseholdActivities, BatchCommandType, HouseholdCommandItem, HouseholdOutcome } from '../activities/household-activities';
import { authorizeStep } from '../domain/household/authorize';
import { DEFAULT_HOUSEHOLD_RULES } from '../domain/household/decide-common';
import type { Actor, Role } from '../domain/shared/actor';
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
import { now } from './clock';
import { refusal } from './refusal';
import { StepCounter } from './steps';

const acts = proxyActivities<ReturnType<typeof createHouseholdActivities>>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '500 ms', maximumInterval: '10 seconds', nonRetryableErrorTypes: ['EventStoreInvalid', 'NotInWorkflow'] },
});

const BATCH = 500;

type Parsed = ReturnType<typeof exitRoundStepSchema.parse>;

/** Which round status each step needs of a household, the phase it is taken in, and who may take it (the decider checks again). */
const STEP: Record<Parsed['type'], { phases: readonly ExitRoundPhase[]; needs?: readonly string[]; roles: readonly Role[] }> = {
  appraise: { phases: ['village-steps'], needs: ['assessed'], roles: ['work-team', 'township-official'] },
  check: { phases: ['village-steps'], needs: ['appraised'], roles: ['work-team'] },
  consent: { phases: ['village-steps'], needs: ['checked'], roles: ['work-team', 'township-official'] },
  withdrawConsent: { phases: ['village-steps', 'in-notice', 'township-review', 'announcing'], needs: ['consented', 'in-notice', 'township-reviewed'], roles: ['work-team', 'township-official', 'county-official'] },
  postNotice: { phases: ['village-steps'], roles: ['work-team', 'township-official'] },
  object: { phases: ['in-notice'], needs: ['in-notice'], roles: ['work-team', 'township-official', 'county-official', 'inspector'] },
  townshipReview: { phases: ['township-review'], needs: ['in-notice'], roles: ['township-official'] },
  announce: { phases: ['announcing'], roles: ['county-official'] },
};
const IN_ROUND = ['assessed', 'appraised', 'checked', 'consented', 'in-notice', 'township-reviewed'];
const WAITING_FOR_VILLAGE = ['assessed', 'appraised', 'checked'];

const e = domainError;

/**
 * The yearly exit round of one village: every candidate household assessed against the year's line
 * and 两不愁三保障, then the village appraisal, the work team's check and each household's consent
 * (Updates), the notice during which an objection takes a household out, the township review and
 * the county's announcement. Households are handled in batches inside activities; the workflow
 * keeps only each household's id and status.
 */
export async function exitRound(input: ExitRoundInput): Promise<ExitRoundResult> {
  const rules = { ...DEFAULT_HOUSEHOLD_RULES, exitNoticeMinSeconds: input.minNoticeSeconds ?? input.noticeSeconds };
  const households = new Map<string, RoundHousehold & { members?: number }>();
  let phase: ExitRoundPhase = 'assessing';
  let noticeEndsAt: string | undefined;
  const steps = new OneAtATime();
  const numbered = new StepCounter();

  const ids = (status: readonly string[]): string[] => [...households.values()].filter((h) => status.includes(h.status)).map((h) => h.householdId);
  const settle = (o: HouseholdOutcome, left?: string): void => {
    const prev = households.get(o.householdId);
    if (!o.ok) return;
    const removed = o.removedReason ?? (o.status === 'poor' ? left : undefined);
    const status = removed ? 'removed' : o.status;
    households.set(o.householdId, { householdId: o.householdId, status, ...(removed ? { reason: removed } : {}), members: o.memberCount ?? prev?.members });
  };
  /** After every step: does anyone remain, and has the village part ended? */
  const advance = (): void => {
    if (ids(IN_ROUND).length === 0 && phase !== 'announced') phase = 'closed';
    else if (phase === 'township-review' && ids(['in-notice']).length === 0) phase = 'announcing';
  };

  const run = async (items: HouseholdCommandItem[], actor: Actor, stepName: string, left?: string): Promise<HouseholdOutcome[]> => {
    const s = numbered.next(stepName);
    const out: HouseholdOutcome[] = [];
    for (let i = 0; i < items.length; i += BATCH) {
      const part = await acts.applyHouseholdCommands({
        step: `${s.step}:${i / BATCH}`,
        items: items.slice(i, i + BATCH),
        actor,
        now: now(),
        rules,
        correlationId: input.correlationId,
        causationId: s.causationId,
      });
      out.push(...part);
    }
    for (const o of out) settle(o, left);
    return out;
  };
  const cmd = (type: BatchCommandType, householdIds: readonly string[], data: Record<string, unknown>): HouseholdCommandItem[] => householdIds.map((householdId) => ({ householdId, type, data }));

  const validate = (raw: ExitRoundStepRequest): Parsed => {
    const r = exitRoundStepSchema.safeParse(raw);
    if (!r.success) {
      const i = r.error.issues[0]!;
      throw refusal(e('EXIT_ROUND_REQUEST_INVALID', `请求无效：${i.path.join('.')}`, `invalid request: ${i.path.join('.') || '(request)'}: ${i.message}`, { field: i.path.join('.') }));
    }
    const req = r.data;
    const s = STEP[req.type];
    const denied = authorizeStep({ actor: req.actor, now: now() }, s.roles, input.countyId);
    if (denied) throw refusal(denied);
    if (!s.phases.includes(phase)) throw refusal(e('EXIT_ROUND_WRONG_PHASE', `本轮当前处于“${phase}”阶段，不能执行该步骤`, `the round is at ${phase}: ${req.type} cannot be taken now`, { phase }));
    const listed =
      req.type === 'appraise' ? [...req.agreed, ...req.rejected]
      : req.type === 'check' ? [...req.confirmed, ...req.notConfirmed]
      : req.type === 'townshipReview' ? [...req.approved, ...req.rejected]
      : req.type === 'object' ? [req.householdId]
      : 'householdIds' in req ? req.householdIds : [];
    for (const id of listed) {
      const h = households.get(id);
      if (!h) throw refusal(e('EXIT_ROUND_HOUSEHOLD_NOT_IN_ROUND', '该户不在本轮退出名单中', `${id} is not in this round`, { householdId: id }));
      if (s.needs && !s.needs.includes(h.status)) {
        throw refusal(e('EXIT_ROUND_HOUSEHOLD_NOT_READY', `该户当前为“${h.status}”，不能执行该步骤`, `${id} is ${h.status}: ${req.type} needs ${s.needs.join(' or ')}`, { householdId: id, status: h.status }));
      }
    }
    if (req.type === 'postNotice') {
      const waiting = ids(WAITING_FOR_VILLAGE);
      if (waiting.length > 0) throw refusal(e('EXIT_ROUND_STEPS_PENDING', `尚有${waiting.length}户未完成评议、核实或签字`, `${waiting.length} household(s) still await appraisal, check or consent`, { waiting: waiting.length }));
      if (ids(['consented']).length === 0) throw refusal(e('EXIT_ROUND_NOBODY_CONSENTED', '没有已签字认可的户', 'no household has consented'));
    }
    if (req.type === 'announce' && ids(['township-reviewed']).length === 0) throw refusal(e('EXIT_ROUND_NOBODY_REVIEWED', '没有经乡镇审核通过的户', 'no household has passed the township review'));
    return req;
  };

  const take = async (req: Parsed): Promise<HouseholdOutcome[]> => {
    switch (req.type) {
      case 'appraise':
        return run([...cmd('AppraiseInVillage', req.agreed, { agreed: true, recordRef: req.recordRef }), ...cmd('AppraiseInVillage', req.rejected, { agreed: false, recordRef: req.recordRef })], req.actor, 'appraise');
      case 'check':
        return run([...cmd('CheckByWorkTeam', req.confirmed, { confirmed: true, findings: req.findings }), ...cmd('CheckByWorkTeam', req.notConfirmed, { confirmed: false, findings: req.findings })], req.actor, 'check');
      case 'consent':
        return run(cmd('RecordConsent', req.householdIds, { consents: req.consents, recordRef: req.recordRef }), req.actor, 'consent');
      case 'withdrawConsent':
        return run(cmd('WithdrawConsent', req.householdIds, { recordRef: req.recordRef }), req.actor, 'withdraw');
      case 'postNotice': {
        const endsAt = new Date(Date.now() + input.noticeSeconds * 1000).toISOString();
        const out = await run(cmd('PostExitNotice', ids(['consented']), { endsAt }), req.actor, 'notice');
        if (out.some((o) => o.ok)) {
          noticeEndsAt = endsAt;
          phase = 'in-notice';
        }
        return out;
      }
      case 'object':
        return run(cmd('RaiseExitObjection', [req.householdId], { objectionId: req.objectionId, summary: req.summary }), req.actor, 'objection');
      case 'townshipReview':
        return run([...cmd('ReviewByTownship', req.approved, { approved: true, note: req.note }), ...cmd('ReviewByTownship', req.rejected, { approved: false, note: req.note })], req.actor, 'township');
      case 'announce': {
        const out = await run(cmd('AnnounceExit', ids(['township-reviewed']), {}), req.actor, 'announce');
        if (out.some((o) => o.ok)) phase = 'announced';
        return out;
      }
    }
  };

  setHandler(
    exitRoundStepUpdate,
    async (raw): Promise<ExitRoundStepOutcome> => {
      const req = validate(raw);
      return steps.run(async () => {
        validate(raw); // the round may have moved while this step waited for the one before it
        const out = await take(req);
        advance();
        const refused = out.filter((o) => !o.ok).map((o) => ({ householdId: o.householdId, code: o.code ?? 'REFUSED', message: o.message ?? '' }));
        if (out.length > 0 && refused.length === out.length) {
          throw refusal(e(refused[0]!.code, refused[0]!.message, refused[0]!.message, { householdId: refused[0]!.householdId, refused: refused.length }));
        }
        return { phase, accepted: out.filter((o) => o.ok).map((o) => o.householdId), refused };
      });
    },
    { validator: (raw) => void validate(raw) },
  );

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
    const assessed = await run(cmd('AssessForExit', candidates, { year: input.year }), input.assessor, 'assess');
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
