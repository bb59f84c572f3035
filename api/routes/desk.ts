import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { roleSchema } from '../../domain/shared/actor';
import { ACTIONS, PERMISSIONS } from '../../domain/access';
import { myWork } from '../../services/my-work';
import { directoryEntry } from '../dev-directory';
import type { ApiDeps } from '../deps';
import { ERROR_RESPONSES } from '../schemas/common';
import { projectSummarySchema } from '../schemas/projects';

const workItemSchema = z.object({
  project: projectSummarySchema,
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
          summary: "Projects whose next actor is the signed-in person (role and county), overdue first, with each one's deadline and escalation",
          response: { 200: z.object({ items: z.array(workItemSchema), truncated: z.boolean() }), ...ERROR_RESPONSES },
        },
      },
      async (request) => myWork(deps, request.actor),
    );
  };
