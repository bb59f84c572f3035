import { accept, refuse } from '../shared/result';
import type { DomainError } from '../shared/errors';
import { err, HOUSEHOLD_ERRORS as E } from './errors';
import type * as C from './commands';
import { isMonitored, type HouseholdState } from './state';
import { DAY, ev, stamp, secondsBetween, isInstant, gate, isError, type D, type Registered, type HouseholdRules } from './decide-common';

const returnOrder = (s: Registered, required: 'flagged' | 'return-visited' | 'return-notice'): DomainError | undefined => {
  if (s.status === required) return undefined;
  if (!isMonitored(s)) return err(E.notExited, '该户未脱贫退出，不适用返贫核查', 'the household has not exited: no return review applies');
  const order = ['exited', 'flagged', 'return-visited', 'return-notice'];
  if (order.indexOf(s.status) > order.indexOf(required)) return err(E.returnStepAlreadyTaken, '此步骤已完成', 'this step has already been taken');
  return {
    exited: err(E.notFlagged, '该户未被标记为返贫风险', 'the household is not flagged for return risk'),
    flagged: err(E.visitMissing, '尚未入户核查', 'the household has not been visited'),
    'return-visited': err(E.returnNoticeMissing, '尚未进行返贫公示', 'the return-to-poverty notice has not been posted'),
  }[s.status as 'exited' | 'flagged' | 'return-visited'];
};

export const visit = (c: C.VisitForReturnReview, s0: HouseholdState): D => {
  const s = gate(c, s0, 'return-review.visit');
  if (isError(s)) return refuse(s);
  const out = returnOrder(s, 'flagged');
  if (out) return refuse(out);
  return accept(ev('HouseholdReturnReviewVisited', { ...stamp(c), findings: c.data.findings }));
};

export const postReturnNotice = (c: C.PostReturnNotice, s0: HouseholdState, rules: HouseholdRules): D => {
  const s = gate(c, s0, 'return-review.post-notice');
  if (isError(s)) return refuse(s);
  const out = returnOrder(s, 'return-visited');
  if (out) return refuse(out);
  if (!isInstant(c.data.endsAt)) return refuse(err(E.invalidInstant, '公示截止时间无效', 'the notice end is not a valid instant'));
  const secs = secondsBetween(c.meta.now, c.data.endsAt);
  if (secs < rules.returnNoticeMinSeconds) {
    return refuse(
      err(E.returnNoticeTooShort, `返贫公示期不得少于${rules.returnNoticeMinSeconds / DAY}天`, `the return notice must run at least ${rules.returnNoticeMinSeconds / DAY} days`, {
        minimumSeconds: rules.returnNoticeMinSeconds,
        seconds: secs,
      }),
    );
  }
  return accept(ev('HouseholdReturnNoticePosted', { ...stamp(c), endsAt: new Date(Date.parse(c.data.endsAt)).toISOString(), minimumSeconds: rules.returnNoticeMinSeconds }));
};

/**
 * The county decides. Clearing needs only the visit; a return (re-entry as poor) needs the notice
 * to have run its full period, since it changes who counts as poor.
 */
export const decideReturn = (c: C.DecideReturn, s0: HouseholdState): D => {
  const s = gate(c, s0, 'return-review.decide');
  if (isError(s)) return refuse(s);
  if (!c.data.returnsToPoverty) {
    if (s.status === 'return-visited' || s.status === 'return-notice') return accept(ev('HouseholdReturnRiskCleared', { ...stamp(c), reason: c.data.reason }));
    return refuse(returnOrder(s, 'return-visited')!);
  }
  const out = returnOrder(s, 'return-notice');
  if (out) return refuse(out);
  if (s.status === 'return-notice' && Date.parse(c.meta.now) < Date.parse(s.returnNoticeEndsAt)) {
    return refuse(
      err(E.returnNoticeRunning, `返贫公示期未满（至${s.returnNoticeEndsAt}）`, `the return notice is still running (until ${s.returnNoticeEndsAt})`, {
        endsAt: s.returnNoticeEndsAt,
      }),
    );
  }
  return accept(ev('HouseholdReturnedToPoverty', { ...stamp(c), countyId: s.file.countyId, villageId: s.file.villageId, memberCount: s.file.memberCount, reason: c.data.reason }));
};
