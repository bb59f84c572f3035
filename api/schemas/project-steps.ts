import { z } from 'zod';
import { PROJECT_STATUSES } from '../../domain/project/state';
import { roleSchema } from '../../domain/shared/actor';
import { projectNextActorSchema } from './projects';

const name = z.object({ zh: z.string(), en: z.string() });

/** domain/project/step-guide.ts StepGuide: one step, who may take it, its data and an example (amounts as 元/万元 text). */
export const stepGuideSchema = z.object({
  type: z.string(),
  name,
  action: z.string(),
  actionName: name,
  roles: z.array(roleSchema).readonly(),
  rolesZh: z.string(),
  notBy: z.array(z.enum(['proposer', 'approver'])).readonly(),
  notByUsers: z.array(z.string()).readonly().optional(),
  when: name.optional(),
  command: z.enum(['step', 'fund', 'pay', 'cancel']).meta({
    description:
      'how it is sent: step = POST /projects/:id/steps {type, data}; fund = POST /projects/:id/funding; pay = POST /projects/:id/payments; cancel = POST /projects/:id/cancel (the example is the body, or `data`)',
  }),
  fields: z.array(z.object({ name: z.string(), zh: z.string(), required: z.boolean(), format: name })).readonly(),
  example: z.record(z.string(), z.unknown()),
});

export const projectStageSchema = z.enum(PROJECT_STATUSES);

/** services/project-next.ts ProjectNext. */
export const projectNextSchema = z.object({
  projectId: z.string(),
  countyId: z.string(),
  countyZh: z.string(),
  name: z.string(),
  stage: projectStageSchema,
  stageZh: z.string(),
  streamVersion: z.number().int(),
  nextActor: projectNextActorSchema.nullable(),
  allocations: z.array(z.object({ allocationId: z.string(), fundId: z.string(), unpaid: z.string(), unpaidFen: z.number().int() })).readonly(),
  steps: z.array(stepGuideSchema).readonly(),
});

export const stageStepsQuerySchema = z.object({ stage: projectStageSchema.optional() }).strict();
export const stageStepsSchema = z.object({ stages: z.array(z.object({ stage: projectStageSchema, stageZh: z.string(), steps: z.array(stepGuideSchema).readonly() })) });
