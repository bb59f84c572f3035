import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Client } from '@temporalio/client';
import type { Database } from '../../infra/database';
import { countyNameSchema } from '../../domain/reference/counties';
import { roleSchema } from '../../domain/shared/actor';
import { projectCategorySchema, projectIdSchema } from '../../domain/project/ids';
import { getProject, listProjects, type ProjectSummary } from '../../services/project-queries';
import { allPages } from '../../services/page';
import { statusForPeople, statusLines, type ProjectStatusForPeople } from '../../services/project-status';
import { queryLive } from '../../services/workflow-unavailable';
import { projectStatusQuery, projectWorkflowId } from '../../workflows/project-lifecycle.messages';
import { CliError, parseFlags, takeSwitch } from '../args';
import { renderTable, writeRows, type Column } from '../table';
import { CATEGORY_NAMES, COUNTY_NAMES, ROLE_NAMES, STAGE_NAMES, zhOf } from '../../domain/names';

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
  { key: 'projectId', header: 'project', value: (p) => p.projectId },
  // People read the county by its Chinese name and the next actor by role and county (ids stay in --json).
  { key: 'countyId', header: 'county', value: (p) => zhOf(COUNTY_NAMES, p.countyId) },
  { key: 'category', header: 'category', value: (p) => zhOf(CATEGORY_NAMES, p.category) },
  { key: 'fiscalYear', header: 'year', value: (p) => p.fiscalYear, kind: 'number' },
  { key: 'stage', header: 'stage', value: (p) => zhOf(STAGE_NAMES, p.stage) },
  {
    key: 'nextActor',
    header: 'next',
    value: (p) => (p.nextActor ? `${zhOf(ROLE_NAMES, p.nextActor.role)}${p.nextActor.countyId ? `（${zhOf(COUNTY_NAMES, p.nextActor.countyId)}）` : ''}` : '—'),
  },
  { key: 'budgetFen', header: 'budget', value: (p) => p.budgetFen, kind: 'money', total: true },
  { key: 'name', header: 'name', value: (p) => p.name },
];

/** `tuopin project list [--county] [--category] [--year] [--stage] [--next-role] [--json]`: the query GET /projects runs, every page. */
export const runProjectList = async (argv: string[], db: Kysely<Database>, out: Out): Promise<void> => {
  const { on: json, rest } = takeSwitch(argv, 'json');
  const { 'next-role': nextRole, ...f } = parseFlags(rest, listFlags);
  const rows = await allPages((after) => listProjects(db, { ...f, nextRole, after, limit: 200 }));
  writeRows(out, rows, PROJECT_COLUMNS, { json, total: `${rows.length} project(s)` });
};

/** `tuopin project show <id> [--json]`: the read model's row and the workflow's live status, as GET /projects/:id. */
export const runProjectShow = async (argv: string[], deps: { readonly db: Kysely<Database>; readonly client: Client }, out: Out): Promise<void> => {
  const { on: json, rest } = takeSwitch(argv, 'json');
  if (rest.length !== 1) throw new CliError('CLI_USAGE', 'usage: tuopin project show <project id> [--json]');
  const id = projectIdSchema.safeParse(rest[0]);
  if (!id.success) throw new CliError('CLI_INVALID_INPUT', `<project id>: ${id.error.issues[0]?.message}`);
  const detail = await getProject(deps, id.data);
  if (!detail.summary && !detail.status) throw new CliError('PROJECT_NOT_FOUND', `no project ${id.data} in the read model or in Temporal`);
  if (json) {
    out(JSON.stringify(detail, null, 2));
    return;
  }
  if (detail.summary) for (const l of renderTable([detail.summary], PROJECT_COLUMNS)) out(l);
  else out(`${id.data}: not yet in the read model`);
  if (!detail.status) {
    out('no workflow runs for this project');
    return;
  }
  out('');
  for (const l of statusTable(detail.status)) out(l);
};

const statusTable = (s: ProjectStatusForPeople): string[] =>
  renderTable(
    statusLines(s).map(([field, value]) => ({ field, value })),
    [
      { key: 'field', header: '流程状态 workflow status', value: (r) => r.field },
      { key: 'value', header: '', value: (r) => r.value },
    ],
  );

/** `tuopin project status <id> [--json]`: the workflow's live status, amounts in 元. */
export const runProjectStatus = async (argv: string[], client: Client, out: Out): Promise<void> => {
  const { on: json, rest } = takeSwitch(argv, 'json');
  if (rest.length !== 1) throw new CliError('CLI_USAGE', 'usage: tuopin project status <project id> [--json]');
  const id = projectIdSchema.safeParse(rest[0]);
  if (!id.success) throw new CliError('CLI_INVALID_INPUT', `<project id>: ${id.error.issues[0]?.message}`);
  const live = await queryLive(client, projectWorkflowId(id.data), projectStatusQuery);
  if (!live) throw new CliError('PROJECT_NOT_FOUND', `no workflow runs for project ${id.data}`);
  const s = statusForPeople(live);
  if (json) out(JSON.stringify(s, null, 2));
  else for (const l of statusTable(s)) out(l);
};
