import type { Fen } from '../shared/money';
import type { PolicyRef, Sourced } from './policy-ref';

/**
 * Two series, kept apart on purpose, each labelled with what it is for:
 * - 脱贫标准 (the administrative exit standard) is what a registered household's income is compared
 *   with when it exits. **Exit decisions use this series only** (`exitThresholdFor`).
 * - 国家统计局农村贫困标准 (the statistical line: 2,300 yuan at 2010 constant prices carried to current
 *   prices) measures poverty in surveys. It is for statistics only (`statisticalLineFor`) and no
 *   decider reads it.
 * Version 1 mixed them (2016 from the statistical series, 2017–2020 from the exit standard); version 2
 * takes every exit year from the exit standard. Decisions recorded under v1 keep their threshold in
 * their own event, so no v1 figure has to be re-derived here.
 * Only the 2015 statistical figure is in the Luoyang plan; every other figure is national, as widely
 * published, and stays `verified:false` until Henan's document for that year is in hand.
 */
export const POVERTY_LINE_VERSION = 2;

export interface ExitStandardYear {
  readonly year: number;
  readonly value: Sourced<Fen>;
  /** The document that sets the year's standard (文号), or what is still missing. */
  readonly document: string;
}

export interface StatisticalLineYear {
  readonly year: number;
  readonly value: Sourced<Fen>;
}

const y = (yuan: number): Fen => (yuan * 100) as Fen;

const PLAN_2015 = 'Luoyang 13th Five-Year poverty plan (洛政办〔2017〕67号), ch. 1: 农民人均纯收入2855元以下的贫困人口';
const HENAN_MISSING = '河南省当年脱贫标准文件未取得（待核）';

const exit = (year: number, yuan: number, source: string): ExitStandardYear => ({
  year,
  value: { value: y(yuan), origin: 'national-policy', source, verified: false },
  document: HENAN_MISSING,
});

/** 脱贫标准 by year: the only series an exit decision is judged against. */
export const EXIT_STANDARDS: readonly ExitStandardYear[] = [
  exit(2016, 3146, 'national exit standard 3,146 yuan for 2016 as widely published (2,300 yuan at 2010 prices, adjusted); not in the plan'),
  exit(2017, 3335, 'national exit standard 3,335 yuan for 2017 as widely published; not in the plan'),
  exit(2018, 3535, 'national exit standard 3,535 yuan for 2018 as widely published; not in the plan'),
  exit(2019, 3747, 'national exit standard 3,747 yuan for 2019 as widely published; not in the plan'),
  exit(2020, 4000, 'published as "about 4,000 yuan" (约4000元) for 2020; 4,000 is the rounded figure, not an exact one'),
];

const stat = (year: number, yuan: number): StatisticalLineYear => ({
  year,
  value: {
    value: y(yuan),
    origin: 'national-statistics',
    source: `NBS current-price rural poverty line for ${year} (${yuan.toLocaleString('en')} yuan), as widely published; not in the plan`,
    verified: false,
  },
});

/** 国家统计局农村贫困标准 (current prices): for statistics only; no exit decision reads it. */
export const STATISTICAL_LINES: readonly StatisticalLineYear[] = [
  { year: 2015, value: { value: y(2855), origin: 'plan', source: PLAN_2015, verified: true } },
  stat(2016, 2952),
  stat(2017, 2952),
  stat(2018, 2995),
  stat(2019, 3218),
];

export const SERIES_LABELS = {
  exit: { zh: '脱贫标准（退出判定用）', en: 'exit standard (used for exit decisions)' },
  statistical: { zh: '国家统计局农村贫困标准（仅用于统计）', en: 'NBS rural poverty line (statistics only)' },
} as const;

const exitByYear = new Map(EXIT_STANDARDS.map((l) => [l.year, l]));
const statByYear = new Map(STATISTICAL_LINES.map((l) => [l.year, l]));

export const exitStandardFor = (year: number): ExitStandardYear | undefined => exitByYear.get(year);
export const statisticalLineFor = (year: number): StatisticalLineYear | undefined => statByYear.get(year);

/** The threshold an exit in `year` is judged against, with the reference to record in the event. */
export const exitThresholdFor = (year: number): { threshold: Fen; policy: PolicyRef } | undefined => {
  const l = exitByYear.get(year);
  return l && { threshold: l.value.value, policy: { id: 'poverty-line', version: POVERTY_LINE_VERSION, year } };
};

export const POVERTY_LINE_YEARS = EXIT_STANDARDS.map((l) => l.year);
