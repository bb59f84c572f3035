import { actor, meta } from '../shared/fixtures';
import type { Fen } from '../shared/money';
import type { BenefitRoundCommand } from './commands';
import { benefitPaymentId } from './commands';
import type { HouseholdBenefitFacts, MemberFacts } from './facts';

/** Facts, actors and commands for the benefit specs. Keys are synthetic: never derived from a real ID number. */
export const key = (n: number): string => `mk1-${n.toString(16).padStart(64, '0')}`;
export const acct = (n: number): string => `ykt-${n.toString(16).padStart(32, '0')}`;

export const ROUND = 'br-song-2018-zzzx-twp01';
export const VILLAGE = 'vil-song-0001';
export const OTHER_VILLAGE = 'vil-song-0099';

export const drafter = actor('wang.twp', 'township-official', 'song');
export const reviewer = actor('zhao.twp', 'township-official', 'song');
export const approver = actor('li.county', 'county-official', 'song');
export const payer = actor('qian.finance', 'county-finance', 'song');
export const outsider = actor('he.luanchuan', 'county-official', 'luanchuan');

export const member = (n: number, m: Partial<MemberFacts> = {}): MemberFacts => ({
  memberKey: key(n),
  labourCapacity: 'full',
  disabilityGrade: null,
  schooling: null,
  dibao: false,
  extremePoverty: null,
  welfareJob: null,
  training: null,
  removed: null,
  ...m,
});

export const student = (n: number, schoolYear = 2018): MemberFacts =>
  member(n, { labourCapacity: 'none', schooling: { level: 'secondary-vocational', schoolYear, boarding: false, evidenceRef: `xj-${n}` } });

export const household = (n: number, h: Partial<HouseholdBenefitFacts> = {}): HouseholdBenefitFacts => ({
  householdId: `hh-song-${String(n).padStart(4, '0')}`,
  countyId: 'song',
  villageId: VILLAGE,
  standing: 'registered',
  exitYear: null,
  members: [member(n * 10), student(n * 10 + 1)],
  housing: null,
  renovationAccepted: null,
  relocation: null,
  loan: null,
  account: { accountKey: acct(n), masked: '6217********0001', setAt: '2017-01-01T00:00:00Z', changes: 0 },
  ...h,
});

export const hh = (n: number): string => `hh-song-${String(n).padStart(4, '0')}`;

const T0 = '2018-09-01T09:00:00+08:00';
export const NOTICE_ENDS = '2018-09-08T09:00:00+08:00';
export const AFTER_NOTICE = '2018-09-09T09:00:00+08:00';

export const cmd = {
  draft: (
    households = [household(1), household(2), household(3)],
    over: Partial<Extract<BenefitRoundCommand, { type: 'DraftBenefitRound' }>['data']> = {},
    by = drafter,
  ): BenefitRoundCommand => ({
    type: 'DraftBenefitRound',
    data: { roundId: ROUND, programmeId: 'secondary-vocational-grant', countyId: 'song', townshipId: 'twp-song-01', villageIds: [VILLAGE], period: '2018', households, ...over },
    meta: meta(by, T0),
  }),
  notice: (endsAt = NOTICE_ENDS, by = drafter): BenefitRoundCommand => ({ type: 'PostBenefitNotice', data: { roundId: ROUND, endsAt }, meta: meta(by, T0) }),
  object: (
    outcome: 'remove' | 'add' | 'dismiss',
    householdId: string,
    facts?: HouseholdBenefitFacts | null,
    objectionId = 'obj-1',
    now = '2018-09-03T09:00:00+08:00',
    by = reviewer,
  ): BenefitRoundCommand => ({
    type: 'RuleOnBenefitObjection',
    data: { roundId: ROUND, objectionId, householdId, outcome, reason: '村民反映该户子女已辍学', ...(facts === undefined ? {} : { facts }) },
    meta: meta(by, now),
  }),
  review: (approved = true, by = reviewer, now = AFTER_NOTICE): BenefitRoundCommand => ({
    type: 'ReviewBenefitRound',
    data: { roundId: ROUND, approved, note: '同意' },
    meta: meta(by, now),
  }),
  approve: (approved = true, by = approver): BenefitRoundCommand => ({
    type: 'ApproveBenefitRound',
    data: { roundId: ROUND, approved, note: '同意' },
    meta: meta(by, AFTER_NOTICE),
  }),
  disburse: (
    by = payer,
    fund: { source: 'central' | 'social'; countyId: string; earmark: ('education' | 'transport')[] } = { source: 'central', countyId: 'song', earmark: ['education'] },
  ): BenefitRoundCommand => ({
    type: 'StartBenefitDisbursement',
    data: { roundId: ROUND, fundId: 'fund-song-2018-central-01', allocationId: `${ROUND}:alloc`, fund },
    meta: meta(by, AFTER_NOTICE),
  }),
  pay: (ns: number[], amount = 200_000, batch = 'b1', by = payer): BenefitRoundCommand => ({
    type: 'RecordBenefitPayments',
    data: {
      roundId: ROUND,
      batch,
      payments: ns.map((n) => ({ householdId: hh(n), paymentId: benefitPaymentId(ROUND, hh(n)), accountKey: acct(n), amount: amount as Fen, transferId: `t-${n}` })),
    },
    meta: meta(by, AFTER_NOTICE),
  }),
  giveBack: (ns: number[], amount = 200_000, batch = 'r1'): BenefitRoundCommand => ({
    type: 'RecordBenefitReturns',
    data: {
      roundId: ROUND,
      batch,
      returned: ns.map((n) => ({
        householdId: hh(n),
        paymentId: benefitPaymentId(ROUND, hh(n)),
        amount: amount as Fen,
        code: 'ACCOUNT_CLOSED',
        reason: '账户已销户',
        attempts: 3,
      })),
    },
    meta: meta(payer, AFTER_NOTICE),
  }),
  close: (by = payer): BenefitRoundCommand => ({ type: 'CloseBenefitRound', data: { roundId: ROUND }, meta: meta(by, AFTER_NOTICE) }),
};
