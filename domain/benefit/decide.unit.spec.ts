import { deciderSpec, run } from '../shared/testing';
import { benefitRoundDecider } from './index';
import type { BenefitRoundCommand } from './commands';
import type { BenefitRoundEvent } from './events';
import { evolveAll } from './evolve';
import { initialState, reconciled, unsettled } from './state';
import { acct, key, AFTER_NOTICE, approver, cmd, drafter, household, hh, member, OTHER_VILLAGE, outsider, payer, reviewer, student } from './fixtures';
import { actor } from '../shared/fixtures';
import { fen } from '../shared/money';
import { eventRegistry } from '../event-types';

const spec = deciderSpec(benefitRoundDecider);

const eventsOf = (commands: BenefitRoundCommand[]): BenefitRoundEvent[] => {
  const r = run(benefitRoundDecider, commands);
  if (r.refused) throw new Error(`fixture refused: ${r.refused.code} ${r.refused.en}`);
  return r.events;
};

const S = {
  none: () => [],
  drafted: () => eventsOf([cmd.draft()]),
  'in-notice': () => eventsOf([cmd.draft(), cmd.notice()]),
  'township-reviewed': () => eventsOf([cmd.draft(), cmd.notice(), cmd.review()]),
  approved: () => eventsOf([cmd.draft(), cmd.notice(), cmd.review(), cmd.approve()]),
  disbursing: () => eventsOf([cmd.draft(), cmd.notice(), cmd.review(), cmd.approve(), cmd.disburse()]),
  closed: () => eventsOf([cmd.draft(), cmd.notice(), cmd.review(), cmd.approve(), cmd.disburse(), cmd.pay([1, 2, 3]), cmd.close()]),
  rejected: () => eventsOf([cmd.draft(), cmd.notice(), cmd.review(false)]),
} satisfies Record<string, () => BenefitRoundEvent[]>;
type StateName = keyof typeof S;

