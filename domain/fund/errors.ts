import { domainError, type DomainError } from '../shared/errors';
import { formatWan } from '../shared/money';
import { zhOf } from '../names/name';
import { CATEGORY_NAMES } from '../names/project';

export const FUND_ERRORS = {
  notFound: 'FUND_NOT_FOUND',
  alreadyAppropriated: 'FUND_ALREADY_APPROPRIATED',
  idNotOfCounty: 'FUND_ID_NOT_OF_COUNTY',
  amountNotPositive: 'FUND_AMOUNT_NOT_POSITIVE',
  frozen: 'FUND_FROZEN',
  alreadyFrozen: 'FUND_ALREADY_FROZEN',
  notFrozen: 'FUND_NOT_FROZEN',
  notEarmarked: 'FUND_CATEGORY_NOT_EARMARKED',
  insufficient: 'FUND_INSUFFICIENT',
  outOfCounty: 'FUND_PROJECT_OUT_OF_COUNTY',
  allocationExists: 'FUND_ALLOCATION_EXISTS',
  allocationNotFound: 'FUND_ALLOCATION_NOT_FOUND',
  nothingToRelease: 'FUND_NOTHING_TO_RELEASE',
  releaseExceedsUnpaid: 'FUND_RELEASE_EXCEEDS_UNPAID',
  paymentExceedsAllocation: 'FUND_PAYMENT_EXCEEDS_ALLOCATION',
  paymentIdReused: 'FUND_PAYMENT_ID_REUSED',
  householdIdInvalid: 'FUND_HOUSEHOLD_ID_INVALID',
  householdOutOfCounty: 'FUND_HOUSEHOLD_OUT_OF_COUNTY',
} as const;

const E = FUND_ERRORS;
export const fundErrors = {
  notFound: (): DomainError => domainError(E.notFound, '资金尚未下达', 'the fund has not been appropriated'),
  alreadyAppropriated: (): DomainError => domainError(E.alreadyAppropriated, '该资金已下达', 'the fund has already been appropriated'),
  idNotOfCounty: (fundId: string, countyId: string): DomainError =>
    domainError(
      E.idNotOfCounty,
      `资金编号 ${fundId} 中的县与下达县（${countyId}）不一致`,
      `the fund id ${fundId} names another county than the one it is appropriated to (${countyId}): scope is read from the id`,
      { fundId, countyId },
    ),
  amountNotPositive: (): DomainError => domainError(E.amountNotPositive, '金额必须大于零', 'the amount must be more than zero'),
  frozen: (): DomainError => domainError(E.frozen, '资金已冻结，不得安排或拨付', 'the fund is frozen: it may not allocate or pay'),
  alreadyFrozen: (): DomainError => domainError(E.alreadyFrozen, '资金已处于冻结状态', 'the fund is already frozen'),
  notFrozen: (): DomainError => domainError(E.notFrozen, '资金未冻结', 'the fund is not frozen'),
  notEarmarked: (category: string, earmark: readonly string[]): DomainError =>
    domainError(E.notEarmarked, `专款专用：该资金不得用于“${zhOf(CATEGORY_NAMES, category)}”类项目`, `earmarked money: this fund may not pay for ${category} projects`, {
      category,
      earmark,
    }),
  insufficient: (asked: number, available: number): DomainError =>
    domainError(
      E.insufficient,
      `可用资金不足（申请${formatWan(asked)}元，可用${formatWan(available)}元）`,
      `not enough available (asked ${formatWan(asked)}元, available ${formatWan(available)}元)`,
      {
        askedFen: asked,
        availableFen: available,
      },
    ),
  outOfCounty: (): DomainError => domainError(E.outOfCounty, '资金不得安排给其他县的项目', 'a fund may not pay for a project in another county'),
  allocationExists: (): DomainError => domainError(E.allocationExists, '该安排编号已使用', 'the allocation id is already used'),
  allocationNotFound: (): DomainError => domainError(E.allocationNotFound, '未找到该项资金安排', 'no such allocation on this fund'),
  nothingToRelease: (): DomainError => domainError(E.nothingToRelease, '该安排已无未拨付余额可收回', 'nothing unpaid is left on the allocation'),
  releaseExceedsUnpaid: (asked: number, unpaid: number): DomainError =>
    domainError(
      E.releaseExceedsUnpaid,
      `收回金额超过未拨付余额（收回${formatWan(asked)}元，余额${formatWan(unpaid)}元）`,
      `the release is more than the unpaid balance (asked ${formatWan(asked)}元, unpaid ${formatWan(unpaid)}元)`,
      { askedFen: asked, unpaidFen: unpaid },
    ),
  paymentExceedsAllocation: (asked: number, unpaid: number): DomainError =>
    domainError(
      E.paymentExceedsAllocation,
      `拨付超过安排余额（申请${formatWan(asked)}元，余额${formatWan(unpaid)}元）`,
      `payment above the allocation's unpaid balance (asked ${formatWan(asked)}元, left ${formatWan(unpaid)}元)`,
      {
        askedFen: asked,
        unpaidFen: unpaid,
      },
    ),
  paymentIdReused: (): DomainError => domainError(E.paymentIdReused, '支付编号已用于另一笔不同的支付', 'the payment id was already used for a different payment'),
  householdOutOfCounty: (householdId: string, countyId: string): DomainError =>
    domainError(
      E.householdOutOfCounty,
      `农户 ${householdId} 不属于本资金所在县，不得由本县资金支付`,
      `household ${householdId} is not of the fund's county (${countyId}): its money pays only that county's households`,
      {
        householdId,
        countyId,
      },
    ),
  householdIdInvalid: (): DomainError => domainError(E.householdIdInvalid, '农户编号格式不正确（应为 hh-<县>-<编号>）', 'the household id must look like hh-<county>-<serial>'),
};
