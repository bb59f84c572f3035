import { countyById, type CountyId } from '../domain/reference/counties';
import { PLAN_CATEGORIES, type PlanItem } from '../domain/reference/plan-money';
import { PEOPLE_EXIT_TARGETS, SAFETY_NET_PEOPLE } from '../domain/reference/targets';
import { FEN_PER_WAN, type Fen } from '../domain/shared/money';
import type { ProjectCategory } from '../domain/project/ids';
import type { FundSource } from '../domain/fund';
import { subsidyCap } from '../domain/reference/standards';
import { generateCounty, mulberry32, seedFromString, type Prng, type SyntheticCounty } from '../domain/synthetic';
import { countyShare, type Fraction } from '../domain/reference/county-share';

/**
 * What a simulated run of the plan will do, decided up front from the seed and the scale alone:
 * the registry, which households leave poverty in which year, the funds appropriated by source, the
 * projects of every category with their budgets and funding, and the stated share of trouble.
 * Pure: the same seed and scale give the same plan on every machine.
 */
export const SIM_YEARS = [2016, 2017, 2018, 2019, 2020] as const;
export type SimYear = (typeof SIM_YEARS)[number];

/** The share of a project a second source pays; the rest comes from central money. */
const CENTRAL_SHARE = { num: 6, den: 10 };
/** Sources that pay the other 40%, in turn (the plan names sources but divides no money among them: an assumption, stated in the report). */
export const CO_SOURCES: readonly FundSource[] = ['provincial', 'city', 'county', 'integrated-agricultural'];
/** Money appropriated beyond the year's contracts, so a fund has a balance left to return at year end. */
const HEADROOM_PCT = 5;
/** Rural roads have lengths, not project counts: one project per 5 km (assumption) at the plan's 35万/km renovation standard. */
const ROAD_KM_PER_PROJECT = 5;

export type Trouble =
  /** The proposer tries to review their own project: refused (separation of duties). */
  | 'self-review'
  /** A villager objects during the 10-day notice: back to the county, approved again, noticed again. */
  | 'objection'
  /** The township sits on the proposal past its deadline: escalated to the county. */
  | 'late-review'
  /** The treasury rejects the advance (the contractor's account is closed); paid again to the corrected account. */
  | 'transfer-rejected'
  /** The auditor finds a cost overstated; the county remediates; the auditor verifies. */
  | 'audit-finding'
  /** Finance asks for the settlement before acceptance: refused. */
  | 'early-settlement';

export interface FundingPart {
  readonly fundId: string;
  readonly source: FundSource;
  readonly amount: Fen;
}

/** One milestone's payment split over the project's two allocations. */
export interface PaymentPlan {
  readonly milestone: 'advance' | 'progress' | 'settlement' | 'retention';
  readonly parts: readonly Fen[];
}

export interface ProjectPlan {
  readonly projectId: string;
  readonly countyId: CountyId;
  readonly year: SimYear;
  readonly category: ProjectCategory;
  readonly itemZh: string;
  readonly name: string;
  readonly villageId: string;
  readonly budget: Fen;
  readonly contract: Fen;
  readonly funding: readonly FundingPart[];
  readonly payments: readonly PaymentPlan[];
  /** Transport projects state their 补助标准 basis: the province pays at most rate × quantity. */
  readonly subsidyBases?: readonly { readonly standard: 'village-road-renovation' | 'township-service-platform'; readonly quantity: number }[];
  readonly trouble?: Trouble;
}

export interface FundPlan {
  readonly fundId: string;
  readonly countyId: CountyId;
  readonly year: SimYear;
  readonly source: FundSource;
  readonly amount: Fen;
  readonly earmark: readonly ProjectCategory[];
  readonly documentNumber: string;
  /** What is left after the year's contracts; returned upwards at year end. */
  readonly headroom: Fen;
}

export interface CountyPlan {
  readonly countyId: CountyId;
  readonly fraction: Fraction;
  readonly registry: SyntheticCounty;
  /** The year each household is planned to leave poverty (the plan's yearly shares; the safety net in 2020). */
  readonly exitYear: ReadonlyMap<string, SimYear>;
  /** Households that refuse to sign their exit in their year (no exit without consent): they leave a year later. */
  readonly refusesConsentIn: ReadonlyMap<string, SimYear>;
  /** Households that exit and fall back below the line the next year (the year they are found poor). */
  readonly returnsIn: ReadonlyMap<string, SimYear>;
  readonly funds: readonly FundPlan[];
  readonly projects: readonly ProjectPlan[];
  readonly targetExitYear: number;
}

