import { deciderSpec } from '../shared/testing';
import { decide } from './decide';
import { evolve, evolveAll } from './evolve';
import { balanced, initialState, type FundState } from './state';
import { auditor, cityOffice, cmd, ev, financeElsewhere, official, wan } from './fund.fixtures';
import type { FundEvent } from './events';
import type { FundCommand } from './commands';

const spec = deciderSpec({ decide, evolve, initialState });

const STATES: Record<string, FundEvent[]> = {
  none: [],
  open: [ev.appropriated(), ev.allocated()],
  frozen: [ev.appropriated(), ev.allocated(), ev.frozen()],
};

/** Every command in every state: the event it yields or the code it is refused with. */
const MATRIX: [string, () => ReturnType<typeof cmd.appropriate>, Record<keyof typeof STATES, string>][] = [
  ['AppropriateFund', () => cmd.appropriate(), { none: 'FundAppropriated', open: 'FUND_ALREADY_APPROPRIATED', frozen: 'FUND_ALREADY_APPROPRIATED' }],
  ['AllocateFund', () => cmd.allocate(wan(10), 'alc-2'), { none: 'FUND_NOT_FOUND', open: 'FundAllocated', frozen: 'FUND_FROZEN' }],
  ['ReleaseAllocation', () => cmd.release(), { none: 'FUND_NOT_FOUND', open: 'FundAllocationReleased', frozen: 'FundAllocationReleased' }],
  ['DisburseFund', () => cmd.disburse(), { none: 'FUND_NOT_FOUND', open: 'FundDisbursed', frozen: 'FUND_FROZEN' }],
  ['ReturnFund', () => cmd.giveBack(), { none: 'FUND_NOT_FOUND', open: 'FundReturned', frozen: 'FundReturned' }],
  ['FreezeFund', () => cmd.freeze(), { none: 'FUND_NOT_FOUND', open: 'FundFrozen', frozen: 'FUND_ALREADY_FROZEN' }],
  ['UnfreezeFund', () => cmd.unfreeze(), { none: 'FUND_NOT_FOUND', open: 'FUND_NOT_FROZEN', frozen: 'FundUnfrozen' }],
];

describe('Fund decider, every command in every state', () => {
  for (const [name, make, outcomes] of MATRIX) {
    for (const [state, outcome] of Object.entries(outcomes)) {
      it(`${name} when ${state} → ${outcome}`, () => {
        const w = spec.given(STATES[state] ?? []).when(make());
        if (/^[A-Z_]+$/.test(outcome)) w.thenRefuses(outcome);
        else expect(w.thenAccepts().map((e) => e.type)).toEqual([outcome]);
      });
    }
  }
});

describe('When not appropriated', () => {
  it('appropriates with source, year, county, document number and earmark', () => spec.given([]).when(cmd.appropriate()).then([ev.appropriated()]));
  it('refuses a zero appropriation', () =>
    spec
      .given([])
      .when(cmd.appropriate(wan(0)))
      .thenRefuses('FUND_AMOUNT_NOT_POSITIVE'));
  it('refuses finance of another county', () =>
    spec
      .given([])
      .when(cmd.appropriate(wan(1), financeElsewhere))
      .thenRefuses('ACCESS_OUT_OF_COUNTY'));
  it('lets the city office appropriate to a county', () => {
    spec
      .given([])
      .when(cmd.appropriate(wan(1), cityOffice))
      .thenAccepts();
  });
  it('refuses an auditor, who never changes money', () =>
    spec
      .given([])
      .when(cmd.appropriate(wan(1), auditor))
      .thenRefuses('ACCESS_ROLE_NOT_ALLOWED'));
  it('refuses a fund id naming another county than the one it is appropriated to (routes read scope from the id)', () => {
    const c = cmd.appropriate(wan(1), cityOffice);
    spec
      .given([])
      .when({ ...c, data: { ...c.data, fundId: 'fund-luanchuan-2017-x1' } } as typeof c)
      .thenRefuses('FUND_ID_NOT_OF_COUNTY');
  });
});

