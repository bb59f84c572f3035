import type { CommandMeta, Role } from '../shared/actor';
import type { Fen } from '../shared/money';
import type { CountyId } from '../reference/counties';
import { composeResidentId } from './resident-id';
import type { Guarantees } from './guarantees';
import type * as C from './commands';
import type { HouseholdEvent } from './events';
import { makeDecide } from './decide';
import { evolve } from './evolve';
import { initialState, type HouseholdState } from './state';

/**
 * Builders for specs and property tests: a 嵩县 household of three (fake, valid ID numbers) taken
 * through its exit by commands, so the histories are produced by the decider, not written by hand.
 */
export const COUNTY: CountyId = 'song';
export const HH = 'hh-song-000123';
export const VILLAGE = 'vil-song-042';
export const ALL_MET: Guarantees = { food: true, clothing: true, compulsoryEducation: true, medicalInsurance: true, safeHousing: true };
export const yuan = (y: number): Fen => (y * 100) as Fen;

const USERS: Record<Role, string> = {
  'work-team': 'wt-song-01',
  'township-official': 'tw-song-01',
  'county-official': 'co-song-01',
  'county-finance': 'cf-song-01',
  'city-poverty-office': 'city-01',
  inspector: 'insp-01',
  auditor: 'aud-01',
  administrator: 'admin-01',
  'village-committee': 'vc-song-042',
  'province-poverty-office': 'prov-01',
  'province-government': 'prov-gov-01',
};
const SCOPED: readonly Role[] = ['work-team', 'township-official', 'county-official', 'county-finance', 'village-committee'];

export const meta = (role: Role, now: string, countyId: CountyId = COUNTY): CommandMeta => ({
  actor: SCOPED.includes(role) ? { userId: USERS[role], role, countyId } : { userId: USERS[role], role },
  now,
});

export const MEMBERS = [
  { idNumber: composeResidentId('410325', '19750312', 11), relation: 'householder' as const },
  { idNumber: composeResidentId('410325', '19780620', 22), relation: 'spouse' as const },
  { idNumber: composeResidentId('410325', '20060901', 31), relation: 'child' as const },
];

/**
 * Well-formed stand-in keys for the specs: `hexChars` hex digits, one value per text (FNV-1a, eight seeds).
 * Real keys are salted HMACs computed outside the domain (infra/personal-data/keys.ts); the domain only carries them.
 */
export const fixtureHex = (text: string, hexChars = 64): string => {
  let out = '';
  for (let seed = 0; out.length < hexChars; seed++) {
    let h = (0x811c9dc5 ^ seed) >>> 0;
    for (const ch of `${seed}:${text}`) h = Math.imul(h ^ ch.codePointAt(0)!, 0x01000193) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, hexChars);
};
/** Member keys (`mk1-<64 hex>`) as the registry would compute them: x/X and surrounding spaces do not matter. */
export const keysOf = (members: readonly { idNumber: string }[]): string[] => members.map((m) => `mk1-${fixtureHex(m.idNumber.trim().toUpperCase())}`);

export const register = (now = '2016-03-01T08:00:00+08:00'): C.RegisterHousehold => ({
  type: 'RegisterHousehold',
  data: {
    householdId: HH,
    countyId: COUNTY,
    villageId: VILLAGE,
    registeredYear: 2016,
    members: MEMBERS,
    memberKeys: keysOf(MEMBERS),
    causes: ['lack-of-skills', 'illness'],
    perCapitaIncome: yuan(2400),
    stableIncomeSource: false,
    guarantees: { ...ALL_MET, safeHousing: false },
  },
  meta: meta('county-official', now),
});