export interface SimPlan {
  readonly seed: string;
  /** Makes the run's workflow ids its own, so a clean run never meets the last run's closed workflows. */
  readonly runTag: string;
  readonly counties: readonly CountyPlan[];
}

const PLAN_PEOPLE_EXITS = Object.values(PEOPLE_EXIT_TARGETS).reduce((a, b) => a + b, 0) + SAFETY_NET_PEOPLE;

/** Largest remainder: integer counts that add up to round(Σ exact), each within 1 of its exact share. */
export const apportion = (exact: readonly number[]): number[] => {
  const total = Math.round(exact.reduce((a, b) => a + b, 0));
  const floors = exact.map(Math.floor);
  let left = total - floors.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i]! += 1;
    left -= 1;
  }
  return floors;
};

const shuffle = <T>(rng: Prng, xs: readonly T[]): T[] => {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
};

/** A project kind the plan counts: leaf items counted in projects, stations or waterways, and the rural roads. */
interface Template {
  readonly category: ProjectCategory;
  readonly zh: string;
  readonly count: number;
  readonly perProject: Fen;
  readonly road?: boolean;
  /** The transport standard a project of this kind is subsidised by (transport projects must state one). */
  readonly basis?: { readonly standard: 'village-road-renovation' | 'township-service-platform'; readonly quantity: number };
}

const leaves = (items: readonly PlanItem[]): PlanItem[] => items.flatMap((i) => (i.parts ? leaves(i.parts) : [i]));
const COUNTED = new Set(['projects', 'stations', 'waterways']);
const roundWan = (f: number): Fen => (Math.max(1, Math.round(f / FEN_PER_WAN)) * FEN_PER_WAN) as Fen;

export const TEMPLATES: readonly Template[] = PLAN_CATEGORIES.flatMap((c): Template[] => {
  // Transport projects need a 补助标准 basis: its stations are township platforms; waterways and "other" have no standard here and are left out.
  const counted = leaves(c.items).filter(
    (i) => i.count !== undefined && i.unit !== undefined && COUNTED.has(i.unit) && i.count > 0 && (c.id !== 'transport' || i.key === 'stations'),
  );
  const out: Template[] = counted.map((i) => ({
    category: c.id,
    zh: i.zh,
    count: i.count!,
    perProject: roundWan(i.amount / i.count!),
    ...(c.id === 'transport' ? { basis: { standard: 'township-service-platform' as const, quantity: 1 } } : {}),
  }));
  if (counted.length === 0 && c.unit === 'projects' && c.count && c.planned) out.push({ category: c.id, zh: c.zh, count: c.count, perProject: roundWan(c.planned / c.count) });
  if (c.id === 'transport') {
    const roads = c.items.find((i) => i.key === 'rural-roads');
    const km = (roads?.parts ?? []).filter((i) => i.unit === 'km').reduce((s, i) => s + Number(i.length ?? 0), 0);
    out.push({
      category: c.id,
      zh: '农村公路改造',
      count: Math.round(km / ROAD_KM_PER_PROJECT),
      perProject: (35 * ROAD_KM_PER_PROJECT * FEN_PER_WAN) as Fen,
      road: true,
      basis: { standard: 'village-road-renovation', quantity: ROAD_KM_PER_PROJECT * 1000 },
    });
  }
  return out;
});

/** Which years a county's households leave in: the plan's yearly shares up to the county's own exit year; the safety net in 2020. */
const yearShares = (targetExitYear: number): { year: SimYear; weight: number }[] => {
  const years = SIM_YEARS.filter((y) => y <= targetExitYear && PEOPLE_EXIT_TARGETS[y] !== undefined);
  const later = Object.entries(PEOPLE_EXIT_TARGETS)
    .filter(([y]) => Number(y) > targetExitYear)
    .reduce((s, [, n]) => s + n, 0);
  return [...years.map((year, i) => ({ year, weight: PEOPLE_EXIT_TARGETS[year]! + (i === years.length - 1 ? later : 0) })), { year: 2020 as SimYear, weight: SAFETY_NET_PEOPLE }];
};

