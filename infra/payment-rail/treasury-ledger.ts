import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from '../database';
import { logger as rootLogger, type Logger } from '../logger';
import type { Fen } from '../../domain/shared/money';
import { postEntries, railDb, type RailDb } from './ledger-accounts';
import { parseIdempotencyKey, parseInstruction, PaymentRailError, type PaymentInstruction, type PaymentRail, type PaymentStatus } from './rail';
import type { RailInstructionsTable } from './rail.table';
import { DEFAULT_FAIL_CODE, RailSwitches, type RailSwitch, type SwitchRule } from './switches';
import { pgError } from '../pg-error';

/** Why the ledger itself refuses a payment (the `fail` switch adds its own code). */
export const LEDGER_REJECTIONS = {
  ACCOUNT_NOT_FOUND: 'the paying account is not an open treasury account',
  ACCOUNT_NOT_PAYABLE: 'the receiving account is a source account and cannot be paid',
  INSUFFICIENT_FUNDS: 'the treasury account holds less than the amount',
} as const;

/**
 * The refusal an instruction's accounts call for by their kinds: the payer must be a treasury
 * account and the payee not a source account (a payee not yet known is opened on payment). A
 * payment made in one call (`rail_pay_new`) raises these cases, and the balance's, back to `execute`.
 */
const kindRefusal = (fromKind: string | undefined, toKind: string | undefined): 'ACCOUNT_NOT_FOUND' | 'ACCOUNT_NOT_PAYABLE' | undefined =>
  fromKind !== 'treasury' ? 'ACCOUNT_NOT_FOUND' : toKind === 'source' ? 'ACCOUNT_NOT_PAYABLE' : undefined;

export interface TreasuryLedgerOptions {
  /** The application's connection: the rail's tables are granted to its writer role. */
  readonly db: Kysely<Database>;
  /** Standing switches, e.g. from `parseSwitches(process.env.TUOPIN_RAIL_SWITCHES)`. */
  readonly switches?: readonly SwitchRule[];
  /** How long a caller waits for an answer; the `timeout` switch holds the reply past it. */
  readonly deadlineMs?: number;
  readonly logger?: Logger;
}

type InstructionRow = Selectable<RailInstructionsTable>;

/** The content a key stands for; the key itself is the identity, so it is not part of the hash. */
const contentHash = (i: PaymentInstruction): string =>
  createHash('sha256')
    .update(JSON.stringify([i.fromAccount, i.toAccount, i.amount, i.memo]))
    .digest('hex');

const toStatus = (row: InstructionRow): PaymentStatus => {
  switch (row.state) {
    case 'pending':
      return { state: 'pending', instructionId: row.instruction_id };
    case 'confirmed':
      return { state: 'confirmed', instructionId: row.instruction_id, transferId: row.transfer_id!, confirmedAt: row.settled_at!.toISOString() };
    case 'rejected':
      return { state: 'rejected', instructionId: row.instruction_id, reason: row.reject_reason!, code: row.reject_code! };
  }
};

const lockByKey = (trx: RailDb, key: string): Promise<InstructionRow | undefined> =>
  trx.selectFrom('rail_instructions').selectAll().where('idempotency_key', '=', key).forUpdate().executeTakeFirst();

const reject = async (trx: RailDb, row: InstructionRow, code: string, reason: string): Promise<InstructionRow> =>
  trx
    .updateTable('rail_instructions')
    .set({ state: 'rejected', reject_code: code, reject_reason: reason, settled_at: new Date() })
    .where('instruction_id', '=', row.instruction_id)
    .returningAll()
    .executeTakeFirstOrThrow();

/**
 * A confirmation message from the bank side: it books the transfer if the instruction is still
 * pending. A redelivered message finds it confirmed and is only recorded. The instruction's row
 * lock and UNIQUE (instruction_id) on rail_transfers both stand between a duplicate and a second
 * transfer.
 */