type DataOf<T extends C.HouseholdCommandType> = Omit<Extract<C.HouseholdCommand, { type: T }>['data'], 'householdId'>;
/** Any command but registration, for household HH. */
export const cmd = <T extends Exclude<C.HouseholdCommandType, 'RegisterHousehold'>>(type: T, data: DataOf<T>, role: Role, now: string, countyId: CountyId = COUNTY) =>
  ({
    type,
    // A member list comes with its keys, as the registry computes them, unless the spec gives its own.
    data: {
      householdId: HH,
      ...(type === 'UpdateMembers' && 'members' in data && !('memberKeys' in data) ? { memberKeys: keysOf(data.members as { idNumber: string }[]) } : {}),
      ...(type === 'RemoveMember' && 'idNumber' in data && !('memberKey' in data) ? { memberKey: keysOf([data as { idNumber: string }])[0] } : {}),
      ...data,
    },
    meta: meta(role, now, countyId),
  }) as Extract<C.HouseholdCommand, { type: T }>;

export const T = {
  income: '2018-10-20T09:00:00+08:00',
  assess: '2018-11-01T09:00:00+08:00',
  appraise: '2018-11-03T09:00:00+08:00',
  check: '2018-11-05T09:00:00+08:00',
  consent: '2018-11-06T09:00:00+08:00',
  notice: '2018-11-08T09:00:00+08:00',
  noticeEnds: '2018-11-15T09:00:00+08:00',
  duringNotice: '2018-11-12T09:00:00+08:00',
  review: '2018-11-16T09:00:00+08:00',
  announce: '2018-11-20T09:00:00+08:00',
  monitor: '2019-10-20T09:00:00+08:00',
  visit: '2019-10-25T09:00:00+08:00',
  returnNotice: '2019-10-26T09:00:00+08:00',
  returnNoticeEnds: '2019-10-31T09:00:00+08:00',
  later: '2019-12-15T09:00:00+08:00',
  removalProposed: '2019-01-10T09:00:00+08:00',
  removalNotice: '2019-01-11T09:00:00+08:00',
  removalNoticeEnds: '2019-01-18T09:00:00+08:00',
  removalDecided: '2019-01-21T09:00:00+08:00',
} as const;

/** The 2018 path of the golden example: 3,612 yuan a head against the 2018 line of 3,535. */
export const EXIT_PATH = {
  registered: [register()],
  poor: [
    register(),
    cmd('RecordIncome', { year: 2018, perCapitaIncome: yuan(3612), stableIncomeSource: true }, 'work-team', T.income),
    cmd('UpdateGuarantees', { year: 2018, guarantees: ALL_MET }, 'work-team', T.income),
  ],
} as const;

export const steps = {
  assess: () => cmd('AssessForExit', { year: 2018 }, 'work-team', T.assess),
  appraise: (agreed = true) => cmd('AppraiseInVillage', { agreed, recordRef: 'song-vil042-2018-11-03-minutes' }, 'village-committee', T.appraise),
  check: (confirmed = true) => cmd('CheckByWorkTeam', { confirmed, findings: 'income and housing verified on site' }, 'work-team', T.check),
  consent: (consents = true) => cmd('RecordConsent', { consents, recordRef: 'song-hh123-consent-2018' }, 'township-official', T.consent),
  notice: (endsAt: string = T.noticeEnds, now: string = T.notice) => cmd('PostExitNotice', { endsAt }, 'township-official', now),
  review: (approved = true, now: string = T.review) => cmd('ReviewByTownship', { approved, note: 'reviewed' }, 'township-official', now),
  announce: (now: string = T.announce) => cmd('AnnounceExit', {}, 'county-official', now),
  objection: (now: string = T.duringNotice) => cmd('RaiseExitObjection', { objectionId: 'obj-1', summary: 'a neighbour says the income is overstated' }, 'work-team', now),
  resolve: (outcome: 'upheld' | 'dismissed' = 'dismissed') => cmd('ResolveExitObjection', { objectionId: 'obj-1', outcome, note: 'checked again' }, 'township-official', T.review),
  lowIncome2019: () => cmd('RecordIncome', { year: 2019, perCapitaIncome: yuan(4000), stableIncomeSource: true }, 'work-team', T.monitor),
  visit: () => cmd('VisitForReturnReview', { findings: 'the householder was injured; no wage income since June' }, 'work-team', T.visit),
  returnNotice: (endsAt: string = T.returnNoticeEnds) => cmd('PostReturnNotice', { endsAt }, 'township-official', T.returnNotice),
  decideReturn: (returnsToPoverty = true, now: string = T.later) => cmd('DecideReturn', { returnsToPoverty, reason: 'income below the line after injury' }, 'county-official', now),
  proposeRemoval: (reason: 'deceased' | 'moved-away' | 'wrongly-identified' = 'moved-away', role: Role = 'work-team', now: string = T.removalProposed) =>
    cmd('ProposeRemoval', { year: 2019, reason, recordRef: 'song-vil042-2019-01-10-minutes' }, role, now),
  removalNotice: (endsAt: string = T.removalNoticeEnds, now: string = T.removalNotice) => cmd('PostRemovalNotice', { endsAt }, 'township-official', now),
  decideRemoval: (approved = true, now: string = T.removalDecided) => cmd('DecideRemoval', { approved, note: '公告清退' }, 'county-official', now),
};

