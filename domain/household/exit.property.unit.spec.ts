import fc from 'fast-check';
import type { Role } from '../shared/actor';
import { eventRegistry } from '../event-types';
import { makeDecide } from './decide';
import { evolve } from './evolve';
import { initialState, type HouseholdState } from './state';
import type { HouseholdCommand } from './commands';
import type { HouseholdEvent } from './events';
import { ALL_MET, cmd, MEMBERS, register, yuan } from './fixtures';

/**
 * Random command sequences against one household: whatever the order, roles, answers and timing,
 * an exit is announced only inside an unbroken round with consent, a full notice without objection
 * and a township review after the notice ended. And every event the decider emits fits its schema.
 */
const DAY = 86_400_000;
const START = Date.parse('2018-09-01T00:00:00Z');
const RIGHT_ROLE: Record<Exclude<HouseholdCommand['type'], 'RegisterHousehold'>, Role> = {
  UpdateMembers: 'work-team',
  RecordIncome: 'work-team',
  UpdateGuarantees: 'work-team',
  AssessForExit: 'work-team',
  AppraiseInVillage: 'village-committee',
  CheckByWorkTeam: 'work-team',
  RecordConsent: 'township-official',
  WithdrawConsent: 'work-team',
  PostExitNotice: 'township-official',
  RaiseExitObjection: 'work-team',
  ResolveExitObjection: 'township-official',
  ReviewByTownship: 'township-official',
  AnnounceExit: 'county-official',
  VisitForReturnReview: 'work-team',
  PostReturnNotice: 'township-official',
  DecideReturn: 'county-official',
  ProposeRemoval: 'work-team',
  PostRemovalNotice: 'township-official',
  DecideRemoval: 'county-official',
  RemoveMember: 'work-team',
};
const ROLES: Role[] = ['work-team', 'township-official', 'county-official', 'inspector', 'auditor', 'city-poverty-office'];

const step = fc.record({
  kind: fc.constantFrom(...(Object.keys(RIGHT_ROLE) as (keyof typeof RIGHT_ROLE)[])),
  advanceHours: fc.integer({ min: 0, max: 24 * 5 }),
  yes: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  days: fc.constantFrom(1, 4, 5, 6, 7, 8),
  year: fc.integer({ min: 2018, max: 2019 }),
  income: fc.constantFrom(3000, 3535, 3612, 6000),
  objection: fc.constantFrom('obj-1', 'obj-2'),
  wrongRole: fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...ROLES) }),
  /** Most steps take the command the state is waiting for (with random answers and timing); the rest are anything. */
  guided: fc.integer({ min: 0, max: 9 }).map((n) => n < 8),
});
const NEXT: Record<HouseholdState['status'], keyof typeof RIGHT_ROLE> = {
  unregistered: 'RecordIncome',
  poor: 'AssessForExit',
  assessed: 'AppraiseInVillage',
  appraised: 'CheckByWorkTeam',
  checked: 'RecordConsent',
  consented: 'PostExitNotice',
  'in-notice': 'ReviewByTownship',
  'township-reviewed': 'AnnounceExit',
  exited: 'RecordIncome',
  flagged: 'VisitForReturnReview',
  'return-visited': 'PostReturnNotice',
  'return-notice': 'DecideReturn',
  removed: 'RecordIncome',
};
type Step = typeof step extends fc.Arbitrary<infer S> ? S : never;

