import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { roleSchema } from '../../domain/shared/actor';
import { ACTIONS, PERMISSIONS } from '../../domain/access';
import { myWork } from '../../services/my-work';
import { PROCESS_KINDS } from '../../services/my-work-processes';
import { directoryEntry } from '../dev-directory';
import type { ApiDeps } from '../deps';
import { ERROR_RESPONSES } from '../schemas/common';
import { projectSummarySchema } from '../schemas/projects';

const workItemSchema = z.object({
  kind: z.enum(['project', ...PROCESS_KINDS]),
  id: z.string().describe("The project id, or the process's workflow id"),
  countyId: z.string().nullable(),
  ref: z
    .object({ projectId: z.string(), villageId: z.string(), countyId: z.string(), householdId: z.string(), roundId: z.string(), complaintId: z.string(), year: z.number().int() })
    .partial()
    .describe('What the process is about, by its ids'),
  stage: z.string().nullable().describe("The project's stage or the process's phase"),
  step: z.string().nullable().describe("The process's own step type (appraise, announce …); null for projects, whose action names the step"),
  project: projectSummarySchema.nullable(),
  action: z.string().nullable(),
  deadlineAt: z.string().nullable(),
  overdueLevel: z.enum(['township', 'county', 'city']).nullable(),
  notBefore: z.string().nullable(),
  live: z.boolean(),
});

/** The signed-in person's own desk: who the token says they are, and what waits for them. */
export const deskRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/me',
      {
        schema: {
          tags: ['auth'],
          summary: 'Who the bearer token speaks for (and their name, when the directory has them), and what their role may do (domain/access), so a client offers only that',
          response: {
            200: z.object({ userId: z.string(), role: roleSchema, countyId: z.string().optional(), name: z.string().optional(), actions: z.array(z.enum(ACTIONS)) }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request) => {
        const name = directoryEntry(request.actor.userId)?.name;
        return { ...request.actor, ...(name ? { name } : {}), actions: [...PERMISSIONS[request.actor.role]] };
      },
    );

    app.get(
      '/my-work',
      {
        schema: {
          tags: ['projects'],
          summary:
            "Everything whose next actor is the signed-in person (role and county): projects, exit rounds, village and county exits, return reviews, benefit rounds and complaints to answer; overdue first, with each one's deadline and escalation",
          response: { 200: z.object({ items: z.array(workItemSchema), truncated: z.boolean() }), ...ERROR_RESPONSES },
        },
      },
      async (request) => myWork(deps, request.actor),
    );
  };