const planExits = (rng: Prng, reg: SyntheticCounty, targetExitYear: number) => {
  const shares = yearShares(targetExitYear);
  const people = reg.households.reduce((s, h) => s + h.members.length, 0);
  const cumulative: { year: SimYear; upTo: number }[] = [];
  let acc = 0;
  for (const s of shares) {
    acc += s.weight;
    cumulative.push({ year: s.year, upTo: (people * acc) / PLAN_PEOPLE_EXITS });
  }
  const exitYear = new Map<string, SimYear>();
  let counted = 0;
  for (const h of shuffle(rng, reg.households)) {
    const year = (cumulative.find((c) => counted < c.upTo) ?? cumulative.at(-1)!).year;
    exitYear.set(h.householdId, year);
    counted += h.members.length;
  }
  // Trouble, in stated shares: one in 40 of a year's households will not sign (it leaves the year after);
  // one in 120 of those leaving before 2019 falls back the next year, and leaves again the year after that.
  const refusesConsentIn = new Map<string, SimYear>();
  const returnsIn = new Map<string, SimYear>();
  const byYear = (y: SimYear) => [...exitYear].filter(([, x]) => x === y).map(([h]) => h);
  for (const y of SIM_YEARS.filter((x) => x < 2020)) {
    const leaving = byYear(y);
    leaving.filter((_, i) => i % 40 === 39 || (i === 0 && leaving.length >= 8)).forEach((h) => refusesConsentIn.set(h, y));
    if (y <= 2018) leaving.filter((h, i) => !refusesConsentIn.has(h) && (i % 120 === 60 || (i === 2 && leaving.length >= 8))).forEach((h) => returnsIn.set(h, (y + 1) as SimYear));
  }
  return { exitYear, refusesConsentIn, returnsIn };
};

const TROUBLES: readonly Trouble[] = ['self-review', 'objection', 'late-review', 'transfer-rejected', 'audit-finding', 'early-settlement'];
// Advance 30%; at 60% of the work a progress payment of 20% (with the advance within 90% of the work done); 3% retained.
const PAYMENT_BP = { advance: 3_000, progress: 2_000, retention: 300 } as const;

const splitMilestones = (contract: number, parts: number): PaymentPlan[] => {
  const advance = (contract * PAYMENT_BP.advance) / 10_000;
  const progress = (contract * PAYMENT_BP.progress) / 10_000;
  const retention = (contract * PAYMENT_BP.retention) / 10_000;
  const settlement = contract - advance - progress - retention;
  const split = (x: number): Fen[] => {
    if (parts === 1) return [x as Fen];
    const central = Math.floor((x * CENTRAL_SHARE.num) / CENTRAL_SHARE.den);
    return [central as Fen, (x - central) as Fen];
  };
  return [
    { milestone: 'advance', parts: split(advance) },
    { milestone: 'progress', parts: split(progress) },
    { milestone: 'settlement', parts: split(settlement) },
    { milestone: 'retention', parts: split(retention) },
  ];
};

const planProjects = (rng: Prng, countyId: CountyId, f: Fraction, villages: readonly string[], runTag: string) => {
  const exact = TEMPLATES.map((t) => (t.count * countyShare(countyId) * f.num) / f.den);
  const counts = apportion(exact);
  // At small scales most kinds round to nothing; every category with counted projects keeps at least one where the total allows.
  const picked = shuffle(
    rng,
    TEMPLATES.flatMap((t, i) => Array.from({ length: counts[i]! }, () => t)),
  );
  const yearWeights = [15, 25, 25, 20, 15];
  const perYear = apportion(yearWeights.map((w) => (picked.length * w) / 100));
  const projects: Omit<ProjectPlan, 'funding' | 'payments'>[] = [];
  let k = 0;
  SIM_YEARS.forEach((year, yi) => {
    for (let n = 0; n < perYear[yi]!; n++, k++) {
      const t = picked[k]!;
      const villageId = villages[rng.int(0, villages.length - 1)]!;
      const budget = t.road ? t.perProject : roundWan(t.perProject * (0.8 + rng.int(0, 40) / 100));
      // A project is funded to its budget before works start (项目资金到位), and the contract is let at it.
      const contract = budget;
      projects.push({
        projectId: `prj-${countyId}-${year}-${runTag}${String(n + 1).padStart(3, '0')}`,
        countyId,
        year,
        category: t.category,
        itemZh: t.zh,
        name: `${countyById(countyId).zh}${villageId.split('-').pop()}村${t.zh}（${year}年第${n + 1}号）`,
        villageId,
        budget,
        contract,
        ...(t.basis ? { subsidyBases: [t.basis] } : {}),
      });
    }
  });
  return projects;
};

