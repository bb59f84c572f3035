import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { objectionIdSchema } from '../domain/shared/ids';
import { z } from 'zod';
import type { VillageExitPhase } from '../domain/exits/steps';
import { actorAssertionSchema, actorSchema, type Actor } from '../domain/shared/actor';
import type { CheckResult, ChecklistItemId } from '../domain/village/checklist';
import type { CountyId } from '../domain/reference/counties';
import type { DomainError } from '../domain/shared/errors';
import { optionalText, requiredText } from '../domain/shared/text';

export const villageExitWorkflowId = (villageId: string, year: number): string => `village-exit-${villageId}-${year}`;

export interface VillageExitInput {
  readonly villageId: string;
  readonly countyId: CountyId;
  readonly year: number;
  /** The village's registered rural population for the year (from the household register: not in the files). */
  readonly ruralPopulation: number;
  /** The checklist as checked on the ground, each with its evidence (photo, certificate, minutes). */
  readonly checklist: readonly { readonly item: ChecklistItemId; readonly result: CheckResult; readonly evidenceRef: string }[];
  /** The township official who checks and applies; the county official who registers the village if needed. */
  readonly township: Actor;
  /** The township official's signed token (infra/tokens/actor-assertion.ts), checked before the checklist and application are recorded. */
  readonly assertion?: string;
  /** Runs started before actor assertions registered the village under this county official; new runs find it registered and leave it unused. */
  readonly county: Actor;
  readonly noticeSeconds: number;
  readonly minNoticeSeconds?: number;
  readonly correlationId: string;
}

/** The caller's signed token for `actor`, checked where the step is recorded. */
const assertion = actorAssertionSchema.optional();

export const villageExitStepSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('review'), actor: actorSchema, assertion, approved: z.boolean(), note: optionalText(2000).default('') }).strict(),
  z.object({ type: z.literal('object'), actor: actorSchema, assertion, objectionId: objectionIdSchema, summary: requiredText(2000) }).strict(),
  z.object({ type: z.literal('announce'), actor: actorSchema, assertion }).strict(),
]);
export type VillageExitStepRequest = z.input<typeof villageExitStepSchema>;

/** The phases, and which step each waits for, are the domain's (domain/exits). */
export type { VillageExitPhase } from '../domain/exits/steps';

export interface VillageExitStatus {
  readonly villageId: string;
  readonly year: number;
  readonly phase: VillageExitPhase;
  readonly incidence?: { readonly poorRemaining: number; readonly population: number };
  readonly blockedBy?: DomainError;
  readonly noticeEndsAt?: string;
}

export type VillageExitResult = VillageExitStatus;

export const villageExitStepUpdate = defineUpdate<VillageExitStatus, [VillageExitStepRequest]>('villageExitStep');
export const villageExitStatusQuery = defineQuery<VillageExitStatus>('villageExitStatus');
