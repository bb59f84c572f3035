import { sql, type Kysely } from 'kysely';
import type { Database } from '../infra/database';
import { readAll } from '../infra/eventstore/read';
import { START, type Cursor } from '../infra/eventstore/types';
import { storeDigestAt, type StoreDigestAt } from '../infra/eventstore/store-digest';
import { withReadModelsAt } from '../infra/projections/as-of';
import { COUNTY_IDS, countyById, type CountyId } from '../domain/reference/counties';
import { PLAN_CATEGORIES } from '../domain/reference/plan-money';
import { PEOPLE_EXIT_TARGETS, PLAN_TOTALS, SAFETY_NET_PEOPLE, VILLAGE_EXIT_TARGETS } from '../domain/reference/targets';
import { countAtScale, plannedAtScale, WHOLE, type Fraction } from '../domain/reference/county-share';
import { FUND_SOURCE_NAMES, CATEGORY_NAMES, zhOf } from '../domain/names';
import { programmeOf } from '../domain/benefit';
import { FUND_SOURCES } from '../domain/fund';
import { readProgress } from './exit-progress';
import { fundTotals, type FundSums } from './fund-queries';
import { listAnomalies } from './anomaly-queries';

/**
 * The city's report (每半年向市委、市政府报告), computed from the read models the API serves, as
 * they stand now or as they stood at an earlier store position: exits per county and year against
 * the plan's targets, money by source, county and category against the plan's amounts, benefits by
 * programme, anomalies. It states the store position and digest it was computed at, so anyone who
 * can read the store can check it against the books.
 */
export const REPORT_YEARS = [2016, 2017, 2018, 2019, 2020] as const;

export interface ReportScope {
  /** The counties reported and the share of the plan each is held against (1/1 for the plan itself; a simulation's scale). */
  readonly counties: readonly { readonly countyId: CountyId; readonly fraction: Fraction }[];
}

export const WHOLE_CITY: ReportScope = { counties: COUNTY_IDS.map((countyId) => ({ countyId, fraction: WHOLE })) };

export interface ExitRow {
  readonly countyId: CountyId;
  readonly county: string;
  readonly year: number;
  readonly households: number;
  readonly people: number;
  readonly returned: number;
  /** People exited net of returns. */
  readonly net: number;
  /** The plan's people to exit that year, apportioned to the county by its poor people (2020: the 兜底 safety net), rounded. */
  readonly target: number;
  readonly villages: number;
  readonly villageTarget: number;
  readonly countyExited: boolean;
}

export interface MoneyRow extends Omit<FundSums, 'funds'> {
  readonly key: string;
  readonly name: string;
  readonly funds: number;
}

export interface CategoryRow {
  readonly category: string;
  readonly name: string;
  readonly projects: number;
  readonly closed: number;
  readonly budgetFen: number;
  readonly paidFen: number;
  /** The plan's money for the category at this scope (null where the plan has no sum). */
  readonly planFen: number | null;
}

export interface BenefitRow {
  readonly programmeId: string;
  readonly name: string;
  readonly rounds: number;
  readonly households: number;
  readonly paidFen: number;
}

export interface AnomalyRow {
  readonly kind: string;
  readonly count: number;
}

export interface Report {
  readonly store: StoreDigestAt & { readonly head: number };
  readonly scope: ReportScope;
  readonly exits: readonly ExitRow[];
  readonly money: { readonly bySource: readonly MoneyRow[]; readonly byCounty: readonly MoneyRow[]; readonly total: MoneyRow };
  readonly categories: readonly CategoryRow[];
  readonly benefits: readonly BenefitRow[];
  readonly anomalies: readonly AnomalyRow[];
}

const moneyRow = (key: string, name: string, s: FundSums): MoneyRow => ({ key, name, ...s });

/** The programme of each benefit round, from the rounds' drafts up to the position. */
const roundProgrammes = async (db: Kysely<Database>, position: number): Promise<Map<string, string>> => {
  const out = new Map<string, string>();
  let cursor: Cursor = START;
  for (;;) {
    const page = await readAll(db, { after: cursor, limit: 5_000, types: ['BenefitRoundDrafted'] });
    for (const e of page.events) if (e.position <= position) out.set((e.data as { roundId: string }).roundId, (e.data as { programmeId: string }).programmeId);
    if (page.events.length < 5_000) break;
    cursor = page.cursor;
  }
  return out;
};

