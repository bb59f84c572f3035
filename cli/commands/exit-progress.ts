import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../infra/database';
import { countyNameSchema } from '../../domain/reference/counties';
import { planProgress } from '../../domain/reference/progress';
import { readProgress } from '../../services/exit-progress';
import { parseFlags } from '../args';
import { displayWidth } from '../table';
import { COUNTY_NAMES, zhOf } from '../../domain/names';

type Out = (line?: string) => void;

/** The county's Chinese name, padded to 12 terminal columns (a Chinese character takes two). */
const name = (countyId: string): string => {
  const zh = zhOf(COUNTY_NAMES, countyId);
  return zh + ' '.repeat(Math.max(0, 12 - displayWidth(zh)));
};

const pct = (n: number, d: number) => (d === 0 ? '-' : `${((n * 100) / d).toFixed(1)}%`);

/** `tuopin exit progress [--county c] [--year y]`: each county's exits by year against its plan figures, and the city against the yearly targets. */
export const runProgress = async (argv: string[], db: Kysely<Database>, out: Out): Promise<void> => {
  const f = parseFlags(argv, z.object({ county: countyNameSchema.optional(), year: z.coerce.number().int().min(2016).max(2030).optional() }).strict());
  const rows = (await readProgress(db, f.county)).filter((r) => f.year === undefined || r.year === f.year);
  const plan = planProgress(rows, { ...(f.county ? { countyId: f.county } : {}), ...(f.year ? { year: f.year } : {}) });
  out('县 county     year  people exited (net of returns)  villages  | plan: poor people, poor villages, exit year');
  for (const c of plan.counties) {
    for (const r of rows.filter((x) => x.countyId === c.countyId)) {
      out(
        `${name(c.countyId)}  ${r.year}  ${String(r.people - r.returnedPeople).padStart(8)} (${r.returnedPeople} returned)${' '.repeat(9)}${String(r.villages).padStart(4)}${r.countyExited ? '  county exited' : ''}`,
      );
    }
    out(
      `${name(c.countyId)}  total ${String(c.people.net).padStart(7)} of ${c.poorPeople} (${pct(c.people.net, c.poorPeople)})   ${c.villagesExited} of ${c.poorVillages} villages   target ${c.targetExitYear}`,
    );
  }
  if (f.county) return;
  out('city, by year: people exited vs plan target; villages exited vs plan target; counties exited vs counties due');
  for (const y of plan.years) {
    out(
      `  ${y.year}: ${y.people.net} / ${y.people.target} people (${pct(y.people.net, y.people.target ?? 0)}); ${y.villages.exited} / ${y.villages.target} villages; ${y.counties.exited} / ${y.counties.target} counties`,
    );
  }
  const s = plan.safetyNet;
  out(`  ${s.zh}: ${s.people.net} / ${s.people.target} people (${pct(s.people.net, s.people.target ?? 0)})`);
};
