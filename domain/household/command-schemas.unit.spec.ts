import { HOUSEHOLD_COMMAND_DATA_SCHEMAS } from './command-schemas';
import { VILLAGE_COMMAND_DATA_SCHEMAS } from '../village/command-schemas';
import { COUNTY_COMMAND_DATA_SCHEMAS } from '../county/command-schemas';
import { TO_STATE } from './fixtures';
import { V_TO_STATE } from '../village/fixtures';

describe('exit-side command schemas at the boundary', () => {
  it('accept every fixture command’s data', () => {
    // Member keys are not the caller's to send: the registry computes them with the salt.
    const withoutKeys = (d: object): object => Object.fromEntries(Object.entries(d).filter(([k]) => k !== 'memberKeys'));
    for (const c of TO_STATE['return-notice']) expect(HOUSEHOLD_COMMAND_DATA_SCHEMAS[c.type].safeParse(withoutKeys(c.data)).success).toBe(true);
    for (const c of V_TO_STATE['poor-objection-open']) expect(VILLAGE_COMMAND_DATA_SCHEMAS[c.type].safeParse(c.data).success).toBe(true);
  });
  it('refuse a name or an ID number as a household id, and income as a float', () => {
    const base = TO_STATE.poor[1]!.data;
    expect(HOUSEHOLD_COMMAND_DATA_SCHEMAS.RecordIncome.safeParse({ ...base, householdId: 'hh-song-张三' }).success).toBe(false);
    expect(HOUSEHOLD_COMMAND_DATA_SCHEMAS.RecordIncome.safeParse({ ...base, householdId: 'hh-song-41032519750312001X' }).success).toBe(false);
    expect(HOUSEHOLD_COMMAND_DATA_SCHEMAS.RecordIncome.safeParse({ ...base, perCapitaIncome: 3612.5 }).success).toBe(false);
  });
  it('refuse a county findings record with an empty sample', () => {
    const ok = {
      countyId: 'song',
      sample: { seed: 's', households: 10, evaluator: 'e' },
      wronglyExited: { found: 0, checked: 10 },
      missedPoor: { found: 0, checked: 10 },
      approval: { approving: 10, asked: 10 },
      incomeGrowthBp: { county: 900, province: 800 },
      servicesAtOrNearProvince: true,
    };
    expect(COUNTY_COMMAND_DATA_SCHEMAS.RecordProvincialCheck.safeParse(ok).success).toBe(true);
    expect(COUNTY_COMMAND_DATA_SCHEMAS.RecordProvincialCheck.safeParse({ ...ok, approval: { approving: 0, asked: 0 } }).success).toBe(false);
  });
});
