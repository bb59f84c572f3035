import { sql, type Kysely } from 'kysely';
import type { Database } from '../infra/database';
import { countyById, type CountyId } from '../domain/reference/counties';
import { PLAN_CATEGORIES } from '../domain/reference/plan-money';
import { PEOPLE_EXIT_TARGETS, SAFETY_NET_PEOPLE, PLAN_TOTALS } from '../domain/reference/targets';
import { formatWan, type Fen } from '../domain/shared/money';
import { FUND_SOURCES } from '../domain/fund';
import { progressAgainstPlan } from '../services/exit-progress';
import { fundTotals } from '../services/fund-queries';
import { listAnomalies } from '../services/anomaly-queries';
import { renderTable, type Column } from '../cli/table';
import { plannedAtScale, SIM_YEARS } from './plan';
import type { Fraction } from './scale';

/**
 * The run's result as the city reads it, from the read models the API serves (GET /progress,
 * GET /funds/totals, GET /anomalies): exits per year against the plan's targets, money by source
 * and by category against the plan's amounts at this scale, and the anomalies found.
 */
export const SOURCE_ZH: Record<string, string> = {
  central: '中央财政',
  provincial: '省级财政',
  city: '市级财政',
  county: '县级财政',
  'integrated-agricultural': '统筹整合涉农资金',
  social: '社会帮扶资金',
  credit: '金融扶贫资金',
};

const wan = (f: number): string => formatWan(f as Fen).replace('万', '');
const pct = (a: number, b: number): string => (b === 0 ? '-' : `${((100 * a) / b).toFixed(1)}%`);
const col = <T>(header: string, value: (r: T) => string | number, right = true): Column<T> => ({ key: header, header, value, kind: right ? 'number' : 'text' });

export interface SummaryInput {
  readonly counties: readonly { readonly countyId: CountyId; readonly fraction: Fraction }[];
}