const figures = async (db: Kysely<Database>, scope: ReportScope, position: number, asOfDay: string): Promise<Omit<Report, 'store' | 'scope'>> => {
  const ids = scope.counties.map((c) => c.countyId);
  const tallies = (await readProgress(db)).filter((t) => ids.includes(t.countyId as CountyId));
  const exits: ExitRow[] = scope.counties.flatMap(({ countyId, fraction }) =>
    REPORT_YEARS.map((year) => {
      const t = tallies.find((x) => x.countyId === countyId && x.year === year);
      const people = t?.people ?? 0;
      const returned = t?.returnedPeople ?? 0;
      return {
        countyId,
        county: countyById(countyId).zh,
        year,
        households: t?.households ?? 0,
        people,
        returned,
        net: people - returned,
        target: Math.round(countAtScale(year === 2020 ? SAFETY_NET_PEOPLE : (PEOPLE_EXIT_TARGETS[year] ?? 0), countyId, fraction)),
        villages: t?.villages ?? 0,
        // Villages are never scaled (a simulation keeps every poor village): the city's target by the county's share of poor villages.
        villageTarget: Math.round(((VILLAGE_EXIT_TARGETS[year] ?? 0) * countyById(countyId).poorVillages) / PLAN_TOTALS.poorVillages),
        countyExited: t?.countyExited ?? false,
      };
    }),
  );

  const filter = ids.length === 1 ? { county: ids[0]! } : {};
  const bySource = await fundTotals(db, filter, ['source']);
  const byCounty = await fundTotals(db, filter, ['county']);
  const keep = (c: string | undefined) => c !== undefined && ids.includes(c as CountyId);
  const sources = FUND_SOURCES.flatMap((s) => bySource.groups.filter((g) => g.source === s).map((g) => moneyRow(s, zhOf(FUND_SOURCE_NAMES, s), g)));
  const counties = byCounty.groups.filter((g) => keep(g.countyId)).map((g) => moneyRow(g.countyId!, countyById(g.countyId as CountyId).zh, g));
  // The scope's total: the counties' own sums (a city-wide filter would also count a county outside the scope).
  const sum = (rows: readonly MoneyRow[], k: keyof FundSums) => rows.reduce((a, r) => a + r[k], 0);
  const total =
    ids.length === 1 || ids.length === COUNTY_IDS.length
      ? moneyRow('total', '合计', bySource.total)
      : moneyRow('total', '合计', {
          funds: sum(counties, 'funds'),
          appropriatedFen: sum(counties, 'appropriatedFen'),
          availableFen: sum(counties, 'availableFen'),
          allocatedUnpaidFen: sum(counties, 'allocatedUnpaidFen'),
          paidFen: sum(counties, 'paidFen'),
          returnedFen: sum(counties, 'returnedFen'),
        });

  const cats = await sql<{ category: string; projects: string; closed: string; budget: string; paid: string }>`
    SELECT s.category, count(*)::text AS projects, count(*) FILTER (WHERE s.stage = 'closed')::text AS closed,
           coalesce(sum(s.budget_fen), 0)::text AS budget, coalesce(sum(p.paid), 0)::text AS paid
      FROM project_summary s
      LEFT JOIN (SELECT project_id, sum(amount_fen) AS paid FROM payment_ledger GROUP BY project_id) p ON p.project_id = s.project_id
     WHERE s.county_id = ANY(${ids})
     GROUP BY s.category`.execute(db);
  const categories: CategoryRow[] = PLAN_CATEGORIES.filter((c) => !c.includedIn).map((c) => {
    const r = cats.rows.find((x) => x.category === c.id);
    return {
      category: c.id,
      name: zhOf(CATEGORY_NAMES, c.id),
      projects: Number(r?.projects ?? 0),
      closed: Number(r?.closed ?? 0),
      budgetFen: Number(r?.budget ?? 0),
      paidFen: Number(r?.paid ?? 0),
      planFen: c.planned === null ? null : scope.counties.reduce((s, k) => s + plannedAtScale(c.planned!, k.countyId, k.fraction), 0),
    };
  });

  const programmes = await roundProgrammes(db, position);
  const paidToHouseholds = await sql<{ project_id: string; households: string; paid: string }>`
    SELECT project_id, count(DISTINCT household_id)::text AS households, sum(amount_fen)::text AS paid
      FROM payment_ledger WHERE milestone = 'benefit' AND county_id = ANY(${ids}) GROUP BY project_id`.execute(db);
  const benefitsBy = new Map<string, BenefitRow>();
  for (const r of paidToHouseholds.rows) {
    const programmeId = programmes.get(r.project_id) ?? 'unknown';
    const b = benefitsBy.get(programmeId) ?? { programmeId, name: programmeOf(programmeId)?.zh ?? programmeId, rounds: 0, households: 0, paidFen: 0 };
    benefitsBy.set(programmeId, { ...b, rounds: b.rounds + 1, households: b.households + Number(r.households), paidFen: b.paidFen + Number(r.paid) });
  }

  const anomalies = (await Promise.all(ids.map((county) => listAnomalies(db, { county, asOf: asOfDay })))).flat();
  const kinds = new Map<string, number>();
  for (const a of anomalies) kinds.set(a.kind, (kinds.get(a.kind) ?? 0) + 1);

  return {
    exits,
    money: { bySource: sources, byCounty: counties, total },
    categories,
    benefits: [...benefitsBy.values()].sort((a, b) => a.programmeId.localeCompare(b.programmeId)),
    anomalies: [...kinds].map(([kind, count]) => ({ kind, count })).sort((a, b) => a.kind.localeCompare(b.kind)),
  };
};

const headPosition = async (db: Kysely<Database>): Promise<number> =>
  Number((await sql<{ p: string | null }>`SELECT max(position)::text AS p FROM events`.execute(db)).rows[0]?.p ?? 0);

/** The Beijing calendar day of an instant. */
const beijingDay = (iso: string): string => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * The report at `position` (default: the store's head). The read models are replayed from the store
 * up to that position (temporary tables, the live ones untouched), so the figures are exactly the
 * store's at the digest the report states, whatever the live projectors' lag; at the head they equal
 * what the API answers once its projectors have caught up.
 */
export const buildReport = async (db: Kysely<Database>, scope: ReportScope, at?: { readonly position: number }): Promise<Report> => {
  const head = await headPosition(db);
  if (at !== undefined && (!Number.isSafeInteger(at.position) || at.position < 0)) throw new RangeError(`position: ${at.position} must be a whole number ≥ 0`);
  const position = at === undefined ? head : Math.min(at.position, head);
  const store = await storeDigestAt(db, position);
  const day = beijingDay(store.recordedAt ?? new Date().toISOString());
  const rest = await withReadModelsAt(db, position, (past) => figures(past, scope, position, day));
  return { store: { ...store, head }, scope, ...rest };
};
