import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database } from '../../infra/database';
import { countyNameSchema } from '../../domain/reference/counties';
import { roleSchema } from '../../domain/shared/actor';
import { projectCategorySchema } from '../../domain/project/ids';
import { listProjects, type ProjectSummary } from '../../services/project-list';
import { allPages } from '../../services/page';
import { parseFlags, takeSwitch } from '../args';
import { writeRows, type Column } from '../table';
import { CATEGORY_NAMES, COUNTY_NAMES, ROLE_NAMES, STAGE_NAMES, zhOf } from '../../domain/names';

// Apart from \`project show\` and \`project status\` (project-queries.ts), which ask Temporal: a listing
// reads the read model alone and loads nothing of Temporal's.
type Out = (line?: string) => void;

const listFlags = z
  .object({
    county: countyNameSchema.optional(),
    category: projectCategorySchema.optional(),
    year: z.coerce.number().int().min(2016).max(2030).optional(),
    stage: z
      .string()
      .regex(/^[a-z-]{1,40}$/, { error: 'must be a stage name' })
      .optional(),
    'next-role': roleSchema.optional(),
  })
  .strict();

export const PROJECT_COLUMNS: readonly Column<ProjectSummary>[] = [
  { key: 'projectId', header: '项目 project', value: (p) => p.projectId },
  // People read the county by its Chinese name and the next actor by role and county (ids stay in --json).
  { key: 'countyId', header: '县 county', value: (p) => zhOf(COUNTY_NAMES, p.countyId) },
  { key: 'category', header: '类别 category', value: (p) => zhOf(CATEGORY_NAMES, p.category) },
  { key: 'fiscalYear', header: '年度 year', value: (p) => p.fiscalYear, kind: 'number' },
  { key: 'stage', header: '阶段 stage', value: (p) => zhOf(STAGE_NAMES, p.stage) },
  {
    key: 'nextActor',
    header: '下一步 next',
    value: (p) => (p.nextActor ? `${zhOf(ROLE_NAMES, p.nextActor.role)}${p.nextActor.countyId ? `（${zhOf(COUNTY_NAMES, p.nextActor.countyId)}）` : ''}` : '—'),
  },
  { key: 'budgetFen', header: '预算 budget', value: (p) => p.budgetFen, kind: 'money', total: true },
  { key: 'name', header: '名称 name', value: (p) => p.name },
];

/** `tuopin project list [--county] [--category] [--year] [--stage] [--next-role] [--json]`: the query GET /projects runs, every page. */
export const runProjectList = async (argv: string[], db: Kysely<Database>, out: Out): Promise<void> => {
  const { on: json, rest } = takeSwitch(argv, 'json');
  const { 'next-role': nextRole, ...f } = parseFlags(rest, listFlags);
  const rows = await allPages((after) => listProjects(db, { ...f, nextRole, after, limit: 200 }));
  writeRows(out, rows, PROJECT_COLUMNS, { json, total: `${rows.length} 个项目 project(s)` });
};