const toCommand = (s: Step, now: string): HouseholdCommand => {
  const role = s.wrongRole ?? RIGHT_ROLE[s.kind];
  const plus = (d: number) => new Date(Date.parse(now) + d * DAY).toISOString();
  switch (s.kind) {
    case 'UpdateMembers':
      return cmd('UpdateMembers', { year: s.year, members: s.yes ? MEMBERS : MEMBERS.slice(0, 2) }, role, now);
    case 'RecordIncome':
      return cmd('RecordIncome', { year: s.year, perCapitaIncome: yuan(s.income), stableIncomeSource: s.yes }, role, now);
    case 'UpdateGuarantees':
      return cmd('UpdateGuarantees', { year: s.year, guarantees: { ...ALL_MET, safeHousing: s.yes } }, role, now);
    case 'AssessForExit':
      return cmd('AssessForExit', { year: s.year }, role, now);
    case 'AppraiseInVillage':
      return cmd('AppraiseInVillage', { agreed: s.yes, recordRef: 'm' }, role, now);
    case 'CheckByWorkTeam':
      return cmd('CheckByWorkTeam', { confirmed: s.yes, findings: 'f' }, role, now);
    case 'RecordConsent':
      return cmd('RecordConsent', { consents: s.yes, recordRef: 'c' }, role, now);
    case 'WithdrawConsent':
      return cmd('WithdrawConsent', { recordRef: 'w' }, role, now);
    case 'PostExitNotice':
      return cmd('PostExitNotice', { endsAt: plus(s.days) }, role, now);
    case 'RaiseExitObjection':
      return cmd('RaiseExitObjection', { objectionId: s.objection, summary: 's' }, role, now);
    case 'ResolveExitObjection':
      return cmd('ResolveExitObjection', { objectionId: s.objection, outcome: s.yes ? 'dismissed' : 'upheld', note: 'n' }, role, now);
    case 'ReviewByTownship':
      return cmd('ReviewByTownship', { approved: s.yes, note: 'n' }, role, now);
    case 'AnnounceExit':
      return cmd('AnnounceExit', {}, role, now);
    case 'VisitForReturnReview':
      return cmd('VisitForReturnReview', { findings: 'v' }, role, now);
    case 'PostReturnNotice':
      return cmd('PostReturnNotice', { endsAt: plus(s.days) }, role, now);
    case 'DecideReturn':
      return cmd('DecideReturn', { returnsToPoverty: s.yes, reason: 'r' }, role, now);
    case 'ProposeRemoval':
      return cmd('ProposeRemoval', { year: s.year, reason: s.yes ? 'moved-away' : 'wrongly-identified', recordRef: 'r' }, role, now);
    case 'PostRemovalNotice':
      return cmd('PostRemovalNotice', { endsAt: plus(s.days) }, role, now);
    case 'DecideRemoval':
      return cmd('DecideRemoval', { approved: s.yes, note: 'n' }, role, now);
    case 'RemoveMember':
      return cmd('RemoveMember', { year: s.year, idNumber: MEMBERS[2]!.idNumber, reason: 'deceased', recordRef: 'r' }, role, now);
  }
};

/** A helpful start: the 2018 facts are in place, so rounds really start. */
const PRELUDE = (): HouseholdCommand[] => [
  register('2016-03-01T00:00:00Z'),
  cmd('RecordIncome', { year: 2018, perCapitaIncome: yuan(3612), stableIncomeSource: true }, 'work-team', '2018-08-01T00:00:00Z'),
  cmd('UpdateGuarantees', { year: 2018, guarantees: ALL_MET }, 'work-team', '2018-08-01T00:00:00Z'),
];

const play = (steps: Step[]) => {
  const decide = makeDecide();
  let state: HouseholdState = initialState();
  const log: HouseholdEvent[] = [];
  const apply = (c: HouseholdCommand) => {
    const r = decide(c, state);
    if (r.ok) {
      log.push(...r.events);
      state = r.events.reduce(evolve, state);
    }
  };
  PRELUDE().forEach(apply);
  let t = START;
  for (const s of steps) {
    t += s.advanceHours * 3_600_000;
    const year = state.status === 'unregistered' ? s.year : state.file.income.year;
    apply(toCommand(s.guided ? { ...s, kind: NEXT[state.status], year } : s, new Date(t).toISOString()));
  }
  return { log, state };
};

