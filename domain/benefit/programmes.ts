import { z } from 'zod';
import type { Fen } from '../shared/money';
import type { FundSource } from '../fund/ids';
import type { ProjectCategory } from '../project/ids';
import type { PolicyVersion } from '../policy/table';
import type { ValueOrigin } from '../policy/policy-ref';
import { EDUCATION_GRANTS, LIVING_ALLOWANCE_MINIMUMS } from '../reference/standards';
import { yuan } from '../reference/wan';

/**
 * The benefit programmes paid to households (到户), as versioned policy data. Every figure says where
 * it comes from and whether it was checked against a primary document here; a revision is a new
 * version, never an edit, and every list line records the version it was computed under.
 */
export const BENEFIT_PROGRAMMES_VERSION = 1;
export const BENEFIT_POLICY: PolicyVersion = { id: 'benefit-programmes', version: BENEFIT_PROGRAMMES_VERSION };

export interface Provenance {
  readonly origin: ValueOrigin;
  readonly source: string;
  readonly verified: boolean;
}
export type SourcedFen = Provenance & { readonly value: Fen };

export const PERIOD_KINDS = ['year', 'semester', 'month', 'once'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/** Who a programme looks for in the registry; each is implemented once in eligibility.ts. */
export const ELIGIBILITY_RULES = {
  'enrolled-secondary-vocational': { zh: '本学年在读中职学生', en: 'enrolled in secondary vocational school this school year' },
  'boarding-compulsory': { zh: '义务教育阶段寄宿生', en: 'boarding pupil in compulsory education' },
  'extreme-poverty-supported': { zh: '经认定的特困供养人员', en: 'recognised extreme-poverty (特困) person' },
  'dangerous-house-accepted': { zh: 'C/D级危房且改造已竣工验收', en: 'grade C/D dangerous house, renovation inspected and accepted' },
  'relocation-plan-member': { zh: '易地扶贫搬迁规划内建档立卡人口', en: 'registered poor person in the relocation plan' },
  'forest-ranger': { zh: '聘用的生态护林员（有劳动能力）', en: 'appointed ecological forest ranger with labour capacity' },
  'public-welfare-job': { zh: '安置在公益性岗位（有劳动能力）', en: 'placed in a public-welfare job, with labour capacity' },
  'poverty-microcredit': { zh: '当年扶贫小额信贷借款户', en: 'household with a poverty microcredit loan this year' },
  'training-completed': { zh: '当年完成培训的劳动力', en: 'worker who completed training this year' },
} as const;
export type EligibilityRuleId = keyof typeof ELIGIBILITY_RULES;

/**
 * How much one line pays:
 * - `per-person`: each beneficiary gets the standard; `floor` where the plan sets a minimum (the
 *   county may pay more), `cap` where it sets a maximum (the county may pay less), both fixed when
 *   the national standard is exact;
 * - `per-person-tiered`: the standard depends on a fact (school level, kind of support);
 * - `per-household-by-grade`: one amount per household by its house's danger grade, capped;
 * - `interest-subsidy`: interest on the loan's principal at no more than the base rate, for its months.
 */
export type AmountRule =
  | { readonly kind: 'per-person'; readonly standard: SourcedFen; readonly bound: 'exact' | 'floor' | 'cap' }
  | { readonly kind: 'per-person-tiered'; readonly tiers: Readonly<Record<string, SourcedFen>>; readonly bound: 'floor' }
  | { readonly kind: 'per-household-by-grade'; readonly caps: Readonly<Record<'C' | 'D', SourcedFen>> }
  | { readonly kind: 'interest-subsidy'; readonly maxRateBp: number; readonly maxPrincipal: SourcedFen; readonly source: Provenance };

export const EVIDENCE_KINDS = {
  enrolment: { zh: '学籍信息', en: 'enrolment record' },
  boarding: { zh: '寄宿证明', en: 'boarding record' },
  'support-certificate': { zh: '特困供养证', en: 'extreme-poverty support certificate' },
  'housing-grade': { zh: '危房鉴定', en: 'dangerous-house grading' },
  'renovation-acceptance': { zh: '竣工验收', en: 'renovation acceptance' },
  'relocation-plan': { zh: '搬迁规划名单', en: 'relocation plan list' },
  appointment: { zh: '聘用（安置）协议', en: 'appointment agreement' },
  'loan-contract': { zh: '借款合同', en: 'loan contract' },
  'training-certificate': { zh: '培训结业证', en: 'training certificate' },
  account: { zh: '一卡通账户', en: '一卡通 account' },
} as const;
export type EvidenceKind = keyof typeof EVIDENCE_KINDS;

export interface BenefitProgramme {
  readonly id: string;
  readonly zh: string;
  readonly en: string;
  /** The plan's words this programme implements, or the national policy it follows. */
  readonly clause: Provenance;
  readonly sources: readonly FundSource[];
  /** A paying fund's earmark must include this category. */
  readonly category: ProjectCategory;
  readonly eligibility: EligibilityRuleId;
  readonly amount: AmountRule;
  readonly period: PeriodKind;
  readonly evidence: readonly EvidenceKind[];
  /** 脱贫不脱政策: 'continues' to the end of the plan (2020); 'stops' in the years after the household's exit. */
  readonly afterExit: 'continues' | 'stops';
  readonly afterExitSource: Provenance;
}

const PLAN = 'Luoyang 13th Five-Year poverty plan (洛政办〔2017〕67号)';
const plan = (where: string): Provenance => ({ origin: 'plan', source: `${PLAN}, ${where}`, verified: true });
const KEEPS: Provenance = plan('ch. 3: 建档立卡脱贫对象在规划期内仍享受中央、省有关扶贫政策，支持力度不减');
const PUBLIC_MONEY: readonly FundSource[] = ['central', 'provincial', 'city', 'county', 'integrated-agricultural'];
const fenOf = (f: Fen, p: Provenance): SourcedFen => ({ value: f, ...p });

const programmes = [
  {
    id: 'secondary-vocational-grant',
    zh: '中职国家助学金',
    en: 'national grant for secondary vocational students',
    clause: plan('ch. 5 §1 教育脱贫工程: 鼓励和支持建档立卡贫困群众子女完成高中阶段教育，建立高中阶段教育资助机制'),
    sources: PUBLIC_MONEY,
    category: 'education',
    eligibility: 'enrolled-secondary-vocational',
    amount: {
      kind: 'per-person',
      bound: 'exact',
      // One source for the figure: the plan's reference table (plan:289).
      standard: fenOf(EDUCATION_GRANTS['secondary-vocational'].perYear, plan('plan:289: 家庭经济困难学生每年享受2000元国家助学金')),
    },
    period: 'year',
    evidence: ['enrolment', 'account'],
    afterExit: 'continues',
    afterExitSource: KEEPS,
  },
  {
    id: 'boarding-allowance',
    zh: '寄宿生生活补助',
    en: 'living allowance for boarding pupils',
    clause: plan('ch. 4 §4 社会保障: 经济困难寄宿生按不低于年人均小学1000元、初中1250元的标准补助生活费'),
    sources: PUBLIC_MONEY,
    category: 'education',
    eligibility: 'boarding-compulsory',
    amount: {
      kind: 'per-person-tiered',
      bound: 'floor',
      tiers: {
        primary: fenOf(LIVING_ALLOWANCE_MINIMUMS['boarding-primary'].perYear, plan('ch. 4 §4: 小学不低于年人均1000元')),
        junior: fenOf(LIVING_ALLOWANCE_MINIMUMS['boarding-junior'].perYear, plan('ch. 4 §4: 初中不低于年人均1250元')),
      },
    },
    period: 'year',
    evidence: ['enrolment', 'boarding', 'account'],
    afterExit: 'continues',
    afterExitSource: KEEPS,
  },
  {
    id: 'extreme-poverty-support',
    zh: '特困人员救助供养',
    en: 'extreme-poverty (特困) support',
    clause: plan('ch. 4 §4: 2016年农村特困人员集中供养标准不低于年人均4000元，分散供养标准不低于年人均3000元'),
    sources: PUBLIC_MONEY,
    category: 'social-security',
    eligibility: 'extreme-poverty-supported',
    amount: {
      kind: 'per-person-tiered',
      bound: 'floor',
      tiers: {
        centralised: fenOf(LIVING_ALLOWANCE_MINIMUMS['extreme-poverty-centralised'].perYear, plan('ch. 4 §4: 集中供养不低于年人均4000元')),
        dispersed: fenOf(LIVING_ALLOWANCE_MINIMUMS['extreme-poverty-dispersed'].perYear, plan('ch. 4 §4: 分散供养不低于年人均3000元')),
      },
    },
    period: 'year',
    evidence: ['support-certificate', 'account'],
    afterExit: 'continues',
    afterExitSource: {
      origin: 'national-policy',
      source: '特困供养 is social assistance tied to the person, not to the poverty registration; it continues as long as the person is recognised',
      verified: false,
    },
  },
  {
    id: 'housing-renovation',
    zh: '农村危房改造补助',
    en: 'dangerous-house renovation subsidy',
    clause: plan('ch. 5 §10 住房脱贫工程: 农村危房改造补助资金由县级财政按相关规定直接发放到危房改造农户…实行一户一档'),
    sources: PUBLIC_MONEY,
    category: 'housing-renovation',
    eligibility: 'dangerous-house-accepted',
    amount: {
      kind: 'per-household-by-grade',
      caps: {
        C: fenOf(yuan('7500'), {
          origin: 'assumption',
          source:
            "C级 (repair) cap assumed at 7,500元: the plan gives only 18,228.5万 for 13,506 households (13,496.66元 each on average); replace with the county's published standard",
          verified: false,
        }),
        D: fenOf(yuan('20000'), { origin: 'assumption', source: "D级 (rebuild) cap assumed at 20,000元: see C; the plan's average is 13,496.66元 per household", verified: false }),
      },
    },
    period: 'once',
    evidence: ['housing-grade', 'renovation-acceptance', 'account'],
    afterExit: 'continues',
    afterExitSource: KEEPS,
  },
  {
    id: 'relocation-subsidy',
    zh: '易地扶贫搬迁建房补助',
    en: 'poverty relocation housing subsidy',
    clause: plan('ch. 4 §3 易地搬迁脱贫工程: 瞄准建档立卡贫困人口，严格落实人均25平方米的建房要求'),
    sources: [...PUBLIC_MONEY, 'credit'],
    category: 'relocation',
    eligibility: 'relocation-plan-member',
    amount: {
      kind: 'per-person',
      bound: 'cap',
      standard: fenOf(yuan('60400'), {
        origin: 'plan',
        source: `${PLAN}, ch. 4 §3: registered-poor relocation 370,741.24万 for 61,381 people = 60,400元 per person (all costs); no household may be paid more`,
        verified: true,
      }),
    },
    period: 'once',
    evidence: ['relocation-plan', 'account'],
    afterExit: 'continues',
    afterExitSource: KEEPS,
  },
  {
    id: 'forest-ranger-wage',
    zh: '生态护林员劳务补助',
    en: 'ecological forest ranger wage',
    clause: plan('ch. 5 §3 生态保护脱贫工程: 将当地有劳动能力的贫困人口转为护林员等生态保护人员'),
    sources: ['central', 'provincial', 'integrated-agricultural'],
    category: 'ecology',
    eligibility: 'forest-ranger',
    amount: {
      kind: 'per-person',
      bound: 'cap',
      standard: fenOf(yuan('833.33'), {
        origin: 'assumption',
        source: 'national ranger subsidy as widely published, about 10,000元 a year; 833.33元 a month assumed as the cap',
        verified: false,
      }),
    },
    period: 'month',
    evidence: ['appointment', 'account'],
    afterExit: 'continues',
    afterExitSource: KEEPS,
  },
  {
    id: 'public-welfare-job-wage',
    zh: '扶贫公益性岗位补贴',
    en: 'public-welfare job wage',
    clause: plan('ch. 4 §1 转移就业: 通过政府购买公益性岗位，对符合岗位要求、外出就业困难的贫困家庭劳动力安置就业'),
    sources: PUBLIC_MONEY,
    category: 'transfer-employment',
    eligibility: 'public-welfare-job',
    amount: {
      kind: 'per-person',
      bound: 'cap',
      standard: fenOf(yuan('500'), { origin: 'assumption', source: 'cap assumed at 500元 a month; the plan sets no figure', verified: false }),
    },
    period: 'month',
    evidence: ['appointment', 'account'],
    afterExit: 'stops',
    afterExitSource: {
      origin: 'assumption',
      source: 'poverty public-welfare posts (扶贫专岗) are for households still poor; assumed to stop after exit (several counties did so); the plan is silent',
      verified: false,
    },
  },
  {
    id: 'microcredit-interest',
    zh: '扶贫小额信贷贴息',
    en: 'poverty microcredit interest subsidy',
    clause: plan('ch. 5 §11 金融脱贫工程: 对贫困家庭发展产业小额贷款按基准利率实施扶贫贴息'),
    sources: PUBLIC_MONEY,
    category: 'finance',
    eligibility: 'poverty-microcredit',
    amount: {
      kind: 'interest-subsidy',
      maxRateBp: 475,
      maxPrincipal: fenOf(yuan('50000'), { origin: 'national-policy', source: '扶贫小额信贷: 5万元以下、3年以内 (national policy as widely published)', verified: false }),
      source: { origin: 'national-policy', source: 'PBoC benchmark lending rate for 1–5 years, 4.75% since 2015-10-24', verified: false },
    },
    period: 'year',
    evidence: ['loan-contract', 'account'],
    afterExit: 'continues',
    afterExitSource: KEEPS,
  },
  {
    id: 'training-subsidy',
    zh: '贫困劳动力培训补贴',
    en: 'training subsidy for poor workers',
    clause: plan('ch. 4 §1 转移就业脱贫工程: 贫困家庭劳动力免费培训78750人，投资8161.298万元'),
    sources: PUBLIC_MONEY,
    category: 'transfer-employment',
    eligibility: 'training-completed',
    amount: {
      kind: 'per-person',
      bound: 'cap',
      standard: fenOf(yuan('1036'), {
        origin: 'assumption',
        source: `${PLAN}, ch. 4 §1: 8,161.298万 for 78,750 trainees = 1,036.35元 each on average; used as the cap per trainee`,
        verified: false,
      }),
    },
    period: 'once',
    evidence: ['training-certificate', 'account'],
    afterExit: 'continues',
    afterExitSource: KEEPS,
  },
] as const satisfies readonly BenefitProgramme[];

export type ProgrammeId = (typeof programmes)[number]['id'];
export const BENEFIT_PROGRAMMES: Readonly<Record<ProgrammeId, BenefitProgramme>> = Object.fromEntries(programmes.map((p) => [p.id, p])) as unknown as Record<
  ProgrammeId,
  BenefitProgramme
>;
export const PROGRAMME_IDS = programmes.map((p) => p.id) as ProgrammeId[];
export const programmeIdSchema = z.enum(PROGRAMME_IDS as [ProgrammeId, ...ProgrammeId[]], { error: `must be one of: ${PROGRAMME_IDS.join(', ')}` });

export const programmeOf = (id: string): BenefitProgramme | undefined =>
  Object.hasOwn(BENEFIT_PROGRAMMES, id) ? (BENEFIT_PROGRAMMES as Record<string, BenefitProgramme>)[id] : undefined;

/** Does a period string have the programme's kind (2018 for a yearly one, 2018-s1 for a semester…)? */
export const periodKindOf = (period: string): PeriodKind => (period.length === 4 ? 'year' : period.endsWith('-once') ? 'once' : /-s[12]$/.test(period) ? 'semester' : 'month');
