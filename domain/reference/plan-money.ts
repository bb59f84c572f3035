import type { Fen } from '../shared/money';
import type { ProjectCategory } from '../project/ids';
import { wan } from './wan';

/**
 * The plan's money by project category (plan ch. 4–5; FIGURES.md), in fen parsed exactly from
 * the 万元 strings the plan prints. Counts keep the plan's own unit (projects, people,
 * person-times, households); lengths stay strings so 451.957 km is not rounded.
 */
export interface PlanItem {
  readonly key: string;
  readonly zh: string;
  readonly count?: number;
  readonly unit?: 'projects' | 'people' | 'person-times' | 'households' | 'parks' | 'stations' | 'waterways' | 'km' | 'm';
  readonly length?: string;
  readonly amount: Fen;
  readonly parts?: readonly PlanItem[];
}

export interface PlanCategory {
  readonly id: ProjectCategory;
  readonly group: 'precision' | 'guarantee';
  readonly zh: string;
  readonly count?: number;
  readonly unit?: PlanItem['unit'];
  /** null where the plan has measures but no sum (finance). */
  readonly planned: Fen | null;
  readonly items: readonly PlanItem[];
  /** Counted inside another category's sum, so totals must not add it twice. */
  readonly includedIn?: ProjectCategory;
}

const i = (key: string, zh: string, amount: string, count?: number, unit?: PlanItem['unit'], parts?: PlanItem[]): PlanItem => ({
  key,
  zh,
  amount: wan(amount),
  ...(count === undefined ? {} : { count }),
  ...(unit === undefined ? {} : { unit }),
  ...(parts === undefined ? {} : { parts }),
});
const road = (key: string, zh: string, length: string, unit: 'km' | 'm', amount: string): PlanItem => ({ key, zh, length, unit, amount: wan(amount) });

