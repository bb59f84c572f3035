import * as fund from '../fund';
import { cmd as fundCmd, ev as fundEv, wan as fundWan } from '../fund/fund.fixtures';
import { eventRegistry } from '../event-types';
import { meta } from '../shared/fixtures';
import { deciderSpec } from '../shared/testing';
import type { DomainEvent } from '../shared/events';
import { c, FUND_CENTRAL, FUND_COUNTY, HISTORIES, P, project, STEPS, T, wan, who } from '../project/project.fixtures';
import type { ProjectCommand } from '../project';
import { paymentRequestSchema } from '../fund/command-schemas';
import { CommandRefused } from '../refusal/events';
import { appropriate, World } from './ledger.fixtures';
import { decidePayment } from './decide-payment';

const HH = 'hh-song-00042';
const fundSpec = deciderSpec(fund);
const projectSpec = deciderSpec(project);

/** The registered definition's view of an event: parsed as the store would, and the refs it would index. */
const stored = (e: DomainEvent) => {
  const def = eventRegistry.get(e.type)!;
  const parsed = def.schema.safeParse(e.data);
  if (!parsed.success) throw new Error(`${e.type}: ${parsed.error.message}`);
  return { version: def.version, data: parsed.data as Record<string, unknown>, refs: def.refs(parsed.data) };
};

const disburse = (householdId?: string, paymentId = 'pay-1'): fund.FundCommand => {
  const base = fundCmd.disburse(fundWan(9), paymentId) as fund.DisburseFund;
  return { ...base, data: { ...base.data, payee: 'acct-6222-01', ...(householdId === undefined ? {} : { householdId }) } };
};

const recordPayment = (householdId?: string): ProjectCommand => {
  const base = c.pay({ paymentId: 'pay-1', milestone: 'advance', amount: wan(10) }, T.start) as Extract<ProjectCommand, { type: 'RecordPayment' }>;
  return { ...base, data: { ...base.data, ...(householdId === undefined ? {} : { householdId }) } };
};

describe('DisburseFund with and without a household', () => {
  const open = [fundEv.appropriated(), fundEv.allocated()];

  it('records the household beside the plain account, and names it in the refs', () => {
    const [e] = fundSpec.given(open).when(disburse(HH)).thenAccepts();
    expect(e).toMatchObject({ type: 'FundDisbursed', data: { payee: 'acct-6222-01', householdId: HH } });
    expect(stored(e!).refs).toContainEqual({ kind: 'household', id: HH });
  });

  it('without one records no household field and no household ref', () => {
    const [e] = fundSpec.given(open).when(disburse()).thenAccepts();
    expect(e!.data).not.toHaveProperty('householdId');
    expect(stored(e!).refs.map((r) => r.kind)).toEqual(['fund', 'project', 'payment']);
  });

  it('refuses a malformed household id before anything is paid', () => {
    for (const bad of ['hh-song-00042.acct-1', '张三', 'HH-SONG-1', 'hh-song-', '410322199001011234'])
      fundSpec.given(open).when(disburse(bad)).thenRefuses('FUND_HOUSEHOLD_ID_INVALID');
  });

  it('a retry must name the same household: the same one is done, another one is a reused payment id', () => {
    const paid = [...open, ...fundSpec.given(open).when(disburse(HH)).thenAccepts()];
    fundSpec.given(paid).when(disburse(HH)).then([]);
    fundSpec.given(paid).when(disburse('hh-song-00043')).thenRefuses('FUND_PAYMENT_ID_REUSED');
    fundSpec.given(paid).when(disburse()).thenRefuses('FUND_PAYMENT_ID_REUSED');
  });
});

describe('RecordPayment with and without a household', () => {
  const uc = HISTORIES['under-construction'];

  it('records the household on the project’s payment and names it in the refs', () => {
    const [e] = projectSpec.given(uc).when(recordPayment(HH)).thenAccepts();
    expect(e).toMatchObject({ type: 'ProjectPaymentRecorded', data: { payee: 'acct-contractor-1', householdId: HH } });
    expect(stored(e!).refs).toEqual([
      { kind: 'project', id: P },
      { kind: 'fund', id: FUND_CENTRAL },
      { kind: 'payment', id: 'pay-1' },
      { kind: 'household', id: HH },
    ]);
  });

  it('without one records no household field and no household ref', () => {
    const [e] = projectSpec.given(uc).when(recordPayment()).thenAccepts();
    expect(e!.data).not.toHaveProperty('householdId');
    expect(stored(e!).refs.map((r) => r.kind)).toEqual(['project', 'fund', 'payment']);
  });

  it('refuses a malformed household id', () => {
    for (const bad of ['hh-song-00042.acct-1', '张三', 'hh-Song-1']) projectSpec.given(uc).when(recordPayment(bad)).thenRefuses('PAYMENT_HOUSEHOLD_ID_INVALID');
  });
});

