import { deciderSpec } from '../shared/testing';
import { c, HISTORIES, project, wan } from './project.fixtures';
import { provincialCap } from './subsidy';
import { makeDecide } from './decide';
import { POLICIES_BEFORE_V2 } from './policies';
import { initialState } from './state';

/**
 * 补助标准 are the province's share (plan:335-351), not a ceiling on the project: a 3 km village road
 * may cost 120万 with county money on top of the province's 105万; a road renovated and widened has
 * two bases; a part the province pays in full (省级全额补助) is paid at its cost, not the rate.
 */
const spec = deciderSpec(project);
const FUND_PROVINCE = 'fund-song-2017-provincial-01';
const FUND_COUNTY = 'fund-song-2017-county-01';

describe('Subsidy standards: the province’s share, several bases per project', () => {
  describe('Given no project', () => {
    it('when a 3 km village road is proposed at 120万 with its renovation basis, then it is accepted (today’s rule refused it above 105万)', () =>
      void spec
        .given([])
        .when(c.propose({ budget: wan(120) }))
        .thenAccepts());
    it('when a transport project states no basis, then it is refused: a 3 km road at 120万 cannot skip the standard', () =>
      spec
        .given([])
        .when(c.propose({ budget: wan(120), subsidyBases: undefined }))
        .thenRefuses('PROJECT_SUBSIDY_BASIS_REQUIRED'));
    it('when a 2.5 km road is renovated and widened, then both bases are recorded and the province may pay 2.5 × 35万 + 2.5 × 11万 = 115万', () => {
      const bases = [
        { standard: 'village-road-renovation' as const, quantity: 2500 },
        { standard: 'village-road-widening' as const, quantity: 2500 },
      ];
      const [e] = spec
        .given([])
        .when(c.propose({ budget: wan(115), subsidyBases: bases }))
        .thenAccepts();
      expect(e).toMatchObject({ type: 'ProjectProposed', data: { subsidyBases: bases } });
      expect(provincialCap(bases)).toBe(wan(115));
    });
    it('when a workflow recorded before bases were required replays its proposal, then the rules it was decided by still accept it', () => {
      const legacy = makeDecide(POLICIES_BEFORE_V2)(c.propose({ budget: wan(120), subsidyBases: undefined }), initialState());
      expect(legacy.ok).toBe(true);
    });
    it('when the same standard is stated twice, then it is refused', () =>
      spec
        .given([])
        .when(
          c.propose({
            subsidyBases: [
              { standard: 'village-road-renovation', quantity: 1000 },
              { standard: 'village-road-renovation', quantity: 2000 },
            ],
          }),
        )
        .thenRefuses('PROJECT_SUBSIDY_BASIS_DUPLICATE'));
    it('when a proposal recorded before several bases names one subsidyBasis, then it is read as one basis', () => {
      const [e] = spec
        .given([])
        .when(c.propose({ subsidyBases: undefined, subsidyBasis: { standard: 'village-road-renovation', quantity: 3000 } }))
        .thenAccepts();
      expect(e).toMatchObject({ data: { subsidyBases: [{ standard: 'village-road-renovation', quantity: 3000 }] } });
    });
    it('when both forms are given, then it is refused', () =>
      spec
        .given([])
        .when(c.propose({ subsidyBasis: { standard: 'village-road-renovation', quantity: 3000 } }))
        .thenRefuses('PROJECT_SUBSIDY_BASIS_TWICE'));
    it('when a water project states a transport standard, then it is refused; without one it is accepted (water has no standards)', () => {
      spec
        .given([])
        .when(c.propose({ category: 'water' }))
        .thenRefuses('PROJECT_STANDARD_NOT_APPLICABLE');
      spec
        .given([])
        .when(c.propose({ category: 'water', subsidyBases: undefined }))
        .thenAccepts();
    });
    it('when the village road’s pavement is a 省级全额补助 item, then the province may pay its whole cost, not 35万/km', () => {
      const bases = [{ standard: 'village-road-renovation' as const, quantity: 3000, fullSubsidy: { item: 'village-road-pavement' as const, cost: wan(126) } }];
      spec
        .given([])
        .when(c.propose({ budget: wan(140), subsidyBases: bases }))
        .thenAccepts();
      expect(provincialCap(bases)).toBe(wan(126));
    });
    it('when a full-subsidy item is named for work it does not cover, or costs more than the budget, then it is refused', () => {
      spec
        .given([])
        .when(c.propose({ subsidyBases: [{ standard: 'village-road-widening', quantity: 3000, fullSubsidy: { item: 'village-road-pavement', cost: wan(30) } }] }))
        .thenRefuses('PROJECT_FULL_SUBSIDY_NOT_COVERED');
      spec
        .given([])
        .when(
          c.propose({ budget: wan(100), subsidyBases: [{ standard: 'dangerous-bridge', quantity: 200, fullSubsidy: { item: 'dangerous-bridge-main-works', cost: wan(101) } }] }),
        )
        .thenRefuses('PROJECT_FULL_SUBSIDY_EXCEEDS_BUDGET');
    });
  });

  describe('Given a 3 km road of 120万 in the library', () => {
    const inLibrary = (() => {
      const h = HISTORIES['in-library'];
      // The same history with a 120万 budget: the proposal is the first event.
      const [first, ...rest] = h;
      return [{ ...first!, data: { ...(first!.data as object), budget: wan(120) } } as typeof first, ...rest] as typeof h;
    })();
    it('when the province funds more than 3 × 35万, then it is refused', () =>
      spec
        .given(inLibrary)
        .when(c.fund('alc-p', FUND_PROVINCE, 'provincial' as never, (wan(105) + 1) as never))
        .thenRefuses('PROJECT_PROVINCIAL_SHARE_EXCEEDS_STANDARD'));
    it('when the province funds 105万 and the county 15万, then it is fully funded', () => {
      const p = spec
        .given(inLibrary)
        .when(c.fund('alc-p', FUND_PROVINCE, 'provincial' as never, wan(105)))
        .thenAccepts();
      const k = spec
        .given([...inLibrary, ...p])
        .when(c.fund('alc-k', FUND_COUNTY, 'county', wan(15)))
        .thenAccepts();
      expect(k.map((e) => e.type)).toEqual(['ProjectFundingRecorded', 'ProjectFullyFunded']);
    });
    it('when the province funds in two parts, then together they stay within its share', () => {
      const p = spec
        .given(inLibrary)
        .when(c.fund('alc-p1', FUND_PROVINCE, 'provincial' as never, wan(100)))
        .thenAccepts();
      spec
        .given([...inLibrary, ...p])
        .when(c.fund('alc-p2', FUND_PROVINCE, 'provincial' as never, (wan(5) + 1) as never))
        .thenRefuses('PROJECT_PROVINCIAL_SHARE_EXCEEDS_STANDARD');
    });
  });
});
