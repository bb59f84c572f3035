import { accept, refuse, type Decision } from '../shared/result';
import { domainError, type DomainError } from '../shared/errors';
import type { CommandMeta } from '../shared/actor';
import { NOTICE_DAYS } from '../policy/exit-thresholds';
import { authorize, type Action } from '../access';
import { zhOf } from '../names/name';
import { IDENTIFICATION_PHASE_NAMES, IDENTIFICATION_STATUS_NAMES } from '../names/identification';
import type * as C from './commands';
import type { IdentificationEvent, IdentificationEventData } from './events';
import { applicantsWith, type ApplicantStatus, type IdentificationState, type OpenRound, type RoundPhase } from './state';

type D = Decision<IdentificationEvent>;

/** The shortest notice each posting accepts; the workflows pass seconds in tests, production the defaults. */
export interface IdentificationRules {
  readonly noticeMinSeconds: number;
}
export const DEFAULT_IDENTIFICATION_RULES: IdentificationRules = { noticeMinSeconds: NOTICE_DAYS.identification.value * 86_400 };

const e = domainError;
const ev = <T extends IdentificationEvent['type']>(type: T, data: IdentificationEventData<T>): IdentificationEvent => ({ type, data }) as IdentificationEvent;
const stamp = (c: { data: { villageId: string; year: number }; meta: CommandMeta }) => ({
  villageId: c.data.villageId,
  year: c.data.year,
  by: c.meta.actor.userId,
  at: c.meta.now,
});
const isInstant = (s: string): boolean => /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s));
const isError = (x: DomainError | OpenRound): x is DomainError => 'code' in x;

/** The first gate of every step after the opening: the round is open, is this one, the actor may act (role, county, separation of duties). */
const gate = (c: Exclude<C.IdentificationCommand, C.OpenIdentificationRound>, s: IdentificationState, action: Action): DomainError | OpenRound => {
  if (s.phase === 'unopened') return e('IDENT_ROUND_NOT_OPEN', '本村本年度识别尚未启动', 'the identification round has not been opened');
  if (s.villageId !== c.data.villageId || s.year !== c.data.year) return e('IDENT_ROUND_MISMATCH', '申请事项与识别轮次的村或年度不一致', 'the command is for another round');
  return (
    authorize(c.meta.actor, action, { countyId: s.countyId, ...(s.appraisedBy ? { appraisedBy: s.appraisedBy } : {}), ...(s.reviewedBy ? { reviewedBy: s.reviewedBy } : {}) }) ?? s
  );
};

const inPhase = (s: OpenRound, phase: RoundPhase): DomainError | undefined =>
  s.phase === phase
    ? undefined
    : e('IDENT_WRONG_PHASE', `本轮识别当前处于“${zhOf(IDENTIFICATION_PHASE_NAMES, s.phase)}”阶段，不能办理此事项`, `the round is at ${s.phase}: this step needs ${phase}`, {
        phase: s.phase,
      });

/** Every household a step names is in the round at the status the step needs, and named once. */
const named = (s: OpenRound, ids: readonly string[], needs: ApplicantStatus): DomainError | undefined => {
  if (new Set(ids).size !== ids.length) return e('IDENT_HOUSEHOLD_TWICE', '同一户在本步骤中出现两次', 'a household is named twice');
  for (const id of ids) {
    const a = s.applicants[id];
    if (!a) return e('IDENT_HOUSEHOLD_NOT_IN_ROUND', '该户不在本轮识别名单中', `${id} has not applied in this round`, { householdId: id });
    if (a.status !== needs)
      return e('IDENT_HOUSEHOLD_NOT_READY', `该户当前为“${zhOf(IDENTIFICATION_STATUS_NAMES, a.status)}”，不能办理此步骤`, `${id} is ${a.status}: this step needs ${needs}`, {
        householdId: id,
        status: a.status,
      });
  }
  return undefined;
};

/** A review or decision covers the whole list at its stage: nobody is left undecided. */
const wholeList = (s: OpenRound, ids: readonly string[], status: ApplicantStatus): DomainError | undefined => {
  const left = applicantsWith(s, status).filter((id) => !ids.includes(id));
  if (left.length > 0)
    return e('IDENT_LIST_INCOMPLETE', `尚有${left.length}户未作出决定`, `${left.length} household(s) on the list are neither approved nor rejected`, { households: left });
  if (ids.length === 0) return e('IDENT_NOBODY_LEFT', '名单上已无待决的户', 'nobody is left on the list');
  return undefined;
};