/** Every command in every stage: the first event it yields or the code it is refused with. */
const MATRIX: [string, () => BenefitRoundCommand, Record<StateName, string>][] = [
  [
    'DraftBenefitRound',
    () => cmd.draft(),
    {
      none: 'BenefitRoundDrafted',
      drafted: 'BENEFIT_ROUND_EXISTS',
      'in-notice': 'BENEFIT_ROUND_EXISTS',
      'township-reviewed': 'BENEFIT_ROUND_EXISTS',
      approved: 'BENEFIT_ROUND_EXISTS',
      disbursing: 'BENEFIT_ROUND_EXISTS',
      closed: 'BENEFIT_ROUND_EXISTS',
      rejected: 'BENEFIT_ROUND_EXISTS',
    },
  ],
  [
    'PostBenefitNotice',
    () => cmd.notice(),
    {
      none: 'BENEFIT_ROUND_NOT_FOUND',
      drafted: 'BenefitNoticePosted',
      'in-notice': 'BENEFIT_WRONG_STAGE',
      'township-reviewed': 'BENEFIT_WRONG_STAGE',
      approved: 'BENEFIT_WRONG_STAGE',
      disbursing: 'BENEFIT_WRONG_STAGE',
      closed: 'BENEFIT_WRONG_STAGE',
      rejected: 'BENEFIT_WRONG_STAGE',
    },
  ],
  [
    'RuleOnBenefitObjection',
    () => cmd.object('remove', hh(1)),
    {
      none: 'BENEFIT_ROUND_NOT_FOUND',
      drafted: 'BENEFIT_WRONG_STAGE',
      'in-notice': 'BenefitLineRemoved',
      'township-reviewed': 'BENEFIT_WRONG_STAGE',
      approved: 'BENEFIT_WRONG_STAGE',
      disbursing: 'BENEFIT_WRONG_STAGE',
      closed: 'BENEFIT_WRONG_STAGE',
      rejected: 'BENEFIT_WRONG_STAGE',
    },
  ],
  [
    'ReviewBenefitRound',
    () => cmd.review(),
    {
      none: 'BENEFIT_ROUND_NOT_FOUND',
      drafted: 'BENEFIT_WRONG_STAGE',
      'in-notice': 'BenefitRoundReviewed',
      'township-reviewed': 'BENEFIT_WRONG_STAGE',
      approved: 'BENEFIT_WRONG_STAGE',
      disbursing: 'BENEFIT_WRONG_STAGE',
      closed: 'BENEFIT_WRONG_STAGE',
      rejected: 'BENEFIT_WRONG_STAGE',
    },
  ],
  [
    'ApproveBenefitRound',
    () => cmd.approve(),
    {
      none: 'BENEFIT_ROUND_NOT_FOUND',
      drafted: 'BENEFIT_WRONG_STAGE',
      'in-notice': 'BENEFIT_WRONG_STAGE',
      'township-reviewed': 'BenefitRoundApproved',
      approved: 'BENEFIT_WRONG_STAGE',
      disbursing: 'BENEFIT_WRONG_STAGE',
      closed: 'BENEFIT_WRONG_STAGE',
      rejected: 'BENEFIT_WRONG_STAGE',
    },
  ],
  [
    'StartBenefitDisbursement',
    () => cmd.disburse(),
    {
      none: 'BENEFIT_ROUND_NOT_FOUND',
      drafted: 'BENEFIT_WRONG_STAGE',
      'in-notice': 'BENEFIT_WRONG_STAGE',
      'township-reviewed': 'BENEFIT_WRONG_STAGE',
      approved: 'BenefitDisbursementStarted',
      disbursing: 'BENEFIT_WRONG_STAGE',
      closed: 'BENEFIT_WRONG_STAGE',
      rejected: 'BENEFIT_WRONG_STAGE',
    },
  ],
  [
    'RecordBenefitPayments',
    () => cmd.pay([1]),
    {
      none: 'BENEFIT_ROUND_NOT_FOUND',
      drafted: 'BENEFIT_WRONG_STAGE',
      'in-notice': 'BENEFIT_WRONG_STAGE',
      'township-reviewed': 'BENEFIT_WRONG_STAGE',
      approved: 'BENEFIT_WRONG_STAGE',
      disbursing: 'BenefitPaymentsRecorded',
      closed: 'BENEFIT_WRONG_STAGE',
      rejected: 'BENEFIT_WRONG_STAGE',
    },
  ],
  [
    'RecordBenefitReturns',
    () => cmd.giveBack([1]),
    {
      none: 'BENEFIT_ROUND_NOT_FOUND',
      drafted: 'BENEFIT_WRONG_STAGE',
      'in-notice': 'BENEFIT_WRONG_STAGE',
      'township-reviewed': 'BENEFIT_WRONG_STAGE',
      approved: 'BENEFIT_WRONG_STAGE',
      disbursing: 'BenefitPaymentsReturned',
      closed: 'BENEFIT_WRONG_STAGE',
      rejected: 'BENEFIT_WRONG_STAGE',
    },
  ],
  [
    'CloseBenefitRound',
    () => cmd.close(),
    {
      none: 'BENEFIT_ROUND_NOT_FOUND',
      drafted: 'BENEFIT_WRONG_STAGE',
      'in-notice': 'BENEFIT_WRONG_STAGE',
      'township-reviewed': 'BENEFIT_WRONG_STAGE',
      approved: 'BENEFIT_WRONG_STAGE',
      disbursing: 'BENEFIT_UNSETTLED',
      closed: 'BENEFIT_WRONG_STAGE',
      rejected: 'BENEFIT_WRONG_STAGE',
    },
  ],
];

describe('Benefit round decider, every command in every stage', () => {
  for (const [name, make, outcomes] of MATRIX) {
    for (const [state, outcome] of Object.entries(outcomes)) {
      it(`${name} when ${state} → ${outcome}`, () => {
        const w = spec.given(S[state as StateName]()).when(make());
        if (/^[A-Z_]+$/.test(outcome)) w.thenRefuses(outcome);
        else expect(w.thenAccepts()[0]?.type).toBe(outcome);
      });
    }
  }
});

