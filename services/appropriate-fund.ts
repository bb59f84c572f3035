import type { Kysely } from 'kysely';
import type { Database } from '../infra/database';
import { domainError, type DomainError } from '../domain/shared/errors';
import * as fund from '../domain/fund';
import { credit, openAccount } from '../infra/payment-rail/ledger-accounts';
import { eventIdFor } from '../infra/eventstore';
import { treasuryAccountOf } from '../activities/fund-activities';
import { decideOnFund } from '../activities/fund-streams';

export type AppropriationResult =
  | { readonly ok: true; readonly position: number; readonly streamVersion: number; readonly duplicate: boolean; readonly eventId: string }
  | { readonly ok: false; readonly error: DomainError };

const TERMS = ['source', 'fiscalYear', 'countyId', 'documentNumber', 'amount', 'earmark'] as const;

/** The appropriation's terms a repeat changes; a repeat that changes none is the same request. */
const differingTerms = (stored: unknown, asked: fund.AppropriateFund['data']): string[] => {
  const s = (stored ?? {}) as Record<string, unknown>;
  const norm = (v: unknown) => JSON.stringify(Array.isArray(v) ? [...(v as string[])].sort() : v);
  return TERMS.filter((k) => norm(s[k]) !== norm(asked[k]));
};

/** A fund id is appropriated once: asking again on other terms names the fund that exists, and is refused (409). */
const alreadyAppropriated = (fundId: string, stored: unknown, differs: readonly string[]): DomainError => {
  const s = (stored ?? {}) as Record<string, unknown>;
  return domainError(
    'FUND_ALREADY_APPROPRIATED',
    `资金 ${fundId} 已下达（${String(s.documentNumber)}，${String(s.amount)} 分），与本次请求的 ${differs.join('、')} 不同；请使用新的资金编号`,
    `fund ${fundId} is already appropriated (${String(s.documentNumber)}, ${String(s.amount)} fen) on other terms (${differs.join(', ')}); use a new fund id`,
    { fundId, existing: Object.fromEntries(TERMS.map((k) => [k, s[k]])), differs },
  );
};

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
  if (decided.ok && decided.duplicate) {
    const differs = differingTerms(decided.earlierData, command.data);
    if (differs.length > 0) return { ok: false, error: alreadyAppropriated(command.data.fundId, decided.earlierData, differs) };
  }
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
