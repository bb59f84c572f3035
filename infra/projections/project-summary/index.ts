import { sql, type Transaction } from 'kysely';
import type { ProjectProposedData } from '../../../domain/project/events';
import { nextActorAtStage } from '../../../domain/project/next-actor';
import { levelOf } from '../../../domain/project/place';
import type { ProjectStatus } from '../../../domain/project/state';
import type { CountyId } from '../../../domain/reference/counties';
import type { Database } from '../../database';
import type { StoredEvent } from '../../eventstore/types';
import type { Projection } from '../projection';

/** The stage each lifecycle event leads to (domain/project/evolve.ts); the others keep the stage. */
const STAGE_AFTER: Readonly<Record<string, ProjectStatus>> = {
  ProjectTownshipApproved: 'township-reviewed',
  ProjectRejected: 'rejected',
  ProjectCountyApproved: 'county-approved',
  ProjectNoticePublished: 'in-notice',
  // An objection sends the project back to county review.
  ProjectObjectionRaised: 'township-reviewed',
  ProjectEnteredLibrary: 'in-library',
  ProjectFullyFunded: 'funded',
  ProjectConstructionStarted: 'under-construction',
  ProjectCompleted: 'completed',
  ProjectAccepted: 'accepted',
  ProjectSettled: 'settled',
  ProjectAssetHandedOver: 'closed',
  ProjectCancelled: 'cancelled',
};

/**
 * One row per project: what it is, where, its budget, its stage and who it waits for (the domain's
 * nextActorAtStage: `next_role`, and `next_county_id` for a county-scoped role; both null at rest).
 * ProjectProposed creates the row; every later project event moves `last_event_position`, and those
 * in STAGE_AFTER move `stage` and the next actor with it.
 * Rows only move forward: an event at or below a row's `last_event_position` changes nothing.
 */
export const projectSummary: Projection = {
  name: 'project_summary',
  table: 'project_summary',
  canHandle: [
    'ProjectProposed',
    'ProjectPerformanceTargetSet',
    ...Object.keys(STAGE_AFTER),
    'ProjectFundingRecorded',
    'ProjectMilestoneReported',
    'ProjectPaymentRecorded',
    'ProjectAuditFindingRecorded',
    'ProjectFindingRemediated',
    'ProjectRemediationVerified',
    'ProjectEscalated',
  ],

  async apply(trx: Transaction<Database>, table: string, events: readonly StoredEvent[]): Promise<void> {
    // Proposals in one statement per batch; a project proposed twice in a batch keeps its last event (ON CONFLICT cannot touch a row twice).
    const rows = new Map<string, ReturnType<typeof proposedRow>>();
    // Later events of a project, folded: the last stage reached, the first and last positions.
    const moves = new Map<string, { stage?: ProjectStatus; first: number; last: number; at: string }>();
    for (const e of events) {
      if (e.type === 'ProjectProposed') {
        const row = proposedRow(e as StoredEvent<ProjectProposedData>);
        rows.set(row.project_id, row);
        continue;
      }
      const projectId = (e.data as { projectId: string }).projectId;
      const m = moves.get(projectId) ?? { first: e.position, last: e.position, at: e.recordedAt };
      const stage = STAGE_AFTER[e.type];
      moves.set(projectId, { ...m, last: e.position, at: e.recordedAt, ...(stage ? { stage } : {}) });
    }
    if (rows.size > 0) await insertProposed(trx, table, rows);
    if (moves.size === 0) return;
    // One statement for the batch, from arrays; a null stage keeps the row's stage and next actor.
    const ms = [...moves.entries()];
    // The project id names its county (prj-<county>-…, domain/project/ids.ts), as the row's county_id does.
    const next = ms.map(([id, m]) => (m.stage ? nextActorAtStage(m.stage, id.split('-')[1] as CountyId) : null));
    const t = sql.table(table);
    await sql`
      UPDATE ${t} SET stage = coalesce(m.stage, ${t}.stage), last_event_position = m.last, updated_at = m.at,
             next_role = CASE WHEN m.stage IS NULL THEN ${t}.next_role ELSE m.next_role END,
             next_county_id = CASE WHEN m.stage IS NULL THEN ${t}.next_county_id ELSE m.next_county END
        FROM unnest(${ms.map(([id]) => id)}::text[], ${ms.map(([, m]) => m.stage ?? null)}::text[], ${ms.map(([, m]) => m.first)}::bigint[],
                    ${ms.map(([, m]) => m.last)}::bigint[], ${ms.map(([, m]) => m.at)}::timestamptz[],
                    ${next.map((n) => n?.role ?? null)}::text[], ${next.map((n) => n?.countyId ?? null)}::text[]) AS m(project_id, stage, first, last, at, next_role, next_county)
       WHERE ${t}.project_id = m.project_id AND ${t}.last_event_position < m.first`.execute(trx);
  },
};

/** Proposals are a project's first event: inserted before any later event of theirs in the same batch is applied. */
const insertProposed = async (trx: Transaction<Database>, table: string, rows: Map<string, ReturnType<typeof proposedRow>>): Promise<void> => {
  // Fifteen array parameters rather than fifteen per row: a rebuild batch of thousands binds and compiles at once.
  const rs = [...rows.values()];
  const col = <K extends keyof ReturnType<typeof proposedRow>>(k: K) => rs.map((r) => r[k]);
  const t = sql.table(table);
  await sql`
    INSERT INTO ${t} (project_id, county_id, category, name, budget_fen, fiscal_year, stage, proposed_by, last_event_position, updated_at, next_role, next_county_id, level, township_id, village_id)
    SELECT * FROM unnest(${col('project_id')}::text[], ${col('county_id')}::text[], ${col('category')}::text[], ${col('name')}::text[],
                         ${col('budget_fen')}::bigint[], ${col('fiscal_year')}::int[], ${col('stage')}::text[], ${col('proposed_by')}::text[],
                         ${col('last_event_position')}::bigint[], ${col('updated_at')}::timestamptz[], ${col('next_role')}::text[], ${col('next_county_id')}::text[],
                         ${col('level')}::text[], ${col('township_id')}::text[], ${col('village_id')}::text[])
    ON CONFLICT (project_id) DO UPDATE SET
      county_id = excluded.county_id, category = excluded.category, name = excluded.name, budget_fen = excluded.budget_fen,
      fiscal_year = excluded.fiscal_year, stage = excluded.stage, proposed_by = excluded.proposed_by,
      last_event_position = excluded.last_event_position, updated_at = excluded.updated_at,
      next_role = excluded.next_role, next_county_id = excluded.next_county_id,
      level = excluded.level, township_id = excluded.township_id, village_id = excluded.village_id
    WHERE ${t}.last_event_position < excluded.last_event_position`.execute(trx);
};

const proposedRow = (e: StoredEvent<ProjectProposedData>) => {
  const next = nextActorAtStage('proposed', e.data.countyId);
  return {
    project_id: e.data.projectId,
    county_id: e.data.countyId,
    category: e.data.category,
    name: e.data.name,
    budget_fen: e.data.budget,
    fiscal_year: e.data.fiscalYear,
    stage: 'proposed',
    proposed_by: e.data.proposedBy,
    last_event_position: e.position,
    updated_at: e.recordedAt,
    next_role: next?.role ?? null,
    next_county_id: next?.countyId ?? null,
    level: levelOf(e.data.place),
    township_id: e.data.place && e.data.place.level !== 'county' ? (e.data.place.townshipId ?? null) : null,
    village_id: e.data.place?.level === 'village' ? e.data.place.villageId : null,
  };
};
