import { keysOf } from '../household/fixtures';
import { run } from '../shared/testing';
import type { CommandMeta, Role } from '../shared/actor';
import type { Fen } from '../shared/money';
import { householdDecider, type HouseholdCommand, type HouseholdState } from '../household';
import { villageDecider, countPoorRemaining, CHECKLIST_ITEMS, type VillageCommand } from '../village';
import { countyDecider, type CountyCommand } from '../county';
import { generateCounty } from './generator';

/**
 * The whole exit chain on a synthetic 西工区 (253 people in 3 poor villages, plan target 2016):
 * every household exits under the 2016 line, every village at 0% with its checklist, then the
 * district as a non-poor county (all villages out, poor reduced by more than 90%).
 */
const who = (role: Role, now: string): CommandMeta => ({
  actor: ['city-poverty-office', 'inspector', 'province-poverty-office', 'province-government'].includes(role)
    ? { userId: `${role}-01`, role }
    : { userId: `${role}-xg-01`, role, countyId: 'xigong' },
  now,
});
const at = (month: number, day: number) => `2016-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T09:00:00+08:00`;
const ALL_MET = { food: true, clothing: true, compulsoryEducation: true, medicalInsurance: true, safeHousing: true };

const exitHousehold = (data: HouseholdCommand['data'] & { householdId: string }, reg: HouseholdCommand): HouseholdCommand[] => {
  const id = { householdId: data.householdId };
  return [
    reg,
    { type: 'RecordIncome', data: { ...id, year: 2016, perCapitaIncome: 350_000 as Fen, stableIncomeSource: true }, meta: who('work-team', at(9, 1)) },
    { type: 'UpdateGuarantees', data: { ...id, year: 2016, guarantees: ALL_MET }, meta: who('work-team', at(9, 1)) },
    { type: 'AssessForExit', data: { ...id, year: 2016 }, meta: who('work-team', at(9, 2)) },
    // 民主评议 is the village committee's; whoever appraised or checked a household may not record its consent.
    { type: 'AppraiseInVillage', data: { ...id, agreed: true, recordRef: 'xg-2016-appraisal' }, meta: who('village-committee', at(9, 5)) },
    { type: 'CheckByWorkTeam', data: { ...id, confirmed: true, findings: 'verified' }, meta: who('work-team', at(9, 6)) },
    { type: 'RecordConsent', data: { ...id, consents: true, recordRef: 'signed' }, meta: who('township-official', at(9, 7)) },
    { type: 'PostExitNotice', data: { ...id, endsAt: at(9, 15) }, meta: who('township-official', at(9, 8)) },
    { type: 'ReviewByTownship', data: { ...id, approved: true, note: '' }, meta: who('township-official', at(9, 16)) },
    { type: 'AnnounceExit', data: id, meta: who('county-official', at(9, 20)) },
  ];
};

