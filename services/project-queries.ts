import { statusForPeople, type ProjectStatusForPeople } from './project-status';
import type { Kysely } from 'kysely';
import type { Client } from '@temporalio/client';
import type { Database } from '../infra/database';
import { projectStatusQuery, projectWorkflowId } from '../workflows/project-lifecycle.messages';
import { queryLive } from './workflow-unavailable';
import { summaryOf, type ProjectSummary } from './project-list';

export interface ProjectDetail {
  readonly summary: ProjectSummary | null;
  /** The workflow's live status as people read it (amounts in 元 beside fen), or null when no workflow runs (or ran) for the project. */
  readonly status: ProjectStatusForPeople | null;
}

/** A project's read model and its workflow's live status; both null when the project is unknown. */
export const getProject = async (deps: { readonly db: Kysely<Database>; readonly client: Client }, projectId: string): Promise<ProjectDetail> => {
  const row = await deps.db.selectFrom('project_summary').selectAll().where('project_id', '=', projectId).executeTakeFirst();
  const live = await queryLive(deps.client, projectWorkflowId(projectId), projectStatusQuery);
  const status = live === null ? null : statusForPeople(live);
  return { summary: row ? summaryOf(row) : null, status };
};
