import { sql, type Kysely } from 'kysely';
import { createDb, type Database } from '../database';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { fen } from '../../domain/shared/money';
import { balanceOf, credit, openAccount, railDb, trialBalance } from './ledger-accounts';
import { PaymentRailError, type PaymentInstruction } from './rail';
import { TreasuryLedgerRail } from './treasury-ledger';

const TREASURY = 'treasury:fund-song-2016-central-01';
const CONTRACTOR = 'payee:contractor-0001';

let tdb: TestDatabase;
let seq = 0;

/** A fresh key per test: the tests share one database and must not see each other's payments. */
const instruction = (over: Partial<PaymentInstruction> = {}): PaymentInstruction => ({
  idempotencyKey: `wf-disburse-${++seq}:pay-advance`,
  fromAccount: TREASURY,
  toAccount: CONTRACTOR,
  amount: fen(125_000_00),
  memo: 'prj-song-2016-0001 advance',
  ...over,
});

const countFor = async (key: string) => {
  const db = railDb(tdb.appDb);
  const ins = await db.selectFrom('rail_instructions').select(['instruction_id']).where('idempotency_key', '=', key).execute();
  const ids = ins.map((i) => i.instruction_id);
  if (ids.length === 0) return { instructions: 0, transfers: 0, confirmations: 0, applied: 0 };
  const transfers = await db.selectFrom('rail_transfers').select('transfer_id').where('instruction_id', 'in', ids).execute();
  const confirmations = await db.selectFrom('rail_confirmations').select(['applied', 'delivery']).where('instruction_id', 'in', ids).orderBy('delivery').execute();
  return { instructions: ids.length, transfers: transfers.length, confirmations: confirmations.length, applied: confirmations.filter((c) => c.applied).length };
};

const tableCounts = async () => {
  const r = await sql<{ t: string; n: string }>`
    SELECT 'instructions' AS t, count(*)::text AS n FROM rail_instructions
    UNION ALL SELECT 'transfers', count(*)::text FROM rail_transfers
    UNION ALL SELECT 'entries', count(*)::text FROM rail_entries
    UNION ALL SELECT 'confirmations', count(*)::text FROM rail_confirmations
    UNION ALL SELECT 'accounts', count(*)::text FROM rail_accounts
  `.execute(tdb.appDb);
  return Object.fromEntries(r.rows.map((x) => [x.t, Number(x.n)]));
};

const expectBalanced = async () => {
  const tb = await trialBalance(tdb.appDb);
  expect(tb).toMatchObject({ balancesTotal: 0, entriesTotal: 0, driftedAccounts: [], unbalancedTransfers: [] });
};

const railError = async (p: Promise<unknown>): Promise<PaymentRailError> => {
  try {
    await p;
  } catch (e) {
    if (e instanceof PaymentRailError) return e;
    throw e;
  }
  throw new Error('expected a PaymentRailError');
};

beforeAll(async () => {
  tdb = await createTestDatabase('rail');
  await openAccount(tdb.appDb, TREASURY, 'treasury');
  await credit(tdb.appDb, { reference: 'appropriation-song-2016-central-01', fromSource: 'source:central-2016', toAccount: TREASURY, amount: 50_000_000_00 });
});

afterAll(async () => {
  await tdb.drop();
});

afterEach(async () => {
  await expectBalanced();
});

