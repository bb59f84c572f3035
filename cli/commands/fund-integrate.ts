import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database } from '../../infra/database';
import { actorSchema, roleSchema, userIdSchema } from '../../domain/shared/actor';
import { moneySchema } from '../../domain/shared/money';
import { daySchema } from '../../domain/shared/ids';
import { countyNameSchema } from '../../domain/reference/counties';
import { requiredLine } from '../../domain/shared/text';
import { integrationChannelSchema, type AdoptIntegrationPlan } from '../../domain/integration';
import { adoptIntegrationPlan, integrationPlan, type IntegrationPlanView } from '../../services/integration-plans';
import { parseFlags, takeSwitch, inputRefusal, ACTOR_FLAGS, ruleRefusal } from '../args';
import { asCliRefusal } from './service-refusal';

type Out = (line?: string) => void;
const year = z.coerce.number().int().min(2016).max(2020);

/** `water-development=300万,agricultural-production=2,000,000元`: each channel and the amount taken out of it (a comma before a channel id separates). */
const channelsSchema = z
  .string()
  .transform((s) => s.split(/,(?=\s*[a-z-]+=)/).map((x) => x.trim().split('=')))
  .pipe(
    z
      .array(z.tuple([integrationChannelSchema, moneySchema]))
      .min(1)
      .max(50),
  )
  .transform((a) => a.map(([channel, amountFen]) => ({ channel, amountFen })));

const adoptFlags = z
  .object({
    as: userIdSchema,
    role: roleSchema.default('county-finance'),
    county: countyNameSchema,
    year,
    document: requiredLine(100),
    'adopted-on': daySchema,
    channels: channelsSchema,
    total: moneySchema,
    'request-id': z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,128}$/, { error: 'must be 1-128 of A-Z a-z 0-9 . _ : -' })
      .optional(),
  })
  .strict();

/** `tuopin fund integrate …`: the flags parsed with zod; the plan's own rules are the decider's. */
export const parseIntegrationPlan = (argv: string[], now = new Date()): { command: AdoptIntegrationPlan; requestId: string | undefined } => {
  const f = parseFlags(argv, adoptFlags);
  const actor = actorSchema.safeParse({ userId: f.as, role: f.role, ...(['city-poverty-office', 'administrator'].includes(f.role) ? {} : { countyId: f.county }) });
  if (!actor.success) throw inputRefusal(actor.error, ACTOR_FLAGS);
  return {
    command: {
      type: 'AdoptIntegrationPlan',
      data: { countyId: f.county, year: f.year, documentRef: f.document, adoptedOn: f['adopted-on'], channels: f.channels, totalFen: f.total },
      meta: { actor: actor.data, now: now.toISOString() },
    },
    requestId: f['request-id'],
  };
};

const describe = (p: IntegrationPlanView): string => `${p.countyId} ${p.year} 整合方案 ${p.documentRef}（${p.adoptedOn}印发）：${p.summaryZh}`;

/** The plan recorded (or found recorded by the same request): the English scripts read, then the Chinese. */
export const integratedLine = (r: IntegrationPlanView & { readonly repeated: boolean }): string =>
  `${r.repeated ? 'already recorded' : 'recorded'} at store position ${r.position} ${r.repeated ? '此前已记录' : '已记录'}：${describe(r)}`;

/** `tuopin fund integrate` records the plan; `tuopin fund integration --county <c> --year <y>` shows it. */
export const runIntegrate = async (argv: string[], db: Kysely<Database>, out: Out): Promise<void> => {
  const { command, requestId } = parseIntegrationPlan(argv);
  const r = await adoptIntegrationPlan(db, command, requestId).catch(asCliRefusal);
  out(integratedLine(r));
};

export const runIntegration = async (argv: string[], db: Kysely<Database>, out: Out): Promise<void> => {
  const { on: json, rest } = takeSwitch(argv, 'json');
  const f = parseFlags(rest, z.object({ county: countyNameSchema, year }).strict());
  const p = await integrationPlan(db, f.county, f.year);
  if (!p) throw ruleRefusal({ code: 'CLI_NOT_FOUND', en: `no integration plan of ${f.county} for ${f.year}`, zh: `未找到${f.county} ${f.year}年的整合方案` });
  out(json ? JSON.stringify(p, null, 1) : describe(p));
};