describe('Drafting the list', () => {
  it('lists each eligible household with its amount, rule, policy version and the facts used', () => {
    const [header, listed] = spec.given([]).when(cmd.draft()).thenAccepts();
    expect(header).toMatchObject({
      type: 'BenefitRoundDrafted',
      data: { lineCount: 3, listTotal: 600_000, policy: { id: 'benefit-programmes', version: 1 }, standards: { default: 200_000 }, excluded: [] },
    });
    expect(listed).toMatchObject({ type: 'BenefitLinesListed', data: { chunk: 0 } });
    const line = (listed!.data as { lines: unknown[] }).lines[0];
    expect(line).toEqual({
      householdId: hh(1),
      villageId: 'vil-song-0001',
      amount: 200_000,
      ruleId: 'enrolled-secondary-vocational',
      policy: { id: 'benefit-programmes', version: 1 },
      beneficiaries: [{ memberKey: expect.stringMatching(/^mk1-/), amount: 200_000, facts: { schoolLevel: 'secondary-vocational', schoolYear: 2018, enrolmentRef: 'xj-11' } }],
    });
  });

  it('pays 2,000元 per student: two students in one household make 4,000元', () => {
    const two = household(1, { members: [member(10), student(11), student(12)] });
    const [header] = spec
      .given([])
      .when(cmd.draft([two]))
      .thenAccepts();
    expect(header!.data).toMatchObject({ listTotal: 400_000, lineCount: 1 });
  });

  it('leaves off, with the rule, households not eligible, removed, outside the township, or without an account', () => {
    const [header] = spec
      .given([])
      .when(
        cmd.draft([
          household(1),
          household(2, { members: [member(20)] }),
          household(3, { standing: 'removed' }),
          household(4, { villageId: OTHER_VILLAGE }),
          household(5, { account: null }),
          household(6, { members: [member(60), student(61, 2017)] }),
          household(7, { members: [member(70), { ...student(71), removed: { reason: 'death', at: '2018-05-01T00:00:00Z' } }] }),
        ]),
      )
      .thenAccepts();
    expect((header!.data as { excluded: unknown }).excluded).toEqual([
      { householdId: hh(2), code: 'BENEFIT_NOT_ELIGIBLE' },
      { householdId: hh(3), code: 'BENEFIT_HOUSEHOLD_REMOVED' },
      { householdId: hh(4), code: 'BENEFIT_OUT_OF_TOWNSHIP' },
      { householdId: hh(5), code: 'BENEFIT_NO_ACCOUNT' },
      { householdId: hh(6), code: 'BENEFIT_NOT_ELIGIBLE' },
      { householdId: hh(7), code: 'BENEFIT_NOT_ELIGIBLE' },
    ]);
    expect(header!.data).toMatchObject({ lineCount: 1, listTotal: 200_000 });
  });

  it('refuses a list that would pay one student twice (the same person in two files)', () =>
    spec
      .given([])
      .when(cmd.draft([household(1), household(2, { members: [member(20), student(11)] })]))
      .thenRefuses('BENEFIT_PERSON_TWICE'));

  it('refuses a list with a student already on another round of the same programme and period (another township over the same village), naming that round', () => {
    const w = spec.given([]).when(cmd.draft([household(1), household(2)], { listedElsewhere: { [key(21)]: 'br-song-2018-zz-other' } }));
    w.thenRefuses('BENEFIT_PERSON_TWICE');
    expect(
      benefitRoundDecider.decide(cmd.draft([household(1), household(2)], { listedElsewhere: { [key(21)]: 'br-song-2018-zz-other' } }), benefitRoundDecider.initialState()),
    ).toMatchObject({
      ok: false,
      error: { details: { householdId: hh(2), roundId: 'br-song-2018-zz-other' } },
    });
    spec
      .given([])
      .when(cmd.draft([household(1), household(2)], { listedElsewhere: { [key(99)]: 'br-song-2018-zz-other' } }))
      .thenAccepts();
  });

  it('lists a household given twice once', () => {
    const [header] = spec
      .given([])
      .when(cmd.draft([household(1), household(1)]))
      .thenAccepts();
    expect(header!.data).toMatchObject({ lineCount: 1 });
  });

  it('refuses an empty list', () =>
    spec
      .given([])
      .when(cmd.draft([household(2, { members: [member(20)] })]))
      .thenRefuses('BENEFIT_LIST_EMPTY'));
  it('refuses an unknown programme', () =>
    spec
      .given([])
      .when(cmd.draft(undefined, { programmeId: 'free-money' }))
      .thenRefuses('BENEFIT_PROGRAMME_UNKNOWN'));
  it('refuses a period of the wrong kind (a yearly grant per month)', () =>
    spec
      .given([])
      .when(cmd.draft(undefined, { period: '2018-09' }))
      .thenRefuses('BENEFIT_PERIOD_KIND'));
  it('refuses a standard other than the exact national one', () =>
    spec
      .given([])
      .when(cmd.draft(undefined, { standards: { default: 250_000 as never } }))
      .thenRefuses('BENEFIT_STANDARD_OUT_OF_BOUNDS'));
  it('refuses a standard for a tier the programme does not have', () =>
    spec
      .given([])
      .when(cmd.draft(undefined, { standards: { gold: 1 as never } }))
      .thenRefuses('BENEFIT_STANDARD_UNKNOWN_TIER'));
  it('refuses a role that does not draw up lists, and another county', () => {
    spec
      .given([])
      .when(cmd.draft(undefined, {}, payer))
      .thenRefuses('ACCESS_ROLE_NOT_ALLOWED');
    spec
      .given([])
      .when(cmd.draft(undefined, {}, outsider))
      .thenRefuses('ACCESS_OUT_OF_COUNTY');
  });
  it('splits a long list into events of at most 500 lines', () => {
    const many = Array.from({ length: 1201 }, (_, i) => household(i + 1));
    const events = spec.given([]).when(cmd.draft(many)).thenAccepts();
    expect(events.map((e) => e.type)).toEqual(['BenefitRoundDrafted', 'BenefitLinesListed', 'BenefitLinesListed', 'BenefitLinesListed']);
    const s = evolveAll(events, initialState());
    expect(s.stage === 'drafted' && s.lines.size).toBe(1201);
    expect(s.stage === 'drafted' && s.listTotal).toBe(1201 * 200_000);
  });
});

