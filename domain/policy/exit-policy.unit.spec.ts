import fc from 'fast-check';
import { POVERTY_LINES, exitThresholdFor, povertyLineFor } from './poverty-line';
import { EXIT_THRESHOLDS, NOTICE_DAYS, formatPct, ratioAbovePct, ratioAtLeastPct, ratioBelowPct } from './exit-thresholds';
import { MONITORING, monitoringThresholdFor } from './monitoring';
import { policyLabel } from './policy-ref';
import { PLAN_TOTALS } from '../reference/targets';

describe('exit-side policy tables', () => {
  it('the 2015 line is the plan’s 2,855 yuan, in both series, marked as from the plan', () => {
    const l = povertyLineFor(2015)!;
    expect(l.statistical).toMatchObject({ value: 285_500, origin: 'plan', verified: true });
    expect(l.exitThreshold).toMatchObject({ value: 285_500, origin: 'plan', verified: true });
    expect(l.exitThreshold.value).toBe(PLAN_TOTALS.povertyLine2015);
  });
  it('has an exit threshold for every plan year, each with a source; figures not from the plan are marked unverified', () => {
    expect(POVERTY_LINES.map((l) => l.year)).toEqual([2015, 2016, 2017, 2018, 2019, 2020]);
    for (const l of POVERTY_LINES) {
      expect(Number.isSafeInteger(l.exitThreshold.value)).toBe(true);
      expect(l.exitThreshold.source.length).toBeGreaterThan(10);
      expect(l.statistical.source.length).toBeGreaterThan(10);
      if (l.exitThreshold.origin !== 'plan') expect(l.exitThreshold.verified).toBe(false);
    }
    expect(POVERTY_LINES.map((l) => l.exitThreshold.value / 100)).toEqual([2855, 2952, 3335, 3535, 3747, 4000]);
  });
  it('gives the threshold with the reference a decision records', () => {
    expect(exitThresholdFor(2018)).toEqual({ threshold: 353_500, policy: { id: 'poverty-line', version: 1, year: 2018 } });
    expect(exitThresholdFor(2021)).toBeUndefined();
    expect(policyLabel({ id: 'poverty-line', version: 1, year: 2018 })).toBe('poverty-line/v1/2018');
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
