import { deciderSpec, run } from '../shared/testing';
import type { Actor, Role } from '../shared/actor';
import { HouseholdRegistered } from '../household/events';
import { identificationDecider, IDENTIFICATION_COMMAND_TYPES, registrationsOf, type IdentificationCommand, type IdentificationEvent, type ApplicationFile } from './index';

const spec = deciderSpec(identificationDecider);
const V = 'vil-song-042';
const Y = 2017;
const USERS: Partial<Record<Role, string>> = {
  'township-official': 'tw-song-01',
  'work-team': 'wt-song-01',
  'village-committee': 'vc-song-042',
  'county-official': 'co-song-01',
  inspector: 'insp-01',
};
const who = (role: Role, userId = USERS[role]!): Actor => (role === 'inspector' ? { userId, role } : { userId, role, countyId: 'song' });
const at = (day: number) => `2017-03-${String(day).padStart(2, '0')}T09:00:00+08:00`;
type Data<T extends IdentificationCommand['type']> = Omit<Extract<IdentificationCommand, { type: T }>['data'], 'villageId' | 'year'>;
const cmd = <T extends IdentificationCommand['type']>(type: T, data: Data<T>, actor: Actor, now: string): IdentificationCommand =>
  ({ type, data: { villageId: V, year: Y, ...data }, meta: { actor, now } }) as unknown as IdentificationCommand;

const FILE: ApplicationFile = {
  causes: ['illness'],
  perCapitaIncome: 210_000 as ApplicationFile['perCapitaIncome'],
  stableIncomeSource: false,
  guarantees: { food: true, clothing: true, compulsoryEducation: true, medicalInsurance: true, safeHousing: false },
  members: [
    { memberKey: `mk1-${'a'.repeat(64)}`, idMasked: '410325********111X', relation: 'householder' },
    { memberKey: `mk1-${'b'.repeat(64)}`, idMasked: '410325********2223', relation: 'spouse' },
  ],
};
const A = 'hh-song-i001';
const B = 'hh-song-i002';
const C = 'hh-song-i003';

/** The round's steps in order; each later step's history is the events of those before it. */
const steps = {
  open: () => cmd('OpenIdentificationRound', { countyId: 'song' }, who('township-official'), at(1)),
  apply: (id: string) => cmd('RecordApplication', { householdId: id, recordRef: `form-${id}`, file: FILE }, who('work-team'), at(2)),
  appraise: (actor = who('village-committee')) => cmd('AppraiseApplications', { agreed: [A, B], rejected: [C], recordRef: 'vil-042-minutes-2017-03-05' }, actor, at(5)),
  villageNotice: (endsAt = at(13)) => cmd('PostIdentificationVillageNotice', { endsAt }, who('township-official'), at(6)),
  object: (now = at(8)) => cmd('RaiseIdentificationObjection', { householdId: B, objectionId: 'obj-1', summary: '该户有经营性货车一辆' }, who('work-team'), now),
  review: (actor = who('township-official'), now = at(14)) => cmd('ReviewIdentificationByTownship', { approved: [A], rejected: [], note: '' }, actor, now),
  townshipNotice: () => cmd('PostIdentificationTownshipNotice', { endsAt: at(22) }, who('township-official'), at(15)),
  announce: (actor = who('county-official'), now = at(23), approved = [A]) => cmd('AnnounceIdentification', { approved, rejected: [], note: '' }, actor, now),
};
const history = (commands: IdentificationCommand[]): IdentificationEvent[] => {
  const r = run(identificationDecider, commands);
  if (r.refused) throw new Error(`history refused: ${r.refused.code} ${r.refused.en}`);
  return r.events;
};
const opened = () => history([steps.open()]);
const applied = () => history([steps.open(), steps.apply(A), steps.apply(B), steps.apply(C)]);
const appraised = () => history([steps.open(), steps.apply(A), steps.apply(B), steps.apply(C), steps.appraise()]);
const inVillageNotice = () => history([steps.open(), steps.apply(A), steps.apply(B), steps.apply(C), steps.appraise(), steps.villageNotice()]);
const objected = () => history([steps.open(), steps.apply(A), steps.apply(B), steps.apply(C), steps.appraise(), steps.villageNotice(), steps.object()]);
const reviewed = () => history([steps.open(), steps.apply(A), steps.apply(B), steps.apply(C), steps.appraise(), steps.villageNotice(), steps.object(), steps.review()]);
const inTownshipNotice = () =>
  history([steps.open(), steps.apply(A), steps.apply(B), steps.apply(C), steps.appraise(), steps.villageNotice(), steps.object(), steps.review(), steps.townshipNotice()]);

