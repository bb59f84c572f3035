import type { Kysely } from 'kysely';
import type { Database } from '../infra/database';
import { readAll } from '../infra/eventstore/read';
import { START, type Cursor } from '../infra/eventstore/types';
import { COUNTY_IDS, countyById, type CountyId } from '../domain/reference/counties';
import { plannedAtScale, WHOLE } from '../domain/reference/county-share';
import { PLAN_SUB_ITEMS, PROGRAMME_PLAN_ITEMS, planSubItemOf } from '../domain/reference/plan-items';
import { CATEGORY_NAMES, zhOf } from '../domain/names';
import type { FundAllocated, FundAllocationReleased, FundAppropriated, FundDisbursed } from '../domain/fund/events';
import type { ProjectProposedData } from '../domain/project/events';

/**
 * The plan traced to households: per county × category × plan sub-item, the plan's amount for the
 * county (its share of the city-wide figure), what funds allocated to projects and benefit rounds
 * under it (net of releases), what they paid, and the households those payments reached, by year.
 * Read from the store in one pass (appropriations, proposals, rounds, allocations, payments), so it
 * reconciles to the fen with the funds' books: allocated = allocated-not-yet-paid + paid, and paid,
 * as GET /funds/totals answers them. Money under no sub-item (a project proposed before sub-items
 * were recorded, a programme whose category has none) is its category's row with `planItem: null`.
 */

export interface PlanYear {
  readonly year: number;
  readonly allocatedFen: number;
  readonly paidFen: number;
  readonly households: number;
}

export interface PlanProgressRow {
  readonly countyId: string;
  readonly county: string;
  readonly category: string;
  readonly categoryZh: string;
  readonly planItem: string | null;
  readonly planItemZh: string | null;
  /** The plan's amount for this county (2016–2020), or null for money under no sub-item. */
  readonly planFen: number | null;
  readonly projects: number;
  readonly allocatedFen: number;
  readonly paidFen: number;
  /** Distinct households paid (到户 payments and project payments tagged with a household). */
  readonly households: number;
  readonly years: readonly PlanYear[];
}

export interface PlanProgress {
  readonly rows: readonly PlanProgressRow[];
  readonly totals: { readonly allocatedFen: number; readonly paidFen: number; readonly households: number };
}

export interface PlanProgressFilter {
  readonly countyId?: CountyId;
  readonly year?: number;
  readonly category?: string;
  /** Also the plan's sub-items nothing has been allocated under (default: only rows with money). */
  readonly all?: boolean;
}

interface Target {
  readonly countyId: string;
  readonly category: string;
  readonly planItem: string | null;
  readonly year: number;
}

interface Acc {
  allocated: number;
  paid: number;
  households: Set<string>;
  projects: Set<string>;
  years: Map<number, { allocated: number; paid: number; households: Set<string> }>;
}

const TYPES = ['FundAppropriated', 'ProjectProposed', 'BenefitRoundDrafted', 'FundAllocated', 'FundAllocationReleased', 'FundDisbursed'];

