import { z } from 'zod';
import { defineEvent } from '../shared/events';
import { fenSchema } from '../shared/money';
import { countyIdSchema } from '../reference/counties';
import { projectIdSchema, projectCategorySchema } from './ids';

/** A county official puts a project forward, with its village record (四议两公开). */
export const ProjectProposed = defineEvent({
  type: 'ProjectProposed',
  version: 1,
  schema: z
    .object({
      projectId: projectIdSchema,
      countyId: countyIdSchema,
      category: projectCategorySchema,
      name: z.string().trim().min(1, { error: 'must not be empty' }).max(200),
      budget: fenSchema,
      fiscalYear: z.number().int().min(2016).max(2030),
      proposedBy: z.string().min(1),
    })
    .strict(),
  refs: (d) => [
    { kind: 'project', id: d.projectId },
    { kind: 'county', id: d.countyId },
  ],
});
export type ProjectProposedData = z.infer<typeof ProjectProposed.schema>;
