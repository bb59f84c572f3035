import fc from 'fast-check';
import { deciderSpec } from '../shared/testing';
import { villageDecider, VILLAGE_COMMAND_TYPES, type VillageCommand } from './index';
import { incidenceBelowPct, countPoorRemaining } from './incidence';
import { V_TO_STATE, vcmd, villageHistory, vsteps, VT } from './fixtures';
import { initialState, type HouseholdState } from '../household/state';

const spec = deciderSpec(villageDecider);
const NOW = VT.announce;
const COMMANDS: Record<VillageCommand['type'], VillageCommand> = {
  RegisterPoorVillage: vsteps.register(),
  RecordVillageIncidence: vsteps.incidence(10, 1000, NOW),
  CheckVillageItem: vcmd('CheckVillageItem', { item: 'broadband', result: 'met', evidenceRef: 'e-1' }, 'work-team', NOW),
  ApplyForVillageExit: vsteps.apply(),
  ReviewVillageExit: vcmd('ReviewVillageExit', { approved: true, note: '' }, 'county-official', NOW),
  PostVillageExitNotice: vcmd('PostVillageExitNotice', { endsAt: '2018-11-27T09:00:00+08:00' }, 'township-official', NOW),
  RaiseVillageExitObjection: vcmd('RaiseVillageExitObjection', { objectionId: 'vobj-2', summary: 's' }, 'work-team', NOW),
  ResolveVillageExitObjection: vsteps.resolve(),
  AnnounceVillageExit: vsteps.announce(),
};
const OK = 'accepted';
const NR = 'VILLAGE_NOT_REGISTERED';
const EX = 'VILLAGE_ALREADY_EXITED';
const TAKEN = 'VILLAGE_STEP_ALREADY_TAKEN';
const STATES = ['unregistered', 'poor', 'poor-objection-open', 'applied', 'reviewed', 'in-notice', 'exited'] as const;
const MATRIX: Record<VillageCommand['type'], string[]> = {
  //                           unreg poor  poorObj  applied  reviewed  in-notice exited
  RegisterPoorVillage: [OK, ...Array<string>(6).fill('VILLAGE_ALREADY_REGISTERED')],
  RecordVillageIncidence: [NR, OK, OK, OK, OK, OK, OK],
  CheckVillageItem: [NR, OK, OK, OK, OK, OK, OK],
  ApplyForVillageExit: [NR, OK, 'VILLAGE_OBJECTION_OPEN', 'VILLAGE_EXIT_IN_PROGRESS', 'VILLAGE_EXIT_IN_PROGRESS', 'VILLAGE_EXIT_IN_PROGRESS', EX],
  ReviewVillageExit: [NR, 'VILLAGE_NOT_APPLIED', 'VILLAGE_NOT_APPLIED', OK, TAKEN, TAKEN, EX],
  PostVillageExitNotice: [NR, 'VILLAGE_NOT_APPLIED', 'VILLAGE_NOT_APPLIED', 'VILLAGE_REVIEW_MISSING', OK, TAKEN, EX],
  RaiseVillageExitObjection: [NR, 'VILLAGE_NOTICE_MISSING', 'VILLAGE_NOTICE_MISSING', 'VILLAGE_NOTICE_MISSING', 'VILLAGE_NOTICE_MISSING', 'VILLAGE_NOTICE_ENDED', EX],
  ResolveVillageExitObjection: [
    NR,
    'VILLAGE_OBJECTION_UNKNOWN',
    OK,
    'VILLAGE_OBJECTION_UNKNOWN',
    'VILLAGE_OBJECTION_UNKNOWN',
    'VILLAGE_OBJECTION_UNKNOWN',
    'VILLAGE_OBJECTION_UNKNOWN',
  ],
  AnnounceVillageExit: [NR, 'VILLAGE_NOT_APPLIED', 'VILLAGE_NOT_APPLIED', 'VILLAGE_REVIEW_MISSING', 'VILLAGE_NOTICE_MISSING', OK, EX],
};

