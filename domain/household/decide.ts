import { accept, refuse, type Decision } from '../shared/result';
import type { CommandMeta } from '../shared/actor';
import type { DomainError } from '../shared/errors';
import { NOTICE_DAYS } from '../policy/exit-thresholds';
import { exitThresholdFor } from '../policy/poverty-line';
import { monitoringThresholdFor } from '../policy/monitoring';
import { formatYuan } from '../shared/money';
import { authorizeStep } from './authorize';
import { assessExit } from './assessment';
import { GUARANTEE_LABELS, missingGuarantees, type Guarantees } from './guarantees';
import { validateResidentId } from './resident-id';
import { err, HOUSEHOLD_ERRORS as E, MISSING_STEP } from './errors';
import type * as C from './commands';
import type { HouseholdEvent, HouseholdEventData } from './events';
import { ROUND_STATUSES, isInRound, isMonitored, type HouseholdFile, type HouseholdState, type RoundStatus } from './state';

type D = Decision<HouseholdEvent>;
type Registered = Exclude<HouseholdState, { status: 'unregistered' }>;
type InRound = Extract<HouseholdState, { round: unknown }>;

/** Durations the decider enforces; the workflows pass shorter ones in tests, production the defaults. */
export interface HouseholdRules {
  readonly exitNoticeMinSeconds: number;
  readonly returnNoticeMinSeconds: number;
}
const DAY = 86_400;
export const DEFAULT_HOUSEHOLD_RULES: HouseholdRules = {
  exitNoticeMinSeconds: NOTICE_DAYS.householdExit.value * DAY,
  returnNoticeMinSeconds: NOTICE_DAYS.returnToPoverty.value * DAY,
};

const PLAN_YEARS = { from: 2014, to: 2020 };
const ev = <T extends HouseholdEvent['type']>(type: T, data: HouseholdEventData<T>): HouseholdEvent => ({ type, data }) as HouseholdEvent;
const stamp = (c: { data: { householdId: string }; meta: CommandMeta }) => ({ householdId: c.data.householdId, by: c.meta.actor.userId, at: c.meta.now });
const secondsBetween = (from: string, to: string): number => (Date.parse(to) - Date.parse(from)) / 1000;
const isInstant = (s: string): boolean => /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s));

/** The first gate of every command on an existing file: it exists, it is this one, the actor may act. */
const gate = (c: Exclude<C.HouseholdCommand, C.RegisterHousehold>, s: HouseholdState, roles: Parameters<typeof authorizeStep>[1]): DomainError | Registered => {
  if (s.status === 'unregistered') return err(E.notRegistered, '该户尚未建档立卡', 'the household is not registered');
  if (s.file.householdId !== c.data.householdId) return err(E.idMismatch, '命令与档案的户编号不一致', 'the command is for another household');
  return authorizeStep(c.meta, roles, s.file.countyId) ?? s;
};
const isError = (x: DomainError | Registered): x is DomainError => 'code' in x;

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

