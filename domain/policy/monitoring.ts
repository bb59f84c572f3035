import type { Fen } from '../shared/money';
import { exitThresholdFor } from './poverty-line';
import type { PolicyRef, Sourced } from './policy-ref';

/**
 * After exit, a household whose per-capita income falls below 1.5 × the year's line is flagged for
 * a return-to-poverty review (防止返贫监测). Kept as a fraction so the threshold is exact in fen.
 */
export const MONITORING_VERSION = 1;

/** The year the 1.5 × rule was made (国开发〔2020〕6号): applied to earlier years, an explanation says so. */
export const MONITORING_RULE_YEAR = 2020;

export const MONITORING = {
  incomeMultiplier: {
    value: { numerator: 3, denominator: 2 },
    origin: 'national-policy',
    source: '国务院扶贫办《关于建立防止返贫监测和帮扶机制的指导意见》(2020): 收入低于国家扶贫标准1.5倍左右; not in the Luoyang plan',
    verified: false,
  } as Sourced<{ numerator: number; denominator: number }>,
  /** 脱贫不脱政策: registered households keep their policies to the end of the plan period. */
  policiesContinueUntilYear: {
    value: 2020,
    origin: 'plan',
    source: 'Luoyang plan ch. 3 §4: 建档立卡脱贫对象在规划期内仍享受中央、省有关扶贫政策',
    verified: true,
  } as Sourced<number>,
} as const;

/** The monitoring line for a year, rounded up to the fen so "below" never flips on rounding. */
export const monitoringThresholdFor = (year: number): { threshold: Fen; line: Fen; policy: PolicyRef; linePolicy: PolicyRef } | undefined => {
  const line = exitThresholdFor(year);
  if (!line) return undefined;
  const { numerator, denominator } = MONITORING.incomeMultiplier.value;
  const threshold = Math.ceil((line.threshold * numerator) / denominator) as Fen;
  return { threshold, line: line.threshold, policy: { id: 'monitoring', version: MONITORING_VERSION, year }, linePolicy: line.policy };
};
