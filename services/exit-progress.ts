import { sql, type Kysely } from 'kysely';
import type { Database } from '../infra/database';
import { planProgress, type ExitTally, type PlanProgress } from '../domain/reference/progress';
import type { CountyId } from '../domain/reference/counties';

/** Yearly exits per county from the exit_progress read model, returns counted apart. */
export const readProgress = async (db: Kysely<Database>, countyId?: string): Promise<ExitTally[]> => {
  const { rows } = await sql<{
    county_id: string;
    exit_year: number;
    households: string;
    returned_households: string;
    people: string;
    returned: string;
    villages: string;
    counties: string;
  }>`
    SELECT county_id, exit_year,
           count(*) FILTER (WHERE kind = 'household') AS households,
           count(*) FILTER (WHERE kind = 'household' AND returned) AS returned_households,
           coalesce(sum(member_count) FILTER (WHERE kind = 'household'), 0) AS people,
           coalesce(sum(member_count) FILTER (WHERE kind = 'household' AND returned), 0) AS returned,
           count(*) FILTER (WHERE kind = 'village') AS villages,
           count(*) FILTER (WHERE kind = 'county') AS counties
      FROM exit_progress ${countyId ? sql`WHERE county_id = ${countyId}` : sql``}
     GROUP BY county_id, exit_year ORDER BY county_id, exit_year`.execute(db);
  return rows.map((r) => ({
    countyId: r.county_id,
    year: r.exit_year,
    households: Number(r.households),
    returnedHouseholds: Number(r.returned_households),
    people: Number(r.people),
    returnedPeople: Number(r.returned),
    villages: Number(r.villages),
    countyExited: Number(r.counties) > 0,
  }));
};

/** Exits against the plan's yearly targets and each county's figures (the CLI's `exit progress`, the API's GET /progress). */
export const progressAgainstPlan = async (db: Kysely<Database>, filter: { countyId?: CountyId; year?: number } = {}): Promise<PlanProgress> =>
  planProgress(await readProgress(db, filter.countyId), filter);