const register = (c: C.RegisterHousehold, s: HouseholdState): D => {
  const d = c.data;
  const denied = authorizeStep(c.meta, ['work-team', 'township-official', 'county-official'], d.countyId);
  if (denied) return refuse(denied);
  if (s.status !== 'unregistered') return refuse(err(E.alreadyRegistered, '该户已建档立卡', 'the household is already registered'));
  if (!d.householdId.startsWith(`hh-${d.countyId}-`)) {
    return refuse(err(E.idNotForCounty, '户编号与所属县不符', `the household id must start with hh-${d.countyId}-`));
  }
  if (!d.villageId.startsWith(`vil-${d.countyId}-`)) return refuse(err(E.villageNotForCounty, '所属村不在该县', `the village is not in ${d.countyId}`));
  if (d.registeredYear < PLAN_YEARS.from || d.registeredYear > PLAN_YEARS.to) {
    return refuse(err(E.yearOutOfPlan, `建档年份须在${PLAN_YEARS.from}—${PLAN_YEARS.to}年之间`, `the registration year must be ${PLAN_YEARS.from}-${PLAN_YEARS.to}`));
  }
  const today = c.meta.now.slice(0, 10);
  const seen = new Set<string>();
  const members = [];
  for (const [i, m] of d.members.entries()) {
    const r = validateResidentId(m.idNumber, today);
    // The failure kind and position only: an ID number must not end up in an error that may be logged.
    if (!r.ok) return refuse(err(E.residentIdInvalid, `第${i + 1}名成员的身份证号码无效（${r.failure}）`, `member ${i + 1}: invalid resident ID number (${r.failure})`, { memberIndex: i, failure: r.failure }));
    if (seen.has(r.normalized)) return refuse(err(E.memberDuplicate, `第${i + 1}名成员重复登记`, `member ${i + 1} is listed twice`, { memberIndex: i }));
    seen.add(r.normalized);
    members.push({ idNumber: r.normalized, relation: m.relation });
  }
  if (members.filter((m) => m.relation === 'householder').length !== 1) {
    return refuse(err(E.householderCount, '每户须有且仅有一名户主', 'a household needs exactly one householder'));
  }
  if (new Set(d.causes).size !== d.causes.length || d.causes.length === 0) {
    return refuse(err(E.causeDuplicate, '致贫原因须至少一项且不得重复', 'causes of poverty must be at least one and not repeated'));
  }
  return accept(
    ev('HouseholdRegistered', {
      ...stamp(c),
      countyId: d.countyId,
      villageId: d.villageId,
      registeredYear: d.registeredYear,
      members,
      causes: d.causes,
      perCapitaIncome: d.perCapitaIncome,
      stableIncomeSource: d.stableIncomeSource,
      guarantees: d.guarantees,
    }),
  );
};

/** After new facts: a round for that year ends if the household no longer meets the standard. */
const recheckRound = (c: { data: { householdId: string }; meta: CommandMeta }, s: Registered, file: HouseholdFile, year: number): HouseholdEvent[] => {
  if (!isInRound(s) || s.round.year !== year) return [];
  const a = assessExit({ year, perCapitaIncome: file.income.perCapita, stableIncomeSource: file.income.stableIncomeSource, guarantees: file.guarantees });
  return a && !a.eligible ? [ev('HouseholdRemovedFromExitRound', { ...stamp(c), reason: 'no-longer-eligible' })] : [];
};

/**
 * After exit: a new income under 1.5 × the line, or a guarantee found lost, flags the household for
 * review. Each record is judged on what it brings, so clearing a flag and then recording unrelated
 * facts does not raise it again.
 */
const monitor = (
  c: { data: { householdId: string }; meta: CommandMeta },
  s: Registered,
  file: HouseholdFile,
  year: number,
  what: 'income' | 'guarantees',
): HouseholdEvent[] | DomainError => {
  if (s.status !== 'exited') return [];
  const m = monitoringThresholdFor(year);
  if (!m) return err(E.noPovertyLine, `${year}年没有脱贫标准，无法监测`, `no poverty line for ${year}: cannot monitor`);
  const income = formatYuan(file.income.perCapita);
  const limit = formatYuan(m.threshold);
  const lost = missingGuarantees(file.guarantees);
  const low = what === 'income' && file.income.perCapita < m.threshold;
  const lostAny = what === 'guarantees' && lost.length > 0;
  if (!low && !lostAny) return [];
  return [
    ev('HouseholdFlaggedForReturnRisk', {
      ...stamp(c),
      year,
      reasons: [low ? ('income-below-monitoring-line' as const) : ('guarantee-lost' as const)],
      perCapitaIncome: file.income.perCapita,
      monitoringThreshold: m.threshold,
      policy: m.policy,
      explanation: low
        ? { zh: `人均纯收入${income}低于监测线${limit}（${year}年标准的1.5倍）`, en: `income ${income} is below the monitoring line ${limit} (1.5 × the ${year} line)` }
        : { zh: `保障缺失：${lost.map((g) => GUARANTEE_LABELS[g].zh).join('、')}`, en: `guarantees lost: ${lost.map((g) => GUARANTEE_LABELS[g].en).join(', ')}` },
    }),
  ];
};