export const PLAN_CATEGORIES: readonly PlanCategory[] = [
  {
    id: 'transfer-employment',
    group: 'precision',
    zh: '转移就业',
    planned: wan('92851.758'),
    items: [
      i('labour-training', '贫困家庭劳动力免费培训', '8161.298', 78_750, 'people', [
        i('poverty-office', '扶贫部门', '2978.16', 35_654, 'people'),
        i('agriculture', '农业部门', '2773.888', 19_111, 'people'),
        i('human-resources', '人社部门', '2409.25', 23_985, 'people'),
      ]),
      i('vocational-education', '贫困家庭子女职业教育免费培训', '4653.2', 21_046, 'people', [
        i('poverty-office', '扶贫部门', '2201.6', 9_608, 'people'),
        i('human-resources', '人社部门', '2451.6', 11_438, 'people'),
      ]),
      i('start-up-support', '自主创业扶持', '5739.95', 39_512, 'people', [
        i('poverty-office', '扶贫部门', '3398.2', 24_201, 'people'),
        i('human-resources', '人社部门', '2341.75', 15_311, 'people'),
      ]),
      i('start-up-parks', '农民工创业园区', '6016', 56, 'parks'),
      // 16,564 supported: 16,170 households, 38 companies and 356 cooperatives; the counts mix units.
      i('guaranteed-loans', '创业担保贷款', '58514.635', 16_564, 'people', [
        i('households', '扶持贫困户', '42576.275', 16_170, 'households'),
        i('companies', '扶持企业', '8897.5', 38, 'projects'),
        i('cooperatives', '互助合作社', '7040.86', 356, 'projects'),
      ]),
      i('public-welfare-posts', '公益性岗位开发、培训补助', '9766.675', 31_187, 'people', [
        i('posts', '公益性岗位开发安置', '4370.55', 1_797, 'people'),
        i('subsidy-30', '30元培训补助', '1574.525', 18_679, 'people'),
        i('subsidy-300', '300元培训补助', '3821.6', 10_711, 'people'),
      ]),
    ],
  },
  {
    id: 'industry',
    group: 'precision',
    zh: '产业扶持',
    count: 7_793,
    unit: 'projects',
    planned: wan('2662921.82'),
    items: [
      i('speciality-produce', '特色农产品', '251045.35', 2_448, 'projects'),
      i('livestock', '畜牧养殖', '209693.104', 971, 'projects'),
      i('grain', '优质粮食', '93664', 37, 'projects'),
      i('facility-farming', '设施农业', '35480.86', 519, 'projects'),
      i('rural-tourism', '乡村旅游', '1326710.2', 271, 'projects'),
      i('processing', '特色加工', '142012.61', 208, 'projects'),
      i('e-commerce', '电商流通', '36397', 138, 'projects'),
      i('industry-fusion', '农村一、二、三产业融合发展', '142549.9', 140, 'projects'),
      i('other', '其他产业', '425368.8', 3_061, 'projects'),
    ],
  },
  {
    id: 'relocation',
    group: 'precision',
    zh: '易地搬迁',
    count: 71_335,
    unit: 'people',
    planned: wan('398565.74'),
    items: [
      i('registered-poor', '建档立卡贫困人口', '370741.24', 61_381, 'people'),
      i('same-time-movers', '同步搬迁人口', '26824.8', 8_580, 'people'),
      i('other', '其他易地搬迁', '999.7', 1_374, 'people'),
    ],
  },
  {
    id: 'social-security',
    group: 'precision',
    zh: '社会保障',
    count: 797_954,
    unit: 'person-times',
    planned: wan('245460.74'),
    items: [
      i('minimum-living', '低保兜底', '83773.03', 88_237, 'people'),
      i('extreme-poverty-support', '特困人员救助供养', '25490.11', 20_468, 'people'),
      i('education', '教育保障', '57841.15', 107_324, 'people', [
        i('preschool', '学前教育', '6803.9', 22_711, 'people'),
        i('compulsory', '义务教育', '18451.45', 39_292, 'people'),
        i('senior-high', '普通高中', '12992.7', 21_358, 'people'),
        i('vocational', '中等职业教育', '8532', 12_290, 'people', [
          i('poverty-office', '扶贫办补助', '4351', 5_764, 'people'),
          i('education-bureau', '教育局补助', '4181', 6_526, 'people'),
        ]),
        i('higher', '高等教育', '11061.1', 11_673, 'people', [
          i('poverty-office', '扶贫办补助', '1028.8', 2_808, 'people'),
          i('education-bureau', '教育局补助', '10032.3', 8_865, 'people'),
        ]),
      ]),
      i('basic-medical', '基本医疗保障', '7075.06', 213_909, 'people'),
      i('basic-pension', '基本养老保障', '14526.86', 104_447, 'people'),
      i('housing', '住房保障（危房改造）', '18228.5', 13_506, 'people'),
      i('insurance', '保险救助', '22424.54', 248_999, 'people'),
      i('other', '其他保障补助', '16101.5', 1_064, 'people'),
    ],
  },
  {
    id: 'special-assistance',
    group: 'precision',
    zh: '特殊救助',
    count: 200_211,
    unit: 'people',
    planned: wan('68770.2'),
    items: [
      i('temporary', '临时救助', '8468.4', 27_258, 'people'),
      i('disaster', '灾害救助', '12639.35', 87_124, 'people'),
      i('disability', '残疾人救助', '11587.41', 24_288, 'people'),
      i('orphans', '孤儿和困境儿童救助', '7069.26', 4_757, 'people'),
      i('education', '教育救助', '122.78', 604, 'people'),
      i('medical', '医疗救助', '18330.19', 46_887, 'people'),
      i('housing', '住房救助', '7151.03', 7_413, 'people'),
      i('other', '其他救助', '3401.78', 1_880, 'people'),
    ],
  },
  {
    id: 'education',
    group: 'guarantee',
    zh: '教育',
    count: 1_518,
    unit: 'projects',
    planned: wan('424616.79'),
    items: [
      i('kindergartens', '幼儿园建设', '29381.2', 288, 'projects'),
      i('compulsory-schools', '义务教育学校建设', '238696.17', 814, 'projects'),
      i('senior-high', '普通高中建设', '82493.18', 24, 'projects'),
      i('special-education', '特殊教育学校建设', '167', 6, 'projects'),
      i('other', '其他配套教育项目', '73879.24', 386, 'projects'),
    ],
  },
  {
    id: 'health',
    group: 'guarantee',
    zh: '卫生医疗',
    count: 28,
    unit: 'projects',
    planned: wan('212273'),
    items: [i('county-institutions', '县级医疗卫生机构改扩建', '209494', 19, 'projects'), i('township-clinics', '乡镇卫生院业务用房达标改造', '2779', 9, 'projects')],
  },
  {
    id: 'ecology',
    group: 'guarantee',
    zh: '生态保护',
    count: 726,
    unit: 'projects',
    planned: wan('120697.636'),
    items: [
      i('grain-to-green', '退耕还林还草', '19110.73', 7, 'projects'),
      i('soil-and-water', '水土保持', '15252.4', 48, 'projects'),
      i('natural-forest', '天然林', '10760', 383, 'projects'),
      i('wetlands', '湿地保护与恢复', '9516.6', 17, 'projects'),
      i('other', '其他生态保护', '66057.906', 271, 'projects'),
    ],
  },
  {
    id: 'transport',
    group: 'guarantee',
    zh: '交通',
    planned: wan('977520.313'),
    items: [
      {
        ...i('rural-roads', '农村公路', '347323.913'),
        parts: [
          road('county-township', '县乡公路', '451.957', 'km', '118831.62'),
          road('in-village', '村内道路', '1406.678', 'km', '38424.52'),
          road('village-access', '通村硬化道路', '2023.885', 'km', '79037.705'),
          road('natural-village', '自然村硬化道路', '2579.974', 'km', '89635.048'),
          road('bridges', '新改建桥梁', '6665.8', 'm', '21395.02'),
        ],
      },
      road('trunk-roads', '普通干线公路', '271.704', 'km', '534769.4'),
      i('stations', '公路运输场站', '80593', 23, 'stations'),
      i('waterways', '内河水运', '4186.5', 2, 'waterways'),
      i('other', '其他交通保障', '10647.5', 158, 'projects'),
    ],
  },
  {
    // 1,541 = 1,097 power + 444 telecom projects; the plan gives the two counts, not their sum.
    id: 'power-telecom',
    group: 'guarantee',
    zh: '电网通信',
    count: 1_541,
    unit: 'projects',
    planned: wan('276132.8'),
    items: [
      i('power', '电力', '216726', 1_097, 'projects', [
        i('transmission', '110至220千伏输变电', '115367', 18, 'projects'),
        i('village-power', '村村通动力电', '56710', 641, 'projects'),
        i('well-power', '农田机井通电', '4918', 318, 'projects'),
        i('other', '其他电力工程', '39731', 120, 'projects'),
      ]),
      i('telecom', '通信网络', '59406.8', 444, 'projects', [i('broadband', '宽带网络进村', '51907.08', 345, 'projects'), i('other', '其他通信工程', '7499.72', 99, 'projects')]),
    ],
  },
  {
    id: 'water',
    group: 'guarantee',
    zh: '水利',
    count: 1_023,
    unit: 'projects',
    planned: wan('151183.6'),
    items: [
      i('flood-and-disaster', '防灾减灾', '36641', 30, 'projects', [
        i('river-works', '骨干河道治理', '32881', 23, 'projects'),
        i('sluices', '病险水闸除险加固', '3760', 7, 'projects'),
      ]),
      i('farmland-water', '农田水利', '33600', 22, 'projects', [
        i('irrigation-districts', '大中型灌区续建配套与节水改造', '5600', 4, 'projects'),
        i('small-works', '小型农田水利', '28000', 18, 'projects'),
      ]),
      i('drinking-water', '农村饮水安全巩固提升', '61042.6', 934, 'projects'),
      i('drought-sources', '抗旱应急水源', '19900', 37, 'projects'),
    ],
  },
  {
    id: 'culture',
    group: 'guarantee',
    zh: '文化',
    count: 902,
    unit: 'projects',
    planned: wan('68325.998'),
    items: [
      i('county-libraries', '县级图书馆、文化馆', '29328', 18, 'projects'),
      i('township-stations', '乡镇综合文化站', '10780', 46, 'projects'),
      i('village-centres', '村级综合性文化服务中心', '28217.998', 838, 'projects'),
    ],
  },
  {
    id: 'land-environment',
    group: 'guarantee',
    zh: '土地与环境整理',
    count: 4_029,
    unit: 'projects',
    planned: wan('451898.4128'),
    items: [
      i('land-consolidation', '土地整治', '104259.2106', 74, 'projects'),
      i('village-environment', '农村环境整治', '302386.5532', 3_338, 'projects'),
      i('other', '其他配套项目', '45252.649', 617, 'projects'),
    ],
  },
  { id: 'rural-energy', group: 'guarantee', zh: '农村能源', count: 32, unit: 'projects', planned: wan('266787'), items: [] },
  {
    id: 'housing-renovation',
    group: 'guarantee',
    zh: '住房（危房改造）',
    count: 13_506,
    unit: 'households',
    planned: wan('18228.5'),
    items: [],
    includedIn: 'social-security',
  },
  { id: 'finance', group: 'guarantee', zh: '金融', planned: null, items: [] },
];

/** The plan's headline sums in 亿元 as printed, with the precision printed. */
export const PLAN_HEADLINES = {
  precision: { yi: '346.857', decimals: 3 },
  guarantee: { yi: '294.9436', decimals: 4 },
  total: { yi: '641.8', decimals: 1 },
} as const;

export const planCategory = (id: ProjectCategory): PlanCategory => PLAN_CATEGORIES.find((c) => c.id === id)!;
