import { accept, refuse, type Decision } from '../shared/result';
import { domainError, type DomainError } from '../shared/errors';
import type { CommandMeta } from '../shared/actor';
import { NOTICE_DAYS } from '../policy/exit-thresholds';
import { authorize, type Action } from '../access';
import { isValidCount } from './incidence';
import { resultAllowed } from './checklist';
import { zhOf } from '../names/name';
import { CHECK_RESULT_NAMES, CHECKLIST_ITEM_NAMES } from '../names/exits';
import { evaluateVillageExit, firstFailure } from './exit-tests';
import type * as C from './commands';
import type { VillageEvent, VillageEventData } from './events';
import type { VillageState } from './state';

type D = Decision<VillageEvent>;
type Registered = Exclude<VillageState, { status: 'unregistered' }>;

export interface VillageRules {
  readonly noticeMinSeconds: number;
}
export const DEFAULT_VILLAGE_RULES: VillageRules = { noticeMinSeconds: NOTICE_DAYS.villageExit.value * 86_400 };

const ev = <T extends VillageEvent['type']>(type: T, data: VillageEventData<T>): VillageEvent => ({ type, data }) as VillageEvent;
const stamp = (c: { data: { villageId: string }; meta: CommandMeta }) => ({ villageId: c.data.villageId, by: c.meta.actor.userId, at: c.meta.now });
const isInstant = (s: string): boolean => /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s));
const e = domainError;

const gate = (c: Exclude<C.VillageCommand, C.RegisterPoorVillage>, s: VillageState, action: Action): DomainError | Registered => {
  if (s.status === 'unregistered') return e('VILLAGE_NOT_REGISTERED', '该村不是已登记的贫困村', 'the village is not a registered poor village');
  if (s.file.villageId !== c.data.villageId) return e('VILLAGE_ID_MISMATCH', '所办事项与档案中的村不一致', 'the command is for another village');
  return authorize(c.meta.actor, action, { countyId: s.file.countyId }) ?? s;
};
const isError = (x: DomainError | Registered): x is DomainError => 'code' in x;

const ORDER = ['poor', 'applied', 'reviewed', 'in-notice'] as const;
const MISSING: Record<(typeof ORDER)[number], DomainError> = {
  poor: e('VILLAGE_NOT_APPLIED', '尚未提出退出申请', 'no exit application has been made'),
  applied: e('VILLAGE_REVIEW_MISSING', '县级尚未审核', 'the county has not reviewed the application'),
  reviewed: e('VILLAGE_NOTICE_MISSING', '尚未公示', 'the exit notice has not been posted'),
  'in-notice': e('VILLAGE_NOTICE_RUNNING', '公示期未满', 'the notice is still running'),
};

const order = (s: Registered, required: (typeof ORDER)[number]): DomainError | undefined => {
  if (s.status === 'exited') return e('VILLAGE_ALREADY_EXITED', '该村已退出', 'the village has already exited');
  if (s.status === required) return undefined;
  if (ORDER.indexOf(s.status) > ORDER.indexOf(required)) return e('VILLAGE_STEP_ALREADY_TAKEN', '此步骤已完成', 'this step has already been taken');
  return MISSING[s.status];
};

const register = (c: C.RegisterPoorVillage, s: VillageState): D => {
  const denied = authorize(c.meta.actor, 'village.register', { countyId: c.data.countyId });
  if (denied) return refuse(denied);
  if (s.status !== 'unregistered') return refuse(e('VILLAGE_ALREADY_REGISTERED', '该村已登记', 'the village is already registered'));
  if (!c.data.villageId.startsWith(`vil-${c.data.countyId}-`))
    return refuse(e('VILLAGE_ID_NOT_FOR_COUNTY', '村编号与所属县不符', `the village id must start with vil-${c.data.countyId}-`));
  if (c.data.registeredYear < 2014 || c.data.registeredYear > 2020)
    return refuse(e('VILLAGE_YEAR_OUT_OF_PLAN', '登记年份须在2014—2020年之间', 'the registration year must be 2014-2020'));
  return accept(ev('PoorVillageRegistered', { ...stamp(c), countyId: c.data.countyId, registeredYear: c.data.registeredYear }));
};

const recordIncidence = (c: C.RecordVillageIncidence, s0: VillageState): D => {
  const s = gate(c, s0, 'village-exit.record-incidence');
  if (isError(s)) return refuse(s);
  const count = { poorRemaining: c.data.poorRemaining, population: c.data.population };
  if (!isValidCount(count))
    return refuse(e('VILLAGE_COUNT_INVALID', '人数须为整数，且贫困人口不超过总人口', 'counts must be whole numbers with poor people no more than the population', count));
  if (c.data.year < 2014 || c.data.year > 2030) return refuse(e('VILLAGE_YEAR_OUT_OF_PLAN', '年份超出范围', 'the year is out of range'));
  return accept(ev('VillageIncidenceRecorded', { ...stamp(c), year: c.data.year, ...count }));
};

const checkItem = (c: C.CheckVillageItem, s0: VillageState): D => {
  const s = gate(c, s0, 'village-exit.check-item');
  if (isError(s)) return refuse(s);
  if (!resultAllowed(c.data.item, c.data.result)) {
    return refuse(
      e(
        'VILLAGE_CHECK_RESULT_NOT_ALLOWED',
        `“${zhOf(CHECKLIST_ITEM_NAMES, c.data.item)}”不能记为“${zhOf(CHECK_RESULT_NAMES, c.data.result)}”`,
        `${c.data.item} cannot be recorded as ${c.data.result}`,
      ),
    );
  }
  return accept(ev('VillageChecklistItemChecked', { ...stamp(c), item: c.data.item, result: c.data.result, evidenceRef: c.data.evidenceRef }));
};

