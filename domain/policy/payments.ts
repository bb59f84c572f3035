import type { PolicyTable } from './table';

/** Rates in basis points (1% = 100) so every share of a contract is integer arithmetic. */
export interface PaymentTemplatePolicy extends PolicyTable {
  readonly advanceMinBp: number;
  readonly advanceMaxBp: number;
  readonly retentionMaxBp: number;
  readonly warrantyMinMonths: number;
  readonly warrantyMaxMonths: number;
}

export const PAYMENT_TEMPLATE_POLICY: PaymentTemplatePolicy = {
  id: 'payment-template',
  version: 1,
  source:
    '建设工程价款结算暂行办法 (财建〔2004〕369号) 预付款不低于合同金额10%、不高于30%; 建设工程质量保证金管理办法 (建质〔2017〕138号) 保证金预留比例不高于结算总额3%',
  effectiveFrom: '2017-07-01',
  advanceMinBp: 1_000,
  advanceMaxBp: 3_000,
  retentionMaxBp: 300,
  warrantyMinMonths: 6,
  warrantyMaxMonths: 60,
};

export const BP = 10_000;

/** Share of an amount in basis points, rounded down: never pays or holds more than the rate. */
export const shareOf = (amount: number, bp: number): number => Math.floor((amount * bp) / BP);
