import { maskResidentId, MEMBER_KEY } from './events';
import { accept, refuse } from '../shared/result';
import { err, HOUSEHOLD_ERRORS as E } from './errors';
import type * as C from './commands';
import { isInRound, type HouseholdState } from './state';
import { REMOVAL_REASON_LABELS } from './removal';
import { DAY, ev, stamp, secondsBetween, isInstant, gate, isError, PLAN_YEARS, type D, type HouseholdRules } from './decide-common';

/**
 * 动态调整, the yearly correction of the register: the village proposes a removal with its reason
 * and record, the township posts it for notice (在乡（镇）内公示), and after the notice the county
 * decides and announces. A household in an exit round is not removed mid-round: the round ends
 * first. Once removed, nothing more happens on its file and nothing is paid to it.
 */
export const proposeRemoval = (c: C.ProposeRemoval, s0: HouseholdState): D => {
  const s = gate(c, s0, 'household.propose-removal');
  if (isError(s)) return refuse(s);
  if (s.file.pendingRemoval !== null) return refuse(err(E.removalPending, '该户已有待决的清退（退出建档）申请', 'a removal is already proposed for this household'));
  if (isInRound(s))
    return refuse(err(E.roundInProgress, `该户正在${s.round.year}年退出程序中，须待程序结束`, `the household is in the ${s.round.year} exit round: propose the removal after it`));
  if (c.data.year < s.file.registeredYear || c.data.year > PLAN_YEARS.to + 10) return refuse(err(E.yearOutOfPlan, '年份超出范围', 'the year is out of range'));
  return accept(ev('HouseholdRemovalProposed', { ...stamp(c), year: c.data.year, reason: c.data.reason, recordRef: c.data.recordRef }));
};

export const postRemovalNotice = (c: C.PostRemovalNotice, s0: HouseholdState, rules: HouseholdRules): D => {
  const s = gate(c, s0, 'household.post-removal-notice');
  if (isError(s)) return refuse(s);
  const p = s.file.pendingRemoval;
  if (p === null) return refuse(err(E.removalNotProposed, '尚无清退（退出建档）申请', 'no removal has been proposed'));
  if (p.noticeEndsAt !== undefined) return refuse(err(E.stepAlreadyTaken, '此步骤已完成', 'this step has already been taken'));
  if (!isInstant(c.data.endsAt)) return refuse(err(E.invalidInstant, '公示截止时间无效', 'the notice end is not a valid instant'));
  const secs = secondsBetween(c.meta.now, c.data.endsAt);
  if (secs < rules.removalNoticeMinSeconds) {
    return refuse(
      err(E.noticeTooShort, `公示期不得少于${rules.removalNoticeMinSeconds / DAY}天`, `the notice must run at least ${rules.removalNoticeMinSeconds / DAY} days`, {
        minimumSeconds: rules.removalNoticeMinSeconds,
        seconds: secs,
      }),
    );
  }
  return accept(ev('HouseholdRemovalNoticePosted', { ...stamp(c), endsAt: new Date(Date.parse(c.data.endsAt)).toISOString(), minimumSeconds: rules.removalNoticeMinSeconds }));
};

export const decideRemoval = (c: C.DecideRemoval, s0: HouseholdState): D => {
  const s = gate(c, s0, 'household.decide-removal');
  if (isError(s)) return refuse(s);
  const p = s.file.pendingRemoval;
  if (p === null) return refuse(err(E.removalNotProposed, '尚无清退（退出建档）申请', 'no removal has been proposed'));
  if (p.noticeEndsAt === undefined) return refuse(err(E.noticeMissing, '尚未进行公示', 'the removal notice has not been posted'));
  if (Date.parse(c.meta.now) < Date.parse(p.noticeEndsAt)) {
    return refuse(err(E.noticeRunning, `公示期未满（至${p.noticeEndsAt}）`, `the notice is still running (until ${p.noticeEndsAt})`, { endsAt: p.noticeEndsAt }));
  }
  if (!c.data.approved) return accept(ev('HouseholdRemovalDeclined', { ...stamp(c), note: c.data.note }));
  if (s.file.openObjectionId !== null) {
    return refuse(
      err(E.objectionOpen, '有未处理的异议，不能公告清退', 'an objection is open: the removal cannot be announced until it is resolved', { objectionId: s.file.openObjectionId }),
    );
  }
  return accept(
    ev('HouseholdRemovedFromRegister', {
      ...stamp(c),
      countyId: s.file.countyId,
      villageId: s.file.villageId,
      year: p.year,
      reason: p.reason,
      memberCount: s.file.memberCount,
      note: c.data.note,
    }),
  );
};

/** One member leaves; the householder's file keeps at least one person (the last one leaving is the household's removal). */
export const removeMember = (c: C.RemoveMember, s0: HouseholdState): D => {
  const s = gate(c, s0, 'household.remove-member');
  if (isError(s)) return refuse(s);
  if (isInRound(s))
    return refuse(
      err(E.roundInProgress, `该户正在${s.round.year}年退出程序中，成员变更须待程序结束`, `the household is in the ${s.round.year} exit round: change members after it`),
    );
  if (c.data.year < s.file.registeredYear || c.data.year > PLAN_YEARS.to + 10) return refuse(err(E.yearOutOfPlan, '年份超出范围', 'the year is out of range'));
  const idNumber = c.data.idNumber.trim().toUpperCase();
  const key = c.data.memberKey;
  if (key === undefined || !MEMBER_KEY.test(key))
    return refuse(err(E.memberKeysMissing, '缺少成员索引键', 'the member key of the person is needed (computed with the deployment salt)'));
  if (!s.file.memberKeys.includes(key)) return refuse(err(E.memberNotOnFile, '该成员不在本户档案中', 'no such member on the household file'));
  if (s.file.memberKeys.length === 1) {
    return refuse(
      err(E.lastMember, '本户仅剩一人，须按户办理清退（退出建档）', 'the last member cannot be removed alone: remove the household', {
        reason: REMOVAL_REASON_LABELS[c.data.reason].zh,
      }),
    );
  }
  return accept(
    ev('HouseholdMemberRemoved', { ...stamp(c), year: c.data.year, memberKey: key, idMasked: maskResidentId(idNumber), reason: c.data.reason, recordRef: c.data.recordRef }),
  );
};
