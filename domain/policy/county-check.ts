import type { PolicyRef, Sourced } from './policy-ref';

/**
 * The provincial check of a county's exit (省级核查, 专项评估检查): how its sample is drawn and what
 * the sample's findings are held against beyond the rates of exit-thresholds.ts. None of it is in
 * the Luoyang plan, so every entry says where it comes from and stays unverified until the
 * document is in hand.
 */
export const COUNTY_CHECK_VERSION = 1;
export const countyCheckRef: PolicyRef = { id: 'county-check', version: COUNTY_CHECK_VERSION };

const NATIONAL_CHECK = '国务院扶贫开发领导小组《贫困县退出专项评估检查实施办法（试行）》(2017) under 厅字〔2016〕16号; not in the Luoyang plan';

export const COUNTY_CHECK = {
  /**
   * 综合贫困发生率 = (未脱贫人口 + 错退人口 + 漏评人口) / 农业户籍人口, below 2% for a poor county in
   * central China. 错退 and 漏评 are the sample's rates carried to the county: the share of sampled
   * exited households found wrongly exited times the people of all exited households, and the share of
   * sampled non-registered households found poor times the non-registered rural people.
   */
  compositeIncidenceBelowPct: { value: 2, origin: 'national-policy', source: `综合贫困发生率低于2%（中部地区）: ${NATIONAL_CHECK}`, verified: false } as Sourced<number>,
  /**
   * The fewest households the checker draws from each frame (all of them when the frame is smaller);
   * the checker may draw more, never fewer. The national check sets its samples per county; the
   * figure here is this system's assumption.
   */
  minimumSample: {
    value: { exitedHouseholds: 300, nonRegisteredHouseholds: 300 },
    origin: 'assumption',
    source: `assumed; the national check's sample sizes are set per county (${NATIONAL_CHECK}) and not in hand here`,
    verified: false,
  } as Sourced<{ readonly exitedHouseholds: number; readonly nonRegisteredHouseholds: number }>,
  /**
   * 面上县 (a non-poor county with poor villages) exits on the plan's own two tests (all poor villages out,
   * the poor reduced by more than 90%); the national rates and the 综合贫困发生率 are the 贫困县's. The
   * province's check of a 面上县 records the same sample and rates, and they do not block it: a Henan
   * rule that applies them to 面上县 is not in hand.
   */
  nonPoorCountyRatesBlock: {
    value: false,
    origin: 'plan',
    source:
      'Luoyang plan ch. 3 §2 item 4 (非贫困县: 贫困村全部脱贫, 贫困人口减少90%以上) and ch. 3 §3; the rates of 厅字〔2016〕16号 are for 贫困县; no Henan document for 面上县 in hand',
    verified: false,
  } as Sourced<boolean>,
} as const;