const receiveConfirmation = async (trx: RailDb, instructionId: string, transferId: string): Promise<InstructionRow> => {
  const row = await trx.selectFrom('rail_instructions').selectAll().where('instruction_id', '=', instructionId).forUpdate().executeTakeFirstOrThrow();
  const last = await trx
    .selectFrom('rail_confirmations')
    .select((eb) => eb.fn.max('delivery').as('n'))
    .where('instruction_id', '=', instructionId)
    .executeTakeFirst();
  const applied = row.state === 'pending';
  await trx
    .insertInto('rail_confirmations')
    .values({ instruction_id: instructionId, transfer_id: transferId, delivery: (last?.n ?? 0) + 1, applied })
    .execute();
  if (!applied) return row;
  const amount = Number(row.amount_fen) as Fen;
  await trx.insertInto('rail_transfers').values({ transfer_id: transferId, instruction_id: instructionId, reference: null, kind: 'payment', amount_fen: amount }).execute();
  await postEntries(trx, transferId, row.from_account, row.to_account, amount);
  return trx
    .updateTable('rail_instructions')
    .set({ state: 'confirmed', transfer_id: transferId, settled_at: new Date() })
    .where('instruction_id', '=', instructionId)
    .returningAll()
    .executeTakeFirstOrThrow();
};

/**
 * The bank's side of a pending instruction, under its row lock: check the accounts (locked in id
 * order, so two payments from one treasury queue rather than deadlock), then confirm or reject.
 */
const execute = async (trx: RailDb, row: InstructionRow): Promise<{ row: InstructionRow; transferId?: string }> => {
  const accounts = await trx
    .selectFrom('rail_accounts')
    .select(['account_id', 'kind', 'balance_fen'])
    .where('account_id', 'in', [row.from_account, row.to_account])
    .orderBy('account_id')
    .forUpdate()
    .execute();
  const from = accounts.find((a) => a.account_id === row.from_account);
  const to = accounts.find((a) => a.account_id === row.to_account);
  const refusal = kindRefusal(from?.kind, to?.kind);
  if (refusal) return { row: await reject(trx, row, refusal, LEDGER_REJECTIONS[refusal]) };
  // kindRefusal refuses a payer the ledger does not hold: `from` is there.
  if (BigInt(String(from!.balance_fen)) < BigInt(row.amount_fen)) return { row: await reject(trx, row, 'INSUFFICIENT_FUNDS', LEDGER_REJECTIONS.INSUFFICIENT_FUNDS) };
  if (!to) await openPayeeSide(trx, row.to_account);
  const transferId = `trf-${randomUUID()}`;
  return { row: await receiveConfirmation(trx, row.instruction_id, transferId), transferId };
};

/** A payee's account exists outside the rail; the ledger opens its side on the first payment. */
const openPayeeSide = async (trx: RailDb, accountId: string): Promise<void> => {
  await trx
    .insertInto('rail_accounts')
    .values({ account_id: accountId, kind: 'payee' })
    .onConflict((oc) => oc.column('account_id').doNothing())
    .execute();
};

/**
 * `execute` for many new pending instructions at once, under their row locks: every account they
 * touch is locked in id order (so batches and single payments queue rather than deadlock), each
 * instruction is checked in order against the running balances (or takes its `fail`/`hold`
 * switch), and the batch's rejections, transfers, entries, confirmations and balances are written
 * set-wise. Returns the settled rows by key and the transfers made.
 */