const apply = (c: C.ApplyForVillageExit, s0: VillageState): D => {
  const s = gate(c, s0, 'village-exit.apply');
  if (isError(s)) return refuse(s);
  if (s.status === 'exited') return refuse(e('VILLAGE_ALREADY_EXITED', '该村已退出', 'the village has already exited'));
  if (s.status !== 'poor') return refuse(e('VILLAGE_EXIT_IN_PROGRESS', '该村已在退出程序中', 'the village is already in an exit round'));
  if (s.file.openObjectionId !== null) return refuse(e('VILLAGE_OBJECTION_OPEN', '有未处理的异议', 'an objection is open'));
  const count = s.file.incidence[c.data.year];
  const ev0 = evaluateVillageExit(c.data.year, count, s.file.checklist);
  if (!ev0.passed) return refuse(firstFailure(ev0.failures));
  return accept(ev('VillageExitApplied', { ...stamp(c), year: c.data.year, poorRemaining: count!.poorRemaining, population: count!.population, policy: ev0.policy }));
};

const review = (c: C.ReviewVillageExit, s0: VillageState): D => {
  const s = gate(c, s0, 'village-exit.review');
  if (isError(s)) return refuse(s);
  const out = order(s, 'applied');
  if (out) return refuse(out);
  return accept(ev('VillageExitReviewed', { ...stamp(c), approved: c.data.approved, note: c.data.note }));
};

const postNotice = (c: C.PostVillageExitNotice, s0: VillageState, rules: VillageRules): D => {
  const s = gate(c, s0, 'village-exit.post-notice');
  if (isError(s)) return refuse(s);
  const out = order(s, 'reviewed');
  if (out) return refuse(out);
  if (!isInstant(c.data.endsAt)) return refuse(e('INVALID_INSTANT', '公示截止时间无效', 'the notice end is not a valid instant'));
  if ((Date.parse(c.data.endsAt) - Date.parse(c.meta.now)) / 1000 < rules.noticeMinSeconds) {
    return refuse(e('VILLAGE_NOTICE_TOO_SHORT', `公示期不得少于${rules.noticeMinSeconds / 86_400}天`, `the notice must run at least ${rules.noticeMinSeconds / 86_400} days`));
  }
  return accept(ev('VillageExitNoticePosted', { ...stamp(c), endsAt: new Date(Date.parse(c.data.endsAt)).toISOString(), minimumSeconds: rules.noticeMinSeconds }));
};

const raiseObjection = (c: C.RaiseVillageExitObjection, s0: VillageState): D => {
  const s = gate(c, s0, 'village-exit.object');
  if (isError(s)) return refuse(s);
  if (s.status === 'exited') return refuse(e('VILLAGE_ALREADY_EXITED', '该村已退出', 'the village has already exited'));
  if (s.status !== 'in-notice') return refuse(e('VILLAGE_NOTICE_MISSING', '不在公示期内', 'the village is not under notice'));
  if (s.application.noticeEndsAt && Date.parse(c.meta.now) >= Date.parse(s.application.noticeEndsAt))
    return refuse(e('VILLAGE_NOTICE_ENDED', '公示期已结束', 'the notice period has ended'));
  return accept(ev('VillageExitObjectionRaised', { ...stamp(c), objectionId: c.data.objectionId, summary: c.data.summary }));
};

const resolveObjection = (c: C.ResolveVillageExitObjection, s0: VillageState): D => {
  const s = gate(c, s0, 'village-exit.resolve-objection');
  if (isError(s)) return refuse(s);
  if (s.file.openObjectionId === null || s.file.openObjectionId !== c.data.objectionId)
    return refuse(e('VILLAGE_OBJECTION_UNKNOWN', '没有该项未处理的异议', 'there is no open objection with this id'));
  return accept(ev('VillageExitObjectionResolved', { ...stamp(c), objectionId: c.data.objectionId, outcome: c.data.outcome, note: c.data.note }));
};

/** The tests are run again at the announcement: a count recorded since the application counts. */
const announce = (c: C.AnnounceVillageExit, s0: VillageState): D => {
  const s = gate(c, s0, 'village-exit.announce');
  if (isError(s)) return refuse(s);
  const out = order(s, 'in-notice');
  if (out) return refuse(out);
  if (s.status !== 'in-notice') return refuse(MISSING.poor);
  if (s.application.noticeEndsAt && Date.parse(c.meta.now) < Date.parse(s.application.noticeEndsAt)) return refuse(MISSING['in-notice']);
  const year = s.application.year;
  const again = evaluateVillageExit(year, s.file.incidence[year], s.file.checklist);
  if (!again.passed) return refuse(firstFailure(again.failures));
  const count = s.file.incidence[year]!;
  return accept(ev('VillageExited', { ...stamp(c), countyId: s.file.countyId, year, poorRemaining: count.poorRemaining, population: count.population, policy: again.policy }));
};

export const makeDecide =
  (rules: VillageRules = DEFAULT_VILLAGE_RULES) =>
  (command: C.VillageCommand, state: VillageState): D => {
    switch (command.type) {
      case 'RegisterPoorVillage':
        return register(command, state);
      case 'RecordVillageIncidence':
        return recordIncidence(command, state);
      case 'CheckVillageItem':
        return checkItem(command, state);
      case 'ApplyForVillageExit':
        return apply(command, state);
      case 'ReviewVillageExit':
        return review(command, state);
      case 'PostVillageExitNotice':
        return postNotice(command, state, rules);
      case 'RaiseVillageExitObjection':
        return raiseObjection(command, state);
      case 'ResolveVillageExitObjection':
        return resolveObjection(command, state);
      case 'AnnounceVillageExit':
        return announce(command, state);
      default: {
        const _never: never = command;
        return _never;
      }
    }
  };
