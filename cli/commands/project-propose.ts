import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { actorSchema, roleSchema, userIdSchema } from '../../domain/shared/actor';
import { moneySchema } from '../../domain/shared/money';
import { countyNameSchema } from '../../domain/reference/counties';
import { projectCategorySchema } from '../../domain/project/ids';
import { proposalSchema } from '../../domain/project/events';
import { PROJECT_LEVELS } from '../../domain/project/place';
import { decide, initialState, type DeadlineKind, type ProposeProject } from '../../domain/project';
import { deadlinesInputSchema } from '../../domain/project/deadline-input';
import { CliError, parseFlags, inputRefusal, ACTOR_FLAGS } from '../args';
import { requiredLine } from '../../domain/shared/text';

/** A JSON flag: inline JSON, or @path to a file holding it. */
const jsonFlag = z.string().transform((s, ctx) => {
  try {
    return JSON.parse(s.startsWith('@') ? readFileSync(s.slice(1), 'utf8') : s) as unknown;
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `is not JSON (or @file with JSON): ${(e as Error).message}`, params: { zh: '不是有效的 JSON（或含 JSON 的 @文件）' } });
    return z.NEVER;
  }
});

/** How long each waiting stage may wait before it escalates, e.g. {"township-review":"10d","county-review":"15d"}. */
const deadlinesFlag = jsonFlag.pipe(deadlinesInputSchema);

const flags = z
  .object({
    as: userIdSchema,
    role: roleSchema.default('county-official'),
    county: countyNameSchema,
    category: projectCategorySchema,
    name: requiredLine(200),
    budget: moneySchema,
    year: z.coerce.number().int().min(2016).max(2030),
    /** county | township | village; with --township twp-… and/or --village vil-… (a village project names its village). */
    level: z.enum(PROJECT_LEVELS).optional(),
    township: z.string().optional(),
    village: z.string().optional(),
    /** 四议两公开, for a village-level project. */
    'village-record': jsonFlag.optional(),
    /** 行业部门论证 for a county- or township-level project: {"department":…,"documentRef":…,"appraisedOn":"YYYY-MM-DD"}. */
    appraisal: jsonFlag.optional(),
    target: jsonFlag.optional(),
    /** std:qty[,std:qty…]; a part the province pays in full adds :item=cost, e.g. village-road-renovation:3000:village-road-pavement=126万. */
    subsidy: z
      .string()
      .regex(/^[a-z0-9-]+:\d+(:[a-z0-9-]+=[^,:]+)?(,[a-z0-9-]+:\d+(:[a-z0-9-]+=[^,:]+)?)*$/, {
        error:
          'must be <standard>:<quantity>[,<standard>:<quantity>…], quantity in metres for per-km standards, e.g. village-road-renovation:2500,village-road-widening:2500; a part the province pays in full adds :<item>=<cost>',
      })
      .transform((s) =>
        s.split(',').map((one) => {
          const [standard, quantity, full] = one.split(':');
          const [item, cost] = (full ?? '').split('=');
          return { standard, quantity: Number(quantity), ...(full ? { fullSubsidy: { item, cost: moneySchema.safeParse(cost).data ?? cost } } : {}) };
        }),
      )
      .optional(),
    /** The plan sub-item the project carries out, e.g. transport/rural-roads/village-access (tuopin progress plan --all lists them). */
    'plan-item': z.string().max(100).optional(),
    id: z.string().max(100).optional(),
    deadlines: deadlinesFlag.optional(),
    'task-queue': z.string().min(1).max(200).optional(),
  })
  .strict();

/** The proposal's fields as the flags that set them; a place's parts are flags of their own (--level, --township, --village). */
const PROPOSAL_FLAGS = {
  projectId: 'id',
  countyId: 'county',
  fiscalYear: 'year',
  villageRecord: 'village-record',
  performanceTarget: 'target',
  subsidyBases: 'subsidy',
  planItem: 'plan-item',
  place: 'level',
  'place.villageId': 'village',
  'place.townshipId': 'township',
  'place.level': 'level',
};

/**
 * Parses and checks a proposal completely before anything is started: the flags with zod, then the
 * domain's own decision, so a refusal is told at once and nothing reaches the store.
 */
export const parseProposal = (argv: string[]): { command: ProposeProject; taskQueue?: string; deadlines?: Partial<Record<DeadlineKind, number>> } => {
  const f = parseFlags(argv, flags);
  const projectId = f.id ?? `prj-${f.county}-${f.year}-${randomBytes(4).toString('hex')}`;
  const data = proposalSchema.safeParse({
    projectId,
    countyId: f.county,
    category: f.category,
    name: f.name,
    budget: f.budget,
    fiscalYear: f.year,
    ...(f.level !== undefined
      ? { place: { level: f.level, ...(f.township !== undefined ? { townshipId: f.township } : {}), ...(f.village !== undefined ? { villageId: f.village } : {}) } }
      : {}),
    ...(f['village-record'] !== undefined ? { villageRecord: f['village-record'] } : {}),
    ...(f.appraisal !== undefined ? { appraisal: f.appraisal } : {}),
    ...(f.target !== undefined ? { performanceTarget: f.target } : {}),
    ...(f.subsidy !== undefined ? { subsidyBases: f.subsidy } : {}),
    ...(f['plan-item'] !== undefined ? { planItem: f['plan-item'] } : {}),
  });
  if (!data.success) throw inputRefusal(data.error, PROPOSAL_FLAGS);
  const actor = actorSchema.safeParse({ userId: f.as, role: f.role, countyId: f.county });
  if (!actor.success) throw inputRefusal(actor.error, ACTOR_FLAGS);
  const command: ProposeProject = { type: 'ProposeProject', data: data.data as ProposeProject['data'], meta: { actor: actor.data, now: new Date().toISOString() } };
  const d = decide(command, initialState());
  if (!d.ok) throw new CliError(d.error.code, `${d.error.en}\n${d.error.zh}${d.error.details ? `\n${JSON.stringify(d.error.details)}` : ''}`);
  return { command, ...(f['task-queue'] ? { taskQueue: f['task-queue'] } : {}), ...(f.deadlines ? { deadlines: f.deadlines } : {}) };
};