describe('When open', () => {
  const open = [ev.appropriated()];
  it('allocates within the available balance', () => spec.given(open).when(cmd.allocate()).then([ev.allocated()]));
  it('allocates exactly the whole balance', () =>
    spec
      .given(open)
      .when(cmd.allocate(wan(100)))
      .then([ev.allocated(wan(100))]));
  it('refuses one fen beyond the balance', () =>
    spec
      .given(open)
      .when(cmd.allocate((wan(100) + 1) as never))
      .thenRefuses('FUND_INSUFFICIENT'));
  it('refuses a category outside the earmark (专款专用)', () =>
    spec
      .given(open)
      .when(cmd.allocate(wan(1), 'alc-9', 'health'))
      .thenRefuses('FUND_CATEGORY_NOT_EARMARKED'));
  it('refuses a project in another county', () =>
    spec
      .given(open)
      .when({ ...cmd.allocate(), data: { ...(cmd.allocate().data as object), projectCountyId: 'luanchuan' } } as never)
      .thenRefuses('FUND_PROJECT_OUT_OF_COUNTY'));
  it('refuses a reused allocation id', () =>
    spec
      .given([...open, ev.allocated()])
      .when(cmd.allocate())
      .thenRefuses('FUND_ALLOCATION_EXISTS'));
  it('refuses a zero allocation', () =>
    spec
      .given(open)
      .when(cmd.allocate(wan(0)))
      .thenRefuses('FUND_AMOUNT_NOT_POSITIVE'));
  it('refuses finance of another county', () =>
    spec
      .given(open)
      .when(cmd.allocate(wan(1), 'alc-2', 'transport', financeElsewhere))
      .thenRefuses('ACCESS_OUT_OF_COUNTY'));
  it('lets the county official arrange an allocation', () => {
    spec
      .given(open)
      .when(cmd.allocate(wan(1), 'alc-2', 'transport', official))
      .thenAccepts();
  });
  it('refuses an auditor allocating', () =>
    spec
      .given(open)
      .when(cmd.allocate(wan(1), 'alc-2', 'transport', auditor))
      .thenRefuses('ACCESS_ROLE_NOT_ALLOWED'));

  const allocated = [...open, ev.allocated()];
  it('releases all that is unpaid when no amount is given', () =>
    spec
      .given([...allocated, ev.disbursed()])
      .when(cmd.release())
      .then([ev.released(wan(21))]));
  it('releases part of an allocation', () =>
    spec
      .given(allocated)
      .when(cmd.release(wan(5)))
      .then([ev.released(wan(5))]));
  it('refuses to release more than is unpaid', () =>
    spec
      .given([...allocated, ev.disbursed()])
      .when(cmd.release(wan(22)))
      .thenRefuses('FUND_RELEASE_EXCEEDS_UNPAID'));
  it('refuses to release a fully paid allocation', () =>
    spec
      .given([...allocated, ev.disbursed(wan(30))])
      .when(cmd.release())
      .thenRefuses('FUND_NOTHING_TO_RELEASE'));
  it('refuses to release an unknown allocation', () => spec.given(allocated).when(cmd.release(undefined, 'alc-x')).thenRefuses('FUND_ALLOCATION_NOT_FOUND'));

  it('disburses against an allocation', () => spec.given(allocated).when(cmd.disburse()).then([ev.disbursed()]));
  it('refuses a payment beyond the allocation', () =>
    spec
      .given(allocated)
      .when(cmd.disburse((wan(30) + 1) as never))
      .thenRefuses('FUND_PAYMENT_EXCEEDS_ALLOCATION'));
  it("refuses a payment for another county's household (scope read from the household id), and pays one of its own", () => {
    const c = cmd.disburse(wan(1));
    const to = (householdId: string) => ({ ...c, data: { ...c.data, householdId } }) as typeof c;
    spec.given(allocated).when(to('hh-luanchuan-0001')).thenRefuses('FUND_HOUSEHOLD_OUT_OF_COUNTY');
    spec.given(allocated).when(to('hh-song-0001')).thenAccepts();
  });
  it('refuses a payment on an unknown allocation', () =>
    spec
      .given(allocated)
      .when(cmd.disburse(wan(1), 'pay-1', 'alc-x'))
      .thenRefuses('FUND_ALLOCATION_NOT_FOUND'));
  it('treats a repeated payment id with the same content as done (idempotent)', () =>
    spec
      .given([...allocated, ev.disbursed()])
      .when(cmd.disburse())
      .then([]));
  it('refuses a payment id reused for a different payment', () =>
    spec
      .given([...allocated, ev.disbursed()])
      .when(cmd.disburse(wan(1)))
      .thenRefuses('FUND_PAYMENT_ID_REUSED'));
  it('refuses the county official disbursing: only finance pays', () =>
    spec
      .given(allocated)
      .when(cmd.disburse(wan(1), 'pay-2', 'alc-1', official))
      .thenRefuses('ACCESS_ROLE_NOT_ALLOWED'));
  it('refuses the city office disbursing', () =>
    spec
      .given(allocated)
      .when(cmd.disburse(wan(1), 'pay-2', 'alc-1', cityOffice))
      .thenRefuses('ACCESS_ROLE_NOT_ALLOWED'));

  it('returns available money', () =>
    spec
      .given(allocated)
      .when(cmd.giveBack(wan(70)))
      .then([ev.returned(wan(70))]));
  it('refuses to return allocated money', () =>
    spec
      .given(allocated)
      .when(cmd.giveBack((wan(70) + 1) as never))
      .thenRefuses('FUND_INSUFFICIENT'));
  it('refuses a zero return', () =>
    spec
      .given(allocated)
      .when(cmd.giveBack(wan(0)))
      .thenRefuses('FUND_AMOUNT_NOT_POSITIVE'));
  it('refuses an auditor freezing: they record findings, the city office freezes', () => spec.given(allocated).when(cmd.freeze(auditor)).thenRefuses('ACCESS_ROLE_NOT_ALLOWED'));
});

