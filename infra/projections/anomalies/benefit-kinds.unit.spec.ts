import { ANOMALY_KINDS } from './kinds';
import { BENEFIT_ANOMALY_KINDS, BENEFIT_ANOMALY_NAMES, isBackdated } from './benefit-kinds';

describe('benefit anomaly kinds', () => {
  it('are listed by GET /anomalies and each has a zh and an en name', () => {
    for (const k of BENEFIT_ANOMALY_KINDS) {
      expect(ANOMALY_KINDS).toContain(k);
      expect(BENEFIT_ANOMALY_NAMES[k].zh).toMatch(/[\u4e00-\u9fff]/);
      expect(BENEFIT_ANOMALY_NAMES[k].en.length).toBeGreaterThan(0);
    }
  });

  it('calls a step backdated (倒签) only when recorded more than 30 days after the day it claims (Beijing time)', () => {
    expect(isBackdated('2019-03-01', '2019-03-31T15:59:59Z')).toBe(false);
    expect(isBackdated('2019-03-01', '2019-04-01T16:00:00Z')).toBe(true);
    expect(isBackdated('2019-03-01', '2019-03-01T08:00:00Z')).toBe(false);
  });
});