const recordIncome = (c: C.RecordIncome, s0: HouseholdState): D => {
  const s = gate(c, s0, ['work-team', 'township-official', 'county-official']);
  if (isError(s)) return refuse(s);
  if (c.data.year < s.file.income.year) {
    return refuse(err(E.recordYearBeforeLatest, `已有${s.file.income.year}年收入记录，不能补记更早年份`, `income for ${s.file.income.year} is already recorded; an earlier year cannot replace it`));
  }
  if (c.data.year > PLAN_YEARS.to + 10) return refuse(err(E.yearOutOfPlan, '年份超出范围', 'the year is out of range'));
  const file: HouseholdFile = { ...s.file, income: { year: c.data.year, perCapita: c.data.perCapitaIncome, stableIncomeSource: c.data.stableIncomeSource } };
  const flagged = monitor(c, s, file, c.data.year, 'income');
  if (!Array.isArray(flagged)) return refuse(flagged);
  return accept(
    ev('HouseholdIncomeRecorded', { ...stamp(c), year: c.data.year, perCapitaIncome: c.data.perCapitaIncome, stableIncomeSource: c.data.stableIncomeSource }),
    ...recheckRound(c, s, file, c.data.year),
    ...flagged,
  );
};

const updateGuarantees = (c: C.UpdateGuarantees, s0: HouseholdState): D => {
  const s = gate(c, s0, ['work-team', 'township-official', 'county-official']);
  if (isError(s)) return refuse(s);
  if (c.data.year < s.file.guaranteesYear) {
    return refuse(err(E.recordYearBeforeLatest, `已有${s.file.guaranteesYear}年保障核查记录，不能补记更早年份`, `guarantees for ${s.file.guaranteesYear} are already recorded`));
  }
  if (c.data.year > PLAN_YEARS.to + 10) return refuse(err(E.yearOutOfPlan, '年份超出范围', 'the year is out of range'));
  const file: HouseholdFile = { ...s.file, guarantees: c.data.guarantees, guaranteesYear: c.data.year };
  const flagged = monitor(c, s, file, c.data.year, 'guarantees');
  if (!Array.isArray(flagged)) return refuse(flagged);
  return accept(ev('HouseholdGuaranteesUpdated', { ...stamp(c), year: c.data.year, guarantees: c.data.guarantees }), ...recheckRound(c, s, file, c.data.year), ...flagged);
};

const assess = (c: C.AssessForExit, s0: HouseholdState): D => {
  const s = gate(c, s0, ['work-team', 'township-official', 'county-official']);
  if (isError(s)) return refuse(s);
  if (isMonitored(s)) return refuse(err(E.alreadyExited, '该户已脱贫退出', 'the household has already exited'));
  if (isInRound(s)) return refuse(err(E.roundInProgress, `该户正在${s.round.year}年退出程序中`, `the household is already in the ${s.round.year} exit round`, { status: s.status }));
  if (s.file.openObjectionId !== null) return refuse(err(E.objectionOpen, '有未处理的异议，不能启动退出', 'an objection is open: no exit round until it is resolved', { objectionId: s.file.openObjectionId }));
  const { year } = c.data;
  if (!exitThresholdFor(year)) return refuse(err(E.noPovertyLine, `${year}年没有脱贫标准`, `there is no exit threshold for ${year}`));
  if (s.file.income.year !== year) {
    return refuse(err(E.incomeNotRecorded, `尚未登记${year}年收入（最近为${s.file.income.year}年）`, `no income recorded for ${year} (latest is ${s.file.income.year})`));
  }
  if (s.file.guaranteesYear !== year) {
    return refuse(err(E.guaranteesNotChecked, `尚未核查${year}年两不愁三保障`, `the two worries and three guarantees have not been checked for ${year}`));
  }
  const a = assessExit({ year, perCapitaIncome: s.file.income.perCapita, stableIncomeSource: s.file.income.stableIncomeSource, guarantees: s.file.guarantees as Guarantees })!;
  return accept(
    ev('HouseholdAssessedForExit', {
      ...stamp(c),
      year,
      eligible: a.eligible,
      perCapitaIncome: a.perCapitaIncome,
      threshold: a.threshold,
      policy: a.policy,
      failures: a.failures.map((f) => ({ test: f.test, zh: f.zh, en: f.en })),
      explanation: a.explanation,
    }),
  );
};

