import type { Fen } from '../shared/money';
import type { PolicyRef, Sourced } from './policy-ref';

/**
 * Two series, kept apart on purpose:
 * - the statistical line (国家统计局 monitoring line, 2,300 yuan at 2010 constant prices carried to
 *   current prices) measures poverty in surveys;
 * - the administrative exit threshold (脱贫标准) is what a registered household's income is compared
 *   with when it exits. In several years provinces used a threshold above the statistical line.
 * Only the 2015 figure is in the Luoyang plan; the others are national figures as widely published
 * and are marked so. Exit decisions use the exit threshold only.
 */
export const POVERTY_LINE_VERSION = 1;

export interface PovertyLineYear {
  readonly year: number;
  /** null where no figure could be stated with confidence. */
  readonly statistical: Sourced<Fen | null>;
  readonly exitThreshold: Sourced<Fen>;
}

const y = (yuan: number): Fen => (yuan * 100) as Fen;

const PLAN_2015 = 'Luoyang 13th Five-Year poverty plan (洛政办〔2017〕67号), ch. 1: 农民人均纯收入2855元以下的贫困人口';

export const POVERTY_LINES: readonly PovertyLineYear[] = [
  {
    year: 2015,
    statistical: { value: y(2855), origin: 'plan', source: PLAN_2015, verified: true },
    exitThreshold: { value: y(2855), origin: 'plan', source: PLAN_2015, verified: true },
  },
  {
    year: 2016,
    statistical: { value: y(2952), origin: 'national-statistics', source: 'NBS current-price rural poverty line for 2016 (2,952 yuan), as widely published; not in the plan', verified: false },
    exitThreshold: {
      value: y(2952),
      origin: 'national-statistics',
      source: 'national current-price line 2,952 yuan used as the 2016 exit threshold; some provinces published a rounded ~3,000 — the Henan figure was not checked',
      verified: false,
    },
  },
  {
    year: 2017,
    statistical: { value: null, origin: 'national-statistics', source: 'NBS 2017 current-price figure not stated: could not be verified here', verified: false },
    exitThreshold: { value: y(3335), origin: 'national-policy', source: 'national exit threshold 3,335 yuan for 2017 as widely published; not in the plan', verified: false },
  },
  {
    year: 2018,
    statistical: { value: null, origin: 'national-statistics', source: 'NBS 2018 current-price figure not stated: could not be verified here', verified: false },
    exitThreshold: { value: y(3535), origin: 'national-policy', source: 'national exit threshold 3,535 yuan for 2018 as widely published; not in the plan', verified: false },
  },
  {
    year: 2019,
    statistical: { value: null, origin: 'national-statistics', source: 'NBS 2019 current-price figure not stated: could not be verified here', verified: false },
    exitThreshold: { value: y(3747), origin: 'national-policy', source: 'national exit threshold 3,747 yuan for 2019 as widely published; not in the plan', verified: false },
  },
  {
    year: 2020,
    statistical: { value: null, origin: 'national-statistics', source: 'NBS 2020 current-price figure not stated: could not be verified here', verified: false },
    exitThreshold: {
      value: y(4000),
      origin: 'national-policy',
      source: 'published as "about 4,000 yuan" (约4000元) for 2020; 4,000 is the rounded figure, not an exact one',
      verified: false,
    },
  },
];

const byYear = new Map(POVERTY_LINES.map((l) => [l.year, l]));

export const povertyLineFor = (year: number): PovertyLineYear | undefined => byYear.get(year);

/** The threshold an exit in `year` is judged against, with the reference to record in the event. */
export const exitThresholdFor = (year: number): { threshold: Fen; policy: PolicyRef } | undefined => {
  const l = byYear.get(year);
  return l && { threshold: l.exitThreshold.value, policy: { id: 'poverty-line', version: POVERTY_LINE_VERSION, year } };
};

export const POVERTY_LINE_YEARS = POVERTY_LINES.map((l) => l.year);