/** Runs commands through the decider; throws on a refusal because a fixture must be valid. */
export const historyOf = (commands: readonly C.HouseholdCommand[], decide = makeDecide()): HouseholdEvent[] => {
  let state: HouseholdState = initialState();
  const out: HouseholdEvent[] = [];
  for (const c of commands) {
    const r = decide(c, state);
    if (!r.ok) throw new Error(`fixture command ${c.type} refused: ${r.error.code} ${r.error.en}`);
    out.push(...r.events);
    state = r.events.reduce(evolve, state);
  }
  return out;
};

/** Command lists that bring household HH to each state. */
export const TO_STATE = {
  unregistered: [],
  poor: [...EXIT_PATH.poor],
  'poor-objection-open': [...EXIT_PATH.poor, steps.assess(), steps.appraise(), steps.check(), steps.consent(), steps.notice(), steps.objection()],
  assessed: [...EXIT_PATH.poor, steps.assess()],
  appraised: [...EXIT_PATH.poor, steps.assess(), steps.appraise()],
  checked: [...EXIT_PATH.poor, steps.assess(), steps.appraise(), steps.check()],
  consented: [...EXIT_PATH.poor, steps.assess(), steps.appraise(), steps.check(), steps.consent()],
  'in-notice': [...EXIT_PATH.poor, steps.assess(), steps.appraise(), steps.check(), steps.consent(), steps.notice()],
  'township-reviewed': [...EXIT_PATH.poor, steps.assess(), steps.appraise(), steps.check(), steps.consent(), steps.notice(), steps.review()],
  exited: [...EXIT_PATH.poor, steps.assess(), steps.appraise(), steps.check(), steps.consent(), steps.notice(), steps.review(), steps.announce()],
  flagged: [...EXIT_PATH.poor, steps.assess(), steps.appraise(), steps.check(), steps.consent(), steps.notice(), steps.review(), steps.announce(), steps.lowIncome2019()],
  'return-visited': [
    ...EXIT_PATH.poor,
    steps.assess(),
    steps.appraise(),
    steps.check(),
    steps.consent(),
    steps.notice(),
    steps.review(),
    steps.announce(),
    steps.lowIncome2019(),
    steps.visit(),
  ],
  'return-notice': [
    ...EXIT_PATH.poor,
    steps.assess(),
    steps.appraise(),
    steps.check(),
    steps.consent(),
    steps.notice(),
    steps.review(),
    steps.announce(),
    steps.lowIncome2019(),
    steps.visit(),
    steps.returnNotice(),
  ],
  removed: [...EXIT_PATH.poor, steps.proposeRemoval(), steps.removalNotice(), steps.decideRemoval()],
} satisfies Record<string, readonly C.HouseholdCommand[]>;
export type FixtureState = keyof typeof TO_STATE;
