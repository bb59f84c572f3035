import { deciderSpec } from '../shared/testing';
import { householdDecider } from './index';
import { evolve } from './evolve';
import { initialState } from './state';
import type { HouseholdCommand, HouseholdCommandType } from './commands';
import { HOUSEHOLD_COMMAND_TYPES } from './commands';
import { ALL_MET, cmd, historyOf, MEMBERS, register, T, TO_STATE, yuan, type FixtureState } from './fixtures';

const spec = deciderSpec(householdDecider);
const NOW = T.later; // after every notice in the fixtures has ended
const plus = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString();

/** One valid instance of every command, by the role that may give it. */
const COMMANDS: Record<HouseholdCommandType, HouseholdCommand> = {
  RegisterHousehold: register(NOW),
  UpdateMembers: cmd('UpdateMembers', { year: 2019, members: MEMBERS.slice(0, 2) }, 'work-team', NOW),
  RecordIncome: cmd('RecordIncome', { year: 2019, perCapitaIncome: yuan(3612), stableIncomeSource: true }, 'work-team', NOW),
  UpdateGuarantees: cmd('UpdateGuarantees', { year: 2019, guarantees: ALL_MET }, 'work-team', NOW),
  AssessForExit: cmd('AssessForExit', { year: 2018 }, 'work-team', NOW),
  AppraiseInVillage: cmd('AppraiseInVillage', { agreed: true, recordRef: 'minutes-1' }, 'village-committee', NOW),
  CheckByWorkTeam: cmd('CheckByWorkTeam', { confirmed: true, findings: 'ok' }, 'work-team', NOW),
  RecordConsent: cmd('RecordConsent', { consents: true, recordRef: 'consent-1' }, 'township-official', NOW),
  WithdrawConsent: cmd('WithdrawConsent', { recordRef: 'withdrawal-1' }, 'work-team', NOW),
  PostExitNotice: cmd('PostExitNotice', { endsAt: plus(NOW, 7 * 86400) }, 'township-official', NOW),
  RaiseExitObjection: cmd('RaiseExitObjection', { objectionId: 'obj-2', summary: 'objection' }, 'work-team', NOW),
  ResolveExitObjection: cmd('ResolveExitObjection', { objectionId: 'obj-1', outcome: 'dismissed', note: 'n' }, 'township-official', NOW),
  ReviewByTownship: cmd('ReviewByTownship', { approved: true, note: 'n' }, 'township-official', NOW),
  AnnounceExit: cmd('AnnounceExit', {}, 'county-official', NOW),
  VisitForReturnReview: cmd('VisitForReturnReview', { findings: 'visited' }, 'work-team', NOW),
  PostReturnNotice: cmd('PostReturnNotice', { endsAt: plus(NOW, 5 * 86400) }, 'township-official', NOW),
  DecideReturn: cmd('DecideReturn', { returnsToPoverty: true, reason: 'r' }, 'county-official', NOW),
  ProposeRemoval: cmd('ProposeRemoval', { year: 2019, reason: 'wrongly-identified', recordRef: 'minutes-9' }, 'village-committee', NOW),
  PostRemovalNotice: cmd('PostRemovalNotice', { endsAt: plus(NOW, 7 * 86400) }, 'township-official', NOW),
  DecideRemoval: cmd('DecideRemoval', { approved: true, note: 'n' }, 'county-official', NOW),
  RemoveMember: cmd('RemoveMember', { year: 2019, idNumber: MEMBERS[2]!.idNumber, reason: 'deceased', recordRef: 'death-cert-1' }, 'work-team', NOW),
};

const OK = 'accepted';
const NR = 'HOUSEHOLD_NOT_REGISTERED';
const EX = 'HOUSEHOLD_ALREADY_EXITED';
const TAKEN = 'EXIT_STEP_ALREADY_TAKEN';
const NA = 'EXIT_NOT_ASSESSED';
const NE = 'HOUSEHOLD_NOT_EXITED';

