import { domainError, type DomainError } from '../shared/errors';
import { EXIT_THRESHOLDS as X, exitThresholdsRef, formatPct, ratioAbovePct, ratioAtLeastPct, ratioBelowPct } from '../policy/exit-thresholds';
import type { PolicyRef } from '../policy/policy-ref';
import { COUNTY_CHECK, countyCheckRef } from '../policy/county-check';
import type { CountyKind } from '../reference/counties';

/** National and provincial key counties take off the "poor county" cap (摘帽); the others exit as non-poor counties. */
export const isPoorCounty = (kind: CountyKind): boolean => kind === 'national-key-qinba' || kind === 'national-key' || kind === 'provincial-key';

export interface CountyApplicationFigures {
  readonly poorRemaining: number;
  /** Registered rural population of the county for the year (the incidence denominator; see village/incidence.ts). */
  readonly ruralPopulation: number;
  readonly poorVillagesExited: number;
  /** From the plan (domain/reference/counties.ts). */
  readonly poorVillagesTotal: number;
  /** Registered poor at the start of the plan, from the plan. */
  readonly baselinePoor: number;
}

const e = domainError;
const ratio = (n: number, d: number) => `${formatPct(n, d)} (${n}/${d})`;

/**
 * The tests a county must pass to apply. Poor county: incidence below 2% and at least 90% of its
 * poor villages exited. Non-poor county: every poor village exited and the poor reduced by more
 * than 90% of the plan's baseline.
 */
export const evaluateCountyApplication = (kind: CountyKind, f: CountyApplicationFigures): DomainError[] => {
  const failures: DomainError[] = [];
  if (isPoorCounty(kind)) {
    const pct = X.countyIncidenceBelowPct.value;
    if (!ratioBelowPct(f.poorRemaining, f.ruralPopulation, pct)) {
      failures.push(
        e(
          'COUNTY_INCIDENCE_TOO_HIGH',
          `贫困发生率${ratio(f.poorRemaining, f.ruralPopulation)}未降至${pct}%以下`,
          `incidence ${ratio(f.poorRemaining, f.ruralPopulation)} is not below ${pct}%`,
          { test: 'county-incidence', thresholdPct: pct },
        ),
      );
    }
    const vpct = X.countyPoorVillagesExitedAtLeastPct.value;
    if (!ratioAtLeastPct(f.poorVillagesExited, f.poorVillagesTotal, vpct)) {
      failures.push(
        e(
          'COUNTY_TOO_FEW_VILLAGES_EXITED',
          `贫困村退出比例${ratio(f.poorVillagesExited, f.poorVillagesTotal)}未达到${vpct}%`,
          `poor villages exited ${ratio(f.poorVillagesExited, f.poorVillagesTotal)} is below ${vpct}%`,
          {
            test: 'county-villages-exited',
            thresholdPct: vpct,
          },
        ),
      );
    }
  } else {
    if (f.poorVillagesExited < f.poorVillagesTotal) {
      const left = f.poorVillagesTotal - f.poorVillagesExited;
      failures.push(
        e('COUNTY_POOR_VILLAGES_REMAIN', `仍有${left}个贫困村未退出（共${f.poorVillagesTotal}个）`, `${left} of ${f.poorVillagesTotal} poor villages have not exited`, {
          test: 'non-poor-county-villages',
        }),
      );
    }
    const rpct = X.nonPoorCountyReducedMoreThanPct.value;
    const reduced = Math.max(0, f.baselinePoor - f.poorRemaining);
    if (!ratioAbovePct(reduced, f.baselinePoor, rpct)) {
      failures.push(
        e(
          'COUNTY_POOR_NOT_REDUCED_ENOUGH',
          `贫困人口减少${ratio(reduced, f.baselinePoor)}，未超过${rpct}%`,
          `poor population reduced by ${ratio(reduced, f.baselinePoor)}, not more than ${rpct}%`,
          {
            test: 'non-poor-county-reduction',
            thresholdPct: rpct,
          },
        ),
      );
    }
  }
  return failures;
};

