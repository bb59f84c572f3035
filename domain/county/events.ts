import { z } from 'zod';
import { objectionIdSchema } from '../shared/ids';
import { defineEvent, type EventDefinition } from '../shared/events';
import { userIdSchema } from '../shared/actor';
import { countyIdSchema } from '../reference/counties';
import { policyRefSchema } from '../policy/policy-ref';

const at = z.iso.datetime({ offset: true });
const year = z.number().int().min(2014).max(2030);
const n = z.number().int().nonnegative();
const step = { countyId: countyIdSchema, by: userIdSchema, at };
const c = (d: { countyId: string }) => [{ kind: 'county' as const, id: d.countyId }];
const failure = z.object({ code: z.string(), zh: z.string(), en: z.string() }).strict();

/** The store digest at a position, fixed when the county applies: the provincial check's sample seed derives from it. */
export const sampleBasisSchema = z.object({ position: z.number().int().nonnegative(), digest: z.string().regex(/^[0-9a-f]{64}$/) }).strict();
/** The county's populations the sample is drawn from and carried back to (exit-tests.ts SampleFrames). */
export const sampleFramesSchema = z.object({ poorRemaining: n, exitedHouseholds: n, exitedPeople: n, nonRegisteredHouseholds: n, nonRegisteredPeople: n }).strict();

const appliedV1 = {
  ...step,
  year,
  poorCounty: z.boolean(),
  poorRemaining: n,
  ruralPopulation: n.min(1),
  poorVillagesExited: n,
  poorVillagesTotal: n,
  baselinePoor: n,
  policy: policyRefSchema,
};
/** Version 2 records the sample's basis; an application of version 1 had none (its checker chose the seed). */
export const CountyExitApplied = defineEvent({
  type: 'CountyExitApplied',
  version: 2,
  schema: z.object({ ...appliedV1, sampleBasis: sampleBasisSchema.nullable() }).strict(),
  past: [{ version: 1, schema: z.object(appliedV1).strict(), upcast: (d) => ({ ...(d as object), sampleBasis: null }) }],
  refs: c,
});

export const CountyCityPreChecked = defineEvent({
  type: 'CountyCityPreChecked',
  version: 1,
  schema: z.object({ ...step, passed: z.boolean(), findings: z.string().max(4000) }).strict(),
  refs: c,
});

/**
 * The provincial check's findings. The third-party sample is drawn outside the domain (with a
 * recorded seed, so it can be drawn again); the domain records what was found and judges it.
 */
const checkedV1 = {
  ...step,
  sample: z.object({ seed: z.string().min(1).max(200), households: n, evaluator: z.string().min(1).max(200) }).strict(),
  wronglyExited: z.object({ found: n, checked: n.min(1) }).strict(),
  missedPoor: z.object({ found: n, checked: n.min(1) }).strict(),
  approval: z.object({ approving: n, asked: n.min(1) }).strict(),
  incomeGrowthBp: z.object({ county: z.number().int(), province: z.number().int() }).strict(),
  servicesAtOrNearProvince: z.boolean(),
  passed: z.boolean(),
  failures: z.array(failure),
  policy: policyRefSchema,
};
/**
 * Version 2 adds the frames the sample was drawn from and the 综合贫困发生率 they give (with the
 * sampled 错退 and 漏评 carried to the county), under the county-check table; version 1 had neither.
 */
export const CountyProvincialCheckRecorded = defineEvent({
  type: 'CountyProvincialCheckRecorded',
  version: 2,
  schema: z
    .object({
      ...checkedV1,
      frames: sampleFramesSchema.nullable(),
      composite: z
        .object({ unexited: n, wronglyExitedEstimate: n, missedEstimate: n, ruralPopulation: n.min(1), tested: z.boolean(), policy: policyRefSchema })
        .strict()
        .nullable(),
    })
    .strict(),
  past: [{ version: 1, schema: z.object(checkedV1).strict(), upcast: (d) => ({ ...(d as object), frames: null, composite: null }) }],
  refs: c,
});

export const CountyExitNoticePosted = defineEvent({
  type: 'CountyExitNoticePosted',
  version: 1,
  schema: z.object({ ...step, endsAt: at, minimumSeconds: z.number().int().positive() }).strict(),
  refs: c,
});

export const CountyExitObjectionRaised = defineEvent({
  type: 'CountyExitObjectionRaised',
  version: 1,
  schema: z.object({ ...step, objectionId: objectionIdSchema, summary: z.string().trim().min(1).max(2000) }).strict(),
  refs: c,
});

export const CountyExitObjectionResolved = defineEvent({
  type: 'CountyExitObjectionResolved',
  version: 1,
  schema: z.object({ ...step, objectionId: z.string(), outcome: z.enum(['upheld', 'dismissed']), note: z.string().max(2000) }).strict(),
  refs: c,
});

/** 摘帽 (or a non-poor county's overall exit), announced. */
export const CountyExited = defineEvent({
  type: 'CountyExited',
  version: 1,
  schema: z.object({ ...step, year, poorCounty: z.boolean(), policy: policyRefSchema }).strict(),
  refs: c,
});

export const COUNTY_EVENTS = [
  CountyExitApplied,
  CountyCityPreChecked,
  CountyProvincialCheckRecorded,
  CountyExitNoticePosted,
  CountyExitObjectionRaised,
  CountyExitObjectionResolved,
  CountyExited,
] as const;

type EventOf<D> = D extends EventDefinition<infer T, infer X> ? { type: T; data: X } : never;
export type CountyEvent = EventOf<(typeof COUNTY_EVENTS)[number]>;
export type CountyEventData<T extends CountyEvent['type']> = Extract<CountyEvent, { type: T }>['data'];