describe('公示 and objections', () => {
  it('needs at least 7 days of notice', () => spec.given(S.drafted()).when(cmd.notice('2018-09-07T09:00:00+08:00')).thenRefuses('BENEFIT_NOTICE_TOO_SHORT'));

  it('an upheld objection removes a household with its reason and takes its amount off the total', () => {
    const w = spec.given(S['in-notice']()).when(cmd.object('remove', hh(2)));
    expect(w.thenAccepts()).toEqual([
      {
        type: 'BenefitLineRemoved',
        data: {
          roundId: 'br-song-2018-zzzx-twp01',
          by: 'zhao.twp',
          at: '2018-09-03T09:00:00+08:00',
          objectionId: 'obj-1',
          householdId: hh(2),
          amount: 200_000,
          reason: '村民反映该户子女已辍学',
        },
      },
    ]);
    const s = evolveAll([...S['in-notice'](), ...w.thenAccepts()], initialState());
    expect(s.stage === 'in-notice' && [s.listTotal, s.lines.get(hh(2))?.status]).toEqual([400_000, 'removed']);
  });

  it('an upheld objection adds an eligible household left off, with its computed line', () => {
    const events = spec
      .given(S['in-notice']())
      .when(cmd.object('add', hh(4), household(4)))
      .thenAccepts();
    expect(events[0]).toMatchObject({ type: 'BenefitLineAdded', data: { line: { householdId: hh(4), amount: 200_000, ruleId: 'enrolled-secondary-vocational' } } });
  });

  it('refuses to add a household not in the registry', () =>
    spec
      .given(S['in-notice']())
      .when(cmd.object('add', hh(9), null))
      .thenRefuses('BENEFIT_NOT_IN_REGISTRY'));
  it('refuses to add a household already listed', () =>
    spec
      .given(S['in-notice']())
      .when(cmd.object('add', hh(1), household(1)))
      .thenRefuses('BENEFIT_HOUSEHOLD_TWICE'));
  it('refuses to add a household whose student is already paid through another listed household', () =>
    spec
      .given(S['in-notice']())
      .when(cmd.object('add', hh(5), household(5, { members: [member(50), student(11)] })))
      .thenRefuses('BENEFIT_PERSON_TWICE'));
  it('refuses to add a household whose student is on another round of the same programme and period', () => {
    const c = cmd.object('add', hh(5), household(5));
    spec
      .given(S['in-notice']())
      .when({ ...c, data: { ...c.data, listedElsewhere: { [key(51)]: 'br-song-2018-zz-other' } } } as typeof c)
      .thenRefuses('BENEFIT_PERSON_TWICE');
  });
  it('refuses to add a removed household', () =>
    spec
      .given(S['in-notice']())
      .when(cmd.object('add', hh(5), household(5, { standing: 'removed' })))
      .thenRefuses('BENEFIT_HOUSEHOLD_REMOVED'));
  it('refuses to add a household outside the township', () =>
    spec
      .given(S['in-notice']())
      .when(cmd.object('add', hh(5), household(5, { villageId: OTHER_VILLAGE })))
      .thenRefuses('BENEFIT_OUT_OF_TOWNSHIP'));
  it('refuses to remove a household not listed', () =>
    spec
      .given(S['in-notice']())
      .when(cmd.object('remove', hh(9)))
      .thenRefuses('BENEFIT_NOT_LISTED'));
  it('refuses an objection id used before', () =>
    spec
      .given(eventsOf([cmd.draft(), cmd.notice(), cmd.object('dismiss', hh(1))]))
      .when(cmd.object('remove', hh(2)))
      .thenRefuses('BENEFIT_OBJECTION_EXISTS'));
  it('refuses a ruling after the notice has ended', () =>
    spec
      .given(S['in-notice']())
      .when(cmd.object('remove', hh(2), undefined, 'obj-9', AFTER_NOTICE))
      .thenRefuses('BENEFIT_NOTICE_OVER'));
  it('a dismissed objection changes nothing on the list', () => {
    const events = eventsOf([cmd.draft(), cmd.notice(), cmd.object('dismiss', hh(1))]);
    const s = evolveAll(events, initialState());
    expect(s.stage === 'in-notice' && [s.listTotal, s.lines.get(hh(1))?.status]).toEqual([600_000, 'listed']);
  });
  it('a household removed and added again is listed once', () => {
    const events = eventsOf([cmd.draft(), cmd.notice(), cmd.object('remove', hh(1)), cmd.object('add', hh(1), household(1), 'obj-2')]);
    const s = evolveAll(events, initialState());
    expect(s.stage === 'in-notice' && [s.listTotal, s.lines.size]).toEqual([600_000, 3]);
  });
});

