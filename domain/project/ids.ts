import { z } from 'zod';

/** The plan's 16 project categories (FIGURES.md: 5 precision, 9 guarantee) plus housing and finance measures. */
export const PROJECT_CATEGORIES = [
  'transfer-employment',
  'industry',
  'relocation',
  'social-security',
  'special-assistance',
  'education',
  'health',
  'ecology',
  'transport',
  'power-telecom',
  'water',
  'culture',
  'land-environment',
  'rural-energy',
  'housing-renovation',
  'finance',
] as const;
export const projectCategorySchema = z.enum(PROJECT_CATEGORIES, { error: `must be one of: ${PROJECT_CATEGORIES.join(', ')}` });
export type ProjectCategory = z.infer<typeof projectCategorySchema>;

/** prj-<county>-<year>-<serial>: readable, carries no personal data, safe as a workflow id. */
export const projectIdSchema = z.string().regex(/^prj-[a-z]+-\d{4}-[a-z0-9]{4,32}$/, { error: 'must look like prj-<county>-<year>-<serial>' });
export type ProjectId = z.infer<typeof projectIdSchema>;