/** A step of the round: gate, order, then either the next status or the end of the round. */
const roundStep = (
  c: Exclude<C.HouseholdCommand, C.RegisterHousehold>,
  s0: HouseholdState,
  roles: Parameters<typeof authorizeStep>[1],
  required: RoundStatus,
  make: (s: InRound) => D,
): D => {
  const s = gate(c, s0, roles);
  if (isError(s)) return refuse(s);
  const out = stepOrder(s, required, c.meta.now);
  if (out) return refuse(out);
  return make(s as InRound);
};

const appraise = (c: C.AppraiseInVillage, s: HouseholdState): D =>
  roundStep(c, s, ['work-team', 'township-official'], 'assessed', () =>
    accept(
      ev('HouseholdVillageAppraised', { ...stamp(c), agreed: c.data.agreed, recordRef: c.data.recordRef }),
      ...(c.data.agreed ? [] : [ev('HouseholdRemovedFromExitRound', { ...stamp(c), reason: 'village-appraisal-rejected' })]),
    ),
  );

const workTeamCheck = (c: C.CheckByWorkTeam, s: HouseholdState): D =>
  roundStep(c, s, ['work-team'], 'appraised', () =>
    accept(
      ev('HouseholdWorkTeamChecked', { ...stamp(c), confirmed: c.data.confirmed, findings: c.data.findings }),
      ...(c.data.confirmed ? [] : [ev('HouseholdRemovedFromExitRound', { ...stamp(c), reason: 'work-team-not-confirmed' })]),
    ),
  );

const consent = (c: C.RecordConsent, s: HouseholdState): D =>
  roundStep(c, s, ['work-team', 'township-official'], 'checked', () =>
    accept(
      ev('HouseholdConsentRecorded', { ...stamp(c), consents: c.data.consents, recordRef: c.data.recordRef }),
      ...(c.data.consents ? [] : [ev('HouseholdRemovedFromExitRound', { ...stamp(c), reason: 'consent-refused' })]),
    ),
  );

/** The household may change its mind at any point after consenting and before the announcement. */
const withdrawConsent = (c: C.WithdrawConsent, s0: HouseholdState): D => {
  const s = gate(c, s0, ['work-team', 'township-official', 'county-official']);
  if (isError(s)) return refuse(s);
  if (s.status === 'consented' || s.status === 'in-notice' || s.status === 'township-reviewed') {
    return accept(ev('HouseholdConsentWithdrawn', { ...stamp(c), recordRef: c.data.recordRef }), ev('HouseholdRemovedFromExitRound', { ...stamp(c), reason: 'consent-withdrawn' }));
  }
  if (isMonitored(s)) return refuse(err(E.alreadyExited, '该户已脱贫退出', 'the household has already exited'));
  return refuse(err(E.consentMissing, '该户尚未认可脱贫，无可撤回', 'the household has not consented: there is nothing to withdraw'));
};

