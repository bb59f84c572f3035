import { z } from 'zod';
import type { Fen } from '../shared/money';
import { wan, yuan } from './wan';

/**
 * Subsidy standards (补助标准) of the plan's transport chapter (plan:337-341, new rates): what the
 * province pays towards a unit of work, not what the work may cost. A project's provincial funding
 * is capped at the sum over its bases; the rest of its budget comes from city, county and other
 * money. Quantities are whole base units so the cap is integer arithmetic: metres for per-km rates
 * (every per-km rate in fen divides by 1000), square metres for bridges, a count for stations;
 * for a share-of-total standard the quantity is the total investment in fen.
 */
export type StandardUnit = 'per-km' | 'per-m2' | 'per-station' | 'share-of-total';

/** How a rate and its quantity read to people: the rate's unit and what the quantity counts. */
export const STANDARD_UNITS: Readonly<Record<StandardUnit, { zh: string; en: string; quantity: { zh: string; en: string } }>> = {
  'per-km': { zh: '元/公里', en: 'yuan per km', quantity: { zh: '米', en: 'metres' } },
  'per-m2': { zh: '元/平方米', en: 'yuan per m²', quantity: { zh: '平方米', en: 'm²' } },
  'per-station': { zh: '元/站（个）', en: 'yuan per station', quantity: { zh: '站（个）', en: 'stations' } },
  'share-of-total': { zh: '占总投资比例', en: 'share of the total investment', quantity: { zh: '总投资（分）', en: 'total investment in fen' } },
};

export interface SubsidyStandard {
  readonly zh: string;
  readonly en: string;
  readonly unit: StandardUnit;
  /** fen per km / m² / station; basis points of the total for share-of-total. */
  readonly rate: number;
  /** The rate before the plan raised it, for the record. */
  readonly previousRate?: number;
}

export const SUBSIDY_STANDARDS = {
  'village-road-renovation': { zh: '行政村村道改造', en: 'village road renovation', unit: 'per-km', rate: wan('35'), previousRate: wan('30') },
  'village-road-widening': { zh: '行政村村道路面3.5米加宽至4.5米', en: 'village road widening 3.5 to 4.5 m', unit: 'per-km', rate: wan('11'), previousRate: wan('8') },
  'natural-village-road': { zh: '自然村村道', en: 'natural-village road', unit: 'per-km', rate: wan('25'), previousRate: wan('20') },
  'county-township-road-safety': { zh: '县乡道安全生命防护工程', en: 'county/township road safety works', unit: 'per-km', rate: wan('15') },
  'village-road-safety': { zh: '村道安全生命防护工程', en: 'village road safety works', unit: 'per-km', rate: wan('11') },
  'county-township-road-class-2': { zh: '县乡道二级', en: 'county/township road class II', unit: 'per-km', rate: wan('160'), previousRate: wan('120') },
  'county-township-road-class-3': { zh: '县乡道三级', en: 'county/township road class III', unit: 'per-km', rate: wan('130'), previousRate: wan('90') },
  'trunk-upgrade-class-2': { zh: '低等级升二级公路', en: 'trunk road upgrade to class II', unit: 'per-km', rate: wan('400'), previousRate: wan('350') },
  'trunk-class-2-renovation': { zh: '二级公路原级改造', en: 'class II in-place renovation', unit: 'per-km', rate: wan('220'), previousRate: wan('200') },
  'trunk-new-class-3': { zh: '新建三级公路', en: 'new class III road', unit: 'per-km', rate: wan('240'), previousRate: wan('210') },
  'dangerous-bridge': { zh: '危桥改造', en: 'dangerous bridge renovation', unit: 'per-m2', rate: yuan('3500'), previousRate: yuan('3000') },
  'super-large-bridge': { zh: '特大桥改造', en: 'super-large bridge renovation', unit: 'per-m2', rate: yuan('3500') },
  'passenger-station-class-2': { zh: '二级客运站改造', en: 'class II passenger station', unit: 'per-station', rate: wan('500'), previousRate: wan('400') },
  'township-service-platform': { zh: '乡镇客货邮综合服务平台', en: 'township passenger-freight-post platform', unit: 'per-station', rate: wan('100'), previousRate: wan('60') },
  'waterway-class-4': { zh: '四级航道建设', en: 'class IV waterway', unit: 'share-of-total', rate: 8_000 },
} as const satisfies Record<string, SubsidyStandard>;

export type SubsidyStandardId = keyof typeof SUBSIDY_STANDARDS;
export const SUBSIDY_STANDARD_IDS = Object.keys(SUBSIDY_STANDARDS) as SubsidyStandardId[];
export const subsidyStandardIdSchema = z.enum(SUBSIDY_STANDARD_IDS as [SubsidyStandardId, ...SubsidyStandardId[]]);

