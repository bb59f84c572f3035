import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../infra/database';
import { COUNTIES, countyNameSchema } from '../../domain/reference/counties';
import { PEOPLE_EXIT_TARGETS, VILLAGE_EXIT_TARGETS } from '../../domain/reference/targets';
import { parseFlags } from '../args';

type Out = (line?: string) => void;

export interface ProgressRow {
  readonly countyId: string;
  readonly year: number;
  readonly households: number;
  readonly people: number;
  readonly returnedPeople: number;
  readonly villages: number;
  readonly countyExited: boolean;
}

/** Yearly exits per county from the exit_progress read model. */
export const readProgress = async (db: Kysely<Database>, countyId?: string): Promise<ProgressRow[]> => {
  const { rows } = await sql<{ county_id: string; exit_year: number; households: string; people: string; returned: string; villages: string; counties: string }>`
    SELECT county_id, exit_year,
           count(*) FILTER (WHERE kind = 'household') AS households,
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
    people: Number(r.people),
    returnedPeople: Number(r.returned),
    villages: Number(r.villages),
    countyExited: Number(r.counties) > 0,
  }));
};

const pct = (n: number, d: number) => (d === 0 ? '-' : `${((n * 100) / d).toFixed(1)}%`);

/** `tuopin exit progress [--county c]`: each county's exits by year against its plan figures, and the city against the yearly targets. */
export const runProgress = async (argv: string[], db: Kysely<Database>, out: Out): Promise<void> => {
  const f = parseFlags(argv, z.object({ county: countyNameSchema.optional() }).strict());
  const rows = await readProgress(db, f.county);
  out('county        year  people exited (net of returns)  villages  | plan: poor people, poor villages, exit year');
  for (const c of COUNTIES.filter((x) => !f.county || x.id === f.county)) {
    const mine = rows.filter((r) => r.countyId === c.id);
    let people = 0;
    let villages = 0;
    for (const r of mine) {
      people += r.people - r.returnedPeople;
      villages += r.villages;
      out(`${c.id.padEnd(12)}  ${r.year}  ${String(r.people - r.returnedPeople).padStart(8)} (${r.returnedPeople} returned)${' '.repeat(9)}${String(r.villages).padStart(4)}${r.countyExited ? '  county exited' : ''}`);
    }
    out(`${c.id.padEnd(12)}  total ${String(people).padStart(7)} of ${c.poorPeople} (${pct(people, c.poorPeople)})   ${villages} of ${c.poorVillages} villages   target ${c.targetExitYear}`);
  }
  if (f.county) return;
  out('city, by year: people exited vs plan target; villages exited vs plan target');
  for (const y of Object.keys(PEOPLE_EXIT_TARGETS).map(Number)) {
    const r = rows.filter((x) => x.year === y);
    const people = r.reduce((n, x) => n + x.people - x.returnedPeople, 0);
    const villages = r.reduce((n, x) => n + x.villages, 0);
    out(`  ${y}: ${people} / ${PEOPLE_EXIT_TARGETS[y]} people (${pct(people, PEOPLE_EXIT_TARGETS[y]!)}); ${villages} / ${VILLAGE_EXIT_TARGETS[y]} villages`);
  }
};
