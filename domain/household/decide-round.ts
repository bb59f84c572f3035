import { accept, refuse } from '../shared/result';
import type { DomainError } from '../shared/errors';
import type { Action } from '../access';
import { err, HOUSEHOLD_ERRORS as E, MISSING_STEP } from './errors';
import type * as C from './commands';
import { ROUND_STATUSES, isMonitored, type HouseholdState, type RoundStatus } from './state';
import { DAY, ev, stamp, secondsBetween, isInstant, gate, isError, type D, type Registered, type InRound, type HouseholdRules } from './decide-common';

/**
 * Where an exit step stands against the state: undefined when `required` is the current status,
 * otherwise the refusal naming the first missing step, or saying it was already taken.
 */
const stepOrder = (s: Registered, required: RoundStatus | 'poor', now: string): DomainError | undefined => {
  if (s.status === required) return undefined;
  if (isMonitored(s)) return err(E.alreadyExited, '该户已脱贫退出', 'the household has already exited');
  const order: readonly string[] = ['poor', ...ROUND_STATUSES];
  const at = order.indexOf(s.status);
  if (at > order.indexOf(required)) return err(E.stepAlreadyTaken, '此步骤已完成', 'this step has already been taken', { status: s.status });
  if (s.status === 'in-notice' && s.round.noticeEndsAt !== undefined && Date.parse(now) < Date.parse(s.round.noticeEndsAt)) {
    return err(E.noticeRunning, `公示期未满（至${s.round.noticeEndsAt}）`, `the notice is still running (until ${s.round.noticeEndsAt})`, { endsAt: s.round.noticeEndsAt });
  }
  return MISSING_STEP[s.status as keyof typeof MISSING_STEP];
};

/** A step of the round: gate, order, then either the next status or the end of the round. */
const roundStep = (c: Exclude<C.HouseholdCommand, C.RegisterHousehold>, s0: HouseholdState, action: Action, required: RoundStatus, make: (s: InRound) => D): D => {
  const s = gate(c, s0, action);
  if (isError(s)) return refuse(s);
  const out = stepOrder(s, required, c.meta.now);
  if (out) return refuse(out);
  return make(s as InRound);
};

export const appraise = (c: C.AppraiseInVillage, s: HouseholdState): D =>
  roundStep(c, s, 'exit-round.appraise', 'assessed', () =>
    accept(
      ev('HouseholdVillageAppraised', { ...stamp(c), agreed: c.data.agreed, recordRef: c.data.recordRef }),
      ...(c.data.agreed ? [] : [ev('HouseholdRemovedFromExitRound', { ...stamp(c), reason: 'village-appraisal-rejected' })]),
    ),
  );

export const workTeamCheck = (c: C.CheckByWorkTeam, s: HouseholdState): D =>
  roundStep(c, s, 'exit-round.check', 'appraised', () =>
    accept(
      ev('HouseholdWorkTeamChecked', { ...stamp(c), confirmed: c.data.confirmed, findings: c.data.findings }),
      ...(c.data.confirmed ? [] : [ev('HouseholdRemovedFromExitRound', { ...stamp(c), reason: 'work-team-not-confirmed' })]),
    ),
  );

export const consent = (c: C.RecordConsent, s: HouseholdState): D =>
  roundStep(c, s, 'exit-round.consent', 'checked', () =>
    accept(
      ev('HouseholdConsentRecorded', { ...stamp(c), consents: c.data.consents, recordRef: c.data.recordRef }),
      ...(c.data.consents ? [] : [ev('HouseholdRemovedFromExitRound', { ...stamp(c), reason: 'consent-refused' })]),
    ),
  );

/** The household may change its mind at any point after consenting and before the announcement. */
export const withdrawConsent = (c: C.WithdrawConsent, s0: HouseholdState): D => {
  const s = gate(c, s0, 'exit-round.withdraw-consent');
  if (isError(s)) return refuse(s);
  if (s.status === 'consented' || s.status === 'in-notice' || s.status === 'township-reviewed') {
    return accept(ev('HouseholdConsentWithdrawn', { ...stamp(c), recordRef: c.data.recordRef }), ev('HouseholdRemovedFromExitRound', { ...stamp(c), reason: 'consent-withdrawn' }));
  }
  if (isMonitored(s)) return refuse(err(E.alreadyExited, '该户已脱贫退出', 'the household has already exited'));
  return refuse(err(E.consentMissing, '该户尚未认可脱贫，无可撤回', 'the household has not consented: there is nothing to withdraw'));
};

