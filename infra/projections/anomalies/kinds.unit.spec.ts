import { anomalyKindOfRefusal, daysBetween, isIdle, standingAfter } from './kinds';

describe('anomaly kinds', () => {
  it('names the refusals that are anomalies and leaves ordinary ones out', () => {
    expect(anomalyKindOfRefusal('FUND_INSUFFICIENT')).toBe('over-allocation');
    expect(anomalyKindOfRefusal('PROJECT_FUNDING_EXCEEDS_BUDGET')).toBe('over-allocation');
    expect(anomalyKindOfRefusal('FUND_PAYMENT_EXCEEDS_ALLOCATION')).toBe('over-allocation');
    expect(anomalyKindOfRefusal('PAYMENT_SETTLEMENT_BEFORE_ACCEPTANCE')).toBe('payment-before-acceptance');
    expect(anomalyKindOfRefusal('PAYMENT_CONFIRMED_NOT_RECORDED')).toBe('payment-confirmed-not-recorded');
    expect(anomalyKindOfRefusal('PROJECT_OUT_OF_ORDER')).toBeNull();
    expect(anomalyKindOfRefusal('ACCESS_SEPARATION_OF_DUTIES')).toBeNull();
  });

  it("reads a household's standing from its last registration, exit or return", () => {
    expect(standingAfter(null)).toBe('unregistered');
    expect(standingAfter('HouseholdRegistered')).toBe('registered');
    expect(standingAfter('HouseholdExitAnnounced')).toBe('exited');
    expect(standingAfter('HouseholdReturnedToPoverty')).toBe('registered');
  });

  it('counts calendar days across years and leap days, and calls money idle after more than 365 of them', () => {
    expect(daysBetween('2016-03-01', '2017-03-01')).toBe(365);
    expect(daysBetween('2016-02-01', '2017-02-01')).toBe(366);
    expect(daysBetween('2017-03-01', '2016-03-01')).toBe(-365);
    expect(isIdle(1, '2017-03-01', '2018-03-02')).toBe(true);
    expect(isIdle(1, '2017-03-01', '2018-03-01')).toBe(false);
    expect(isIdle(1, '2017-03-01', '2018-02-28')).toBe(false);
    expect(isIdle(0, '2017-03-01', '2020-01-01')).toBe(false);
  });
});
