import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database } from '../../infra/database';
import { actorSchema, roleSchema, userIdSchema } from '../../domain/shared/actor';
import { formatYuan, moneySchema } from '../../domain/shared/money';
import { countyNameSchema } from '../../domain/reference/counties';
import { projectCategorySchema } from '../../domain/project/ids';
import { FUND_COMMAND_DATA_SCHEMAS, fundIdSchema, fundSourceSchema, type AppropriateFund, type FundState } from '../../domain/fund';
import { balanced } from '../../domain/fund';
import { appropriateFund, type AppropriationResult } from '../../services/appropriate-fund';
import { loadFund } from '../../activities/fund-streams';
import { parseFlags, inputRefusal, ACTOR_FLAGS, ruleRefusal } from '../args';
import { requiredLine } from '../../domain/shared/text';
import { COUNTY_NAMES, FUND_BALANCE_NAMES, FUND_SOURCE_NAMES, zhOf } from '../../domain/names';
import { displayWidth, headerOf } from '../table';

const flags = z
  .object({
    as: userIdSchema,
    role: roleSchema.default('county-finance'),
    county: countyNameSchema,
    fund: fundIdSchema,
    source: fundSourceSchema,
    year: z.coerce.number().int().min(2016).max(2030),
    document: requiredLine(100),
    amount: moneySchema,
    /** Comma-separated project categories the money may pay for (专款专用). */
    earmark: z
      .string()
      .transform((s) => s.split(',').map((x) => x.trim()))
      .pipe(z.array(projectCategorySchema).min(1)),
  })
  .strict();

/** The appropriation's fields as the flags that set them. */
const APPROPRIATION_FLAGS = { fundId: 'fund', fiscalYear: 'year', countyId: 'county', documentNumber: 'document' };

/** `tuopin fund appropriate …`: flags with zod, then the fund's own decision; nothing is written on a refusal. */
export const parseAppropriation = (argv: string[]): AppropriateFund => {
  const f = parseFlags(argv, flags);
  const actor = actorSchema.safeParse({ userId: f.as, role: f.role, ...(['city-poverty-office', 'administrator'].includes(f.role) ? {} : { countyId: f.county }) });
  if (!actor.success) throw inputRefusal(actor.error, ACTOR_FLAGS);
  const data = FUND_COMMAND_DATA_SCHEMAS.AppropriateFund.safeParse({
    fundId: f.fund,
    source: f.source,
    fiscalYear: f.year,
    countyId: f.county,
    documentNumber: f.document,
    amount: f.amount,
    earmark: f.earmark,
  });
  if (!data.success) throw inputRefusal(data.error, APPROPRIATION_FLAGS);
  return { type: 'AppropriateFund', data: data.data as AppropriateFund['data'], meta: { actor: actor.data, now: new Date().toISOString() } };
};

export const runAppropriation = async (db: Kysely<Database>, command: AppropriateFund): Promise<Extract<AppropriationResult, { ok: true }>> => {
  const r = await appropriateFund(db, command);
  if (!r.ok) throw ruleRefusal(r.error);
  return r;
};

/** The fund's books as its stream says, with the invariant checked. */
export const describeFund = async (db: Kysely<Database>, fundId: string): Promise<string[]> => {
  const id = fundIdSchema.safeParse(fundId);
  if (!id.success) throw inputRefusal(id.error, '<fund id>');
  const { state, version } = await loadFund(db, id.data);
  if (state.status === 'none') throw ruleRefusal({ code: 'FUND_NOT_FOUND', en: `no fund ${fundId} in the store`, zh: `库中没有资金 ${fundId}` });
  const s = state as Exclude<FundState, { status: 'none' }>;
  const books: readonly (readonly [string, string])[] = [
    ...(
      [
        ['appropriatedFen', s.appropriated],
        ['availableFen', s.available],
        ['allocatedUnpaidFen', s.allocatedUnpaid],
        ['paidFen', s.paid],
        ['returnedFen', s.returned],
      ] as const
    ).map(([k, fen]) => [headerOf(FUND_BALANCE_NAMES[k]), formatYuan(fen).padStart(20)] as const),
    ['平衡 invariant', balanced(s) ? 'holds to the fen 到分相符' : 'BROKEN 不平衡'],
  ];
  const width = Math.max(...books.map(([label]) => displayWidth(label)));
  return [
    `${s.fundId}  ${zhOf(FUND_SOURCE_NAMES, s.source)}  ${zhOf(COUNTY_NAMES, s.countyId)}  ${s.fiscalYear}  ${s.documentNumber}  (${s.status === 'frozen' ? '已冻结' : '正常'} ${s.status}, 流版本 stream version ${version})`,
    ...books.map(([label, value]) => `  ${label}${' '.repeat(width - displayWidth(label))} ${value}`),
    ...Object.entries(s.allocations).map(
      ([id, a]) => `  安排 allocation ${id}: ${a.projectId} ${formatYuan(a.amount)}（已拨付 paid ${formatYuan(a.paid)}，已收回 released ${formatYuan(a.released)}）`,
    ),
  ];
};