describe('decidePayment carries the household to both streams', () => {
  const started = () => {
    const w = new World();
    w.onFund(appropriate(FUND_CENTRAL, 'central', wan(500)));
    w.onFund(appropriate(FUND_COUNTY, 'county', wan(200)));
    for (const command of STEPS['in-library']) w.onProject(command);
    w.allocate(FUND_CENTRAL, 'alc-central', wan(63));
    w.allocate(FUND_COUNTY, 'alc-county', wan(42));
    w.onProject(c.start());
    return w;
  };
  const request = {
    projectId: P,
    fundId: FUND_CENTRAL,
    allocationId: 'alc-central',
    paymentId: 'pay-1',
    milestone: 'advance' as const,
    payee: 'acct-contractor-1',
    amount: wan(30),
    use: 'road-works',
  };

  it('both events name the household and the plain account', () => {
    const w = started();
    const d = decidePayment({ ...request, householdId: HH }, w.project, w.fund(FUND_CENTRAL), meta(who.finance, T.start));
    if (!d.ok) throw new Error(d.error.code);
    for (const e of [...d.fundEvents, ...d.projectEvents]) expect(e.data).toMatchObject({ payee: 'acct-contractor-1', householdId: HH });
  });

  it('neither does without one', () => {
    const w = started();
    const d = decidePayment(request, w.project, w.fund(FUND_CENTRAL), meta(who.finance, T.start));
    if (!d.ok) throw new Error(d.error.code);
    for (const e of [...d.fundEvents, ...d.projectEvents]) expect(e.data).not.toHaveProperty('householdId');
  });

  it('a malformed household id is refused by the project before the fund is asked', () => {
    const w = started();
    const d = decidePayment({ ...request, householdId: 'hh-song-1.acct-1' }, w.project, w.fund(FUND_CENTRAL), meta(who.finance, T.start));
    expect(!d.ok && d.error.code).toBe('PAYMENT_HOUSEHOLD_ID_INVALID');
  });

  it('the boundary schema takes an optional household id and refuses a malformed one naming the field', () => {
    expect(paymentRequestSchema.safeParse({ ...request, householdId: HH }).success).toBe(true);
    expect(paymentRequestSchema.safeParse(request).success).toBe(true);
    const bad = paymentRequestSchema.safeParse({ ...request, householdId: 'hh-song-1.acct-1' });
    expect(!bad.success && bad.error.issues.map((i) => i.path.join('.'))).toEqual(['householdId']);
  });
});

/**
 * The field joined version 1 of each event (no upcaster): events stored before it, which never carry
 * it, must still parse as they are, and a malformed household id must never be written.
 */
describe('the payment events as stored before the household field', () => {
  const by = { by: 'fin.song.1', at: '2017-04-01T09:00:00+08:00' };
  const fundDisbursedV1 = {
    fundId: FUND_CENTRAL,
    ...by,
    allocationId: 'alc-central',
    projectId: P,
    paymentId: 'pay-1',
    milestone: 'advance',
    payee: 'acct-contractor-1',
    amount: 300_000,
  };
  const projectPaymentV1 = {
    projectId: P,
    ...by,
    paymentId: 'pay-1',
    fundId: FUND_CENTRAL,
    allocationId: 'alc-central',
    milestone: 'advance',
    payee: 'acct-contractor-1',
    amount: 300_000,
    use: 'road-works',
    policies: [
      { id: 'payment-template', version: 1 },
      { id: 'poverty-fund-negative-list', version: 1 },
    ],
  };
  const refusedV1 = {
    commandType: 'RecordPayment',
    projectId: P,
    countyId: 'song',
    payee: 'acct-contractor-1',
    amount: 100,
    code: 'PAYMENT_SETTLEMENT_BEFORE_ACCEPTANCE',
    zh: '验收前不得支付结算款',
    en: 'no settlement payment before acceptance',
  };

  it.each([
    ['FundDisbursed', fundDisbursedV1],
    ['ProjectPaymentRecorded', projectPaymentV1],
    ['CommandRefused', refusedV1],
  ])('%s: still version 1, an old one parses unchanged, a new one carries the household', (type, old) => {
    const s = stored({ type, data: old });
    expect(s.version).toBe(1);
    expect(s.data).toEqual(old);
    expect(s.refs.some((r) => r.kind === 'household')).toBe(false);
    expect(stored({ type, data: { ...old, householdId: HH } }).refs).toContainEqual({ kind: 'household', id: HH });
    expect(eventRegistry.get(type)!.schema.safeParse({ ...old, householdId: 'hh-song-1.acct-1' }).success).toBe(false);
  });

  it('a payment stored before the change replays into the same fund books', () => {
    const books = fund.evolveAll([fundEv.appropriated(), fundEv.allocated(), fundEv.disbursed()], fund.initialState()) as fund.FundBooks;
    expect(books.payments.get('pay-1')).toEqual({ allocationId: 'alc-1', milestone: 'advance', payee: 'acct-contractor-1', amount: fundWan(9) });
    expect(CommandRefused.version).toBe(1);
  });
});
