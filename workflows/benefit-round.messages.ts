import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { objectionIdSchema } from '../domain/shared/ids';
import { z } from 'zod';
import { actorAssertionSchema, actorSchema, type Actor } from '../domain/shared/actor';
import { householdIdSchema } from '../domain/household/ids';
import { fundIdSchema } from '../domain/fund/ids';
import type { CountyId } from '../domain/reference/counties';
import type { DomainError } from '../domain/shared/errors';
import type { BenefitRules } from '../domain/benefit/decide';
import type { RoundSummary } from '../domain/benefit/state';
import { optionalText, requiredText } from '../domain/shared/text';

/** What a benefit round (到户: programme × township × period) and its callers share. Only ids travel, never names or numbers. */
export const benefitRoundWorkflowId = (roundId: string): string => `benefit-round-${roundId}`;

/** br-<county>-<year>-<programme>-<township serial>[-s1|-07|-once]: one round per programme, township and period. */
export const benefitRoundIdFor = (programmeId: string, townshipId: string, period: string): string => {
  const [, county, serial] = townshipId.split('-');
  return `br-${county}-${period.slice(0, 4)}-${programmeId}-${serial}${period.slice(4)}`;
};

export interface BenefitRoundInput {
  readonly roundId: string;
  readonly programmeId: string;
  readonly countyId: CountyId;
  readonly townshipId: string;
  readonly villageIds: readonly string[];
  readonly period: string;
  readonly standards?: Readonly<Record<string, number>>;
  /** Who draws up the list: the round's first step is taken in their name. */
  readonly drafter: Actor;
  /** The drafter's signed token (infra/tokens/actor-assertion.ts), checked before the list is recorded. */
  readonly assertion?: string;
  /** How long 公示 runs: 7 days in production; tests pass seconds. */
  readonly noticeSeconds: number;
  /** The decider's rules (the shortest notice it accepts); the policy's 7 days when absent. */
  readonly rules?: BenefitRules;
  /** Households per payment batch (default 200). */
  readonly batchSize?: number;
  readonly correlationId: string;
}

const note = optionalText(2000).default('');

/** The caller's signed token for `actor`, checked where the step is recorded. */
const assertion = actorAssertionSchema.optional();

export const benefitRoundStepSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('postNotice'), actor: actorSchema, assertion }).strict(),
  z
    .object({
      type: z.literal('objection'),
      actor: actorSchema,
      assertion,
      objectionId: objectionIdSchema,
      householdId: householdIdSchema,
      outcome: z.enum(['remove', 'add', 'dismiss']),
      reason: requiredText(2000),
    })
    .strict(),
  z.object({ type: z.literal('review'), actor: actorSchema, assertion, approved: z.boolean(), note }).strict(),
  z.object({ type: z.literal('approve'), actor: actorSchema, assertion, approved: z.boolean(), note }).strict(),
  z.object({ type: z.literal('disburse'), actor: actorSchema, assertion, fundId: fundIdSchema }).strict(),
]);
export type BenefitRoundStepRequest = z.input<typeof benefitRoundStepSchema>;

export type BenefitRoundPhase = 'drafting' | 'drafted' | 'in-notice' | 'township-review' | 'county-approval' | 'awaiting-payment' | 'paying' | 'closed' | 'rejected' | 'refused';

export interface BenefitRoundStatus {
  readonly roundId: string;
  readonly programmeId: string;
  readonly townshipId: string;
  readonly period: string;
  readonly phase: BenefitRoundPhase;
  readonly noticeEndsAt?: string;
  readonly summary?: RoundSummary;
  /** Households left off the draft list by the rule (their codes are on the BenefitRoundDrafted event). */
  readonly excluded?: number;
  /** Why the round did not start: the draft's refusal. */
  readonly error?: DomainError;
  readonly batchesDone: number;
}

export interface BenefitRoundStepOutcome {
  readonly phase: BenefitRoundPhase;
  readonly summary?: RoundSummary;
}

export type BenefitRoundResult = BenefitRoundStatus;

export const benefitRoundStepUpdate = defineUpdate<BenefitRoundStepOutcome, [BenefitRoundStepRequest]>('benefitRoundStep');
export const benefitRoundStatusQuery = defineQuery<BenefitRoundStatus>('benefitRoundStatus');
