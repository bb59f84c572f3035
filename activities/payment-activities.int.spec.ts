import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { fen } from '../domain/shared/money';
import { createTestDatabase, type TestDatabase } from '../test/support/database';
import { until } from '../test/support/until';
import { credit, openAccount, railDb, trialBalance } from '../infra/payment-rail/ledger-accounts';
import type { ConfirmedPayment, PaymentInstruction, PaymentRail } from '../infra/payment-rail/rail';
import { TreasuryLedgerRail } from '../infra/payment-rail/treasury-ledger';
import { createPaymentActivities, type BatchPayment } from './payment-activities';

const TREASURY = 'treasury:fund-luanchuan-2016-central-01';

let tdb: TestDatabase;
let seq = 0;

const instruction = (over: Partial<PaymentInstruction> = {}): PaymentInstruction => ({
  idempotencyKey: `wf-disburse-prj-luanchuan-2016-0007:pay-progress-${++seq}`,
  fromAccount: TREASURY,
  toAccount: 'payee:contractor-0042',
  amount: fen(86_400_00),
  memo: 'prj-luanchuan-2016-0007 progress m2',
  ...over,
});

/** The activity as Temporal runs it: a fresh Context per attempt, the attempt number set. */
// The SDK logs every failed attempt at WARN; the failures here are the point of the tests.
const attempt = (n: number) =>
  new MockActivityEnvironment(
    { attempt: n, activityType: 'payThroughRail', workflowExecution: { workflowId: 'wf-disburse-prj-luanchuan-2016-0007', runId: 'run-1' } },
    { logger: new DefaultLogger('ERROR') },
  );

const transfersFor = async (key: string): Promise<number> => {
  const r = await railDb(tdb.appDb)
    .selectFrom('rail_transfers')
    .innerJoin('rail_instructions', 'rail_instructions.instruction_id', 'rail_transfers.instruction_id')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('rail_instructions.idempotency_key', '=', key)
    .executeTakeFirstOrThrow();
  return Number(r.n);
};

const failure = async (p: Promise<unknown>): Promise<ApplicationFailure> => {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApplicationFailure) return e;
    throw e;
  }
  throw new Error('expected an ApplicationFailure');
};

beforeAll(async () => {
  tdb = await createTestDatabase('payact');
  await openAccount(tdb.appDb, TREASURY, 'treasury');
  await credit(tdb.appDb, { reference: 'appropriation-luanchuan-2016-central-01', fromSource: 'source:central-2016', toAccount: TREASURY, amount: 10_000_000_00 });
});

afterAll(async () => {
  await tdb.drop();
});

afterEach(async () => {
  expect(await trialBalance(tdb.appDb)).toMatchObject({ balancesTotal: 0, entriesTotal: 0, driftedAccounts: [], unbalancedTransfers: [] });
});