export const postNotice = (c: C.PostExitNotice, s: HouseholdState, rules: HouseholdRules): D =>
  roundStep(c, s, 'exit-round.post-notice', 'consented', () => {
    if (!isInstant(c.data.endsAt)) return refuse(err(E.invalidInstant, '公示截止时间无效', 'the notice end is not a valid instant'));
    const secs = secondsBetween(c.meta.now, c.data.endsAt);
    if (secs < rules.exitNoticeMinSeconds) {
      return refuse(
        err(E.noticeTooShort, `公示期不得少于${rules.exitNoticeMinSeconds / DAY}天`, `the notice must run at least ${rules.exitNoticeMinSeconds / DAY} days`, {
          minimumSeconds: rules.exitNoticeMinSeconds,
          seconds: secs,
        }),
      );
    }
    return accept(ev('HouseholdExitNoticePosted', { ...stamp(c), endsAt: new Date(Date.parse(c.data.endsAt)).toISOString(), minimumSeconds: rules.exitNoticeMinSeconds }));
  });

/** An objection during the notice takes the household out of this round and blocks the next until resolved. */
export const raiseObjection = (c: C.RaiseExitObjection, s0: HouseholdState): D => {
  const s = gate(c, s0, 'exit-round.object');
  if (isError(s)) return refuse(s);
  if (s.status !== 'in-notice') {
    if (isMonitored(s)) return refuse(err(E.alreadyExited, '该户已脱贫退出', 'the household has already exited'));
    return refuse(err(E.noticeMissing, '不在公示期内，不能提出公示异议', 'the household is not under notice'));
  }
  if (s.round.noticeEndsAt !== undefined && Date.parse(c.meta.now) >= Date.parse(s.round.noticeEndsAt)) {
    return refuse(err(E.noticeEnded, '公示期已结束', 'the notice period has ended', { endsAt: s.round.noticeEndsAt }));
  }
  return accept(
    ev('HouseholdExitObjectionRaised', { ...stamp(c), objectionId: c.data.objectionId, summary: c.data.summary }),
    ev('HouseholdRemovedFromExitRound', { ...stamp(c), reason: 'objection-raised' }),
  );
};

export const resolveObjection = (c: C.ResolveExitObjection, s0: HouseholdState): D => {
  const s = gate(c, s0, 'exit-round.resolve-objection');
  if (isError(s)) return refuse(s);
  if (s.file.openObjectionId === null || s.file.openObjectionId !== c.data.objectionId) {
    return refuse(err(E.objectionUnknown, '没有该项未处理的异议', 'there is no open objection with this id'));
  }
  return accept(ev('HouseholdExitObjectionResolved', { ...stamp(c), objectionId: c.data.objectionId, outcome: c.data.outcome, note: c.data.note }));
};

export const townshipReview = (c: C.ReviewByTownship, s: HouseholdState): D =>
  roundStep(c, s, 'exit-round.township-review', 'in-notice', (r) => {
    if (r.round.noticeEndsAt !== undefined && Date.parse(c.meta.now) < Date.parse(r.round.noticeEndsAt)) {
      return refuse(
        err(E.noticeRunning, `公示期未满（至${r.round.noticeEndsAt}）`, `the notice is still running (until ${r.round.noticeEndsAt})`, { endsAt: r.round.noticeEndsAt }),
      );
    }
    return accept(
      ev('HouseholdTownshipReviewed', { ...stamp(c), approved: c.data.approved, note: c.data.note }),
      ...(c.data.approved ? [] : [ev('HouseholdRemovedFromExitRound', { ...stamp(c), reason: 'township-rejected' })]),
    );
  });

export const announce = (c: C.AnnounceExit, s: HouseholdState): D =>
  roundStep(c, s, 'exit-round.announce', 'township-reviewed', (r) =>
    accept(
      ev('HouseholdExitAnnounced', {
        ...stamp(c),
        countyId: r.file.countyId,
        villageId: r.file.villageId,
        year: r.round.year,
        memberCount: r.file.memberCount,
        policy: r.round.policy,
        explanation: r.round.explanation,
      }),
    ),
  );
