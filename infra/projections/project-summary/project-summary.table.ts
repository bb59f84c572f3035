import type { ColumnType } from 'kysely';

export interface ProjectSummaryTable {
  project_id: string;
  county_id: string;
  category: string;
  name: string;
  /** int8: pg returns it as a string; Number() is exact below 2^53 fen. */
  budget_fen: ColumnType<string, number | string, number | string>;
  fiscal_year: number;
  stage: string;
  proposed_by: string;
  last_event_position: ColumnType<string, number | string, number | string>;
  /** Who the project waits for (domain nextActorAtStage); null at rest, and on rows projected before the column existed until a rebuild. */
  next_role: string | null;
  next_county_id: string | null;
  /** county | township | village (domain/project/place.ts); 'village' for proposals recorded before places were. */
  level: ColumnType<string, string | undefined, string>;
  township_id: string | null;
  village_id: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}