const executeBatch = async (
  trx: RailDb,
  pending: readonly InstructionRow[],
  switches: ReadonlyMap<string, RailSwitch>,
): Promise<{ rows: Map<string, InstructionRow>; transfers: { key: string; instructionId: string; transferId: string }[] }> => {
  const rows = new Map<string, InstructionRow>();
  if (pending.length === 0) return { rows, transfers: [] };
  const accountIds = [...new Set(pending.flatMap((r) => [r.from_account, r.to_account]))].sort();
  const accounts = await trx
    .selectFrom('rail_accounts')
    .select(['account_id', 'kind', 'balance_fen'])
    .where('account_id', 'in', accountIds)
    .orderBy('account_id')
    .forUpdate()
    .execute();
  const kind = new Map(accounts.map((a) => [a.account_id, a.kind]));
  const balance = new Map(accounts.map((a) => [a.account_id, BigInt(String(a.balance_fen))]));
  const rejects: { row: InstructionRow; code: string; reason: string }[] = [];
  const confirms: { row: InstructionRow; transferId: string }[] = [];
  for (const row of pending) {
    const sw = switches.get(row.idempotency_key);
    if (sw?.kind === 'fail') {
      rejects.push({ row, code: sw.code ?? DEFAULT_FAIL_CODE, reason: sw.reason ?? 'rejected by the rail (switch: fail)' });
      continue;
    }
    if (sw?.kind === 'hold') {
      rows.set(row.idempotency_key, row);
      continue;
    }
    const amount = BigInt(row.amount_fen);
    const refusal = kindRefusal(kind.get(row.from_account), kind.get(row.to_account));
    if (refusal) rejects.push({ row, code: refusal, reason: LEDGER_REJECTIONS[refusal] });
    else if (balance.get(row.from_account)! < amount) rejects.push({ row, code: 'INSUFFICIENT_FUNDS', reason: LEDGER_REJECTIONS.INSUFFICIENT_FUNDS });
    else {
      balance.set(row.from_account, balance.get(row.from_account)! - amount);
      balance.set(row.to_account, (balance.get(row.to_account) ?? 0n) + amount);
      if (!kind.has(row.to_account)) kind.set(row.to_account, 'payee');
      confirms.push({ row, transferId: `trf-${randomUUID()}` });
    }
  }
  if (rejects.length > 0) {
    const settled = await sql<InstructionRow>`
      UPDATE rail_instructions i SET state = 'rejected', reject_code = u.code, reject_reason = u.reason, settled_at = now()
        FROM unnest(${rejects.map((r) => r.row.instruction_id)}::text[], ${rejects.map((r) => r.code)}::text[], ${rejects.map((r) => r.reason)}::text[]) AS u(id, code, reason)
       WHERE i.instruction_id = u.id
      RETURNING i.*`.execute(trx);
    for (const r of settled.rows) rows.set(r.idempotency_key, r);
  }
  if (confirms.length > 0) {
    // A payee's account exists outside the rail; the ledger opens its side on the first payment.
    const payees = [...new Set(confirms.map((c) => c.row.to_account))].filter((id) => !accounts.some((a) => a.account_id === id));
    if (payees.length > 0) await sql`INSERT INTO rail_accounts (account_id, kind) SELECT unnest(${payees}::text[]), 'payee' ON CONFLICT (account_id) DO NOTHING`.execute(trx);
    const ins = confirms.map((c) => c.row.instruction_id);
    const trf = confirms.map((c) => c.transferId);
    const amounts = confirms.map((c) => c.row.amount_fen);
    await sql`
      INSERT INTO rail_confirmations (instruction_id, transfer_id, delivery, applied)
      SELECT u.i, u.t, 1, true FROM unnest(${ins}::text[], ${trf}::text[]) AS u(i, t)`.execute(trx);
    await sql`
      INSERT INTO rail_transfers (transfer_id, instruction_id, reference, kind, amount_fen)
      SELECT u.t, u.i, NULL, 'payment', u.a FROM unnest(${trf}::text[], ${ins}::text[], ${amounts}::bigint[]) AS u(t, i, a)`.execute(trx);
    await sql`
      INSERT INTO rail_entries (transfer_id, account_id, amount_fen)
      SELECT u.t, u.acc, u.a FROM unnest(
        ${[...trf, ...trf]}::text[],
        ${[...confirms.map((c) => c.row.from_account), ...confirms.map((c) => c.row.to_account)]}::text[],
        ${[...amounts.map((a) => `-${a}`), ...amounts]}::bigint[]) AS u(t, acc, a)`.execute(trx);
    const moved = new Map<string, bigint>();
    for (const c of confirms) {
      const a = BigInt(c.row.amount_fen);
      moved.set(c.row.from_account, (moved.get(c.row.from_account) ?? 0n) - a);
      moved.set(c.row.to_account, (moved.get(c.row.to_account) ?? 0n) + a);
    }
    await sql`
      UPDATE rail_accounts a SET balance_fen = a.balance_fen + u.d, updated_at = now()
        FROM unnest(${[...moved.keys()]}::text[], ${[...moved.values()].map(String)}::bigint[]) AS u(id, d)
       WHERE a.account_id = u.id`.execute(trx);
    const settled = await sql<InstructionRow>`
      UPDATE rail_instructions i SET state = 'confirmed', transfer_id = u.t, settled_at = now()
        FROM unnest(${ins}::text[], ${trf}::text[]) AS u(id, t)
       WHERE i.instruction_id = u.id
      RETURNING i.*`.execute(trx);
    for (const r of settled.rows) rows.set(r.idempotency_key, r);
  }
  return { rows, transfers: confirms.map((c) => ({ key: c.row.idempotency_key, instructionId: c.row.instruction_id, transferId: c.transferId })) };
};