/** The most subsidy a quantity of work may ask for under a standard, rounded down to the fen. */
export const subsidyCap = (id: SubsidyStandardId, quantity: number): Fen => {
  const s: SubsidyStandard = SUBSIDY_STANDARDS[id];
  switch (s.unit) {
    case 'per-km':
      return Math.floor((s.rate * quantity) / 1000) as Fen;
    case 'per-m2':
    case 'per-station':
      return (s.rate * quantity) as Fen;
    case 'share-of-total':
      return Math.floor((quantity * s.rate) / 10_000) as Fen;
  }
};

/** Living-allowance floors (plan ch. 社会保障 and 教育): yuan a year per person. */
export const LIVING_ALLOWANCE_MINIMUMS = {
  'extreme-poverty-centralised': { zh: '农村特困人员集中供养', en: 'extreme-poverty support, centralised', perYear: yuan('4000'), year: 2016 },
  'extreme-poverty-dispersed': { zh: '农村特困人员分散供养', en: 'extreme-poverty support, dispersed', perYear: yuan('3000'), year: 2016 },
  'boarding-primary': { zh: '寄宿生生活补助（小学）', en: 'boarding pupils, primary', perYear: yuan('1000'), year: 2016 },
  'boarding-junior': { zh: '寄宿生生活补助（初中）', en: 'boarding pupils, junior secondary', perYear: yuan('1250'), year: 2016 },
} as const;

/**
 * 中等职业学校国家助学金 (plan:289: 家庭经济困难学生每年享受2000元国家助学金): yuan a year per
 * student; a fixed grant, not a floor.
 */
export const EDUCATION_GRANTS = {
  'secondary-vocational': { zh: '中等职业学校国家助学金', en: 'secondary vocational school state grant', perYear: yuan('2000'), year: 2016, source: 'plan:289' },
} as const;

/**
 * The plan's four 省级全额补助 items (plan:343-351): for these parts of the work the province pays
 * the whole cost, not the per-unit rate; what lies outside them (路基加宽 for the village road) is
 * the city's and county's. A project basis names the item and the cost of that part; the standards
 * each item covers are the ones whose work it is.
 */
export const FULL_SUBSIDY_ITEMS = {
  'village-road-pavement': {
    zh: '每个行政村一条通村公路（路基宽度不低于5米、路面宽度不低于4.5米）的路面改造费用',
    en: 'pavement renovation of one connecting road per administrative village (base ≥ 5 m, surface ≥ 4.5 m)',
    covers: ['village-road-renovation'],
    source: 'plan:345 由省全额补助；路基加宽等费用由市县负责',
  },
  'road-safety-works': {
    zh: '乡道及以上等级公路和通客车、通校车的村道安全隐患路段的安全生命防护工程费用',
    en: 'safety works on township-and-above roads and on village roads with bus or school-bus service',
    covers: ['county-township-road-safety', 'village-road-safety'],
    source: 'plan:347 由省全额补助',
  },
  'dangerous-bridge-main-works': {
    zh: '县乡道现有危桥和村道上的大中危桥、索改桥、渡改桥改造的桥梁主体工程费用',
    en: 'main works of dangerous bridges on county/township roads, large and medium ones on village roads, cable and ferry replacements',
    covers: ['dangerous-bridge'],
    source: 'plan:349 由省全额补助',
  },
  'station-public-facilities': {
    zh: '县级客运站和乡镇综合服务平台中具有公共服务功能的停车场、候车厅（亭）、售票厅等基础设施建安费',
    en: 'public-service facilities (parking, waiting halls, ticket halls) of county bus stations and township service platforms',
    covers: ['passenger-station-class-2', 'township-service-platform'],
    source: 'plan:351 由省全额补助',
  },
} as const satisfies Record<string, { zh: string; en: string; covers: readonly SubsidyStandardId[]; source: string }>;

export type FullSubsidyItemId = keyof typeof FULL_SUBSIDY_ITEMS;
export const FULL_SUBSIDY_ITEM_IDS = Object.keys(FULL_SUBSIDY_ITEMS) as FullSubsidyItemId[];
export const fullSubsidyItemIdSchema = z.enum(FULL_SUBSIDY_ITEM_IDS as [FullSubsidyItemId, ...FullSubsidyItemId[]]);

/** The project categories that have subsidy standards: a project in one must state its bases. */
export const CATEGORIES_WITH_STANDARDS = ['transport'] as const;

/** Relocation housing: 25 m² per person. */
export const RELOCATION_M2_PER_PERSON = 25;
