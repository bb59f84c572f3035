import type { PolicyTable } from './table';

/** Rates in basis points (1% = 100) so every share of a contract is integer arithmetic. */
export interface PaymentTemplatePolicy extends PolicyTable {
  readonly advanceMinBp: number;
  readonly advanceMaxBp: number;
  readonly retentionMaxBp: number;
  readonly warrantyMinMonths: number;
  readonly warrantyMaxMonths: number;
  /**
   * Before acceptance, advance and progress payments together stay within this share of the work
   * done. Version 1 had no such cap, and a workflow started under it carries its table without
   * the field (in its recorded input): absent reads as version 1's rule, 100% less the retention.
   */
  readonly progressMaxBp?: number;
  /** Set only in a time-scaled set (a simulation's): a warranty month lasts this many seconds instead of a calendar month. */
  readonly secondsPerMonth?: number;
}

/** Version 1 as it was decided under until version 2 (kept so histories started under it decide the same). */
export const PAYMENT_TEMPLATE_POLICY_V1: PaymentTemplatePolicy = {
  id: 'payment-template',
  version: 1,
  source: '建设工程价款结算暂行办法 (财建〔2004〕369号) 预付款不低于合同金额10%、不高于30%; 建设工程质量保证金管理办法 (建质〔2017〕138号) 保证金预留比例不高于结算总额3%',
  effectiveFrom: '2017-07-01',
  verified: false,
  advanceMinBp: 1_000,
  advanceMaxBp: 3_000,
  retentionMaxBp: 300,
  warrantyMinMonths: 6,
  warrantyMaxMonths: 60,
};

/**
 * Version 2: the defect-liability period (缺陷责任期) is one year as a rule and never more than two
 * (建质〔2017〕138号 第二条), and progress payments stop at 90% of the work done (财建〔2004〕369号
 * 第十三条: 不低于工程价款的60%，不高于工程价款的90%), the advance being set off against them.
 */
export const PAYMENT_TEMPLATE_POLICY: PaymentTemplatePolicy = {
  id: 'payment-template',
  version: 2,
  source:
    '建设工程价款结算暂行办法 (财建〔2004〕369号) 预付款不低于合同金额10%、不高于30%，进度款不高于已完工程价款90%; 建设工程质量保证金管理办法 (建质〔2017〕138号) 保证金预留比例不高于结算总额3%，缺陷责任期一般为1年，最长不超过2年',
  effectiveFrom: '2017-07-01',
  verified: false,
  advanceMinBp: 1_000,
  advanceMaxBp: 3_000,
  retentionMaxBp: 300,
  warrantyMinMonths: 6,
  warrantyMaxMonths: 24,
  progressMaxBp: 9_000,
};

export const BP = 10_000;

/** Share of an amount in basis points, rounded down: never pays or holds more than the rate. */
export const shareOf = (amount: number, bp: number): number => Math.floor((amount * bp) / BP);