describe('a synthetic 西工区 exits in 2016, step by step', () => {
  const xg = generateCounty('xigong', { seed: 'scenario' });

  it('all households exit, all villages exit, and the district exits as a non-poor county', () => {
    const households = new Map<string, HouseholdState>();
    for (const h of xg.households) {
      const r = run(
        householdDecider,
        exitHousehold(h, { type: 'RegisterHousehold', data: { ...h, memberKeys: keysOf(h.members) }, meta: who('county-official', '2016-03-01T09:00:00+08:00') }),
      );
      expect(r.refused).toBeUndefined();
      households.set(h.householdId, r.state);
    }
    expect(countPoorRemaining(households.values())).toBe(0);

    const villages = xg.villages.map((v) => {
      const inV = xg.households.filter((h) => h.villageId === v.villageId).map((h) => households.get(h.householdId)!);
      const cmds: VillageCommand[] = [
        { type: 'RegisterPoorVillage', data: { villageId: v.villageId, countyId: 'xigong', registeredYear: 2015 }, meta: who('county-official', at(1, 5)) },
        {
          type: 'RecordVillageIncidence',
          data: { villageId: v.villageId, year: 2016, poorRemaining: countPoorRemaining(inV), population: v.ruralPopulation },
          meta: who('township-official', at(10, 1)),
        },
        ...CHECKLIST_ITEMS.map((i): VillageCommand => ({
          type: 'CheckVillageItem',
          data: { villageId: v.villageId, item: i.id, result: i.id === 'collective-income' ? 'considered' : 'met', evidenceRef: `${v.villageId}-${i.id}` },
          meta: who('work-team', at(10, 1)),
        })),
        { type: 'ApplyForVillageExit', data: { villageId: v.villageId, year: 2016 }, meta: who('township-official', at(10, 2)) },
        { type: 'ReviewVillageExit', data: { villageId: v.villageId, approved: true, note: '' }, meta: who('county-official', at(10, 5)) },
        { type: 'PostVillageExitNotice', data: { villageId: v.villageId, endsAt: at(10, 13) }, meta: who('township-official', at(10, 6)) },
        { type: 'AnnounceVillageExit', data: { villageId: v.villageId }, meta: who('county-official', at(10, 14)) },
      ];
      const r = run(villageDecider, cmds);
      expect(r.refused).toBeUndefined();
      return r.state;
    });
    expect(villages.every((v) => v.status === 'exited')).toBe(true);

    // The county's figures as the tallyCounty activity reads them from the store.
    const tally = { poorRemaining: countPoorRemaining(households.values()), poorVillagesExited: villages.filter((v) => v.status === 'exited').length };
    const county: CountyCommand[] = [
      { type: 'ApplyForCountyExit', data: { countyId: 'xigong', year: 2016, ruralPopulation: xg.ruralPopulation, ...tally }, meta: who('county-official', at(11, 1)) },
      { type: 'RecordCityPreCheck', data: { countyId: 'xigong', passed: true, findings: 'files complete' }, meta: who('city-poverty-office', at(11, 10)) },
      {
        type: 'RecordProvincialCheck',
        data: {
          countyId: 'xigong',
          sample: { seed: 'xigong-2016', households: 40, evaluator: 'third-party' },
          wronglyExited: { found: 0, checked: 30 },
          missedPoor: { found: 0, checked: 30 },
          approval: { approving: 38, asked: 40 },
          incomeGrowthBp: { county: 0, province: 0 },
          servicesAtOrNearProvince: true,
        },
        meta: who('province-poverty-office', at(11, 20)),
      },
      // 摘帽 is the province's act: its poverty office checks and posts the notice, its government announces.
      { type: 'PostCountyExitNotice', data: { countyId: 'xigong', endsAt: at(12, 1) }, meta: who('province-poverty-office', at(11, 24)) },
      { type: 'AnnounceCountyExit', data: { countyId: 'xigong' }, meta: who('province-government', at(12, 2)) },
    ];
    const r = run(countyDecider, county);
    expect(r.refused).toBeUndefined();
    expect(r.state).toMatchObject({ status: 'exited', exitYear: 2016 });
    expect(r.events[0]!.data).toMatchObject({ poorCounty: false, poorRemaining: 0, poorVillagesExited: 3, poorVillagesTotal: 3, baselinePoor: 253 });
  });

  it('with one village still above 2%, the district cannot apply and is told which test failed', () => {
    const r = run(countyDecider, [
      {
        type: 'ApplyForCountyExit',
        data: { countyId: 'xigong', year: 2016, ruralPopulation: xg.ruralPopulation, poorRemaining: 20, poorVillagesExited: 2 },
        meta: who('county-official', at(11, 1)),
      },
    ]);
    expect(r.refused?.code).toBe('COUNTY_POOR_VILLAGES_REMAIN');
    expect(r.refused?.en).toBe('1 of 3 poor villages have not exited');
  });
});