/** Every command in every state, with "now" after all notices ended. Columns follow STATES. */
const STATES: FixtureState[] = [
  'unregistered',
  'poor',
  'poor-objection-open',
  'assessed',
  'appraised',
  'checked',
  'consented',
  'in-notice',
  'township-reviewed',
  'exited',
  'flagged',
  'return-visited',
  'return-notice',
  'removed',
];
const RM = 'HOUSEHOLD_REMOVED';
const NP = 'HOUSEHOLD_REMOVAL_NOT_PROPOSED';
const MATRIX: Record<HouseholdCommandType, string[]> = {
  //                   unreg poor  poorObj  assessed appraised checked consented in-notice reviewed exited flagged visited r-notice
  RegisterHousehold: [OK, ...Array<string>(13).fill('HOUSEHOLD_ALREADY_REGISTERED')],
  UpdateMembers: [NR, OK, OK, ...Array<string>(6).fill('EXIT_ROUND_IN_PROGRESS'), OK, OK, OK, OK, RM],
  RecordIncome: [NR, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, RM],
  UpdateGuarantees: [NR, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, RM],
  AssessForExit: [NR, OK, 'EXIT_OBJECTION_OPEN', ...Array<string>(6).fill('EXIT_ROUND_IN_PROGRESS'), EX, EX, EX, EX, RM],
  AppraiseInVillage: [NR, NA, NA, OK, TAKEN, TAKEN, TAKEN, TAKEN, TAKEN, EX, EX, EX, EX, RM],
  CheckByWorkTeam: [NR, NA, NA, 'EXIT_VILLAGE_APPRAISAL_MISSING', OK, TAKEN, TAKEN, TAKEN, TAKEN, EX, EX, EX, EX, RM],
  RecordConsent: [NR, NA, NA, 'EXIT_VILLAGE_APPRAISAL_MISSING', 'EXIT_WORK_TEAM_CHECK_MISSING', OK, TAKEN, TAKEN, TAKEN, EX, EX, EX, EX, RM],
  WithdrawConsent: [NR, ...Array<string>(5).fill('EXIT_CONSENT_MISSING'), OK, OK, OK, EX, EX, EX, EX, RM],
  PostExitNotice: [NR, NA, NA, 'EXIT_VILLAGE_APPRAISAL_MISSING', 'EXIT_WORK_TEAM_CHECK_MISSING', 'EXIT_CONSENT_MISSING', OK, TAKEN, TAKEN, EX, EX, EX, EX, RM],
  RaiseExitObjection: [NR, ...Array<string>(6).fill('EXIT_NOTICE_MISSING'), 'EXIT_NOTICE_ENDED', 'EXIT_NOTICE_MISSING', EX, EX, EX, EX, RM],
  ResolveExitObjection: [NR, 'EXIT_OBJECTION_UNKNOWN', OK, ...Array<string>(10).fill('EXIT_OBJECTION_UNKNOWN'), RM],
  ReviewByTownship: [NR, NA, NA, 'EXIT_VILLAGE_APPRAISAL_MISSING', 'EXIT_WORK_TEAM_CHECK_MISSING', 'EXIT_CONSENT_MISSING', 'EXIT_NOTICE_MISSING', OK, TAKEN, EX, EX, EX, EX, RM],
  AnnounceExit: [
    NR,
    NA,
    NA,
    'EXIT_VILLAGE_APPRAISAL_MISSING',
    'EXIT_WORK_TEAM_CHECK_MISSING',
    'EXIT_CONSENT_MISSING',
    'EXIT_NOTICE_MISSING',
    'EXIT_TOWNSHIP_REVIEW_MISSING',
    OK,
    EX,
    EX,
    EX,
    EX,
    RM,
  ],
  VisitForReturnReview: [NR, NE, NE, NE, NE, NE, NE, NE, NE, 'RETURN_NOT_FLAGGED', OK, 'RETURN_STEP_ALREADY_TAKEN', 'RETURN_STEP_ALREADY_TAKEN', RM],
  PostReturnNotice: [NR, NE, NE, NE, NE, NE, NE, NE, NE, 'RETURN_NOT_FLAGGED', 'RETURN_VISIT_MISSING', OK, 'RETURN_STEP_ALREADY_TAKEN', RM],
  DecideReturn: [NR, NE, NE, NE, NE, NE, NE, NE, NE, 'RETURN_NOT_FLAGGED', 'RETURN_VISIT_MISSING', 'RETURN_NOTICE_MISSING', OK, RM],
  ProposeRemoval: [NR, OK, OK, ...Array<string>(6).fill('EXIT_ROUND_IN_PROGRESS'), OK, OK, OK, OK, RM],
  PostRemovalNotice: [NR, ...Array<string>(12).fill(NP), RM],
  DecideRemoval: [NR, ...Array<string>(12).fill(NP), RM],
  RemoveMember: [NR, OK, OK, ...Array<string>(6).fill('EXIT_ROUND_IN_PROGRESS'), OK, OK, OK, OK, RM],
};

describe('household decider: every command in every state', () => {
  it('covers every command type', () => expect(Object.keys(MATRIX).sort()).toEqual([...HOUSEHOLD_COMMAND_TYPES].sort()));
  const histories = Object.fromEntries(STATES.map((s) => [s, historyOf(TO_STATE[s])]));
  it('reaches the state each fixture names', () => {
    for (const s of STATES) {
      const state = histories[s]!.reduce(evolve, initialState());
      expect(state.status).toBe(s === 'poor-objection-open' ? 'poor' : s);
    }
  });
  for (const type of HOUSEHOLD_COMMAND_TYPES) {
    describe(type, () => {
      STATES.forEach((s, i) => {
        const expected = MATRIX[type][i]!;
        it(`in ${s}: ${expected}`, () => {
          const w = spec.given(histories[s]!).when(COMMANDS[type]);
          if (expected === OK) w.thenAccepts();
          else w.thenRefuses(expected);
        });
      });
    });
  }
});
