import type { Kysely } from 'kysely';
import type { Client } from '@temporalio/client';
import type { Database } from '../../infra/database';
import { projectIdSchema } from '../../domain/project/ids';
import { getProject } from '../../services/project-queries';
import { PROJECT_COLUMNS } from './project-list';
import { statusForPeople, statusLines, type ProjectStatusForPeople } from '../../services/project-status';
import { queryLive } from '../../services/workflow-unavailable';
import { projectStatusQuery, projectWorkflowId } from '../../workflows/project-lifecycle.messages';
import { usageRefusal, takeSwitch, inputRefusal, ruleRefusal } from '../args';
import { renderTable } from '../table';

type Out = (line?: string) => void;

/** `tuopin project show <id> [--json]`: the read model's row and the workflow's live status, as GET /projects/:id. */
export const runProjectShow = async (argv: string[], deps: { readonly db: Kysely<Database>; readonly client: Client }, out: Out): Promise<void> => {
  const { on: json, rest } = takeSwitch(argv, 'json');
  if (rest.length !== 1) throw usageRefusal('tuopin project show');
  const id = projectIdSchema.safeParse(rest[0]);
  if (!id.success) throw inputRefusal(id.error, '<project id>');
  const detail = await getProject(deps, id.data);
  if (!detail.summary && !detail.status)
    throw ruleRefusal({ code: 'PROJECT_NOT_FOUND', en: `no project ${id.data} in the read model or in Temporal`, zh: `读模型和 Temporal 中都没有项目 ${id.data}` });
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
  if (rest.length !== 1) throw usageRefusal('tuopin project status');
  const id = projectIdSchema.safeParse(rest[0]);
  if (!id.success) throw inputRefusal(id.error, '<project id>');
  const live = await queryLive(client, projectWorkflowId(id.data), projectStatusQuery);
  if (!live) throw ruleRefusal({ code: 'PROJECT_NOT_FOUND', en: `no workflow runs for project ${id.data}`, zh: `项目 ${id.data} 没有运行中的流程（不存在或已结束）` });
  const s = statusForPeople(live);
  if (json) out(JSON.stringify(s, null, 2));
  else for (const l of statusTable(s)) out(l);
};