/** The events of the round an announcement closes: from its eligible assessment on. */
const roundBefore = (log: HouseholdEvent[], i: number): HouseholdEvent[] | undefined => {
  for (let j = i - 1; j >= 0; j--) {
    const e = log[j]!;
    if (e.type === 'HouseholdRemovedFromExitRound' || e.type === 'HouseholdExitAnnounced' || e.type === 'HouseholdReturnedToPoverty') return undefined;
    if (e.type === 'HouseholdAssessedForExit' && e.data.eligible) return log.slice(j, i);
  }
  return undefined;
};

describe('household exit properties (random command sequences)', () => {
  it('no exit without consent, a full notice, no objection and a township review after the notice', () => {
    let exits = 0;
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), (steps) => {
        const { log } = play(steps);
        log.forEach((e, i) => {
          if (e.type !== 'HouseholdExitAnnounced') return;
          exits++;
          const round = roundBefore(log, i);
          expect(round).toBeDefined();
          const types = round!.map((x) => x.type);
          const consent = round!.find((x) => x.type === 'HouseholdConsentRecorded');
          expect(consent && consent.data.consents).toBe(true);
          expect(types).not.toContain('HouseholdConsentWithdrawn');
          expect(types).not.toContain('HouseholdExitObjectionRaised');
          const notice = round!.find((x) => x.type === 'HouseholdExitNoticePosted');
          const review = round!.find((x) => x.type === 'HouseholdTownshipReviewed');
          expect(notice && review).toBeTruthy();
          if (notice?.type !== 'HouseholdExitNoticePosted' || review?.type !== 'HouseholdTownshipReviewed') return;
          expect(Date.parse(notice.data.endsAt) - Date.parse(notice.data.at)).toBeGreaterThanOrEqual(7 * DAY);
          expect(Date.parse(review.data.at)).toBeGreaterThanOrEqual(Date.parse(notice.data.endsAt));
          expect(review.data.approved).toBe(true);
          expect(Date.parse(e.data.at)).toBeGreaterThanOrEqual(Date.parse(notice.data.endsAt));
          expect(types.indexOf('HouseholdConsentRecorded')).toBeLessThan(types.indexOf('HouseholdExitNoticePosted'));
          expect(types.indexOf('HouseholdExitNoticePosted')).toBeLessThan(types.indexOf('HouseholdTownshipReviewed'));
        });
      }),
      { numRuns: 3000 },
    );
    // The generator must actually reach exits, or the property says nothing.
    expect(exits).toBeGreaterThan(20);
  });

  it('a household under notice has consented in this round; a return needs a full 5-day notice', () => {
    let returns = 0;
    fc.assert(
      fc.property(fc.array(step, { minLength: 20, maxLength: 120 }), (steps) => {
        const { log } = play(steps);
        log.forEach((e, i) => {
          if (e.type === 'HouseholdExitNoticePosted') {
            const round = roundBefore(log, i)!;
            expect(round.some((x) => x.type === 'HouseholdConsentRecorded' && x.data.consents)).toBe(true);
          }
          if (e.type === 'HouseholdReturnedToPoverty') {
            returns++;
            const notice = [...log.slice(0, i)].reverse().find((x) => x.type === 'HouseholdReturnNoticePosted');
            expect(notice).toBeDefined();
            if (notice?.type === 'HouseholdReturnNoticePosted') {
              expect(Date.parse(notice.data.endsAt) - Date.parse(notice.data.at)).toBeGreaterThanOrEqual(5 * DAY);
              expect(Date.parse(e.data.at)).toBeGreaterThanOrEqual(Date.parse(notice.data.endsAt));
            }
          }
        });
      }),
      { numRuns: 1000 },
    );
    expect(returns).toBeGreaterThan(5);
  });

  it('every emitted event fits its registered schema', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), (steps) => {
        for (const e of play(steps).log) {
          const def = eventRegistry.get(e.type);
          expect(def).toBeDefined();
          const r = def!.schema.safeParse(e.data);
          if (!r.success) throw new Error(`${e.type}: ${r.error.message}`);
        }
      }),
      { numRuns: 300 },
    );
  });
});
