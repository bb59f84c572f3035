import { formatYuan, type Fen } from '../shared/money';
import { exitThresholdFor } from '../policy/poverty-line';
import { policyLabel, type PolicyRef } from '../policy/policy-ref';
import { policyZh } from '../names/policies';
import { GUARANTEE_LABELS, missingGuarantees, type Guarantees, type GuaranteeName } from './guarantees';

export type ExitTest = 'income-above-line' | 'stable-income-source' | GuaranteeName;

export interface ExitFailure {
  readonly test: ExitTest;
  readonly zh: string;
  readonly en: string;
}

export interface ExitAssessment {
  readonly year: number;
  readonly eligible: boolean;
  readonly perCapitaIncome: Fen;
  readonly threshold: Fen;
  readonly policy: PolicyRef;
  readonly failures: readonly ExitFailure[];
  readonly explanation: { readonly zh: string; readonly en: string };
}

export interface ExitAssessmentInput {
  readonly year: number;
  readonly perCapitaIncome: Fen;
  readonly stableIncomeSource: boolean;
  readonly guarantees: Guarantees;
}

/**
 * The household exit standard: per-capita net income strictly above the year's exit threshold
 * (超过国家扶贫标准), a stable income source, and all of 两不愁三保障. Undefined when the year has no line.
 */
export const assessExit = (input: ExitAssessmentInput): ExitAssessment | undefined => {
  const line = exitThresholdFor(input.year);
  if (!line) return undefined;
  const { threshold, policy } = line;
  const income = formatYuan(input.perCapitaIncome);
  const limit = formatYuan(threshold);
  const failures: ExitFailure[] = [];
  if (input.perCapitaIncome <= threshold) {
    failures.push({
      test: 'income-above-line',
      zh: `人均纯收入${income}未超过${input.year}年脱贫标准${limit}`,
      en: `per-capita income ${income} is not above the ${input.year} line ${limit}`,
    });
  }
  if (!input.stableIncomeSource) failures.push({ test: 'stable-income-source', zh: '无稳定收入来源', en: 'no stable income source' });
  for (const g of missingGuarantees(input.guarantees)) {
    failures.push({ test: g, zh: `未达到：${GUARANTEE_LABELS[g].zh}`, en: `not met: ${GUARANTEE_LABELS[g].en}` });
  }
  const label = policyLabel(policy);
  const zhLabel = policyZh(policy);
  const explanation =
    failures.length === 0
      ? {
          zh: `按${zhLabel}可以脱贫：人均纯收入${income} > ${limit}；两不愁三保障均已达到；有稳定收入来源`,
          en: `meets the ${input.year} exit standard (${label}): income ${income} > ${limit}; two worries and three guarantees all met; stable income source`,
        }
      : {
          zh: `按${zhLabel}暂不能脱贫：${failures.map((f) => f.zh).join('；')}`,
          en: `does not meet the ${input.year} exit standard (${label}): ${failures.map((f) => f.en).join('; ')}`,
        };
  return { year: input.year, eligible: failures.length === 0, perCapitaIncome: input.perCapitaIncome, threshold, policy, failures, explanation };
};