describe('treasury ledger rail', () => {
  const rail = () => new TreasuryLedgerRail({ db: tdb.appDb, deadlineMs: 30 });

  describe('when it behaves', () => {
    it('confirms a payment with one transfer, moves the balances and answers status', async () => {
      const r = rail();
      const i = instruction();
      const before = await balanceOf(tdb.appDb, TREASURY);
      const s = await r.submit(i);
      expect(s).toMatchObject({ state: 'confirmed', instructionId: expect.stringMatching(/^ins-/), transferId: expect.stringMatching(/^trf-/) });
      expect(await r.status(i.idempotencyKey)).toEqual(s);
      expect(await balanceOf(tdb.appDb, TREASURY)).toBe(before! - i.amount);
      expect(await countFor(i.idempotencyKey)).toEqual({ instructions: 1, transfers: 1, confirmations: 1, applied: 1 });
    });

    it('answers unknown for a key it has never seen', async () => {
      expect(await rail().status('wf-never:pay')).toEqual({ state: 'unknown' });
    });

    it('answers a resubmit with the same content with the first status and no second transfer', async () => {
      const r = rail();
      const i = instruction();
      const first = await r.submit(i);
      const again = await r.submit({ ...i });
      expect(again).toEqual(first);
      expect(await countFor(i.idempotencyKey)).toMatchObject({ instructions: 1, transfers: 1 });
    });

    it('pays a payment the ledger pays in one statement, and takes one it may refuse to a transaction under the locks', async () => {
      const statements: string[] = [];
      const counted = tdb.appDb.withPlugin({
        transformQuery: (a) => {
          statements.push(a.node.kind);
          return a.node;
        },
        transformResult: async (a) => a.result,
      });
      const r = new TreasuryLedgerRail({ db: counted, deadlineMs: 30 });
      expect(await r.submit(instruction({ toAccount: 'payee:contractor-one-call' }))).toMatchObject({ state: 'confirmed' });
      expect(statements).toHaveLength(1);
      // A payer that is no treasury account: the call raises it back and the ledger refuses it under the locks.
      statements.length = 0;
      expect(await r.submit(instruction({ fromAccount: 'treasury:fund-never-opened' }))).toMatchObject({ state: 'rejected', code: 'ACCOUNT_NOT_FOUND' });
      expect(statements.length).toBeGreaterThan(2);
    });

    describe('under concurrency (20 connections at once)', () => {
      let wide: Kysely<Database>;
      beforeAll(() => {
        wide = createDb(tdb.appUrl, { max: 20, applicationName: 'rail-concurrency' });
      });
      afterAll(async () => {
        await wide.destroy();
      });

      it('makes one transfer from 20 concurrent submits of one key', async () => {
        const i = instruction();
        const answers = await Promise.all(Array.from({ length: 20 }, () => new TreasuryLedgerRail({ db: wide }).submit(i)));
        const confirmed = answers.filter((a) => a.state === 'confirmed');
        expect(confirmed).toHaveLength(20);
        expect(new Set(confirmed.map((a) => (a.state === 'confirmed' ? a.transferId : '')))).toHaveProperty('size', 1);
        expect(await countFor(i.idempotencyKey)).toEqual({ instructions: 1, transfers: 1, confirmations: 1, applied: 1 });
      });

      it('lets one content win a key raced with two contents; the others get PAYMENT_KEY_REUSED', async () => {
        const a = instruction();
        const b = { ...a, amount: fen(a.amount + 1) };
        const settled = await Promise.allSettled(Array.from({ length: 20 }, (_, n) => new TreasuryLedgerRail({ db: wide }).submit(n % 2 === 0 ? a : b)));
        const won = await rail().status(a.idempotencyKey);
        expect(won.state).toBe('confirmed');
        const stored = await railDb(tdb.appDb).selectFrom('rail_instructions').select('amount_fen').where('idempotency_key', '=', a.idempotencyKey).executeTakeFirstOrThrow();
        const winner = Number(stored.amount_fen) === a.amount ? 0 : 1;
        settled.forEach((r, n) => {
          if (n % 2 === winner) expect(r).toMatchObject({ status: 'fulfilled', value: won });
          else expect(r).toMatchObject({ status: 'rejected', reason: { code: 'PAYMENT_KEY_REUSED' } });
        });
        expect(await countFor(a.idempotencyKey)).toEqual({ instructions: 1, transfers: 1, confirmations: 1, applied: 1 });
      });

      it('pays 20 concurrent different keys from one treasury only as far as the money goes', async () => {
        const small = 'treasury:fund-song-2016-county-09';
        await openAccount(tdb.appDb, small, 'treasury');
        await credit(tdb.appDb, { reference: 'appropriation-song-2016-county-09', fromSource: 'source:county-2016', toAccount: small, amount: 1_000 });
        const answers = await Promise.all(Array.from({ length: 20 }, () => new TreasuryLedgerRail({ db: wide }).submit(instruction({ fromAccount: small, amount: fen(100) }))));
        expect(answers.filter((x) => x.state === 'confirmed')).toHaveLength(10);
        expect(answers.filter((x) => x.state === 'rejected' && x.code === 'INSUFFICIENT_FUNDS')).toHaveLength(10);
        expect(await balanceOf(tdb.appDb, small)).toBe(0);
      });

      it('pays 40 concurrent keys from two treasuries to one contractor, each once, with the balances moved by every one (the accounts are locked only at the end)', async () => {
        const [a, b] = ['treasury:fund-song-2016-central-41', 'treasury:fund-song-2016-county-41'];
        for (const [t, src] of [
          [a, 'source:central-2016'],
          [b, 'source:county-2016'],
        ] as const) {
          await openAccount(tdb.appDb, t, 'treasury');
          await credit(tdb.appDb, { reference: `appropriation-${t.slice(9)}`, fromSource: src, toAccount: t, amount: 100_000 });
        }
        const payee = 'payee:contractor-0041';
        const ins = Array.from({ length: 40 }, (_, n) => instruction({ fromAccount: n % 2 === 0 ? a : b, toAccount: payee, amount: fen(1_000 + n) }));
        const answers = await Promise.all(ins.map((i) => new TreasuryLedgerRail({ db: wide }).submit(i)));
        expect(answers.every((x) => x.state === 'confirmed')).toBe(true);
        const paid = (odd: 0 | 1) => ins.filter((_, n) => n % 2 === odd).reduce((t, i) => t + i.amount, 0);
        expect(await balanceOf(tdb.appDb, a)).toBe(100_000 - paid(0));
        expect(await balanceOf(tdb.appDb, b)).toBe(100_000 - paid(1));
        expect(await balanceOf(tdb.appDb, payee)).toBe(paid(0) + paid(1));
        for (const i of ins) expect(await countFor(i.idempotencyKey)).toEqual({ instructions: 1, transfers: 1, confirmations: 1, applied: 1 });
      });

      it('pays one of two raced payments that each fit the treasury alone, and refuses the other under the locks', async () => {
        const t = 'treasury:fund-song-2016-county-42';
        await openAccount(tdb.appDb, t, 'treasury');
        await credit(tdb.appDb, { reference: 'appropriation-song-2016-county-42', fromSource: 'source:county-2016', toAccount: t, amount: 1_000 });
        // Both may read 1,000 without a lock; the one that finds 300 once locked is decided again under the locks: refused.
        const answers = await Promise.all([700, 700].map((n) => new TreasuryLedgerRail({ db: wide }).submit(instruction({ fromAccount: t, amount: fen(n) }))));
        expect(answers.map((x) => x.state).sort()).toEqual(['confirmed', 'rejected']);
        expect(answers.find((x) => x.state === 'rejected')).toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
        expect(await balanceOf(tdb.appDb, t)).toBe(300);
      });
    });
  });

  describe('when the ledger refuses', () => {
    it('rejects a payment from an account that is not an open treasury account', async () => {
      const i = instruction({ fromAccount: 'treasury:fund-song-2016-missing-01' });
      expect(await rail().submit(i)).toMatchObject({ state: 'rejected', code: 'ACCOUNT_NOT_FOUND' });
      expect(await countFor(i.idempotencyKey)).toMatchObject({ instructions: 1, transfers: 0 });
    });

    it('rejects a payment into a source account', async () => {
      expect(await rail().submit(instruction({ toAccount: 'source:central-2016' }))).toMatchObject({ state: 'rejected', code: 'ACCOUNT_NOT_PAYABLE' });
    });

    it('refuses a reused key with different content and changes nothing', async () => {
      const r = rail();
      const i = instruction();
      const first = await r.submit(i);
      const before = await tableCounts();
      const balance = await balanceOf(tdb.appDb, TREASURY);
      for (const changed of [{ amount: fen(i.amount + 1) }, { toAccount: 'payee:contractor-0002' }, { memo: 'prj-song-2016-0001 progress' }]) {
        const e = await railError(r.submit({ ...i, ...changed }));
        expect(e).toMatchObject({ code: 'PAYMENT_KEY_REUSED', field: 'idempotencyKey', retryable: false });
      }
      expect(await tableCounts()).toEqual(before);
      expect(await balanceOf(tdb.appDb, TREASURY)).toBe(balance);
      expect(await r.status(i.idempotencyKey)).toEqual(first);
    });

    it.each([
      ['amount', { amount: 0 }, 'amount'],
      ['amount', { amount: 12.5 }, 'amount'],
      ['amount', { amount: -100 }, 'amount'],
      ['amount', { amount: Number.NaN }, 'amount'],
      ['amount', { amount: '100' }, 'amount'],
      ['idempotencyKey', { idempotencyKey: '' }, 'idempotencyKey'],
      ['idempotencyKey', { idempotencyKey: 'has space' }, 'idempotencyKey'],
      ['toAccount', { toAccount: TREASURY }, 'toAccount'],
      ['memo', { memo: 'pay 410303199001011234 now' }, 'memo'],
      ['memo', { memo: '' }, 'memo'],
      ['an unknown field', { payeeName: 'x' }, 'payeeName'],
    ])('refuses a bad %s with INSTRUCTION_INVALID naming the field, writing nothing (%j)', async (_what, bad, field) => {
      const before = await tableCounts();
      const e = await railError(rail().submit({ ...instruction(), ...bad } as unknown as PaymentInstruction));
      expect(e).toMatchObject({ code: 'INSTRUCTION_INVALID', field });
      expect(e.message.startsWith(`${field}:`)).toBe(true);
      expect(await tableCounts()).toEqual(before);
    });

    it('refuses a bad key in status', async () => {
      expect(await railError(rail().status('a b'))).toMatchObject({ code: 'INSTRUCTION_INVALID', field: 'idempotencyKey' });
    });
  });

  describe('switch: fail', () => {
    it('rejects the next instruction with the code given, no transfer; the key stays rejected', async () => {
      const r = rail();
      r.switches.arm({ kind: 'fail', code: 'ACCOUNT_FROZEN', reason: 'frozen by audit' });
      const i = instruction();
      const before = await balanceOf(tdb.appDb, TREASURY);
      const s = await r.submit(i);
      expect(s).toMatchObject({ state: 'rejected', code: 'ACCOUNT_FROZEN', reason: 'frozen by audit' });
      expect(await r.submit(i)).toEqual(s);
      expect(await r.status(i.idempotencyKey)).toEqual(s);
      expect(await countFor(i.idempotencyKey)).toMatchObject({ instructions: 1, transfers: 0, confirmations: 0 });
      expect(await balanceOf(tdb.appDb, TREASURY)).toBe(before);
      // Used up: the next instruction goes through.
      expect(await r.submit(instruction())).toMatchObject({ state: 'confirmed' });
    });

    it('applies only to keys matching its pattern, with a default code', async () => {
      const r = rail();
      r.switches.arm({ kind: 'fail' }, { keys: /:retention$/, times: 2 });
      expect(await r.submit(instruction())).toMatchObject({ state: 'confirmed' });
      expect(await r.submit(instruction({ idempotencyKey: `wf-x-${++seq}:retention` }))).toMatchObject({ state: 'rejected', code: 'RAIL_REJECTED' });
    });
  });

  describe('switch: unavailable', () => {
    it('throws RAIL_UNAVAILABLE before recording anything; the retry goes through once', async () => {
      const r = rail();
      r.switches.arm({ kind: 'unavailable' }, { times: 2 });
      const i = instruction();
      const before = await tableCounts();
      for (let n = 0; n < 2; n++) expect(await railError(r.submit(i))).toMatchObject({ code: 'RAIL_UNAVAILABLE', retryable: true });
      expect(await tableCounts()).toEqual(before);
      expect(await r.status(i.idempotencyKey)).toEqual({ state: 'unknown' });
      expect(await r.submit(i)).toMatchObject({ state: 'confirmed' });
      expect(await countFor(i.idempotencyKey)).toMatchObject({ instructions: 1, transfers: 1 });
    });
  });

  describe('switch: timeout', () => {
    it('transfers but throws RAIL_TIMEOUT after the deadline; status then shows it confirmed, with one transfer', async () => {
      const r = rail();
      r.switches.arm({ kind: 'timeout' });
      const i = instruction();
      const before = await balanceOf(tdb.appDb, TREASURY);
      const started = Date.now();
      expect(await railError(r.submit(i))).toMatchObject({ code: 'RAIL_TIMEOUT', retryable: true });
      expect(Date.now() - started).toBeGreaterThanOrEqual(r.deadlineMs);
      const s = await r.status(i.idempotencyKey);
      expect(s).toMatchObject({ state: 'confirmed' });
      // A caller that resubmits instead of asking still gets the same transfer.
      expect(await r.submit(i)).toEqual(s);
      expect(await countFor(i.idempotencyKey)).toEqual({ instructions: 1, transfers: 1, confirmations: 1, applied: 1 });
      expect(await balanceOf(tdb.appDb, TREASURY)).toBe(before! - i.amount);
    });
  });

  describe('switch: confirmTwice', () => {
    it('records both confirmations, applies the first only: one transfer', async () => {
      const r = rail();
      r.switches.arm({ kind: 'confirmTwice' });
      const i = instruction();
      const before = await balanceOf(tdb.appDb, TREASURY);
      const s = await r.submit(i);
      expect(s).toMatchObject({ state: 'confirmed' });
      expect(await r.status(i.idempotencyKey)).toEqual(s);
      expect(await countFor(i.idempotencyKey)).toEqual({ instructions: 1, transfers: 1, confirmations: 2, applied: 1 });
      const rows = await railDb(tdb.appDb)
        .selectFrom('rail_confirmations')
        .select(['transfer_id', 'delivery', 'applied'])
        .where('instruction_id', '=', s.state === 'confirmed' ? s.instructionId : '')
        .orderBy('delivery')
        .execute();
      expect(rows).toEqual([
        { transfer_id: s.state === 'confirmed' ? s.transferId : '', delivery: 1, applied: true },
        { transfer_id: s.state === 'confirmed' ? s.transferId : '', delivery: 2, applied: false },
      ]);
      expect(await balanceOf(tdb.appDb, TREASURY)).toBe(before! - i.amount);
    });
  });

  describe('switch: hold', () => {
    it('leaves the instruction pending until its confirmation is delivered', async () => {
      const r = rail();
      r.switches.arm({ kind: 'hold' });
      const i = instruction();
      const s = await r.submit(i);
      expect(s).toMatchObject({ state: 'pending' });
      expect(await r.submit(i)).toEqual(s);
      expect(await countFor(i.idempotencyKey)).toMatchObject({ transfers: 0 });
      const confirmed = await r.confirmHeld(i.idempotencyKey);
      expect(confirmed).toMatchObject({ state: 'confirmed', instructionId: s.state === 'pending' ? s.instructionId : '' });
      expect(await r.confirmHeld(i.idempotencyKey)).toEqual(confirmed);
      expect(await countFor(i.idempotencyKey)).toEqual({ instructions: 1, transfers: 1, confirmations: 1, applied: 1 });
    });
  });

  describe('switches from construction', () => {
    it('standing rules apply after armed ones, to matching keys, as many times as given', async () => {
      const r = new TreasuryLedgerRail({ db: tdb.appDb, deadlineMs: 30, switches: [{ switch: { kind: 'unavailable' }, keys: /^wf-down-/, times: 1 }] });
      r.switches.arm({ kind: 'fail', code: 'ARMED_FIRST' }, { keys: /^wf-down-/ });
      const key = `wf-down-${++seq}:pay`;
      expect(await r.submit(instruction({ idempotencyKey: key }))).toMatchObject({ state: 'rejected', code: 'ARMED_FIRST' });
      const other = `wf-down-${++seq}:pay`;
      expect(await railError(r.submit(instruction({ idempotencyKey: other })))).toMatchObject({ code: 'RAIL_UNAVAILABLE' });
      expect(await r.submit(instruction({ idempotencyKey: other }))).toMatchObject({ state: 'confirmed' });
    });
  });

  describe('a batch (批量代发)', () => {
    const households = (n: number, over: Partial<PaymentInstruction> = {}) =>
      Array.from({ length: n }, (_, i) => instruction({ toAccount: `payee:hh-batch-${seq}-${i}`, amount: fen(2_000_00), memo: 'br-song-2018 grant', ...over }));

    it('pays each key once in one transaction, answers in order, and a rerun of the batch pays nobody twice', async () => {
      const r = rail();
      const batch = households(30);
      const before = await balanceOf(tdb.appDb, TREASURY);
      const first = await r.submitBatch(batch);
      expect(first.map((s) => s.state)).toEqual(Array(30).fill('confirmed'));
      expect(await balanceOf(tdb.appDb, TREASURY)).toBe(before! - 30 * 2_000_00);
      expect(await balanceOf(tdb.appDb, batch[7]!.toAccount)).toBe(2_000_00);
      const again = await r.submitBatch(batch);
      expect(again).toEqual(first);
      expect(await r.statuses(batch.map((b) => b.idempotencyKey).reverse())).toEqual([...first].reverse());
      for (const b of [batch[0]!, batch[29]!]) expect(await countFor(b.idempotencyKey)).toEqual({ instructions: 1, transfers: 1, confirmations: 1, applied: 1 });
      expect(await balanceOf(tdb.appDb, TREASURY)).toBe(before! - 30 * 2_000_00);
      expect(await r.statuses(['wf-never-sent:pay'])).toEqual([{ state: 'unknown' }]);
    });

    it('checks each payment against the running balance and takes each key’s switch: the rest of the batch is paid', async () => {
      const small = 'treasury:fund-song-2016-batch-small';
      await openAccount(tdb.appDb, small, 'treasury');
      await credit(tdb.appDb, { reference: 'appropriation-batch-small', fromSource: 'source:central-2016', toAccount: small, amount: 5 * 2_000_00 });
      const r = rail();
      const batch = households(8, { fromAccount: small });
      r.switches.arm({ kind: 'fail', code: 'ACCOUNT_CLOSED' }, { keys: new RegExp(`^${batch[1]!.idempotencyKey}$`) });
      const out = await r.submitBatch(batch);
      // Key 1 is closed; keys 0, 2–5 use up the 10,000元; 6 and 7 find the account empty.
      expect(out.map((s) => (s.state === 'rejected' ? s.code : s.state))).toEqual([
        'confirmed',
        'ACCOUNT_CLOSED',
        'confirmed',
        'confirmed',
        'confirmed',
        'confirmed',
        'INSUFFICIENT_FUNDS',
        'INSUFFICIENT_FUNDS',
      ]);
      expect(await balanceOf(tdb.appDb, small)).toBe(0);
      expect(await countFor(batch[1]!.idempotencyKey)).toEqual({ instructions: 1, transfers: 0, confirmations: 0, applied: 0 });
    });

    it('refuses a batch naming a key stored with other content, and records none of it', async () => {
      const r = rail();
      const done = instruction();
      await r.submit(done);
      const batch = [...households(3), { ...done, amount: fen(1) }];
      const before = await tableCounts();
      const e = await railError(r.submitBatch(batch));
      expect(e).toMatchObject({ code: 'PAYMENT_KEY_REUSED', field: 'idempotencyKey', retryable: false });
      expect(await tableCounts()).toEqual(before);
    });

    it('loses the answer, not the payments, on a timeout: the batch is committed and statuses tells', async () => {
      const r = rail();
      const batch = households(4);
      r.switches.arm({ kind: 'timeout' }, { keys: new RegExp(`^${batch[2]!.idempotencyKey}$`) });
      expect((await railError(r.submitBatch(batch))).code).toBe('RAIL_TIMEOUT');
      expect((await r.statuses(batch.map((b) => b.idempotencyKey))).map((s) => s.state)).toEqual(Array(4).fill('confirmed'));
    });

    it('records nothing when the rail is unavailable for any key of the batch', async () => {
      const r = rail();
      const batch = households(3);
      r.switches.arm({ kind: 'unavailable' }, { keys: new RegExp(`^${batch[2]!.idempotencyKey}$`) });
      const before = await tableCounts();
      expect((await railError(r.submitBatch(batch))).code).toBe('RAIL_UNAVAILABLE');
      expect(await tableCounts()).toEqual(before);
    });
  });

  describe('the ledger itself', () => {
    it('credits once per reference and refuses a reference reused for another amount', async () => {
      const t = 'treasury:fund-song-2016-city-02';
      await openAccount(tdb.appDb, t, 'treasury');
      const a = await credit(tdb.appDb, { reference: 'appropriation-city-02', fromSource: 'source:city-2016', toAccount: t, amount: 500 });
      const b = await credit(tdb.appDb, { reference: 'appropriation-city-02', fromSource: 'source:city-2016', toAccount: t, amount: 500 });
      expect(b).toEqual({ transferId: a.transferId, duplicate: true });
      await expect(credit(tdb.appDb, { reference: 'appropriation-city-02', fromSource: 'source:city-2016', toAccount: t, amount: 501 })).rejects.toMatchObject({
        code: 'CREDIT_REFERENCE_REUSED',
      });
      expect(await balanceOf(tdb.appDb, t)).toBe(500);
      await expect(openAccount(tdb.appDb, t, 'payee')).rejects.toMatchObject({ code: 'ACCOUNT_KIND_CONFLICT' });
    });

    it('refuses to let the application role delete or rewrite a transfer, an entry or a confirmation', async () => {
      for (const table of ['rail_transfers', 'rail_entries', 'rail_confirmations']) {
        await expect(sql`DELETE FROM ${sql.table(table)}`.execute(tdb.appDb)).rejects.toMatchObject({ code: '42501' });
        await expect(sql`UPDATE ${sql.table(table)} SET transfer_id = transfer_id`.execute(tdb.appDb)).rejects.toMatchObject({ code: '42501' });
      }
      // Even the owner cannot change a booked transfer.
      await expect(sql`UPDATE rail_entries SET amount_fen = amount_fen * 2`.execute(tdb.adminDb)).rejects.toMatchObject({ code: 'TU010' });
    });

    it('refuses an entry that unbalances a transfer, at commit', async () => {
      const db = railDb(tdb.appDb);
      await openAccount(tdb.appDb, 'payee:unbalance-probe', 'payee');
      const t = await db.selectFrom('rail_transfers').select('transfer_id').where('kind', '=', 'payment').limit(1).executeTakeFirstOrThrow();
      await expect(db.insertInto('rail_entries').values({ transfer_id: t.transfer_id, account_id: 'payee:unbalance-probe', amount_fen: 1 }).execute()).rejects.toMatchObject({
        code: 'TU020',
      });
    });

    it('refuses to confirm an instruction without its own transfer', async () => {
      const r = rail();
      r.switches.arm({ kind: 'hold' });
      const held = instruction();
      await r.submit(held);
      const other = await r.submit(instruction());
      const foreign = other.state === 'confirmed' ? other.transferId : '';
      for (const transferId of [foreign, 'trf-made-up']) {
        await expect(
          sql`UPDATE rail_instructions SET state = 'confirmed', transfer_id = ${transferId}, settled_at = now() WHERE idempotency_key = ${held.idempotencyKey}`.execute(tdb.appDb),
        ).rejects.toMatchObject({ code: '23503' });
      }
      expect(await r.confirmHeld(held.idempotencyKey)).toMatchObject({ state: 'confirmed' });
    });

    it('never lets a settled instruction change', async () => {
      const i = instruction();
      await rail().submit(i);
      await expect(
        sql`UPDATE rail_instructions SET state = 'pending', transfer_id = NULL, settled_at = NULL WHERE idempotency_key = ${i.idempotencyKey}`.execute(tdb.appDb),
      ).rejects.toMatchObject({ code: 'TU021' });
    });
  });
});
