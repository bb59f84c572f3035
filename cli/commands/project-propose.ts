import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import { actorSchema, roleSchema, userIdSchema, type Actor } from '../../domain/shared/actor';
import { moneyStringSchema } from '../../domain/shared/money';
import { countyNameSchema } from '../../domain/reference/counties';
import { projectCategorySchema } from '../../domain/project/ids';
import { proposeProjectDataSchema } from '../../domain/project/step-schemas';
import { decide, initialState, type ProposeProject } from '../../domain/project';
import { projectWorkflowId, type ProjectLifecycleInput } from '../../workflows/project-lifecycle.messages';
import { CliError, parseFlags } from '../args';

/** A JSON flag: inline JSON, or @path to a file holding it. */
const jsonFlag = z.string().transform((s, ctx) => {
  try {
    return JSON.parse(s.startsWith('@') ? readFileSync(s.slice(1), 'utf8') : s) as unknown;
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `is not JSON (or @file with JSON): ${(e as Error).message}` });
    return z.NEVER;
  }
});

const flags = z
  .object({
    as: userIdSchema,
    role: roleSchema.default('county-official'),
    county: countyNameSchema,
    category: projectCategorySchema,
    name: z.string().trim().min(1, { error: 'must not be empty' }),
    budget: moneyStringSchema,
    year: z.coerce.number().int().min(2016).max(2030),
    'village-record': jsonFlag,
    target: jsonFlag.optional(),
    subsidy: z
      .string()
      .regex(/^[a-z0-9-]+:\d+$/, { error: 'must be <standard>:<quantity>, quantity in metres for per-km standards, e.g. village-road-renovation:3000' })
      .transform((s) => ({ standard: s.split(':')[0], quantity: Number(s.split(':')[1]) }))
      .optional(),
    id: z.string().optional(),
    'task-queue': z.string().min(1).optional(),
  })
  .strict();

export interface ProposeOutcome {
  readonly projectId: string;
  readonly workflowId: string;
  readonly runId: string;
}

/**
 * Parses and checks a proposal completely before anything is started: the flags with zod, then the
 * domain's own decision, so a refusal is told at once and nothing reaches the store.
 */
export const parseProposal = (argv: string[]): { command: ProposeProject; taskQueue?: string } => {
  const f = parseFlags(argv, flags);
  const projectId = f.id ?? `prj-${f.county}-${f.year}-${randomBytes(4).toString('hex')}`;
  const data = proposeProjectDataSchema.safeParse({
    projectId,
    countyId: f.county,
    category: f.category,
    name: f.name,
    budget: f.budget,
    fiscalYear: f.year,
    villageRecord: f['village-record'],
    ...(f.target !== undefined ? { performanceTarget: f.target } : {}),
    ...(f.subsidy !== undefined ? { subsidyBasis: f.subsidy } : {}),
  });
  if (!data.success) {
    const flagOf: Record<string, string> = { villageRecord: 'village-record', performanceTarget: 'target', subsidyBasis: 'subsidy', projectId: 'id' };
    throw new CliError(
      'CLI_INVALID_INPUT',
      data.error.issues.map((i) => `--${flagOf[String(i.path[0])] ?? String(i.path[0])}${i.path.length > 1 ? '.' + i.path.slice(1).join('.') : ''}: ${i.message}`).join('\n'),
    );
  }
  const actor = actorSchema.safeParse({ userId: f.as, role: f.role, countyId: f.county });
  if (!actor.success) throw new CliError('CLI_INVALID_INPUT', actor.error.issues.map((i) => `--as/--role: ${i.message}`).join('\n'));
  const command: ProposeProject = { type: 'ProposeProject', data: data.data as ProposeProject['data'], meta: { actor: actor.data, now: new Date().toISOString() } };
  const d = decide(command, initialState());
  if (!d.ok) throw new CliError(d.error.code, `${d.error.en}\n${d.error.zh}${d.error.details ? `\n${JSON.stringify(d.error.details)}` : ''}`);
  return { command, ...(f['task-queue'] ? { taskQueue: f['task-queue'] } : {}) };
};

export const startProposal = async (client: Client, command: ProposeProject, taskQueue: string): Promise<ProposeOutcome> => {
  const workflowId = projectWorkflowId(command.data.projectId);
  const input: ProjectLifecycleInput = {
    proposal: { data: command.data, actor: command.meta.actor as Actor },
    correlationId: workflowId,
  };
  const handle = await client.workflow.start('projectLifecycle', {
    workflowId,
    taskQueue,
    args: [input],
    // A project has one process: starting it again is an error, not a second lifecycle.
    workflowIdConflictPolicy: 'FAIL',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
  });
  return { projectId: command.data.projectId, workflowId, runId: handle.firstExecutionRunId };
};