export interface ProvincialFindings {
  /** 错退: exited households found still poor, of exited households sampled. */
  readonly wronglyExited: { readonly found: number; readonly checked: number };
  /** 漏评: poor households found unregistered, of non-registered households sampled. */
  readonly missedPoor: { readonly found: number; readonly checked: number };
  /** 群众认可度: people approving, of people asked. */
  readonly approval: { readonly approving: number; readonly asked: number };
  /** Farmer per-capita disposable income growth, in basis points (8.5% = 850). */
  readonly incomeGrowthBp: { readonly county: number; readonly province: number };
  readonly servicesAtOrNearProvince: boolean;
}

/** The county's populations at the check, from its households' current states and the workflow's input. */
export interface SampleFrames {
  /** Registered poor not yet exited (未脱贫人口), people. */
  readonly poorRemaining: number;
  /** The 错退 frame: exited households, and their people. */
  readonly exitedHouseholds: number;
  readonly exitedPeople: number;
  /** The 漏评 frame: rural households not on the register, and their people. */
  readonly nonRegisteredHouseholds: number;
  readonly nonRegisteredPeople: number;
}

/** The 综合贫困发生率's parts: the sampled rates carried to the county, rounded half up for people to read. */
export interface CompositeIncidence {
  readonly unexited: number;
  readonly wronglyExitedEstimate: number;
  readonly missedEstimate: number;
  readonly ruralPopulation: number;
}

const roundHalfUp = (num: bigint, den: bigint): number => Number((2n * num + den) / (2n * den));

/**
 * 综合贫困发生率 = (U + fw/cw·E + fm/cm·N) / R: U the unexited, fw of cw sampled exited households
 * found wrongly exited carried to E exited people, fm of cm sampled non-registered households found
 * poor carried to N non-registered people, R the agricultural registered population. Compared as a
 * fraction in integers (no rounding decides a boundary); the estimates are rounded for messages only.
 */
export const compositeIncidence = (f: ProvincialFindings, frames: SampleFrames, ruralPopulation: number): { parts: CompositeIncidence; belowPct: (pct: number) => boolean } => {
  const [fw, cw, fm, cm] = [f.wronglyExited.found, f.wronglyExited.checked, f.missedPoor.found, f.missedPoor.checked].map(BigInt) as [bigint, bigint, bigint, bigint];
  const [u, e, n, r] = [frames.poorRemaining, frames.exitedPeople, frames.nonRegisteredPeople, ruralPopulation].map(BigInt) as [bigint, bigint, bigint, bigint];
  const num = u * cw * cm + fw * e * cm + fm * n * cw;
  const den = r * cw * cm;
  return {
    parts: { unexited: frames.poorRemaining, wronglyExitedEstimate: roundHalfUp(fw * e, cw), missedEstimate: roundHalfUp(fm * n, cm), ruralPopulation },
    belowPct: (pct) => num * 100n < BigInt(pct) * den,
  };
};

/** The result of the check: its failures, and the 综合贫困发生率 when the frames were given. */
export interface ProvincialCheckResult {
  readonly failures: DomainError[];
  readonly policy: PolicyRef;
  readonly composite: (CompositeIncidence & { readonly tested: boolean; readonly policy: PolicyRef }) | null;
}

/**
 * The provincial check of a poor county (贫困县): the national rates (错退率 < 2%, 漏评率 < 2%, 认可度 ≥ 90%),
 * the 综合贫困发生率 below 2% with the sampled 错退 and 漏评 in it, and the plan's comparisons with the
 * province (income growth above the province average, public services at or near it). A non-poor
 * county (面上县) exits on the plan's tests at application; its check records the same figures and
 * they do not block (policy/county-check.ts nonPoorCountyRatesBlock).
 */