export const planProgress = async (db: Kysely<Database>, filter: PlanProgressFilter = {}): Promise<PlanProgress> => {
  const funds = new Map<string, { countyId: string; fiscalYear: number }>();
  const projects = new Map<string, { planItem: string | null; year: number }>();
  /** Each allocation's target, as it was when the money was allocated. */
  const allocations = new Map<string, Target & { projectId: string }>();
  const acc = new Map<string, Acc>();
  const keyOf = (t: Omit<Target, 'year'>) => `${t.countyId}|${t.category}|${t.planItem ?? ''}`;
  const add = (t: Target, projectId: string, allocated: number, paid: number, householdId?: string) => {
    const k = keyOf(t);
    const a = acc.get(k) ?? { allocated: 0, paid: 0, households: new Set<string>(), projects: new Set<string>(), years: new Map() };
    const y = a.years.get(t.year) ?? { allocated: 0, paid: 0, households: new Set<string>() };
    a.allocated += allocated;
    a.paid += paid;
    y.allocated += allocated;
    y.paid += paid;
    a.projects.add(projectId);
    if (householdId) {
      a.households.add(householdId);
      y.households.add(householdId);
    }
    a.years.set(t.year, y);
    acc.set(k, a);
  };

  let cursor: Cursor = START;
  for (;;) {
    const page = await readAll(db, { after: cursor, limit: 5_000, types: TYPES });
    for (const e of page.events) {
      switch (e.type) {
        case 'FundAppropriated': {
          const d = e.data as FundAppropriated['data'];
          funds.set(d.fundId, { countyId: d.countyId, fiscalYear: d.fiscalYear });
          break;
        }
        case 'ProjectProposed': {
          const d = e.data as ProjectProposedData;
          projects.set(d.projectId, { planItem: d.planItem ?? null, year: d.fiscalYear });
          break;
        }
        case 'BenefitRoundDrafted': {
          const d = e.data as { roundId: string; programmeId: string; period: string };
          projects.set(d.roundId, { planItem: PROGRAMME_PLAN_ITEMS[d.programmeId] ?? null, year: Number(d.period.slice(0, 4)) });
          break;
        }
        case 'FundAllocated': {
          const d = e.data as FundAllocated['data'];
          const fund = funds.get(d.fundId);
          const project = projects.get(d.projectId);
          // A sub-item of another category than the money's (it cannot be proposed so) counts under the category alone.
          const planItem = project?.planItem && planSubItemOf(project.planItem)?.category === d.category ? project.planItem : null;
          const target = {
            countyId: fund?.countyId ?? e.metadata.countyId ?? '_',
            category: d.category,
            planItem,
            year: project?.year ?? fund?.fiscalYear ?? Number(e.metadata.businessDate.slice(0, 4)),
            projectId: d.projectId,
          };
          allocations.set(`${d.fundId}|${d.allocationId}`, target);
          add(target, d.projectId, d.amount, 0);
          break;
        }
        case 'FundAllocationReleased': {
          const d = e.data as FundAllocationReleased['data'];
          const t = allocations.get(`${d.fundId}|${d.allocationId}`);
          if (t) add(t, t.projectId, -d.amount, 0);
          break;
        }
        case 'FundDisbursed': {
          const d = e.data as FundDisbursed['data'];
          const t = allocations.get(`${d.fundId}|${d.allocationId}`);
          if (t) add(t, t.projectId, 0, d.amount, d.householdId);
          break;
        }
      }
    }
    if (page.events.length < 5_000) break;
    cursor = page.cursor;
  }

  const counties = filter.countyId ? [filter.countyId] : COUNTY_IDS;
  const rows: PlanProgressRow[] = [];
  const keys = new Set<string>(acc.keys());
  if (filter.all) for (const countyId of counties) for (const s of PLAN_SUB_ITEMS) keys.add(keyOf({ countyId, category: s.category, planItem: s.id }));
  for (const k of keys) {
    const [countyId, category, item] = k.split('|') as [string, string, string];
    if (filter.countyId && countyId !== filter.countyId) continue;
    if (filter.category && category !== filter.category) continue;
    const a = acc.get(k);
    const years = [...(a?.years ?? new Map<number, { allocated: number; paid: number; households: Set<string> }>())]
      .filter(([year]) => filter.year === undefined || year === filter.year)
      .sort(([x], [y]) => x - y);
    // A year asked for: only what moved under it (or, with `all`, every sub-item).
    if (filter.year !== undefined && !filter.all && years.length === 0) continue;
    const households = new Set(years.flatMap(([, y]) => [...y.households]));
    const sub = item ? planSubItemOf(item) : undefined;
    const known = (COUNTY_IDS as readonly string[]).includes(countyId);
    rows.push({
      countyId,
      county: known ? countyById(countyId as CountyId).zh : countyId,
      category,
      categoryZh: zhOf(CATEGORY_NAMES, category as never),
      planItem: item || null,
      planItemZh: sub ? (sub.parentZh ? `${sub.parentZh}·${sub.zh}` : sub.zh) : null,
      planFen: sub && known ? plannedAtScale(sub.amount, countyId as CountyId, WHOLE) : null,
      projects: a?.projects.size ?? 0,
      allocatedFen: years.reduce((s, [, y]) => s + y.allocated, 0),
      paidFen: years.reduce((s, [, y]) => s + y.paid, 0),
      households: households.size,
      years: years.map(([year, y]) => ({ year, allocatedFen: y.allocated, paidFen: y.paid, households: y.households.size })),
    });
  }
  rows.sort((a, b) => a.countyId.localeCompare(b.countyId) || a.category.localeCompare(b.category) || (a.planItem ?? '~').localeCompare(b.planItem ?? '~'));
  const reached = new Set<string>();
  for (const k of keys) {
    const a = acc.get(k);
    const [countyId, category] = k.split('|');
    if (!a || (filter.countyId && countyId !== filter.countyId) || (filter.category && category !== filter.category)) continue;
    for (const [year, y] of a.years) if (filter.year === undefined || year === filter.year) for (const h of y.households) reached.add(h);
  }
  return {
    rows,
    totals: { allocatedFen: rows.reduce((s, r) => s + r.allocatedFen, 0), paidFen: rows.reduce((s, r) => s + r.paidFen, 0), households: reached.size },
  };
};
