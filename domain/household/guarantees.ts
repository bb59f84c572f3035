import { z } from 'zod';

/**
 * 两不愁三保障: the two worries and three guarantees, as facts checked for the household. Each is a
 * yes/no a work team confirms; "compulsoryEducation" means no school-age child has dropped out for
 * poverty (a household without school-age children meets it).
 */
export const guaranteesSchema = z
  .object({
    food: z.boolean(),
    clothing: z.boolean(),
    compulsoryEducation: z.boolean(),
    medicalInsurance: z.boolean(),
    safeHousing: z.boolean(),
  })
  .strict();
export type Guarantees = z.infer<typeof guaranteesSchema>;
export type GuaranteeName = keyof Guarantees;

export const GUARANTEE_NAMES: readonly GuaranteeName[] = ['food', 'clothing', 'compulsoryEducation', 'medicalInsurance', 'safeHousing'];

export const GUARANTEE_LABELS: Readonly<Record<GuaranteeName, { zh: string; en: string }>> = {
  food: { zh: '不愁吃', en: 'enough food' },
  clothing: { zh: '不愁穿', en: 'enough clothing' },
  compulsoryEducation: { zh: '义务教育有保障（无因贫辍学）', en: 'compulsory education (no dropout for poverty)' },
  medicalInsurance: { zh: '基本医疗有保障（参加新农合、大病有救助）', en: 'medical insurance enrolment with major-illness assistance' },
  safeHousing: { zh: '住房安全有保障', en: 'safe housing' },
};

export const missingGuarantees = (g: Guarantees): GuaranteeName[] => GUARANTEE_NAMES.filter((n) => !g[n]);