export const evaluateProvincialCheck = (kind: CountyKind, f: ProvincialFindings, frames?: { frames: SampleFrames; ruralPopulation: number }): ProvincialCheckResult => {
  const failures: DomainError[] = [];
  const tested = isPoorCounty(kind) || COUNTY_CHECK.nonPoorCountyRatesBlock.value;
  const c = frames ? compositeIncidence(f, frames.frames, frames.ruralPopulation) : undefined;
  const composite = c ? { ...c.parts, tested, policy: countyCheckRef } : null;
  if (!tested) return { failures, policy: exitThresholdsRef, composite };
  const w = X.wronglyExitedBelowPct.value;
  if (!ratioBelowPct(f.wronglyExited.found, f.wronglyExited.checked, w)) {
    failures.push(
      e(
        'COUNTY_WRONGLY_EXITED_TOO_HIGH',
        `错退率${ratio(f.wronglyExited.found, f.wronglyExited.checked)}未低于${w}%`,
        `wrongly-exited rate ${ratio(f.wronglyExited.found, f.wronglyExited.checked)} is not below ${w}%`,
        { test: 'wrongly-exited', thresholdPct: w },
      ),
    );
  }
  const m = X.missedPoorBelowPct.value;
  if (!ratioBelowPct(f.missedPoor.found, f.missedPoor.checked, m)) {
    failures.push(
      e(
        'COUNTY_MISSED_POOR_TOO_HIGH',
        `漏评率${ratio(f.missedPoor.found, f.missedPoor.checked)}未低于${m}%`,
        `missed-poor rate ${ratio(f.missedPoor.found, f.missedPoor.checked)} is not below ${m}%`,
        { test: 'missed-poor', thresholdPct: m },
      ),
    );
  }
  const a = X.publicApprovalAtLeastPct.value;
  if (!ratioAtLeastPct(f.approval.approving, f.approval.asked, a)) {
    failures.push(
      e(
        'COUNTY_APPROVAL_TOO_LOW',
        `群众认可度${ratio(f.approval.approving, f.approval.asked)}未达到${a}%`,
        `public approval ${ratio(f.approval.approving, f.approval.asked)} is below ${a}%`,
        { test: 'public-approval', thresholdPct: a },
      ),
    );
  }
  const cp = COUNTY_CHECK.compositeIncidenceBelowPct.value;
  if (c && composite && !c.belowPct(cp)) {
    const total = composite.unexited + composite.wronglyExitedEstimate + composite.missedEstimate;
    const parts = `未脱贫${composite.unexited}人、错退约${composite.wronglyExitedEstimate}人、漏评约${composite.missedEstimate}人，农业户籍人口${composite.ruralPopulation}人`;
    failures.push(
      e(
        'COUNTY_COMPOSITE_INCIDENCE_TOO_HIGH',
        `综合贫困发生率约${formatPct(total, composite.ruralPopulation)}未低于${cp}%（${parts}）`,
        `composite incidence about ${formatPct(total, composite.ruralPopulation)} is not below ${cp}% (${composite.unexited} unexited, about ${composite.wronglyExitedEstimate} wrongly exited, about ${composite.missedEstimate} missed, of ${composite.ruralPopulation})`,
        { test: 'composite-incidence', thresholdPct: cp, ...composite },
      ),
    );
  }
  const { county, province } = f.incomeGrowthBp;
  if (!(county > province)) {
    const p = (bp: number) => `${(bp / 100).toFixed(2)}%`;
    failures.push(
      e(
        'COUNTY_INCOME_GROWTH_NOT_ABOVE_PROVINCE',
        `农民收入增幅${p(county)}未高于全省${p(province)}`,
        `farmer income growth ${p(county)} is not above the province's ${p(province)}`,
        { test: 'income-growth', county, province },
      ),
    );
  }
  if (!f.servicesAtOrNearProvince) {
    failures.push(
      e('COUNTY_SERVICES_BELOW_PROVINCE', '基本公共服务主要指标未达到或接近全省平均水平', 'public services are not at or near the province average', { test: 'public-services' }),
    );
  }
  return { failures, policy: exitThresholdsRef, composite };
};
