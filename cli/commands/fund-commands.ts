import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database } from '../../infra/database';
import { actorSchema, COUNTY_SCOPED_ROLES, roleSchema, userIdSchema, type Actor, type Role } from '../../domain/shared/actor';
import { formatYuan, moneySchema } from '../../domain/shared/money';
import { countyIdSchema } from '../../domain/reference/counties';
import { FUND_COMMAND_DATA_SCHEMAS, fundIdSchema } from '../../domain/fund';
import { requestIdSchema } from '../../api/schemas/common';
import { runFundCommand, type FundCommandOnFund, type FundCommandResult } from '../../services/fund-commands';
import { parseFlags, inputRefusal, ACTOR_FLAGS, ruleRefusal } from '../args';

export const FUND_COMMAND_VERBS = ['freeze', 'unfreeze', 'return'] as const;
export type FundCommandVerb = (typeof FUND_COMMAND_VERBS)[number];

const reason = FUND_COMMAND_DATA_SCHEMAS.FreezeFund.shape.reason;

const common = {
  fund: fundIdSchema,
  as: userIdSchema,
  role: roleSchema.default('county-finance'),
  /** The actor's county; defaults to the fund's (read from its id). */
  county: countyIdSchema.optional(),
  reason,
  /** Makes the command safe to repeat: the same request id is answered, not recorded twice. */
  'request-id': requestIdSchema.optional(),
};

const FLAGS = {
  freeze: z.object(common).strict(),
  unfreeze: z.object(common).strict(),
  return: z.object({ ...common, amount: moneySchema }).strict(),
} as const;

const TYPE = { freeze: 'FreezeFund', unfreeze: 'UnfreezeFund', return: 'ReturnFund' } as const satisfies Record<FundCommandVerb, FundCommandOnFund['type']>;

const actorOf = (f: { fund: string; as: string; role: Role; county?: string | undefined }): Actor => {
  const a = actorSchema.safeParse({ userId: f.as, role: f.role, ...(COUNTY_SCOPED_ROLES.includes(f.role) ? { countyId: f.county ?? f.fund.split('-')[1] } : {}) });
  if (!a.success) throw inputRefusal(a.error, ACTOR_FLAGS);
  return a.data;
};

export interface ParsedFundCommand {
  readonly command: FundCommandOnFund;
  readonly requestId?: string;
}

/** `tuopin fund freeze|unfreeze|return`: flags with zod; nothing is read or written on a bad flag. */
export const parseFundCommand = (verb: FundCommandVerb, argv: string[]): ParsedFundCommand => {
  const f = parseFlags(argv, FLAGS[verb]) as z.output<(typeof FLAGS)['return']> | z.output<(typeof FLAGS)['freeze']>;
  const data = { fundId: f.fund, reason: f.reason, ...('amount' in f ? { amount: f.amount } : {}) };
  return {
    command: { type: TYPE[verb], data, meta: { actor: actorOf(f), now: new Date().toISOString() } } as FundCommandOnFund,
    ...(f['request-id'] ? { requestId: f['request-id'] } : {}),
  };
};

/** The same service as the API; a refusal becomes a CliError with the domain's code and both messages. */
export const runFundCommandCli = async (db: Kysely<Database>, p: ParsedFundCommand): Promise<Extract<FundCommandResult, { ok: true }>> => {
  const r = await runFundCommand(db, p.command, p.requestId ? { requestId: p.requestId } : {});
  if (!r.ok) throw ruleRefusal(r.error);
  return r;
};

export const describeOutcome = (p: ParsedFundCommand, r: Extract<FundCommandResult, { ok: true }>): string => {
  const what = p.command.type === 'ReturnFund' ? `returned ${formatYuan(p.command.data.amount)} from` : p.command.type === 'FreezeFund' ? 'froze' : 'unfroze';
  const zh = p.command.type === 'ReturnFund' ? `已收回 ${formatYuan(p.command.data.amount)}` : p.command.type === 'FreezeFund' ? '已冻结' : '已解冻';
  return `${r.duplicate ? 'already recorded: ' : ''}${what} ${r.fundId} at store position ${r.position}, stream version ${r.streamVersion}, event ${r.eventId} ${r.duplicate ? `此前已记录：${zh}` : zh}`;
};