const docNo = (countyId: CountyId, year: number, source: FundSource, n: number): string => {
  const issuer: Record<FundSource, string> = {
    central: '财农',
    provincial: '豫财农',
    city: '洛财农',
    county: `${countyById(countyId).zh.slice(0, 1)}财农`,
    'integrated-agricultural': `${countyById(countyId).zh.slice(0, 1)}政统筹`,
    social: '社会帮扶',
    credit: '扶贫贷款',
  };
  return `${issuer[source]}〔${year}〕${n}号`;
};

export const planCounty = (seed: string, runTag: string, countyId: CountyId, fraction: Fraction): CountyPlan => {
  const rng = mulberry32(seedFromString(`${seed}:${countyId}:plan`));
  const registry = generateCounty(countyId, { seed, scale: fraction });
  const county = countyById(countyId);
  const exits = planExits(rng, registry, county.targetExitYear);
  const bare = planProjects(
    rng,
    countyId,
    fraction,
    registry.villages.map((v) => v.villageId),
    runTag,
  );

  // Funding: 60% central, 40% from the next co-source in turn; a fund per county, year and source.
  const fundId = (year: number, source: FundSource) => `fund-${countyId}-${year}-${source}`;
  const projects: ProjectPlan[] = bare.map((p, i) => {
    const payments = splitMilestones(p.contract, 2);
    // The province pays a transport project no more than its standard allows (rate × quantity); the county takes that share instead.
    const second = payments.reduce((s, m) => s + m.parts[1]!, 0);
    const turn = CO_SOURCES[i % CO_SOURCES.length]!;
    const co = turn === 'provincial' && p.subsidyBases && second > p.subsidyBases.reduce((s, b) => s + subsidyCap(b.standard, b.quantity), 0) ? 'county' : turn;
    const sum = (k: number) => payments.reduce((s, m) => s + m.parts[k]!, 0) as Fen;
    return {
      ...p,
      funding: [
        { fundId: fundId(p.year, 'central'), source: 'central', amount: sum(0) },
        { fundId: fundId(p.year, co), source: co, amount: sum(1) },
      ],
      payments,
    };
  });
  // Each year one project meets each kind of trouble, while there are projects enough.
  for (const year of SIM_YEARS) {
    const ofYear = projects.map((p, i) => ({ p, i })).filter((x) => x.p.year === year);
    const kinds = TROUBLES.filter((_, t) => (t + year) % 2 === 0 || ofYear.length >= TROUBLES.length * 2);
    kinds.forEach((trouble, t) => {
      const x = ofYear[t * 2 + 1];
      if (x) projects[x.i] = { ...x.p, trouble };
    });
  }

  const funds: FundPlan[] = [];
  for (const year of SIM_YEARS) {
    const bySource = new Map<FundSource, { amount: number; earmark: Set<ProjectCategory> }>();
    for (const p of projects.filter((x) => x.year === year)) {
      for (const part of p.funding) {
        const f = bySource.get(part.source) ?? { amount: 0, earmark: new Set<ProjectCategory>() };
        f.amount += part.amount;
        f.earmark.add(p.category);
        bySource.set(part.source, f);
      }
    }
    let n = 1;
    for (const source of ['central', ...CO_SOURCES] as FundSource[]) {
      const f = bySource.get(source);
      if (!f) continue;
      const amount = (Math.ceil((f.amount * (100 + HEADROOM_PCT)) / 100 / FEN_PER_WAN) * FEN_PER_WAN) as Fen;
      funds.push({
        fundId: fundId(year, source),
        countyId,
        year,
        source,
        amount,
        earmark: [...f.earmark].sort(),
        documentNumber: docNo(countyId, year, source, 10 + n++),
        headroom: (amount - f.amount) as Fen,
      });
    }
  }
  return { countyId, fraction, registry, ...exits, funds, projects, targetExitYear: county.targetExitYear };
};

export const planSimulation = (seed: string, runTag: string, counties: readonly { countyId: CountyId; fraction: Fraction }[]): SimPlan => ({
  seed,
  runTag,
  counties: counties.map((c) => planCounty(seed, runTag, c.countyId, c.fraction)),
});