const postNotice = (c: C.PostExitNotice, s: HouseholdState, rules: HouseholdRules): D =>
  roundStep(c, s, ['work-team', 'township-official'], 'consented', () => {
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
const raiseObjection = (c: C.RaiseExitObjection, s0: HouseholdState): D => {
  const s = gate(c, s0, ['work-team', 'township-official', 'county-official', 'inspector']);
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

const resolveObjection = (c: C.ResolveExitObjection, s0: HouseholdState): D => {
  const s = gate(c, s0, ['township-official', 'county-official']);
  if (isError(s)) return refuse(s);
  if (s.file.openObjectionId === null || s.file.openObjectionId !== c.data.objectionId) {
    return refuse(err(E.objectionUnknown, '没有该项未处理的异议', 'there is no open objection with this id'));
  }
  return accept(ev('HouseholdExitObjectionResolved', { ...stamp(c), objectionId: c.data.objectionId, outcome: c.data.outcome, note: c.data.note }));
};

const townshipReview = (c: C.ReviewByTownship, s: HouseholdState): D =>
  roundStep(c, s, ['township-official'], 'in-notice', (r) => {
    if (r.round.noticeEndsAt !== undefined && Date.parse(c.meta.now) < Date.parse(r.round.noticeEndsAt)) {
      return refuse(err(E.noticeRunning, `公示期未满（至${r.round.noticeEndsAt}）`, `the notice is still running (until ${r.round.noticeEndsAt})`, { endsAt: r.round.noticeEndsAt }));
    }
    return accept(
      ev('HouseholdTownshipReviewed', { ...stamp(c), approved: c.data.approved, note: c.data.note }),
      ...(c.data.approved ? [] : [ev('HouseholdRemovedFromExitRound', { ...stamp(c), reason: 'township-rejected' })]),
    );
  });

const announce = (c: C.AnnounceExit, s: HouseholdState): D =>
  roundStep(c, s, ['county-official'], 'township-reviewed', (r) =>
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

const visit = (c: C.VisitForReturnReview, s0: HouseholdState): D => {
  const s = gate(c, s0, ['work-team', 'township-official']);
  if (isError(s)) return refuse(s);
  const out = returnOrder(s, 'flagged');
  if (out) return refuse(out);
  return accept(ev('HouseholdReturnReviewVisited', { ...stamp(c), findings: c.data.findings }));
};

const postReturnNotice = (c: C.PostReturnNotice, s0: HouseholdState, rules: HouseholdRules): D => {
  const s = gate(c, s0, ['work-team', 'township-official']);
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
const decideReturn = (c: C.DecideReturn, s0: HouseholdState): D => {
  const s = gate(c, s0, ['county-official']);
  if (isError(s)) return refuse(s);
  if (!c.data.returnsToPoverty) {
    if (s.status === 'return-visited' || s.status === 'return-notice') return accept(ev('HouseholdReturnRiskCleared', { ...stamp(c), reason: c.data.reason }));
    return refuse(returnOrder(s, 'return-visited')!);
  }
  const out = returnOrder(s, 'return-notice');
  if (out) return refuse(out);
  if (s.status === 'return-notice' && Date.parse(c.meta.now) < Date.parse(s.returnNoticeEndsAt)) {
    return refuse(err(E.returnNoticeRunning, `返贫公示期未满（至${s.returnNoticeEndsAt}）`, `the return notice is still running (until ${s.returnNoticeEndsAt})`, { endsAt: s.returnNoticeEndsAt }));
  }
  return accept(ev('HouseholdReturnedToPoverty', { ...stamp(c), countyId: s.file.countyId, villageId: s.file.villageId, memberCount: s.file.memberCount, reason: c.data.reason }));
};

/** A household decider with the given durations (tests of workflows use seconds). */
export const makeDecide =
  (rules: HouseholdRules = DEFAULT_HOUSEHOLD_RULES) =>
  (command: C.HouseholdCommand, state: HouseholdState): D => {
    switch (command.type) {
      case 'RegisterHousehold':
        return register(command, state);
      case 'RecordIncome':
        return recordIncome(command, state);
      case 'UpdateGuarantees':
        return updateGuarantees(command, state);
      case 'AssessForExit':
        return assess(command, state);
      case 'AppraiseInVillage':
        return appraise(command, state);
      case 'CheckByWorkTeam':
        return workTeamCheck(command, state);
      case 'RecordConsent':
        return consent(command, state);
      case 'WithdrawConsent':
        return withdrawConsent(command, state);
      case 'PostExitNotice':
        return postNotice(command, state, rules);
      case 'RaiseExitObjection':
        return raiseObjection(command, state);
      case 'ResolveExitObjection':
        return resolveObjection(command, state);
      case 'ReviewByTownship':
        return townshipReview(command, state);
      case 'AnnounceExit':
        return announce(command, state);
      case 'VisitForReturnReview':
        return visit(command, state);
      case 'PostReturnNotice':
        return postReturnNotice(command, state, rules);
      case 'DecideReturn':
        return decideReturn(command, state);
      default: {
        const _never: never = command;
        return _never;
      }
    }
  };

export const decide = makeDecide();