describe('village decider: every command in every state', () => {
  it('covers every command', () => expect(Object.keys(MATRIX).sort()).toEqual([...VILLAGE_COMMAND_TYPES].sort()));
  const histories = Object.fromEntries(STATES.map((s) => [s, villageHistory(V_TO_STATE[s])]));
  for (const type of VILLAGE_COMMAND_TYPES) {
    describe(type, () =>
      STATES.forEach((s, i) =>
        it(`in ${s}: ${MATRIX[type][i]}`, () => {
          const w = spec.given(histories[s]!).when(COMMANDS[type]);
          if (MATRIX[type][i] === OK) w.thenAccepts();
          else w.thenRefuses(MATRIX[type][i]!);
        }),
      ),
    );
  }
});

describe('village exit: the plan’s standard', () => {
  const base = (poor: number, pop: number) => villageHistory([vsteps.register(), vsteps.incidence(poor, pop), ...vsteps.checkAll()]);
  it('a village at 2.1% (21 of 1,000) cannot exit, and the refusal names the numbers', () => {
    const w = spec.given(base(21, 1000)).when(vsteps.apply());
    w.thenRefuses('VILLAGE_INCIDENCE_TOO_HIGH');
    if (!w.result.ok) expect(w.result.error.en).toBe('incidence 2.10% (21/1000) is not below 2%');
  });
  it('a village at exactly 2% (20 of 1,000) cannot exit: the plan says below 2%', () => spec.given(base(20, 1000)).when(vsteps.apply()).thenRefuses('VILLAGE_INCIDENCE_TOO_HIGH'));
  it('a village at 1.9% with its checklist complete exits, with the policy version on record', () => {
    const [applied] = spec.given(base(19, 1000)).when(vsteps.apply()).thenAccepts();
    expect(applied!.data).toMatchObject({ year: 2018, poorRemaining: 19, population: 1000, policy: { id: 'exit-thresholds', version: 1 } });
    const exited = villageHistory(V_TO_STATE.exited).at(-1)!;
    expect(exited).toMatchObject({ type: 'VillageExited', data: { year: 2018, poorRemaining: 19, population: 1000, countyId: 'song' } });
  });
  it('at 1.9% without broadband and a doctor it cannot exit; the refusal lists the missing items', () => {
    const given = villageHistory([
      vsteps.register(),
      vsteps.incidence(19, 1000),
      ...vsteps.checkAll().filter((c) => c.type !== 'CheckVillageItem' || !['broadband', 'qualified-doctor'].includes(c.data.item)),
    ]);
    const w = spec.given(given).when(vsteps.apply());
    w.thenRefuses('VILLAGE_CHECKLIST_INCOMPLETE');
    if (!w.result.ok) expect(w.result.error.details).toMatchObject({ items: ['qualified-doctor', 'broadband'] });
  });
  it('both failures are reported together', () => {
    const given = villageHistory([vsteps.register(), vsteps.incidence(30, 1000)]);
    const w = spec.given(given).when(vsteps.apply());
    w.thenRefuses('VILLAGE_INCIDENCE_TOO_HIGH');
    if (!w.result.ok)
      expect((w.result.error.details as { failures: { code: string }[] }).failures.map((f) => f.code)).toEqual(['VILLAGE_INCIDENCE_TOO_HIGH', 'VILLAGE_CHECKLIST_INCOMPLETE']);
  });
  it('no incidence for the year, no application', () =>
    spec
      .given(villageHistory([vsteps.register(), ...vsteps.checkAll()]))
      .when(vsteps.apply())
      .thenRefuses('VILLAGE_INCIDENCE_NOT_RECORDED'));
  it('the bus may be not feasible, but a road may not', () => {
    spec
      .given(villageHistory([vsteps.register()]))
      .when(vcmd('CheckVillageItem', { item: 'hardened-road', result: 'not-feasible', evidenceRef: 'e' }, 'work-team', VT.check))
      .thenRefuses('VILLAGE_CHECK_RESULT_NOT_ALLOWED');
  });
  it('a recount above 2% during the notice stops the announcement', () => {
    const given = villageHistory([...V_TO_STATE['in-notice'], vsteps.incidence(25, 1000, VT.during)]);
    spec.given(given).when(vsteps.announce()).thenRefuses('VILLAGE_INCIDENCE_TOO_HIGH');
  });
  it('no announcement while the notice runs; an objection removes the village from the round', () => {
    const given = villageHistory(V_TO_STATE['in-notice']);
    spec.given(given).when(vsteps.announce(VT.during)).thenRefuses('VILLAGE_NOTICE_RUNNING');
    const events = spec.given(given).when(vsteps.objection()).thenAccepts();
    spec
      .given([...given, ...events])
      .when(vsteps.announce())
      .thenRefuses('VILLAGE_NOT_APPLIED');
  });
  it('a notice shorter than 7 days is refused', () =>
    spec.given(villageHistory(V_TO_STATE.reviewed)).when(vsteps.notice('2018-11-13T08:59:59+08:00')).thenRefuses('VILLAGE_NOTICE_TOO_SHORT'));
  it('a rejected review sends the village back', () => {
    const given = villageHistory(V_TO_STATE.applied);
    const events = spec.given(given).when(vsteps.review(false)).thenAccepts();
    spec
      .given([...given, ...events])
      .when(vsteps.notice())
      .thenRefuses('VILLAGE_NOT_APPLIED');
  });
  it('refuses invalid counts and an applicant of the wrong role', () => {
    spec
      .given(villageHistory([vsteps.register()]))
      .when(vsteps.incidence(11, 10))
      .thenRefuses('VILLAGE_COUNT_INVALID');
    spec
      .given(villageHistory([vsteps.register()]))
      .when(vsteps.incidence(1, 0))
      .thenRefuses('VILLAGE_COUNT_INVALID');
    spec
      .given(villageHistory(V_TO_STATE.poor))
      .when(vcmd('ApplyForVillageExit', { year: 2018 }, 'work-team', VT.apply))
      .thenRefuses('ACCESS_ROLE_NOT_ALLOWED');
  });
});

