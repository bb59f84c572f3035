import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../infra/database';
import type { DomainError } from '../domain/shared/errors';
import * as fund from '../domain/fund';
import { eventIdFor } from '../infra/eventstore';
import { decideOnFund, fundStream } from '../activities/fund-streams';

/** The acts finance and the city office take on a fund outside any project: no workflow, one decision each. */
export type FundCommandOnFund = fund.FreezeFund | fund.UnfreezeFund | fund.ReturnFund;

export type FundCommandResult =
  | {
      readonly ok: true;
      readonly fundId: string;
      readonly eventId: string;
      readonly type: string;
      readonly position: number;
      readonly streamVersion: number;
      /** The request id had already been recorded: this is the first answer, nothing new was written. */
      readonly duplicate: boolean;
    }
  | { readonly ok: false; readonly error: DomainError };

/**
 * A refusal about the request itself (it would be refused whatever the fund's state), as opposed to
 * one about the fund's state (frozen, not enough available): the API answers the first 422, the second 409.
 */
export const REQUEST_REFUSALS: ReadonlySet<string> = new Set([fund.FUND_ERRORS.amountNotPositive]);

/**
 * The event id a request is recorded under: the fund, the command and the caller's request id. The
 * same request again finds its event and is answered with it, instead of being refused (a second
 * freeze of a frozen fund) or applied twice (a second return).
 */
export const fundCommandEventId = (fundId: string, type: FundCommandOnFund['type'], requestId: string): string => eventIdFor(`fund-${fundId}`, `${type}:${requestId}`, 0);

/**
 * Read the fund's stream, decide with the domain, append at the version read. Another writer on the
 * fund (a project drawing on it) makes the append conflict: read again and decide again, as the
 * funding activities do. Without a request id the command is recorded once per call.
 */
export const runFundCommand = async (
  db: Kysely<Database>,
  command: FundCommandOnFund,
  opts: { requestId?: string; correlationId?: string; log?: { info(obj: object, msg: string): void } } = {},
): Promise<FundCommandResult> => {
  const { fundId } = command.data;
  const requestId = opts.requestId ?? randomUUID();
  const correlationId = opts.correlationId ?? `${command.type}:${fundId}:${requestId}`;
  const stream = fundStream(fundId);
  const eventId = fundCommandEventId(fundId, command.type, requestId);
  const decided = await decideOnFund(db, command, eventId, correlationId);
  if (decided.ok) opts.log?.info({ streamId: stream, correlationId, eventId, attempt: decided.attempt, position: decided.position }, `${command.type} recorded`);
  const result: FundCommandResult = decided.ok
    ? { ok: true, fundId, eventId, type: decided.type, position: decided.position, streamVersion: decided.streamVersion, duplicate: decided.duplicate }
    : decided;
  if (!result.ok) opts.log?.info({ streamId: stream, correlationId, code: result.error.code }, `${command.type} refused`);
  return result;
};