describe('Review and approval: drafter ≠ reviewer ≠ approver ≠ payer', () => {
  it('the township may not review before the notice ends', () =>
    spec
      .given(S['in-notice']())
      .when(cmd.review(true, reviewer, '2018-09-05T09:00:00+08:00'))
      .thenRefuses('BENEFIT_NOTICE_RUNNING'));
  it('the drafter may not review their own list', () => spec.given(S['in-notice']()).when(cmd.review(true, drafter)).thenRefuses('BENEFIT_SEPARATION_OF_DUTIES'));
  it('a county official who drafted may not approve their own list', () => {
    const countyDrafter = actor('li.county', 'county-official', 'song');
    const events = eventsOf([cmd.draft(undefined, {}, countyDrafter), cmd.notice(), cmd.review()]);
    spec.given(events).when(cmd.approve(true, countyDrafter)).thenRefuses('BENEFIT_SEPARATION_OF_DUTIES');
  });
  it('only a county official approves', () => spec.given(S['township-reviewed']()).when(cmd.approve(true, reviewer)).thenRefuses('ACCESS_ROLE_NOT_ALLOWED'));
  it('a rejection ends the round', () => {
    const events = eventsOf([cmd.draft(), cmd.notice(), cmd.review(), cmd.approve(false)]);
    expect(evolveAll(events, initialState()).stage).toBe('rejected');
  });
  it('the approver may not pay, even holding the finance role', () => {
    const financeApprover = actor('li.county', 'county-finance', 'song');
    spec.given(S.approved()).when(cmd.disburse(financeApprover)).thenRefuses('BENEFIT_SEPARATION_OF_DUTIES');
  });
  it('a review with every household removed is refused', () => {
    const events = eventsOf([cmd.draft([household(1)]), cmd.notice(), cmd.object('remove', hh(1))]);
    spec.given(events).when(cmd.review()).thenRefuses('BENEFIT_LIST_EMPTY');
  });
});

