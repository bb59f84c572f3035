import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Database } from '../../infra/database';
import { actorSchema, roleSchema, userIdSchema, type Actor } from '../../domain/shared/actor';
import { moneySchema } from '../../domain/shared/money';
import { opaqueIdSchema } from '../../domain/shared/ids';
import { countyIdSchema } from '../../domain/reference/counties';
import { projectIdSchema } from '../../domain/project/ids';
import { fundIdSchema, milestoneKindSchema } from '../../domain/fund/ids';
import { householdIdSchema } from '../../domain/household/ids';
import { sendFundingUpdate, sendPaymentUpdate } from '../../services/project-updates';
import { asCliRefusal } from './service-refusal';
import { type ProjectFundOutcome, type ProjectFundRequest, type ProjectPayOutcome, type ProjectPayRequest } from '../../workflows/project-lifecycle.messages';
import { parseFlags, inputRefusal, ACTOR_FLAGS } from '../args';
import { expenditureKindSchema } from '../../domain/policy/expenditure-kinds';
import { requiredText } from '../../domain/shared/text';

const requestId = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,128}$/, { error: 'must be 1-128 of A-Z a-z 0-9 . _ : -' })
  .optional();

const who = {
  project: projectIdSchema,
  as: userIdSchema,
  role: roleSchema.default('county-finance'),
  /** The actor's county; defaults to the project's (read from its id). */
  county: countyIdSchema.optional(),
  /** Makes the step safe to repeat: the same request id is answered, not applied twice. */
  'request-id': requestId,
};

const actorOf = (f: { project: string; as: string; role: string; county?: string | undefined }): Actor => {
  const county = f.county ?? f.project.split('-')[1];
  const a = actorSchema.safeParse({
    userId: f.as,
    role: f.role,
    ...(['city-poverty-office', 'inspector', 'auditor', 'administrator'].includes(f.role) ? {} : { countyId: county }),
  });
  if (!a.success) throw inputRefusal(a.error, ACTOR_FLAGS);
  return a.data;
};

const fundFlags = z.object({ ...who, fund: fundIdSchema, amount: moneySchema }).strict();

const payFlags = z
  .object({
    ...who,
    fund: fundIdSchema,
    allocation: opaqueIdSchema,
    milestone: milestoneKindSchema,
    'milestone-id': opaqueIdSchema.optional(),
    payee: opaqueIdSchema,
    /** The household the payment is for (到户), when it is one's. */
    household: householdIdSchema.optional(),
    amount: moneySchema,
    use: expenditureKindSchema,
  })
  .strict();

export interface Parsed<R> {
  readonly projectId: string;
  readonly request: R;
  readonly requestId?: string;
}

/** `tuopin project fund`: one fund's share of the budget (多渠道/捆绑 funding), requested by county finance. */
export const parseFunding = (argv: string[]): Parsed<ProjectFundRequest> => {
  const f = parseFlags(argv, fundFlags);
  return { projectId: f.project, request: { fundId: f.fund, amount: f.amount, actor: actorOf(f) }, ...(f['request-id'] ? { requestId: f['request-id'] } : {}) };
};

/** `tuopin project pay`: the finance bureau pays a milestone from one allocation to the payee. */
export const parsePayment = (argv: string[]): Parsed<ProjectPayRequest> => {
  const f = parseFlags(argv, payFlags);
  return {
    projectId: f.project,
    request: {
      fundId: f.fund,
      allocationId: f.allocation,
      milestone: f.milestone,
      ...(f['milestone-id'] ? { milestoneId: f['milestone-id'] } : {}),
      payee: f.payee,
      ...(f.household ? { householdId: f.household } : {}),
      amount: f.amount,
      use: f.use,
      actor: actorOf(f),
    },
    ...(f['request-id'] ? { requestId: f['request-id'] } : {}),
  };
};

const cancelFlags = z.object({ ...who, role: roleSchema.default('county-official'), reason: requiredText(1000) }).strict();

/** `tuopin project cancel`: a project step like the others; the workflow then releases what the funds set aside. */
export const parseCancel = (argv: string[]) => {
  const f = parseFlags(argv, cancelFlags);
  return {
    projectId: f.project,
    request: { type: 'CancelProject' as const, data: { reason: f.reason }, actor: actorOf(f) },
    ...(f['request-id'] ? { requestId: f['request-id'] } : {}),
  };
};

/** `db` records a refusal (CommandRefused) before it is told. */
export const sendFunding = async (client: Client, p: Parsed<ProjectFundRequest>, db?: Kysely<Database>): Promise<ProjectFundOutcome> =>
  sendFundingUpdate(client, p.projectId, p.request, p.requestId, db).catch(asCliRefusal);

export const sendPayment = async (client: Client, p: Parsed<ProjectPayRequest>, db?: Kysely<Database>): Promise<ProjectPayOutcome> =>
  sendPaymentUpdate(client, p.projectId, p.request, p.requestId, db).catch(asCliRefusal);