/**
 * The built-in rail: a simulated treasury ledger in PostgreSQL. A submit is one transaction: the
 * instruction is inserted (or found: UNIQUE idempotency_key makes a concurrent submit of the same
 * key wait for the first to commit, then see its row), locked, executed and confirmed. A payment the
 * ledger pays is all of that in one call (`rail_pay_new`, one round trip where there were ten); one
 * it might refuse, or that a switch holds or fails, is decided under the locks in a transaction of
 * statements (`execute`), where the refusals are made.
 */
export class TreasuryLedgerRail implements PaymentRail {
  readonly switches: RailSwitches;
  readonly deadlineMs: number;
  private readonly db: RailDb;
  private readonly log: Logger;

  constructor(opts: TreasuryLedgerOptions) {
    this.db = railDb(opts.db);
    this.switches = new RailSwitches(opts.switches ?? []);
    this.deadlineMs = opts.deadlineMs ?? 2_000;
    this.log = (opts.logger ?? rootLogger).child({ component: 'treasury-ledger' });
  }

  async submit(input: PaymentInstruction): Promise<PaymentStatus> {
    const instruction = parseInstruction(input);
    const key = instruction.idempotencyKey;
    const sw = this.switches.take(key);
    if (sw) this.log.warn({ idempotencyKey: key, switch: sw.kind }, 'rail switch applies to this submit');
    if (sw?.kind === 'unavailable') throw new PaymentRailError('RAIL_UNAVAILABLE', 'the treasury ledger is unavailable (switch: unavailable)', undefined, { idempotencyKey: key });

    const hash = contentHash(instruction);
    /** A key stored before is answered with its row, if it stands for the same content. */
    const stored = (current: InstructionRow): { row: InstructionRow; transferId?: string } => {
      if (current.content_hash !== hash) {
        throw new PaymentRailError('PAYMENT_KEY_REUSED', `idempotency key ${key} was used for a different instruction`, 'idempotencyKey', {
          idempotencyKey: key,
          instructionId: current.instruction_id,
        });
      }
      return { row: current };
    };
    // The instruction decided under the locks throughout (`execute`): where a switch applies, or the ledger may refuse it.
    const underLocks = (): Promise<{ row: InstructionRow; transferId?: string }> =>
      this.db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('rail_instructions')
          .values({
            instruction_id: `ins-${randomUUID()}`,
            idempotency_key: key,
            content_hash: hash,
            from_account: instruction.fromAccount,
            to_account: instruction.toAccount,
            amount_fen: instruction.amount,
            memo: instruction.memo,
            state: 'pending',
          })
          .onConflict((oc) => oc.column('idempotency_key').doNothing())
          .returning('instruction_id')
          .executeTakeFirst();
        const current = await lockByKey(trx, key);
        if (!current) throw new Error(`instruction ${key} vanished under its lock`);
        return inserted ? this.decideNew(trx, current, sw) : stored(current);
      });
    // A payment the ledger pays, in one call (the 20261206213000 migration); anything it might refuse comes back as TU022 and is decided under the locks.
    const inOneCall = async (): Promise<{ row: InstructionRow; transferId?: string }> => {
      const instructionId = `ins-${randomUUID()}`;
      const { rows } = await sql<InstructionRow>`
        SELECT * FROM rail_pay_new(${instructionId}, ${key}, ${hash}, ${instruction.fromAccount}, ${instruction.toAccount},
                                   ${instruction.amount}::bigint, ${instruction.memo}, ${`trf-${randomUUID()}`})`.execute(this.db);
      const row = rows[0];
      if (!row) throw new Error(`instruction ${key} vanished under its lock`);
      return row.instruction_id === instructionId ? { row, transferId: row.transfer_id ?? undefined } : stored(row);
    };
    const { row, transferId } =
      sw?.kind === 'fail' || sw?.kind === 'hold' ? await underLocks() : await inOneCall().catch((e: unknown) => (pgError(e).code === 'TU022' ? underLocks() : Promise.reject(e)));

    this.log.info({ idempotencyKey: key, instructionId: row.instruction_id, state: row.state, ...(transferId ? { transferId } : {}) }, 'payment instruction answered');
    if (sw?.kind === 'confirmTwice' && transferId) await this.db.transaction().execute((trx) => receiveConfirmation(trx, row.instruction_id, transferId));
    if (sw?.kind === 'timeout') {
      // The work is committed; only the answer is lost. The caller must ask `status` to learn it.
      await sleep(this.deadlineMs);
      throw new PaymentRailError('RAIL_TIMEOUT', `no answer from the treasury ledger within ${this.deadlineMs} ms`, undefined, { idempotencyKey: key });
    }
    return toStatus(row);
  }

  /**
   * A batch of instructions (a bank's 批量代发 file), each idempotent by its key as in `submit`, in
   * one transaction: the instructions are inserted (or found) in one statement and locked in key
   * order, the accounts they touch are locked once in id order, and every transfer, entry,
   * confirmation and balance of the batch is written set-wise. The ledger's checks are the same,
   * payment by payment in the given order against the running balance. Each key takes its switch:
   * `unavailable` on any key refuses the whole batch before anything is recorded; `timeout` on any
   * commits the batch and loses the answer (ask `statuses`). Answers come in the given order.
   */
  async submitBatch(inputs: readonly PaymentInstruction[]): Promise<PaymentStatus[]> {
    const instructions = inputs.map((i) => parseInstruction(i));
    if (instructions.length === 0) return [];
    const keys = instructions.map((i) => i.idempotencyKey);
    if (new Set(keys).size !== keys.length) throw new PaymentRailError('INSTRUCTION_INVALID', 'a batch lists an idempotency key twice', 'idempotencyKey');
    const switches = new Map<string, RailSwitch>();
    for (const k of keys) {
      const sw = this.switches.take(k);
      if (sw) switches.set(k, sw);
    }
    if (switches.size > 0) this.log.warn({ switches: [...switches].map(([k, sw]) => ({ idempotencyKey: k, switch: sw.kind })) }, 'rail switches apply to this batch');
    const down = [...switches].find(([, sw]) => sw.kind === 'unavailable');
    if (down) throw new PaymentRailError('RAIL_UNAVAILABLE', 'the treasury ledger is unavailable (switch: unavailable)', undefined, { idempotencyKey: down[0] });

    const hashes = instructions.map(contentHash);
    const { rows, transfers } = await this.db.transaction().execute(async (trx) => {
      const ids = instructions.map(() => `ins-${randomUUID()}`);
      const inserted = await sql<{ idempotency_key: string }>`
        INSERT INTO rail_instructions (instruction_id, idempotency_key, content_hash, from_account, to_account, amount_fen, memo, state)
        SELECT u.id, u.k, u.h, u.f, u.t, u.a, u.m, 'pending'
          FROM unnest(${ids}::text[], ${keys}::text[], ${hashes}::text[], ${instructions.map((i) => i.fromAccount)}::text[],
                      ${instructions.map((i) => i.toAccount)}::text[], ${instructions.map((i) => i.amount)}::bigint[], ${instructions.map((i) => i.memo)}::text[])
               AS u(id, k, h, f, t, a, m)
         ORDER BY u.k
        ON CONFLICT (idempotency_key) DO NOTHING
        RETURNING idempotency_key`.execute(trx);
      const fresh = new Set(inserted.rows.map((r) => r.idempotency_key));
      const locked = await trx.selectFrom('rail_instructions').selectAll().where('idempotency_key', 'in', keys).orderBy('idempotency_key').forUpdate().execute();
      const byKey = new Map(locked.map((r) => [r.idempotency_key, r]));
      instructions.forEach((ins, i) => {
        const row = byKey.get(ins.idempotencyKey);
        if (!row) throw new Error(`instruction ${ins.idempotencyKey} vanished under its lock`);
        if (!fresh.has(ins.idempotencyKey) && row.content_hash !== hashes[i])
          throw new PaymentRailError('PAYMENT_KEY_REUSED', `idempotency key ${ins.idempotencyKey} was used for a different instruction`, 'idempotencyKey', {
            idempotencyKey: ins.idempotencyKey,
            instructionId: row.instruction_id,
          });
      });
      const toRun = instructions.map((i) => byKey.get(i.idempotencyKey)!).filter((r) => fresh.has(r.idempotency_key));
      const settled = await executeBatch(trx, toRun, switches);
      return { rows: keys.map((k) => settled.rows.get(k) ?? byKey.get(k)!), transfers: settled.transfers };
    });

    this.log.info({ instructions: keys.length, transfers: transfers.length, first: keys[0] }, 'payment batch answered');
    for (const [key, sw] of switches) {
      const t = transfers.find((x) => x.key === key);
      if (sw.kind === 'confirmTwice' && t) await this.db.transaction().execute((trx) => receiveConfirmation(trx, t.instructionId, t.transferId));
    }
    if ([...switches.values()].some((sw) => sw.kind === 'timeout')) {
      await sleep(this.deadlineMs);
      throw new PaymentRailError('RAIL_TIMEOUT', `no answer from the treasury ledger within ${this.deadlineMs} ms`, undefined, { idempotencyKey: keys[0] });
    }
    return rows.map(toStatus);
  }

  /** The status of many keys in one query, in the given order. */
  async statuses(idempotencyKeys: readonly string[]): Promise<PaymentStatus[]> {
    const keys = idempotencyKeys.map((k) => parseIdempotencyKey(k));
    if (keys.length === 0) return [];
    const rows = await this.db.selectFrom('rail_instructions').selectAll().where('idempotency_key', 'in', keys).execute();
    const byKey = new Map(rows.map((r) => [r.idempotency_key, r]));
    return keys.map((k) => {
      const r = byKey.get(k);
      return r ? toStatus(r) : { state: 'unknown' };
    });
  }

  async status(idempotencyKey: string): Promise<PaymentStatus> {
    const key = parseIdempotencyKey(idempotencyKey);
    const row = await this.db.selectFrom('rail_instructions').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
    return row ? toStatus(row) : { state: 'unknown' };
  }

  /** Delivers the confirmation of an instruction the `hold` switch left pending (then executes it). */
  async confirmHeld(idempotencyKey: string): Promise<PaymentStatus> {
    const key = parseIdempotencyKey(idempotencyKey);
    const row = await this.db.transaction().execute(async (trx) => {
      const current = await lockByKey(trx, key);
      if (!current) return undefined;
      return current.state === 'pending' ? (await execute(trx, current)).row : current;
    });
    return row ? toStatus(row) : { state: 'unknown' };
  }

  private async decideNew(trx: RailDb, row: InstructionRow, sw: RailSwitch | undefined): Promise<{ row: InstructionRow; transferId?: string }> {
    if (sw?.kind === 'fail') return { row: await reject(trx, row, sw.code ?? DEFAULT_FAIL_CODE, sw.reason ?? 'rejected by the rail (switch: fail)') };
    if (sw?.kind === 'hold') return { row };
    return execute(trx, row);
  }
}