describe('payThroughRail', () => {
  const setup = (opts: { pendingWaitMs?: number } = {}) => {
    const rail = new TreasuryLedgerRail({ db: tdb.appDb, deadlineMs: 20 });
    return { rail, acts: createPaymentActivities({ rail, pendingPollMs: 10, pendingWaitMs: opts.pendingWaitMs ?? 200 }) };
  };

  it('pays and returns the confirmation', async () => {
    const { acts } = setup();
    const i = instruction();
    const s = await attempt(1).run(acts.payThroughRail, i, { correlationId: 'corr-1' });
    expect(s).toMatchObject({ state: 'confirmed', transferId: expect.stringMatching(/^trf-/) });
    expect(await transfersFor(i.idempotencyKey)).toBe(1);
  });

  it('after RAIL_TIMEOUT (retryable), the retried attempt asks status, finds it confirmed and pays nothing more', async () => {
    const { rail, acts } = setup();
    rail.switches.arm({ kind: 'timeout' });
    const i = instruction();
    const f = await failure(attempt(1).run(acts.payThroughRail, i));
    expect(f).toMatchObject({ type: 'RAIL_TIMEOUT', nonRetryable: false });
    expect(await transfersFor(i.idempotencyKey)).toBe(1);
    // Were the retry to resubmit, this would time out again: it must not get that far.
    rail.switches.arm({ kind: 'timeout' });
    const s: ConfirmedPayment = await attempt(2).run(acts.payThroughRail, i);
    expect(s).toEqual(await rail.status(i.idempotencyKey));
    expect(s.state).toBe('confirmed');
    expect(rail.switches.describe()).toHaveLength(1);
    expect(await transfersFor(i.idempotencyKey)).toBe(1);
  });

  it('after RAIL_UNAVAILABLE (retryable), the retry pays once', async () => {
    const { rail, acts } = setup();
    rail.switches.arm({ kind: 'unavailable' });
    const i = instruction();
    expect(await failure(attempt(1).run(acts.payThroughRail, i))).toMatchObject({ type: 'RAIL_UNAVAILABLE', nonRetryable: false });
    expect(await transfersFor(i.idempotencyKey)).toBe(0);
    expect(await attempt(2).run(acts.payThroughRail, i)).toMatchObject({ state: 'confirmed' });
    expect(await transfersFor(i.idempotencyKey)).toBe(1);
  });

  it('a duplicate confirmation changes nothing: one transfer', async () => {
    const { rail, acts } = setup();
    rail.switches.arm({ kind: 'confirmTwice' });
    const i = instruction();
    expect(await attempt(1).run(acts.payThroughRail, i)).toMatchObject({ state: 'confirmed' });
    expect(await attempt(2).run(acts.payThroughRail, i)).toMatchObject({ state: 'confirmed' });
    expect(await transfersFor(i.idempotencyKey)).toBe(1);
  });

  it('turns a rejection into a non-retryable failure typed with the rail code', async () => {
    const { rail, acts } = setup();
    rail.switches.arm({ kind: 'fail', code: 'ACCOUNT_FROZEN', reason: 'frozen by audit' });
    const i = instruction();
    const f = await failure(attempt(1).run(acts.payThroughRail, i));
    expect(f).toMatchObject({ type: 'ACCOUNT_FROZEN', nonRetryable: true });
    expect(f.details?.[0]).toMatchObject({ kind: 'PAYMENT_REJECTED', idempotencyKey: i.idempotencyKey, code: 'ACCOUNT_FROZEN', reason: 'frozen by audit' });
    // A retry of the same key gets the same answer, not a new try.
    expect(await failure(attempt(2).run(acts.payThroughRail, i))).toMatchObject({ type: 'ACCOUNT_FROZEN', nonRetryable: true });
    expect(await transfersFor(i.idempotencyKey)).toBe(0);
  });

  it('refuses a bad instruction without retrying, naming the field', async () => {
    const { acts } = setup();
    const f = await failure(attempt(1).run(acts.payThroughRail, instruction({ amount: 99.5 as never })));
    expect(f).toMatchObject({ type: 'INSTRUCTION_INVALID', nonRetryable: true });
    expect(f.details?.[0]).toMatchObject({ code: 'INSTRUCTION_INVALID', field: 'amount' });
  });

  it('refuses a key reused with other content, without retrying, when the submit raced the status read', async () => {
    const { rail } = setup();
    const i = instruction();
    await rail.submit(i);
    // The real rail, seen through a status read taken before that submit committed.
    const raced: PaymentRail = {
      status: async () => ({ state: 'unknown' }),
      submit: (x) => rail.submit(x),
      statuses: async (keys) => keys.map(() => ({ state: 'unknown' })),
      submitBatch: (x) => rail.submitBatch(x),
    };
    const acts = createPaymentActivities({ rail: raced });
    const f = await failure(attempt(1).run(acts.payThroughRail, { ...i, amount: fen(i.amount + 1) }));
    expect(f).toMatchObject({ type: 'PAYMENT_KEY_REUSED', nonRetryable: true });
    expect(await transfersFor(i.idempotencyKey)).toBe(1);
  });

  it('waits on a pending payment, then returns it once confirmed', async () => {
    const { rail, acts } = setup({ pendingWaitMs: 5_000 });
    rail.switches.arm({ kind: 'hold' });
    const i = instruction();
    const env = attempt(1);
    const heartbeats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => heartbeats.push(d));
    const paying = env.run(acts.payThroughRail, i);
    // Confirm only once the activity has been seen waiting.
    await until('the activity heartbeating', () => heartbeats.length > 0, { intervalMs: 5 });
    await rail.confirmHeld(i.idempotencyKey);
    expect(await paying).toMatchObject({ state: 'confirmed' });
    expect(await transfersFor(i.idempotencyKey)).toBe(1);
  });

  it('hands a payment still pending after its wait back to Temporal as retryable PAYMENT_PENDING', async () => {
    const { rail, acts } = setup({ pendingWaitMs: 50 });
    rail.switches.arm({ kind: 'hold' });
    const i = instruction();
    expect(await failure(attempt(1).run(acts.payThroughRail, i))).toMatchObject({ type: 'PAYMENT_PENDING', nonRetryable: false });
    await rail.confirmHeld(i.idempotencyKey);
    expect(await attempt(2).run(acts.payThroughRail, i)).toMatchObject({ state: 'confirmed' });
    expect(await transfersFor(i.idempotencyKey)).toBe(1);
  });

  it('retried many times through timeouts and outages, pays exactly once', async () => {
    const { rail, acts } = setup();
    const i = instruction();
    rail.switches.arm({ kind: 'unavailable' }).arm({ kind: 'timeout' }).arm({ kind: 'confirmTwice' });
    const outcomes: string[] = [];
    for (let n = 1; n <= 4; n++) {
      try {
        const s: ConfirmedPayment = await attempt(n).run(acts.payThroughRail, i);
        outcomes.push(s.state);
        break;
      } catch (e) {
        outcomes.push(e instanceof ApplicationFailure ? (e.type ?? 'untyped') : String(e));
      }
    }
    expect(outcomes).toEqual(['RAIL_UNAVAILABLE', 'RAIL_TIMEOUT', 'confirmed']);
    expect(await transfersFor(i.idempotencyKey)).toBe(1);
  });
});