describe('incidence is exact integer arithmetic', () => {
  it('n/d < 2% exactly when 100n < 2d, for every count (checked against rationals by cross-multiplication in BigInt)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.nat(), (pop, k) => {
        const poor = k % (pop + 1);
        expect(incidenceBelowPct({ poorRemaining: poor, population: pop }, 2)).toBe(BigInt(poor) * 50n < BigInt(pop));
      }),
      { numRuns: 5000 },
    );
  });
  it('the boundary: 1 in 50 is 2% (not below), 1 in 51 is below', () => {
    expect(incidenceBelowPct({ poorRemaining: 1, population: 50 }, 2)).toBe(false);
    expect(incidenceBelowPct({ poorRemaining: 1, population: 51 }, 2)).toBe(true);
    expect(incidenceBelowPct({ poorRemaining: 0, population: 0 }, 2)).toBe(false);
  });
  it('counts members of households not exited; exited and flagged ones are not poor', () => {
    const file = { memberCount: 3 } as never;
    const hs: HouseholdState[] = [
      initialState(),
      { status: 'poor', file },
      { status: 'in-notice', file, round: {} as never },
      { status: 'exited', file, exit: {} as never },
      { status: 'flagged', file, exit: {} as never },
    ];
    expect(countPoorRemaining(hs)).toBe(6);
  });
});

describe('village exit notice: 在乡（镇）内公示, posted by the township', () => {
  it('the township posts the notice after the county review; the county no longer does', () => {
    const reviewed = villageHistory([...V_TO_STATE.poor, vsteps.apply(), vsteps.review()]);
    spec
      .given(reviewed)
      .when(vcmd('PostVillageExitNotice', { endsAt: VT.noticeEnds }, 'county-official', VT.notice))
      .thenRefuses('ACCESS_ROLE_NOT_ALLOWED');
    expect(spec.given(reviewed).when(vsteps.notice()).thenAccepts()[0]).toMatchObject({ type: 'VillageExitNoticePosted' });
  });
});
