import { domainError, type DomainError } from '../shared/errors';
import { formatYuan } from '../shared/money';
import { zhOf } from '../names/name';
import { CATEGORY_NAMES } from '../names/project';
import { FUND_SOURCE_NAMES } from '../names/funds';
import { BENEFIT_ROUND_STAGE_NAMES, BENEFIT_ROUND_STEP_NAMES, BENEFIT_TIER_NAMES, PERIOD_KIND_NAMES, type BenefitRoundStep } from '../names/benefit';
import { enOf } from '../names/name';

/** Stable codes of the benefit rules; the messages are for people, zh and en. */
export const benefitErrors = {
  programmeUnknown: (id: string) => domainError('BENEFIT_PROGRAMME_UNKNOWN', '没有这项到户政策', `there is no benefit programme ${id}`, { programmeId: id }),
  periodKind: (period: string, kind: string) =>
    domainError('BENEFIT_PERIOD_KIND', `该政策按${zhOf(PERIOD_KIND_NAMES, kind)}发放，期间${period}不符`, `the programme pays per ${kind}: period ${period} does not fit`, {
      period,
      kind,
    }),
  standardOutOfBounds: (tier: string, amount: number, bound: string, limit: number) =>
    domainError(
      'BENEFIT_STANDARD_OUT_OF_BOUNDS',
      `标准“${zhOf(BENEFIT_TIER_NAMES, tier)}”${formatYuan(amount)}${bound === 'floor' ? '低于规划下限' : bound === 'cap' ? '高于上限' : '不等于国家标准'}${formatYuan(limit)}`,
      `standard ${tier} of ${formatYuan(amount)} is ${bound === 'floor' ? 'below the floor' : bound === 'cap' ? 'above the cap' : 'not the national standard'} of ${formatYuan(limit)}`,
      { tier, amount, bound, limit },
    ),
  standardUnknownTier: (tier: string) => domainError('BENEFIT_STANDARD_UNKNOWN_TIER', '该政策没有此档标准', `the programme has no tier ${tier}`, { tier }),
  householdRemoved: (householdId: string) =>
    domainError('BENEFIT_HOUSEHOLD_REMOVED', '该户已从建档立卡档案中清退，不能享受', `${householdId} has been removed from the registry and may not be paid`, { householdId }),
  notInRegistry: (householdId: string) => domainError('BENEFIT_NOT_IN_REGISTRY', '该户不在建档立卡档案中', `${householdId} is not in the registry`, { householdId }),
  outOfCounty: (householdId: string) => domainError('BENEFIT_OUT_OF_COUNTY', '该户不属于本县', `${householdId} is not a household of this county`, { householdId }),
  outOfTownship: (householdId: string) =>
    domainError('BENEFIT_OUT_OF_TOWNSHIP', '该户所在村不属于本乡镇', `${householdId} lives in a village outside this township`, { householdId }),
  stopsAtExit: (householdId: string, exitYear: number) =>
    domainError('BENEFIT_STOPS_AT_EXIT', `该户已于${exitYear}年脱贫，此项政策脱贫后停止`, `${householdId} exited in ${exitYear}; this programme stops at exit`, {
      householdId,
      exitYear,
    }),
  policyPeriodEnded: (householdId: string, until: number) =>
    domainError('BENEFIT_POLICY_PERIOD_ENDED', `脱贫不脱政策至${until}年，该户已脱贫`, `${householdId} has exited and its policies continue only to ${until}`, {
      householdId,
      until,
    }),
  notEligible: (householdId: string, rule: string) =>
    domainError('BENEFIT_NOT_ELIGIBLE', '该户无人符合此项政策条件', `nobody in ${householdId} meets ${rule}`, { householdId, rule }),
  beforeAcceptance: (householdId: string) =>
    domainError('BENEFIT_BEFORE_ACCEPTANCE', '危房改造尚未竣工验收，不能发放补助', `${householdId}: the renovation has not been accepted; no subsidy before 验收`, { householdId }),
  noAccount: (householdId: string) => domainError('BENEFIT_NO_ACCOUNT', '该户没有登记一卡通账户', `${householdId} has no 一卡通 account on file`, { householdId }),
  capExceeded: (householdId: string, amount: number, cap: number) =>
    domainError('BENEFIT_ABOVE_CAP', `金额${formatYuan(amount)}超过标准上限${formatYuan(cap)}`, `${householdId}: ${formatYuan(amount)} is above the cap of ${formatYuan(cap)}`, {
      householdId,
      amount,
      cap,
    }),

  roundExists: () => domainError('BENEFIT_ROUND_EXISTS', '该政策本期在本乡镇的发放批次已存在', 'a round for this programme, township and period already exists'),
  roundNotFound: () => domainError('BENEFIT_ROUND_NOT_FOUND', '发放批次不存在', 'no such benefit round'),
  listEmpty: () => domainError('BENEFIT_LIST_EMPTY', '名单为空：没有符合条件的户', 'the list is empty: no household qualifies'),
  personTwice: (memberKey: string, householdIds: readonly string[]) =>
    domainError('BENEFIT_PERSON_TWICE', '同一人在同一期内不能重复享受同一政策', 'one person may not be paid twice by one programme in one period', { memberKey, householdIds }),
  listedElsewhere: (person: string, householdId: string, roundId: string) =>
    domainError(
      'BENEFIT_PERSON_TWICE',
      `该户有人已在本期同一政策的另一批次（${roundId}）中，不能重复享受`,
      `${householdId}: someone is already on round ${roundId} of this programme for this period; nobody is paid twice`,
      {
        person,
        householdId,
        roundId,
      },
    ),
  householdTwice: (householdId: string) => domainError('BENEFIT_HOUSEHOLD_TWICE', '该户已在名单中', `${householdId} is already on the list`, { householdId }),
  wrongStage: (stage: string, action: BenefitRoundStep) =>
    domainError(
      'BENEFIT_WRONG_STAGE',
      `批次处于“${zhOf(BENEFIT_ROUND_STAGE_NAMES, stage)}”阶段，不能${zhOf(BENEFIT_ROUND_STEP_NAMES, action)}`,
      `the round is ${stage}: cannot ${enOf(BENEFIT_ROUND_STEP_NAMES, action)}`,
      { stage, action },
    ),
  noticeTooShort: (seconds: number, minimum: number) =>
    domainError('BENEFIT_NOTICE_TOO_SHORT', `公示期不得少于${Math.ceil(minimum / 86400)}天`, `the notice must run at least ${minimum} s; ${seconds} s given`, { seconds, minimum }),
  noticeRunning: (endsAt: string) => domainError('BENEFIT_NOTICE_RUNNING', `公示期至${endsAt}，尚未结束`, `the notice runs until ${endsAt}`, { endsAt }),
  noticeOver: (endsAt: string) => domainError('BENEFIT_NOTICE_OVER', `公示期已于${endsAt}结束`, `the notice ended at ${endsAt}`, { endsAt }),
  objectionExists: (objectionId: string) => domainError('BENEFIT_OBJECTION_EXISTS', '该异议编号已使用', `objection ${objectionId} is already recorded`, { objectionId }),
  notListed: (householdId: string) => domainError('BENEFIT_NOT_LISTED', '该户不在名单中', `${householdId} is not on the list`, { householdId }),
  sameActor: (step: BenefitRoundStep, earlier: BenefitRoundStep) =>
    domainError(
      'BENEFIT_SEPARATION_OF_DUTIES',
      `“${zhOf(BENEFIT_ROUND_STEP_NAMES, earlier)}”与“${zhOf(BENEFIT_ROUND_STEP_NAMES, step)}”不能为同一人`,
      `whoever did "${enOf(BENEFIT_ROUND_STEP_NAMES, earlier)}" may not "${enOf(BENEFIT_ROUND_STEP_NAMES, step)}"`,
      { step, earlier },
    ),
  fundNotAllowed: (source: string, allowed: readonly string[]) =>
    domainError(
      'BENEFIT_FUND_SOURCE_NOT_ALLOWED',
      `该政策不能由“${zhOf(FUND_SOURCE_NAMES, source)}”支付`,
      `this programme may not be paid from ${source} money (allowed: ${allowed.join(', ')})`,
      { source, allowed },
    ),
  fundNotEarmarked: (category: string) =>
    domainError('BENEFIT_FUND_NOT_EARMARKED', `该资金未安排用于“${zhOf(CATEGORY_NAMES, category)}”`, `the fund is not earmarked for ${category}`, { category }),
  fundOutOfCounty: () => domainError('BENEFIT_FUND_OUT_OF_COUNTY', '资金不属于本县', 'the fund belongs to another county'),
  amountMismatch: (householdId: string, amount: number, listed: number) =>
    domainError(
      'BENEFIT_AMOUNT_MISMATCH',
      `支付金额${formatYuan(amount)}与名单金额${formatYuan(listed)}不符`,
      `${householdId}: ${formatYuan(amount)} differs from the listed ${formatYuan(listed)}`,
      { householdId, amount, listed },
    ),
  receiptsMismatch: (leaves: number, paid: number) =>
    domainError('BENEFIT_RECEIPTS_MISMATCH', `回执树有${leaves}户，已付${paid}户，不一致`, `the receipt tree has ${leaves} leaves for ${paid} households paid`, { leaves, paid }),
  alreadySettled: (householdId: string) =>
    domainError('BENEFIT_ALREADY_SETTLED', '该户本批次已支付或已退回', `${householdId} is already paid or returned in this round`, { householdId }),
  unsettled: (count: number) => domainError('BENEFIT_UNSETTLED', `尚有${count}户未支付或退回`, `${count} household(s) are neither paid nor returned`, { count }),
  notReconciled: (listTotal: number, paid: number, returned: number) =>
    domainError(
      'BENEFIT_NOT_RECONCILED',
      `名单合计${formatYuan(listTotal)}不等于已付${formatYuan(paid)}加退回${formatYuan(returned)}`,
      `list total ${formatYuan(listTotal)} ≠ paid ${formatYuan(paid)} + returned ${formatYuan(returned)}`,
      { listTotal, paid, returned },
    ),
} satisfies Record<string, (...a: never[]) => DomainError>;