describe('When frozen', () => {
  const frozen = [ev.appropriated(), ev.allocated(), ev.frozen()];
  it('still takes back unpaid allocations and returns money', () => {
    spec.given(frozen).when(cmd.release()).thenAccepts();
    spec.given(frozen).when(cmd.giveBack()).thenAccepts();
  });
  it('a retried payment that went through before the freeze is still recognised', () =>
    spec.given([ev.appropriated(), ev.allocated(), ev.disbursed(), ev.frozen()]).when(cmd.disburse()).then([]));
  it('refuses a new payment, but records one the rail has already confirmed (a freeze stops money leaving, not its record)', () => {
    spec.given(frozen).when(cmd.disburse()).thenRefuses('FUND_FROZEN');
    const confirmed = cmd.disburse();
    const [e] = spec
      .given(frozen)
      .when({ ...confirmed, data: { ...confirmed.data, railConfirmed: true } } as FundCommand)
      .thenAccepts();
    expect(e).toMatchObject({ type: 'FundDisbursed', data: { paymentId: 'pay-1' } });
  });
  it('a confirmed payment is still held to its allocation while frozen', () => {
    const tooMuch = cmd.disburse(wan(1000));
    spec
      .given(frozen)
      .when({ ...tooMuch, data: { ...tooMuch.data, railConfirmed: true } } as FundCommand)
      .thenRefuses('FUND_PAYMENT_EXCEEDS_ALLOCATION');
  });
  it('allocates again once unfrozen', () => {
    spec
      .given([...frozen, ev.unfrozen()])
      .when(cmd.allocate(wan(1), 'alc-2'))
      .thenAccepts();
  });
});

describe('Fund books', () => {
  it('keep appropriated = available + allocated-unpaid + paid + returned to the fen', () => {
    const s = evolveAll([ev.appropriated(wan(100)), ev.allocated(wan(30)), ev.disbursed(wan(9)), ev.released(wan(1)), ev.returned(wan(10))], initialState()) as Extract<
      FundState,
      { status: 'open' }
    >;
    expect(s).toMatchObject({ appropriated: wan(100), available: wan(61), allocatedUnpaid: wan(20), paid: wan(9), returned: wan(10) });
    expect(balanced(s)).toBe(true);
  });
});