describe('识别: a village round from the applications to 建档立卡', () => {
  it('names every command in these specs', () => expect(Object.keys(steps).length).toBeGreaterThanOrEqual(IDENTIFICATION_COMMAND_TYPES.length));

  it('runs 农户申请 → 民主评议 → 村公示 → 乡审核公示 → 县审定公告, an objection taking one household out', () => {
    const events = inTownshipNotice();
    spec
      .given(events)
      .when(steps.announce())
      .then([
        {
          type: 'IdentificationAnnounced',
          data: { villageId: V, year: Y, by: 'co-song-01', at: at(23), countyId: 'song', approved: [A], rejected: [], note: '' },
        },
      ]);
    expect(events.map((e) => e.type)).toEqual([
      'IdentificationRoundOpened',
      'IdentificationApplicationRecorded',
      'IdentificationApplicationRecorded',
      'IdentificationApplicationRecorded',
      'IdentificationAppraised',
      'IdentificationVillageNoticePosted',
      'IdentificationObjectionRaised',
      'IdentificationTownshipReviewed',
      'IdentificationTownshipNoticePosted',
    ]);
  });

  it('registers only the approved households, from the files their applications recorded, as valid HouseholdRegistered events', () => {
    const events = inTownshipNotice();
    const announced = spec.given(events).when(steps.announce()).thenAccepts();
    const state = [...events, ...announced].reduce(identificationDecider.evolve, identificationDecider.initialState());
    const regs = registrationsOf(state, announced[0]!.data as Parameters<typeof registrationsOf>[1]);
    expect(regs.map((r) => r.householdId)).toEqual([A]);
    expect(regs[0]).toMatchObject({ countyId: 'song', villageId: V, registeredYear: 2017, by: 'co-song-01', members: FILE.members });
    expect(HouseholdRegistered.schema.safeParse(regs[0]).success).toBe(true);
    expect(state.phase !== 'unopened' && state.applicants[B]).toMatchObject({ status: 'out', reason: 'objection-raised' });
    expect(state.phase !== 'unopened' && state.applicants[C]).toMatchObject({ status: 'out', reason: 'appraisal-rejected' });
  });

  describe('refuses, naming the rule', () => {
    it('an application before the round is opened', () => spec.given([]).when(steps.apply(A)).thenRefuses('IDENT_ROUND_NOT_OPEN'));
    it('the same household applying twice', () =>
      spec
        .given(history([steps.open(), steps.apply(A)]))
        .when(steps.apply(A))
        .thenRefuses('IDENT_ALREADY_APPLIED'));
    it('a household of another county', () =>
      spec
        .given(opened())
        .when(cmd('RecordApplication', { householdId: 'hh-yichuan-9', recordRef: 'f', file: FILE }, who('work-team'), at(2)))
        .thenRefuses('IDENT_HOUSEHOLD_NOT_FOR_COUNTY'));
    it('an application once the village notice is up', () => spec.given(inVillageNotice()).when(steps.apply('hh-song-i009')).thenRefuses('IDENT_WRONG_PHASE'));
    it('民主评议 by anyone but the 村两委', () =>
      spec
        .given(applied())
        .when(steps.appraise(who('work-team')))
        .thenRefuses('ACCESS_ROLE_NOT_ALLOWED'));
    it('an official of another county', () =>
      spec
        .given(applied())
        .when(steps.appraise({ userId: 'vc-yc-1', role: 'village-committee', countyId: 'yichuan' }))
        .thenRefuses('ACCESS_OUT_OF_COUNTY'));
    it('an appraisal naming a household that did not apply', () =>
      spec
        .given(applied())
        .when(cmd('AppraiseApplications', { agreed: ['hh-song-zzz'], rejected: [], recordRef: 'm' }, who('village-committee'), at(5)))
        .thenRefuses('IDENT_HOUSEHOLD_NOT_IN_ROUND'));
    it('the village notice before every application is appraised', () =>
      spec
        .given(history([steps.open(), steps.apply(A), steps.apply(B)]))
        .when(steps.villageNotice())
        .thenRefuses('IDENT_APPRAISAL_PENDING'));
    it('a notice shorter than 7 days', () =>
      spec
        .given(appraised())
        .when(steps.villageNotice(at(12)))
        .thenRefuses('IDENT_NOTICE_TOO_SHORT'));
    it('the village notice posted by the work team (it is posted in the township)', () =>
      spec
        .given(appraised())
        .when(cmd('PostIdentificationVillageNotice', { endsAt: at(13) }, who('work-team'), at(6)))
        .thenRefuses('ACCESS_ROLE_NOT_ALLOWED'));
    it('an objection outside a notice', () => spec.given(appraised()).when(steps.object()).thenRefuses('IDENT_NOT_IN_NOTICE'));
    it('an objection after the notice ended', () =>
      spec
        .given(inVillageNotice())
        .when(steps.object(at(14)))
        .thenRefuses('IDENT_NOTICE_ENDED'));
    it('the township review while the village notice runs', () =>
      spec
        .given(objected())
        .when(steps.review(who('township-official'), at(10)))
        .thenRefuses('IDENT_NOTICE_RUNNING'));
    it('a township review that leaves someone on the list undecided', () => spec.given(inVillageNotice()).when(steps.review()).thenRefuses('IDENT_LIST_INCOMPLETE'));
    it('a township review naming a household an objection took out', () =>
      spec
        .given(objected())
        .when(cmd('ReviewIdentificationByTownship', { approved: [A, B], rejected: [], note: '' }, who('township-official'), at(14)))
        .thenRefuses('IDENT_HOUSEHOLD_NOT_READY'));
    it('the township review by whoever appraised', () =>
      spec
        .given(objected())
        .when(steps.review(who('township-official', 'vc-song-042')))
        .thenRefuses('ACCESS_APPRAISER_CANNOT_REVIEW'));
    it('the county approval by whoever appraised', () =>
      spec
        .given(inTownshipNotice())
        .when(steps.announce(who('county-official', 'vc-song-042')))
        .thenRefuses('ACCESS_APPRAISER_CANNOT_APPROVE'));
    it('the county approval by whoever reviewed at the township', () =>
      spec
        .given(inTownshipNotice())
        .when(steps.announce(who('county-official', 'tw-song-01')))
        .thenRefuses('ACCESS_APPRAISER_CANNOT_APPROVE'));
    it('the county approval while the township notice runs', () =>
      spec
        .given(inTownshipNotice())
        .when(steps.announce(who('county-official'), at(20)))
        .thenRefuses('IDENT_NOTICE_RUNNING'));
    it('the county approval before the township notice', () => spec.given(reviewed()).when(steps.announce()).thenRefuses('IDENT_WRONG_PHASE'));
    it('a township official announcing', () =>
      spec
        .given(inTownshipNotice())
        .when(steps.announce(who('township-official', 'tw-song-02')))
        .thenRefuses('ACCESS_ROLE_NOT_ALLOWED'));
    it('a second opening of the round', () => spec.given(opened()).when(steps.open()).thenRefuses('IDENT_ROUND_ALREADY_OPEN'));
    it('a round outside the plan years', () =>
      spec
        .given([])
        .when({ type: 'OpenIdentificationRound', data: { villageId: V, year: 2013, countyId: 'song' }, meta: { actor: who('township-official'), now: at(1) } })
        .thenRefuses('IDENT_YEAR_OUT_OF_PLAN'));
    it('a step of another round on this stream', () =>
      spec
        .given(applied())
        .when({
          type: 'AppraiseApplications',
          data: { villageId: V, year: 2018, agreed: [A], rejected: [], recordRef: 'm' },
          meta: { actor: who('village-committee'), now: at(5) },
        })
        .thenRefuses('IDENT_ROUND_MISMATCH'));
  });
});
