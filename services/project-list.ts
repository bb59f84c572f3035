import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../infra/database';
import type { ProjectSummaryTable } from '../infra/projections/project-summary/project-summary.table';
import type { Page } from './page';
import type { Role } from '../domain/shared/actor';
import type { ProjectLevel } from '../domain/project/place';

// Apart from a project's live status (services/project-queries.ts): a listing reads the read model
// alone, and \`tuopin project list\` should not load Temporal's client to print a table.
/** A project as the project_summary read model holds it; what GET /projects returns and `tuopin project list` prints. */
export interface ProjectSummary {
  readonly projectId: string;
  readonly countyId: string;
  readonly category: string;
  readonly name: string;
  readonly budgetFen: number;
  readonly fiscalYear: number;
  readonly stage: string;
  readonly proposedBy: string;
  readonly lastEventPosition: number;
  /** Who the project waits for, from its stage (domain/project nextActorAtStage); null at rest. */
  readonly nextActor: { readonly role: Role; readonly countyId?: string } | null;
  /** Where the project is carried out: its level, and its township and village where it has them. */
  readonly place: { readonly level: ProjectLevel; readonly townshipId?: string; readonly villageId?: string };
}

export interface ProjectFilter {
  readonly county?: string | undefined;
  readonly category?: string | undefined;
  readonly year?: number | undefined;
  readonly stage?: string | undefined;
  /** Only projects waiting for this role. */
  readonly nextRole?: Role | undefined;
  /** Keyset cursor: the last project id of the previous page. */
  readonly after?: string | undefined;
  readonly limit: number;
}

export const summaryOf = (r: Selectable<ProjectSummaryTable>): ProjectSummary => ({
  projectId: r.project_id,
  countyId: r.county_id,
  category: r.category,
  name: r.name,
  budgetFen: Number(r.budget_fen),
  fiscalYear: r.fiscal_year,
  stage: r.stage,
  proposedBy: r.proposed_by,
  lastEventPosition: Number(r.last_event_position),
  nextActor: r.next_role === null ? null : { role: r.next_role as Role, ...(r.next_county_id === null ? {} : { countyId: r.next_county_id }) },
  place: { level: r.level as ProjectLevel, ...(r.township_id === null ? {} : { townshipId: r.township_id }), ...(r.village_id === null ? {} : { villageId: r.village_id }) },
});

/** One keyset page of projects in project id order. */
export const listProjects = async (db: Kysely<Database>, f: ProjectFilter): Promise<Page<ProjectSummary>> => {
  let query = db
    .selectFrom('project_summary')
    .selectAll()
    .orderBy('project_id')
    .limit(f.limit + 1);
  if (f.county) query = query.where('county_id', '=', f.county);
  if (f.category) query = query.where('category', '=', f.category);
  if (f.year) query = query.where('fiscal_year', '=', f.year);
  if (f.stage) query = query.where('stage', '=', f.stage);
  if (f.nextRole) query = query.where('next_role', '=', f.nextRole);
  if (f.after) query = query.where('project_id', '>', f.after);
  const rows = await query.execute();
  const items = rows.slice(0, f.limit).map(summaryOf);
  return { items, next: rows.length > f.limit ? items[items.length - 1]!.projectId : null };
};
