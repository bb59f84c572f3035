import type { Kysely } from 'kysely';
import type { Database } from '../infra/database';
import type { DomainError } from '../domain/shared/errors';
import * as fund from '../domain/fund';
import { credit, openAccount } from '../infra/payment-rail/ledger-accounts';
import { eventIdFor } from '../infra/eventstore';
import { treasuryAccountOf } from './fund-activities';
import { decideOnFund } from './fund-streams';

export type AppropriationResult =
  | { readonly ok: true; readonly position: number; readonly streamVersion: number; readonly duplicate: boolean; readonly eventId: string }
  | { readonly ok: false; readonly error: DomainError };

/**
 * The finance bureau's act, not a process: money reaches a county (下达) in one decision on the
 * fund's stream, so it needs no workflow. A fund is appropriated once; its event id is derived from
 * the fund id, so running the same command again answers with the first result instead of a refusal.
 */
export const appropriateFund = async (
  db: Kysely<Database>,
  command: fund.AppropriateFund,
  opts: { correlationId?: string; creditTreasury?: boolean } = {},
): Promise<AppropriationResult> => {
  const correlationId = opts.correlationId ?? `appropriate-${command.data.fundId}`;
  const eventId = eventIdFor(`fund-${command.data.fundId}`, 'appropriate', 0);
  const decided = await decideOnFund(db, command, eventId, correlationId);
  const recorded: AppropriationResult = decided.ok
    ? { ok: true, position: decided.position, streamVersion: decided.streamVersion, duplicate: decided.duplicate, eventId }
    : decided;
  // The built-in rail holds the money the books say was appropriated: the fund's treasury account is
  // opened and credited once per appropriation (the event id is the credit's reference), so a rerun
  // after a crash between the two writes completes the credit instead of doubling it.
  if (recorded.ok && (opts.creditTreasury ?? true)) {
    const account = treasuryAccountOf(command.data.fundId);
    await openAccount(db, account, 'treasury');
    await credit(db, { reference: eventId, fromSource: `source:${command.data.source}-${command.data.fiscalYear}`, toAccount: account, amount: command.data.amount });
  }
  return recorded;
};
