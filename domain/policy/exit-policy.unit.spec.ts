import fc from 'fast-check';
import { EXIT_STANDARDS, SERIES_LABELS, STATISTICAL_LINES, exitThresholdFor, statisticalLineFor } from './poverty-line';
import { policyZh } from '../names/policies';
import { EXIT_THRESHOLDS, NOTICE_DAYS, formatPct, ratioAbovePct, ratioAtLeastPct, ratioBelowPct } from './exit-thresholds';
import { MONITORING, monitoringThresholdFor } from './monitoring';
import { policyLabel } from './policy-ref';
import { PLAN_TOTALS } from '../reference/targets';

describe('exit-side policy tables', () => {
  it('the 2015 line is the plan’s 2,855 yuan, in the statistical series, marked as from the plan; 2015 has no exit standard', () => {
    expect(statisticalLineFor(2015)!.value).toMatchObject({ value: 285_500, origin: 'plan', verified: true });
    expect(statisticalLineFor(2015)!.value.value).toBe(PLAN_TOTALS.povertyLine2015);
    expect(exitThresholdFor(2015)).toBeUndefined();
  });
  it('has an exit standard (脱贫标准) for every plan year, each with a source and its document; figures not from the plan are marked unverified', () => {
    expect(EXIT_STANDARDS.map((l) => l.year)).toEqual([2016, 2017, 2018, 2019, 2020]);
    for (const l of EXIT_STANDARDS) {
      expect(Number.isSafeInteger(l.value.value)).toBe(true);
      expect(l.value.source.length).toBeGreaterThan(10);
      expect(l.document.length).toBeGreaterThan(4);
      if (l.value.origin !== 'plan') expect(l.value.verified).toBe(false);
    }
    expect(EXIT_STANDARDS.map((l) => l.value.value / 100)).toEqual([3146, 3335, 3535, 3747, 4000]);
  });
  it('keeps the statistical series apart, labelled for statistics only; no exit year takes its figure from it', () => {
    expect(STATISTICAL_LINES.map((l) => [l.year, l.value.value / 100])).toEqual([
      [2015, 2855],
      [2016, 2952],
      [2017, 2952],
      [2018, 2995],
      [2019, 3218],
    ]);
    for (const l of STATISTICAL_LINES) expect(l.value.origin === 'plan' || l.value.origin === 'national-statistics').toBe(true);
    for (const l of EXIT_STANDARDS) expect(l.value.origin).not.toBe('national-statistics');
    expect(SERIES_LABELS.statistical.zh).toContain('仅用于统计');
    expect(SERIES_LABELS.exit.zh).toContain('退出判定');
  });
  it('gives the threshold with the reference a decision records', () => {
    expect(exitThresholdFor(2016)).toEqual({ threshold: 314_600, policy: { id: 'poverty-line', version: 2, year: 2016 } });
    expect(exitThresholdFor(2018)).toEqual({ threshold: 353_500, policy: { id: 'poverty-line', version: 2, year: 2018 } });
    expect(exitThresholdFor(2021)).toBeUndefined();
    expect(policyLabel({ id: 'poverty-line', version: 2, year: 2018 })).toBe('poverty-line/v2/2018');
    expect(policyZh({ id: 'poverty-line', version: 2, year: 2018 })).toBe('脱贫标准（第2版，2018年）');
  });
  it('the monitoring line is 1.5 × the exit threshold, exact in fen and rounded up', () => {
    expect(monitoringThresholdFor(2018)!.threshold).toBe(530_250);
    expect(monitoringThresholdFor(2019)!.threshold).toBe(562_050);
    expect(monitoringThresholdFor(2020)!.threshold).toBe(600_000);
    expect(MONITORING.policiesContinueUntilYear.value).toBe(2020);
  });
  it('states the plan’s thresholds and notice periods, each with its origin', () => {
    expect(EXIT_THRESHOLDS.villageIncidenceBelowPct).toMatchObject({ value: 2, origin: 'plan' });
    expect(EXIT_THRESHOLDS.countyPoorVillagesExitedAtLeastPct).toMatchObject({ value: 90, origin: 'plan' });
    expect(EXIT_THRESHOLDS.wronglyExitedBelowPct).toMatchObject({ value: 2, origin: 'national-policy' });
    expect(NOTICE_DAYS.householdExit.value).toBe(7);
    expect(NOTICE_DAYS.returnToPoverty.value).toBe(5);
  });
  it('compares rates exactly in integers, matching BigInt cross-multiplication', () => {
    fc.assert(
      fc.property(fc.nat({ max: 50_000_000 }), fc.integer({ min: 1, max: 50_000_000 }), fc.integer({ min: 1, max: 99 }), (n, d, pct) => {
        const l = BigInt(n) * 100n;
        const r = BigInt(pct) * BigInt(d);
        expect(ratioBelowPct(n, d, pct)).toBe(l < r);
        expect(ratioAtLeastPct(n, d, pct)).toBe(l >= r);
        expect(ratioAbovePct(n, d, pct)).toBe(l > r);
      }),
      { numRuns: 5000 },
    );
  });
  it('formats percentages for messages with half-up rounding', () => {
    expect(formatPct(21, 1000)).toBe('2.10%');
    expect(formatPct(2, 3)).toBe('66.67%');
    expect(formatPct(1, 8)).toBe('12.50%');
    expect(formatPct(1, 0)).toBe('n/a');
  });
});