const notice = (c: { data: { endsAt: string }; meta: CommandMeta }, rules: IdentificationRules): DomainError | undefined => {
  if (!isInstant(c.data.endsAt)) return e('INVALID_INSTANT', '公示截止时间无效', 'the notice end is not a valid instant');
  if ((Date.parse(c.data.endsAt) - Date.parse(c.meta.now)) / 1000 < rules.noticeMinSeconds)
    return e('IDENT_NOTICE_TOO_SHORT', `公示期不得少于${rules.noticeMinSeconds / 86_400}天`, `the notice must run at least ${rules.noticeMinSeconds / 86_400} days`, {
      minimumSeconds: rules.noticeMinSeconds,
    });
  return undefined;
};

const ended = (now: string, endsAt: string | undefined): DomainError | undefined =>
  endsAt !== undefined && Date.parse(now) < Date.parse(endsAt)
    ? e('IDENT_NOTICE_RUNNING', `公示期未满（至${endsAt}）`, `the notice is still running (until ${endsAt})`, { endsAt })
    : undefined;

const open = (c: C.OpenIdentificationRound, s: IdentificationState): D => {
  const denied = authorize(c.meta.actor, 'identification.open', { countyId: c.data.countyId });
  if (denied) return refuse(denied);
  if (s.phase !== 'unopened') return refuse(e('IDENT_ROUND_ALREADY_OPEN', '本村本年度识别已启动', 'the round is already open'));
  if (!c.data.villageId.startsWith(`vil-${c.data.countyId}-`))
    return refuse(e('IDENT_VILLAGE_NOT_FOR_COUNTY', '村编号与所属县不符', `the village id must start with vil-${c.data.countyId}-`));
  if (c.data.year < 2014 || c.data.year > 2020) return refuse(e('IDENT_YEAR_OUT_OF_PLAN', '识别年度须在2014—2020年之间', 'the round year must be 2014-2020'));
  return accept(ev('IdentificationRoundOpened', { ...stamp(c), countyId: c.data.countyId }));
};

const apply = (c: C.RecordApplication, s0: IdentificationState): D => {
  const s = gate(c, s0, 'identification.apply');
  if (isError(s)) return refuse(s);
  const out = inPhase(s, 'applying');
  if (out) return refuse(out);
  if (!c.data.householdId.startsWith(`hh-${s.countyId}-`))
    return refuse(e('IDENT_HOUSEHOLD_NOT_FOR_COUNTY', '户编号与所属县不符', `the household id must start with hh-${s.countyId}-`));
  if (s.applicants[c.data.householdId]) return refuse(e('IDENT_ALREADY_APPLIED', '该户已在本轮识别中提出申请', 'the household has already applied in this round'));
  if (!c.data.file.members.some((m) => m.relation === 'householder')) return refuse(e('HOUSEHOLD_NEEDS_ONE_HOUSEHOLDER', '须有一名户主', 'the household needs one householder'));
  return accept(ev('IdentificationApplicationRecorded', { ...stamp(c), householdId: c.data.householdId, recordRef: c.data.recordRef, file: c.data.file }));
};

const appraise = (c: C.AppraiseApplications, s0: IdentificationState): D => {
  const s = gate(c, s0, 'identification.appraise');
  if (isError(s)) return refuse(s);
  const bad = inPhase(s, 'applying') ?? named(s, [...c.data.agreed, ...c.data.rejected], 'applied');
  if (bad) return refuse(bad);
  if (c.data.agreed.length + c.data.rejected.length === 0) return refuse(e('IDENT_NOBODY_NAMED', '未列出任何户', 'the appraisal names no household'));
  return accept(ev('IdentificationAppraised', { ...stamp(c), agreed: [...c.data.agreed], rejected: [...c.data.rejected], recordRef: c.data.recordRef }));
};

const postVillageNotice = (c: C.PostIdentificationVillageNotice, s0: IdentificationState, rules: IdentificationRules): D => {
  const s = gate(c, s0, 'identification.post-notice');
  if (isError(s)) return refuse(s);
  const bad = inPhase(s, 'applying');
  if (bad) return refuse(bad);
  const waiting = applicantsWith(s, 'applied').length;
  if (waiting > 0) return refuse(e('IDENT_APPRAISAL_PENDING', `尚有${waiting}户未经民主评议`, `${waiting} application(s) still await the appraisal`, { waiting }));
  const listed = applicantsWith(s, 'appraised');
  if (listed.length === 0) return refuse(e('IDENT_NOBODY_APPRAISED', '没有经民主评议通过的户', 'no application has passed the appraisal'));
  const tooShort = notice(c, rules);
  if (tooShort) return refuse(tooShort);
  return accept(
    ev('IdentificationVillageNoticePosted', {
      ...stamp(c),
      householdIds: listed,
      endsAt: new Date(Date.parse(c.data.endsAt)).toISOString(),
      minimumSeconds: rules.noticeMinSeconds,
    }),
  );
};