describe('paymentStatus', () => {
  it('answers the rail status of a key, and refuses a malformed key without retrying', async () => {
    const rail = new TreasuryLedgerRail({ db: tdb.appDb, deadlineMs: 20 });
    const acts = createPaymentActivities({ rail });
    const i = instruction();
    expect(await attempt(1).run(acts.paymentStatus, i.idempotencyKey)).toEqual({ state: 'unknown' });
    await rail.submit(i);
    expect(await attempt(1).run(acts.paymentStatus, i.idempotencyKey)).toMatchObject({ state: 'confirmed' });
    expect(await failure(attempt(1).run(acts.paymentStatus, 'not a key'))).toMatchObject({ type: 'INSTRUCTION_INVALID', nonRetryable: true });
  });
});

describe('payBatchThroughRail', () => {
  const setup = () => {
    const rail = new TreasuryLedgerRail({ db: tdb.appDb, deadlineMs: 20 });
    return { rail, acts: createPaymentActivities({ rail, pendingPollMs: 10, pendingWaitMs: 200 }) };
  };
  const batch = (n: number) =>
    Array.from({ length: n }, (_, i) => instruction({ toAccount: `payee:hh-luanchuan-${seq}-${i}`, amount: fen(2_000_00), memo: 'br-luanchuan-2018 grant' }));

  it('after a lost answer, the retried batch finds every payment made and pays nobody twice; a rejection is that key’s answer', async () => {
    const { rail, acts } = setup();
    const items = batch(5);
    rail.switches.arm({ kind: 'timeout' }, { keys: new RegExp(`^${items[0]!.idempotencyKey}$`) });
    rail.switches.arm({ kind: 'fail', code: 'ACCOUNT_CLOSED' }, { keys: new RegExp(`^${items[3]!.idempotencyKey}$`) });
    const lost = await failure(attempt(1).run(acts.payBatchThroughRail, items));
    expect(lost).toMatchObject({ type: 'RAIL_TIMEOUT', nonRetryable: false });
    const answers: BatchPayment[] = await attempt(2).run(acts.payBatchThroughRail, items);
    expect(answers.map((a) => (a.ok ? 'paid' : a.rejected.code))).toEqual(['paid', 'paid', 'paid', 'ACCOUNT_CLOSED', 'paid']);
    expect(answers[3]).toMatchObject({ ok: false, rejected: { kind: 'PAYMENT_REJECTED', idempotencyKey: items[3]!.idempotencyKey } });
    for (const [i, n] of [
      [0, 1],
      [3, 0],
      [4, 1],
    ] as const)
      expect(await transfersFor(items[i]!.idempotencyKey)).toBe(n);
  });

  it('refuses a bad instruction before asking the rail, naming the field', async () => {
    const { acts } = setup();
    const items = [...batch(2), instruction({ amount: fen(0) })];
    expect(await failure(attempt(1).run(acts.payBatchThroughRail, items))).toMatchObject({ type: 'INSTRUCTION_INVALID', nonRetryable: true, details: [{ field: 'amount' }] });
    expect(await transfersFor(items[0]!.idempotencyKey)).toBe(0);
  });
});
