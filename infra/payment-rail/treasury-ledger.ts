import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../database';
import { logger as rootLogger, type Logger } from '../logger';
import type { Fen } from '../../domain/shared/money';
import { postEntries, railDb, type RailDb } from './ledger-accounts';
import { parseIdempotencyKey, parseInstruction, PaymentRailError, type PaymentInstruction, type PaymentRail, type PaymentStatus } from './rail';
import type { RailInstructionsTable } from './rail.table';
import { DEFAULT_FAIL_CODE, RailSwitches, type RailSwitch, type SwitchRule } from './switches';

/** Why the ledger itself refuses a payment (the `fail` switch adds its own code). */
export const LEDGER_REJECTIONS = {
  ACCOUNT_NOT_FOUND: 'the paying account is not an open treasury account',
  ACCOUNT_NOT_PAYABLE: 'the receiving account is a source account and cannot be paid',
  INSUFFICIENT_FUNDS: 'the treasury account holds less than the amount',
} as const;

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
  if (!from || from.kind !== 'treasury') return { row: await reject(trx, row, 'ACCOUNT_NOT_FOUND', LEDGER_REJECTIONS.ACCOUNT_NOT_FOUND) };
  if (to?.kind === 'source') return { row: await reject(trx, row, 'ACCOUNT_NOT_PAYABLE', LEDGER_REJECTIONS.ACCOUNT_NOT_PAYABLE) };
  if (BigInt(String(from.balance_fen)) < BigInt(row.amount_fen)) return { row: await reject(trx, row, 'INSUFFICIENT_FUNDS', LEDGER_REJECTIONS.INSUFFICIENT_FUNDS) };
  // A payee's account exists outside the rail; the ledger opens its side on the first payment.
  if (!to)
    await trx
      .insertInto('rail_accounts')
      .values({ account_id: row.to_account, kind: 'payee' })
      .onConflict((oc) => oc.column('account_id').doNothing())
      .execute();
  const transferId = `trf-${randomUUID()}`;
  return { row: await receiveConfirmation(trx, row.instruction_id, transferId), transferId };
};

/**
 * The built-in rail: a simulated treasury ledger in PostgreSQL. A submit is one transaction: the
 * instruction is inserted (or found: UNIQUE idempotency_key makes a concurrent submit of the same
 * key wait for the first to commit, then see its row), locked, executed and confirmed.
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
    const { row, transferId } = await this.db.transaction().execute(async (trx) => {
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
      if (!inserted) {
        if (current.content_hash !== hash) {
          throw new PaymentRailError('PAYMENT_KEY_REUSED', `idempotency key ${key} was used for a different instruction`, 'idempotencyKey', {
            idempotencyKey: key,
            instructionId: current.instruction_id,
          });
        }
        return { row: current };
      }
      return this.decideNew(trx, current, sw);
    });

    this.log.info({ idempotencyKey: key, instructionId: row.instruction_id, state: row.state, ...(transferId ? { transferId } : {}) }, 'payment instruction answered');
    if (sw?.kind === 'confirmTwice' && transferId) await this.db.transaction().execute((trx) => receiveConfirmation(trx, row.instruction_id, transferId));
    if (sw?.kind === 'timeout') {
      // The work is committed; only the answer is lost. The caller must ask `status` to learn it.
      await sleep(this.deadlineMs);
      throw new PaymentRailError('RAIL_TIMEOUT', `no answer from the treasury ledger within ${this.deadlineMs} ms`, undefined, { idempotencyKey: key });
    }
    return toStatus(row);
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