export const summaryLines = async (db: Kysely<Database>, input: SummaryInput, asOf: string): Promise<string[]> => {
  const out: string[] = [];
  const scaled = (n: number) => input.counties.reduce((s, c) => s + (n * countyById(c.countyId).poorPeople * c.fraction.num) / (PLAN_TOTALS.poorPeople * c.fraction.den), 0);

  // 1. Exits per year (GET /progress), against the plan's people targets at this scale.
  const years = await Promise.all(input.counties.map((c) => progressAgainstPlan(db, { countyId: c.countyId })));
  type Y = { year: number; hh: number; people: number; returned: number; net: number; target: number; villages: number; counties: number };
  const rows: Y[] = SIM_YEARS.map((year) => {
    const ys = years.flatMap((p) => p.years.filter((y) => y.year === year));
    const target = scaled(year === 2020 ? SAFETY_NET_PEOPLE : (PEOPLE_EXIT_TARGETS[year] ?? 0));
    return {
      year,
      hh: ys.reduce((s, y) => s + y.households.exited, 0),
      people: ys.reduce((s, y) => s + y.people.exited, 0),
      returned: ys.reduce((s, y) => s + y.people.returned, 0),
      net: ys.reduce((s, y) => s + y.people.net, 0),
      target: Math.round(target),
      villages: ys.reduce((s, y) => s + y.villages.exited, 0),
      counties: ys.reduce((s, y) => s + y.counties.exited, 0),
    };
  });
  const tot = rows.reduce((a, r) => ({ ...a, hh: a.hh + r.hh, people: a.people + r.people, returned: a.returned + r.returned, net: a.net + r.net, target: a.target + r.target, villages: a.villages + r.villages, counties: a.counties + r.counties }), { year: 0, hh: 0, people: 0, returned: 0, net: 0, target: 0, villages: 0, counties: 0 });
  out.push('脱贫退出（按年度，对照规划目标按本次规模折算） exits per year against the plan');
  out.push(
    ...renderTable<Y>([...rows, tot], [
      col('年度', (r) => (r.year === 0 ? '合计' : String(r.year)), false),
      col('退出户', (r) => r.hh),
      col('退出人口', (r) => r.people),
      col('返贫人口', (r) => r.returned),
      col('净脱贫人口', (r) => r.net),
      col('规划目标人口', (r) => r.target),
      col('完成率', (r) => pct(r.net, r.target)),
      col('贫困村退出', (r) => r.villages),
      col('摘帽县', (r) => r.counties),
    ]),
  );
  out.push('  2020年目标为兜底保障人口。target 2020 = the safety net (兜底).');
  out.push('');

  // 2. Money by source (GET /funds/totals?by=source).
  const counties = input.counties.map((c) => c.countyId);
  const bySource = await fundTotals(db, counties.length === 1 ? { county: counties[0]! } : {}, ['source']);
  type S = { name: string; appropriated: number; allocated: number; paid: number; returned: number; available: number };
  const srows: S[] = FUND_SOURCES.flatMap((source) => {
    const g = bySource.groups.find((x) => x.source === source);
    return g ? [{ name: SOURCE_ZH[source] ?? source, appropriated: g.appropriatedFen, allocated: g.allocatedUnpaidFen + g.paidFen, paid: g.paidFen, returned: g.returnedFen, available: g.availableFen }] : [];
  });
  const t = bySource.total;
  srows.push({ name: '合计', appropriated: t.appropriatedFen, allocated: t.allocatedUnpaidFen + t.paidFen, paid: t.paidFen, returned: t.returnedFen, available: t.availableFen });
  out.push('资金（万元，按来源） money by source, 万元');
  out.push(
    ...renderTable<S>(srows, [
      col('来源', (r) => r.name, false),
      col('下达', (r) => wan(r.appropriated)),
      col('安排到项目', (r) => wan(r.allocated)),
      col('已拨付', (r) => wan(r.paid)),
      col('收回', (r) => wan(r.returned)),
      col('结余', (r) => wan(r.available)),
      col('拨付率', (r) => pct(r.paid, r.allocated)),
    ]),
  );
  out.push('');

  // 3. Money by category (project_summary and payment_ledger), against the plan's amounts at this scale.
  const cats = await sql<{ category: string; projects: string; closed: string; budget: string; paid: string }>`
    SELECT s.category, count(*)::text AS projects, count(*) FILTER (WHERE s.stage = 'closed')::text AS closed,
           coalesce(sum(s.budget_fen), 0)::text AS budget, coalesce(sum(p.paid), 0)::text AS paid
      FROM project_summary s
      LEFT JOIN (SELECT project_id, sum(amount_fen) AS paid FROM payment_ledger GROUP BY project_id) p ON p.project_id = s.project_id
     WHERE s.county_id = ANY(${counties})
     GROUP BY s.category ORDER BY s.category`.execute(db);
  type C = { name: string; projects: number; closed: number; budget: number; paid: number; plan: number };
  const crows: C[] = PLAN_CATEGORIES.filter((c) => c.planned !== null && !c.includedIn).map((c) => {
    const r = cats.rows.find((x) => x.category === c.id);
    return {
      name: c.zh,
      projects: Number(r?.projects ?? 0),
      closed: Number(r?.closed ?? 0),
      budget: Number(r?.budget ?? 0),
      paid: Number(r?.paid ?? 0),
      plan: input.counties.reduce((s, k) => s + plannedAtScale(c.planned!, k.countyId, k.fraction), 0),
    };
  });
  const ctot = crows.reduce((a, r) => ({ ...a, projects: a.projects + r.projects, closed: a.closed + r.closed, budget: a.budget + r.budget, paid: a.paid + r.paid, plan: a.plan + r.plan }), { name: '合计', projects: 0, closed: 0, budget: 0, paid: 0, plan: 0 });
  out.push('项目与资金（万元，按类别，对照规划投资按本次规模折算） projects and money by category, 万元');
  out.push(
    ...renderTable<C>([...crows, ctot], [
      col('类别', (r) => r.name, false),
      col('项目数', (r) => r.projects),
      col('已完结', (r) => r.closed),
      col('项目预算', (r) => wan(r.budget)),
      col('已拨付', (r) => wan(r.paid)),
      col('规划投资', (r) => wan(r.plan)),
    ]),
  );
  out.push('  转移就业、易地搬迁、社会保障、特殊救助按人计的资金属到户补助（benefit rounds），本次未模拟。');
  out.push('');

  // 4. Anomalies (GET /anomalies).
  const anomalies = (await Promise.all(counties.map((county) => listAnomalies(db, { county, asOf })))).flat();
  const kinds = new Map<string, number>();
  for (const a of anomalies) kinds.set(a.kind, (kinds.get(a.kind) ?? 0) + 1);
  out.push(`异常 anomalies: ${anomalies.length === 0 ? '无' : [...kinds].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  return out;
};
