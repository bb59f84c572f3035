import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Database } from '../../infra/database';
import { actorSchema, roleSchema, userIdSchema } from '../../domain/shared/actor';
import { projectIdSchema } from '../../domain/project/ids';
import { STEP_INPUT_SCHEMAS, stepTypeSchema } from '../../domain/project/step-schemas';
import { sendStep } from '../../services/project-updates';
import { asCliRefusal } from './service-refusal';
import { countyIdSchema } from '../../domain/reference/counties';
import { type ProjectStepOutcome, type ProjectStepRequest } from '../../workflows/project-lifecycle.messages';
import { parseFlags, inputRefusal, ACTOR_FLAGS, valueRefusal } from '../args';

const flags = z
  .object({
    project: projectIdSchema,
    step: stepTypeSchema,
    as: userIdSchema,
    role: roleSchema,
    /** The actor's county; defaults to the project's (read from its id). */
    county: countyIdSchema.optional(),
    data: z.string().default('{}'),
    /** Makes the step safe to repeat: the same request id is answered, not applied twice. */
    'request-id': z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,128}$/, { error: 'must be 1-128 of A-Z a-z 0-9 . _ : -' })
      .optional(),
  })
  .strict();

export const parseStep = (argv: string[]): { projectId: string; request: ProjectStepRequest; requestId?: string } => {
  const f = parseFlags(argv, flags);
  let raw: unknown;
  try {
    raw = JSON.parse(f.data);
  } catch (e) {
    throw valueRefusal('data', `is not JSON: ${(e as Error).message}`, '不是有效的 JSON');
  }
  const data = STEP_INPUT_SCHEMAS[f.step].safeParse(raw);
  if (!data.success) throw inputRefusal(data.error, 'data');
  const county = f.county ?? f.project.split('-')[1];
  const actor = actorSchema.safeParse({
    userId: f.as,
    role: f.role,
    ...(['city-poverty-office', 'inspector', 'auditor', 'administrator'].includes(f.role) ? {} : { countyId: county }),
  });
  if (!actor.success) throw inputRefusal(actor.error, ACTOR_FLAGS);
  return {
    projectId: f.project,
    request: { type: f.step, data: data.data, actor: actor.data } as ProjectStepRequest,
    ...(f['request-id'] ? { requestId: f['request-id'] } : {}),
  };
};

/** Sends a step as an Update; a refusal comes back as a CliError carrying the domain's code and both messages. */
export const takeStep = async (client: Client, projectId: string, request: ProjectStepRequest, requestId?: string, db?: Kysely<Database>): Promise<ProjectStepOutcome> =>
  sendStep(client, projectId, request, requestId, db).catch(asCliRefusal);