describe('Disbursement', () => {
  it('pays only from a fund whose source the programme allows', () =>
    spec
      .given(S.approved())
      .when(cmd.disburse(payer, { source: 'social', countyId: 'song', earmark: ['education'] }))
      .thenRefuses('BENEFIT_FUND_SOURCE_NOT_ALLOWED'));
  it('pays only from a fund earmarked for the programme’s category', () =>
    spec
      .given(S.approved())
      .when(cmd.disburse(payer, { source: 'central', countyId: 'song', earmark: ['transport'] }))
      .thenRefuses('BENEFIT_FUND_NOT_EARMARKED'));
  it('pays only from the county’s own fund', () =>
    spec
      .given(S.approved())
      .when(cmd.disburse(payer, { source: 'central', countyId: 'luanchuan', earmark: ['education'] }))
      .thenRefuses('BENEFIT_FUND_OUT_OF_COUNTY'));
  it('a payment must be the listed amount', () =>
    spec
      .given(S.disbursing())
      .when(cmd.pay([1], 150_000))
      .thenRefuses('BENEFIT_AMOUNT_MISMATCH'));
  it('a household removed by objection is never paid', () => {
    const events = eventsOf([cmd.draft(), cmd.notice(), cmd.object('remove', hh(2)), cmd.review(), cmd.approve(), cmd.disburse()]);
    spec
      .given(events)
      .when(cmd.pay([2]))
      .thenRefuses('BENEFIT_NOT_LISTED');
  });
  it('a household is paid once: the same payment again is a retry and records nothing', () => {
    spec
      .given(S.disbursing())
      .when(cmd.pay([1, 1]))
      .thenRefuses('BENEFIT_ALREADY_SETTLED');
    const paid = eventsOf([cmd.draft(), cmd.notice(), cmd.review(), cmd.approve(), cmd.disburse(), cmd.pay([1])]);
    spec
      .given(paid)
      .when(cmd.pay([1], 200_000, 'b2'))
      .then([]);
    spec
      .given(paid)
      .when(cmd.giveBack([1]))
      .thenRefuses('BENEFIT_ALREADY_SETTLED');
  });
  it('a returned household cannot then be paid under the round', () => {
    const returned = eventsOf([cmd.draft(), cmd.notice(), cmd.review(), cmd.approve(), cmd.disburse(), cmd.giveBack([3])]);
    spec
      .given(returned)
      .when(cmd.pay([3]))
      .thenRefuses('BENEFIT_ALREADY_SETTLED');
  });
  it('closes when every household is paid or returned and list total = paid + returned, to the fen', () => {
    const events = eventsOf([cmd.draft(), cmd.notice(), cmd.object('remove', hh(2)), cmd.review(), cmd.approve(), cmd.disburse(), cmd.pay([1]), cmd.giveBack([3])]);
    const s = evolveAll(events, initialState());
    expect(s.stage === 'disbursing' && [unsettled(s), reconciled(s)]).toEqual([0, true]);
    spec
      .given(events)
      .when(cmd.close())
      .then([
        {
          type: 'BenefitRoundClosed',
          data: {
            roundId: 'br-song-2018-zzzx-twp01',
            by: 'qian.finance',
            at: AFTER_NOTICE,
            listTotal: fen(400_000),
            paid: fen(200_000),
            returned: fen(200_000),
            paidCount: 1,
            returnedCount: 1,
            fundId: 'fund-song-2018-central-01',
          },
        },
      ]);
  });
  it('records the account each payment went to', () => {
    const events = eventsOf([cmd.draft(), cmd.notice(), cmd.review(), cmd.approve(), cmd.disburse(), cmd.pay([1])]);
    const s = evolveAll(events, initialState());
    expect(s.stage === 'disbursing' && s.lines.get(hh(1))).toMatchObject({ status: 'paid', accountKey: acct(1), paymentId: 'br-song-2018-zzzx-twp01:hh-song-0001' });
  });
  it('does not close with a household neither paid nor returned', () =>
    spec
      .given(eventsOf([cmd.draft(), cmd.notice(), cmd.review(), cmd.approve(), cmd.disburse(), cmd.pay([1, 2])]))
      .when(cmd.close())
      .thenRefuses('BENEFIT_UNSETTLED'));
  it('records payments under the finance role only', () =>
    spec
      .given(S.disbursing())
      .when(cmd.pay([1], 200_000, 'b1', approver))
      .thenRefuses('ACCESS_ROLE_NOT_ALLOWED'));
});

describe('What the decider emits is what the store accepts', () => {
  it('every event of a whole round passes its zod schema', () => {
    const events = eventsOf([
      cmd.draft(),
      cmd.notice(),
      cmd.object('remove', hh(2)),
      cmd.object('add', hh(4), household(4), 'obj-2'),
      cmd.object('dismiss', hh(1), undefined, 'obj-3'),
      cmd.review(),
      cmd.approve(),
      cmd.disburse(),
      cmd.pay([1, 4]),
      cmd.giveBack([3]),
      cmd.close(),
    ]);
    for (const e of events) expect(eventRegistry.get(e.type)!.schema.safeParse(e.data)).toMatchObject({ success: true });
    expect(events.map((e) => e.type)).toEqual([
      'BenefitRoundDrafted',
      'BenefitLinesListed',
      'BenefitNoticePosted',
      'BenefitLineRemoved',
      'BenefitLineAdded',
      'BenefitObjectionDismissed',
      'BenefitRoundReviewed',
      'BenefitRoundApproved',
      'BenefitDisbursementStarted',
      'BenefitPaymentsRecorded',
      'BenefitPaymentsReturned',
      'BenefitRoundClosed',
    ]);
  });
});
