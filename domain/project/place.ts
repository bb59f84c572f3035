import { z } from 'zod';
import { daySchema } from '../shared/ids';
import { requiredLine } from '../shared/text';
import { villageIdSchema } from '../village/ids';

/**
 * Where a project is carried out (实施地点), at the level that owns it. The plan has county projects
 * with no village at all — 19 县级医疗机构, 18 输变电, 271.704 km of trunk roads, 24 普通高中 — so a
 * place is the county, a township, or a village (with its township where known).
 */
export const PROJECT_LEVELS = ['county', 'township', 'village'] as const;
export type ProjectLevel = (typeof PROJECT_LEVELS)[number];

/** twp-<county>-<serial>: a township's registry number, as villages have vil-<county>-<serial>. */
export const townshipIdSchema = z.string().regex(/^twp-[a-z]+-[a-z0-9]{1,32}$/, { error: 'must look like twp-<county>-<serial>' });

export const projectPlaceSchema = z.discriminatedUnion('level', [
  z.object({ level: z.literal('county') }).strict(),
  z.object({ level: z.literal('township'), townshipId: townshipIdSchema }).strict(),
  z.object({ level: z.literal('village'), villageId: villageIdSchema, townshipId: townshipIdSchema.optional() }).strict(),
]);
export type ProjectPlace = z.infer<typeof projectPlaceSchema>;

/**
 * 行业部门论证: a county- or township-level project is decided by the government on the appraisal of
 * the industry department (交通局, 卫健委, 供电公司…), not by a village's 四议两公开.
 */
export const appraisalSchema = z
  .object({
    department: requiredLine(100),
    /** The appraisal's document number or filing reference (文号). */
    documentRef: requiredLine(100),
    appraisedOn: daySchema,
  })
  .strict();
export type Appraisal = z.infer<typeof appraisalSchema>;

/** Proposals recorded before places existed carry none: they were all village projects with a 四议两公开 record. */
export const levelOf = (place: ProjectPlace | undefined): ProjectLevel => place?.level ?? 'village';

/** The county an id names (vil-song-042 → song), to keep a place inside the project's county. */
export const countyOfPlace = (place: ProjectPlace): string | undefined => {
  const id = place.level === 'village' ? place.villageId : place.level === 'township' ? place.townshipId : undefined;
  return id?.split('-')[1];
};