const object = (c: C.RaiseIdentificationObjection, s0: IdentificationState): D => {
  const s = gate(c, s0, 'identification.object');
  if (isError(s)) return refuse(s);
  const which = s.phase === 'village-notice' ? 'village' : s.phase === 'township-notice' ? 'township' : undefined;
  if (!which) return refuse(e('IDENT_NOT_IN_NOTICE', '不在公示期内', 'the round is not under notice'));
  const endsAt = which === 'village' ? s.villageNoticeEndsAt : s.townshipNoticeEndsAt;
  if (endsAt !== undefined && Date.parse(c.meta.now) >= Date.parse(endsAt)) return refuse(e('IDENT_NOTICE_ENDED', '公示期已结束', 'the notice period has ended'));
  const bad = named(s, [c.data.householdId], which === 'village' ? 'village-notice' : 'township-approved');
  if (bad) return refuse(bad);
  return accept(ev('IdentificationObjectionRaised', { ...stamp(c), householdId: c.data.householdId, objectionId: c.data.objectionId, summary: c.data.summary, notice: which }));
};

const townshipReview = (c: C.ReviewIdentificationByTownship, s0: IdentificationState): D => {
  const s = gate(c, s0, 'identification.township-review');
  if (isError(s)) return refuse(s);
  const ids = [...c.data.approved, ...c.data.rejected];
  const bad = inPhase(s, 'village-notice') ?? ended(c.meta.now, s.villageNoticeEndsAt) ?? named(s, ids, 'village-notice') ?? wholeList(s, ids, 'village-notice');
  if (bad) return refuse(bad);
  return accept(ev('IdentificationTownshipReviewed', { ...stamp(c), approved: [...c.data.approved], rejected: [...c.data.rejected], note: c.data.note }));
};

const postTownshipNotice = (c: C.PostIdentificationTownshipNotice, s0: IdentificationState, rules: IdentificationRules): D => {
  const s = gate(c, s0, 'identification.post-notice');
  if (isError(s)) return refuse(s);
  const bad = inPhase(s, 'township-reviewed');
  if (bad) return refuse(bad);
  const listed = applicantsWith(s, 'township-approved');
  if (listed.length === 0) return refuse(e('IDENT_NOBODY_LEFT', '名单上已无待决的户', 'nobody is left on the list'));
  const tooShort = notice(c, rules);
  if (tooShort) return refuse(tooShort);
  return accept(
    ev('IdentificationTownshipNoticePosted', {
      ...stamp(c),
      householdIds: listed,
      endsAt: new Date(Date.parse(c.data.endsAt)).toISOString(),
      minimumSeconds: rules.noticeMinSeconds,
    }),
  );
};

const announce = (c: C.AnnounceIdentification, s0: IdentificationState): D => {
  const s = gate(c, s0, 'identification.announce');
  if (isError(s)) return refuse(s);
  const ids = [...c.data.approved, ...c.data.rejected];
  const bad = inPhase(s, 'township-notice') ?? ended(c.meta.now, s.townshipNoticeEndsAt) ?? named(s, ids, 'township-approved') ?? wholeList(s, ids, 'township-approved');
  if (bad) return refuse(bad);
  return accept(ev('IdentificationAnnounced', { ...stamp(c), countyId: s.countyId, approved: [...c.data.approved], rejected: [...c.data.rejected], note: c.data.note }));
};

export const makeDecide =
  (rules: IdentificationRules = DEFAULT_IDENTIFICATION_RULES) =>
  (command: C.IdentificationCommand, state: IdentificationState): D => {
    switch (command.type) {
      case 'OpenIdentificationRound':
        return open(command, state);
      case 'RecordApplication':
        return apply(command, state);
      case 'AppraiseApplications':
        return appraise(command, state);
      case 'PostIdentificationVillageNotice':
        return postVillageNotice(command, state, rules);
      case 'RaiseIdentificationObjection':
        return object(command, state);
      case 'ReviewIdentificationByTownship':
        return townshipReview(command, state);
      case 'PostIdentificationTownshipNotice':
        return postTownshipNotice(command, state, rules);
      case 'AnnounceIdentification':
        return announce(command, state);
      default: {
        const _never: never = command;
        return _never;
      }
    }
  };
