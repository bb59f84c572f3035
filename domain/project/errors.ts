import { domainError, type DomainError } from '../shared/errors';

/** code → [zh, en]. Codes are stable; tests and clients match on them. */
const MESSAGES = {
  PROJECT_NOT_FOUND: ['项目不存在', 'no such project'],
  PROJECT_ALREADY_EXISTS: ['项目编号已存在', 'a project with this id already exists'],
  PROJECT_OUT_OF_ORDER: ['项目当前阶段不能办理此事项', 'this step is not possible at the project’s current stage'],
  PROJECT_AMOUNT_NOT_POSITIVE: ['金额必须大于零', 'the amount must be more than zero'],
  PROJECT_BUDGET_EXCEEDS_STANDARD: ['申请补助超过补助标准', 'the budget asks for more than the subsidy standard allows'],
  PROJECT_STANDARD_NOT_APPLICABLE: ['该补助标准不适用于此类项目', 'the subsidy standard does not apply to this category'],
  PROJECT_VILLAGE_RECORD_OUT_OF_ORDER: ['四议两公开程序顺序不符', 'the 四议两公开 steps are not in order'],
  PROJECT_VILLAGE_RECORD_IN_FUTURE: ['四议两公开记录日期晚于申报日期', 'the village record is dated after the proposal'],
  PROJECT_NO_PERFORMANCE_TARGET: ['未设定绩效目标，不得入库', 'no performance target: the project may not enter the library'],
  PROJECT_NO_BENEFICIARIES: ['绩效目标未覆盖建档立卡贫困人口', 'the performance target reaches no registered poor people'],
  PROJECT_NOTICE_RUNNING: ['公示期未满，不得入库', 'the public notice has not run its full period'],
  PROJECT_ALLOCATION_EXISTS: ['该资金安排已登记', 'this allocation is already recorded'],
  PROJECT_FUNDING_EXCEEDS_BUDGET: ['安排资金超过项目预算', 'the funding would exceed the project budget'],
  PROJECT_CONTRACT_EXCEEDS_FUNDING: ['合同金额超过已落实资金', 'the contract is larger than the funding in place'],
  PROJECT_ADVANCE_RATE_OUT_OF_RANGE: ['预付款比例须在合同金额的10%至30%之间', 'the advance must be 10–30% of the contract'],
  PROJECT_RETENTION_RATE_TOO_HIGH: ['质量保证金比例不得高于3%', 'quality retention may not exceed 3%'],
  PROJECT_WARRANTY_OUT_OF_RANGE: ['缺陷责任期不在规定范围内（最长不超过2年）', 'the defect-liability (warranty) period is outside the allowed range (at most 2 years)'],
  PROJECT_MILESTONE_EXISTS: ['该进度节点已报告', 'this milestone is already reported'],
  PROJECT_PROGRESS_NOT_INCREASING: ['进度须高于已报告进度', 'progress must be above what was already reported'],
  PROJECT_WORK_NOT_FINISHED: ['工程未完成全部进度，不能报竣工', 'the works are not 100% complete'],
  PROJECT_SETTLEMENT_EXCEEDS_FUNDING: ['结算金额超过已落实资金', 'the settlement is larger than the funding in place'],
  PROJECT_SETTLEMENT_BELOW_PAID: ['结算金额低于已拨付金额', 'the settlement is below what has already been paid'],
  PROJECT_FINDING_EXISTS: ['该审计问题已登记', 'this finding is already recorded'],
  PROJECT_FINDING_NOT_FOUND: ['未找到该审计问题', 'no such finding'],
  PROJECT_FINDING_NOT_OPEN: ['该问题不处于待整改状态', 'the finding is not open'],
  PROJECT_FINDING_NOT_REMEDIATED: ['该问题尚未整改', 'the finding has not been remediated'],
  PROJECT_OPEN_FINDINGS: ['审计问题未整改销号', 'audit findings are still open'],
  PROJECT_WARRANTY_RUNNING: ['质保期未满', 'the warranty has not ended'],
  PROJECT_NOT_FULLY_PAID: ['结算款及质保金未付清', 'the settlement and retention are not fully paid'],
  PROJECT_RESULT_NOT_PUBLISHED: ['实施结果公开日期无效', 'the result disclosure is dated in the future'],
  PROJECT_ESCALATION_OUT_OF_ORDER: ['督办须按乡、县、市逐级上报', 'escalation goes township, then county, then city'],
  PAYMENT_BEFORE_CONTRACT: ['开工（签订合同）前不得拨付', 'no payment before the contract is signed and works start'],
  PAYMENT_ALLOCATION_NOT_FOUND: ['该项目无此资金安排', 'the project has no such allocation'],
  PAYMENT_EXCEEDS_ALLOCATION: ['累计拨付超过资金安排', 'cumulative payments would exceed the allocation'],
  PAYMENT_PROHIBITED_USE: ['财政专项扶贫资金不得用于负面清单所列用途', 'poverty funds may never pay for a use on the negative list'],
  PAYMENT_USE_UNKNOWN: ['支出用途须从规定的支出类别中选择', 'the use must be one of the enumerated expenditure kinds'],
  PAYMENT_WRONG_PAYEE: ['收款人与合同不符', 'the payee is not the contractor'],
  PAYMENT_HOUSEHOLD_ID_INVALID: ['农户编号格式不正确（应为 hh-<县>-<编号>）', 'the household id must look like hh-<county>-<serial>'],
  PAYMENT_ADVANCE_TOO_LATE: ['已拨付进度款或已竣工，不得再付预付款', 'no advance once progress has been paid or the works are complete'],
  PAYMENT_ADVANCE_OUT_OF_RANGE: ['累计预付款不得超过合同约定比例（10%至30%）', 'cumulative advance payments may not exceed the agreed rate (10–30%) of the contract'],
  PAYMENT_MILESTONE_REQUIRED: ['进度款须对应已报告的进度节点', 'a progress payment must name a reported milestone'],
  PAYMENT_MILESTONE_NOT_REPORTED: ['进度节点尚未报告', 'the milestone it pays for has not been reported'],
  PAYMENT_EXCEEDS_WORK_DONE: [
    '验收前累计拨付（含预付款）不得超过已完工程价款的90%，并须预留质量保证金',
    'before acceptance, payments so far (the advance included) may not exceed 90% of the work done, and the retention must be held',
  ],
  PAYMENT_SETTLEMENT_BEFORE_ACCEPTANCE: ['验收前不得支付结算款', 'no settlement payment before acceptance'],
  PAYMENT_SETTLEMENT_NOT_DECIDED: ['尚未办理结算', 'the settlement has not been decided'],
  PAYMENT_RETENTION_NOT_HELD: ['须预留质量保证金至质保期满', 'the quality retention must be held to the end of the warranty'],
  PAYMENT_RETENTION_BEFORE_WARRANTY_END: ['质保期满前不得返还质量保证金', 'no retention release before the warranty ends'],
  PAYMENT_OPEN_FINDINGS: ['审计问题未整改，不得返还质量保证金', 'open audit findings hold the retention'],
  PAYMENT_EXCEEDS_SETTLEMENT: ['累计拨付超过结算金额', 'cumulative payments would exceed the settlement'],
} as const satisfies Record<string, readonly [string, string]>;

export type ProjectErrorCode = keyof typeof MESSAGES;
export const PROJECT_ERROR_CODES = Object.keys(MESSAGES) as ProjectErrorCode[];

export const projectError = (code: ProjectErrorCode, details?: Record<string, unknown>): DomainError =>
  domainError(code, MESSAGES[code][0], MESSAGES[code][1], details);
