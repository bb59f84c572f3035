import { sql, type Kysely, type Transaction } from 'kysely';
import type { ProjectProposedData } from '../../../domain/project/events';
import type { Database } from '../../database';
import type { StoredEvent } from '../../eventstore/types';
import type { Projection } from '../projection';

/**
 * One row per project: what it is, where, its budget and its stage. Fed by ProjectProposed for now;
 * later lifecycle events move `stage` on. Rows only move forward: an event at or below a row's
 * `last_event_position` changes nothing.
 */
export const projectSummary: Projection = {
  name: 'project_summary',
  table: 'project_summary',
  canHandle: ['ProjectProposed'],

  async createTable(db: Kysely<Database>, table: string): Promise<void> {
    await sql`
      CREATE TABLE ${sql.table(table)} (
        project_id text PRIMARY KEY,
        county_id text NOT NULL,
        category text NOT NULL,
        name text NOT NULL,
        budget_fen bigint NOT NULL,
        fiscal_year integer NOT NULL,
        stage text NOT NULL,
        proposed_by text NOT NULL,
        last_event_position bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`.execute(db);
    await sql`CREATE INDEX ${sql.id(`${table}_county_year`)} ON ${sql.table(table)} (county_id, fiscal_year)`.execute(db);
  },

  async apply(trx: Transaction<Database>, table: string, events: readonly StoredEvent[]): Promise<void> {
    // One statement per batch; a project proposed twice in a batch keeps its last event (ON CONFLICT cannot touch a row twice).
    const rows = new Map<string, ReturnType<typeof proposedRow>>();
    for (const e of events) {
      if (e.type === 'ProjectProposed') {
        const row = proposedRow(e as StoredEvent<ProjectProposedData>);
        rows.set(row.project_id, row);
      }
    }
    if (rows.size === 0) return;
    const values = [...rows.values()].map(
      (r) =>
        sql`(${r.project_id}, ${r.county_id}, ${r.category}, ${r.name}, ${r.budget_fen}, ${r.fiscal_year}, ${r.stage}, ${r.proposed_by}, ${r.last_event_position}, ${r.updated_at}::timestamptz)`,
    );
    const t = sql.table(table);
    await sql`
      INSERT INTO ${t} (project_id, county_id, category, name, budget_fen, fiscal_year, stage, proposed_by, last_event_position, updated_at)
      VALUES ${sql.join(values)}
      ON CONFLICT (project_id) DO UPDATE SET
        county_id = excluded.county_id, category = excluded.category, name = excluded.name, budget_fen = excluded.budget_fen,
        fiscal_year = excluded.fiscal_year, stage = excluded.stage, proposed_by = excluded.proposed_by,
        last_event_position = excluded.last_event_position, updated_at = excluded.updated_at
      WHERE ${t}.last_event_position < excluded.last_event_position`.execute(trx);
  },
};

const proposedRow = (e: StoredEvent<ProjectProposedData>) => ({
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
});
