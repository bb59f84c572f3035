import { unprovedClaim, type ActorAssertions, type ActorClaim } from '../infra/tokens/actor-assertion';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../infra/database';
import { aggregateStream, eventMetadata, foldStream, handleCommand, handleCommandOnTwoStreams, readStreams, StateCache, streamId, type Folded } from '../infra/eventstore';
import type { PaymentRail } from '../infra/payment-rail/rail';
import type { Actor } from '../domain/shared/actor';
import type { DomainError } from '../domain/shared/errors';
import type { Decider } from '../domain/shared/decider';
import type { CountyId } from '../domain/reference/counties';
import * as fund from '../domain/fund';
import {
  benefitFactsOf,
  benefitPaymentId,
  decide as decideRound,
  emptyFile,
  evolve as evolveRound,
  evolveFile,
  initialState as initialRound,
  personKeysOf,
  programmeOf,
  registryViewOf,
  summaryOf,
  type RoundSummary,
  type BenefitFileEvent,
  type BenefitRoundCommand,
  type BenefitRoundEvent,
  type BenefitRoundState,
  type BenefitRules,
  type HouseholdBenefitFacts,
} from '../domain/benefit';
import { RECEIPT_ALGORITHM, receiptNonce, receiptTree } from '../infra/receipts/merkle';
import { fundKept, fundStream } from './fund-streams';
import { treasuryAccountOf } from './fund-activities';
import { householdsOfVillage } from './household-activities';
import { createPaymentActivities } from './payment-activities';
import { asFailure, stepEventId, workflowOrigin, type Origin } from './temporal-context';

export interface BenefitActivityDeps {
  readonly db: Kysely<Database>;
  readonly rail: PaymentRail;
  /** Checks who acts before a person's step is recorded. */
  readonly actors: ActorAssertions;
}

export const roundStream = (roundId: string): string => streamId('benefit', roundId);
export const benefitFileStream = (householdId: string): string => streamId('benefitfile', householdId);

/** The facts of many households, two queries: registry streams and benefit files; null for one not registered. */
export const loadBenefitFacts = async (db: Kysely<Database>, householdIds: readonly string[]): Promise<Map<string, HouseholdBenefitFacts | null>> => {
  const registry = new Map<string, { type: string; data: unknown }[]>(householdIds.map((id) => [id, []]));
  const files = new Map<string, BenefitFileEvent[]>(householdIds.map((id) => [id, []]));
  for (const e of await readStreams(
    db,
    householdIds.map((id) => streamId('household', id)),
  ))
    registry.get(e.streamId.slice('household-'.length))?.push({ type: e.type, data: e.data });
  for (const e of await readStreams(db, householdIds.map(benefitFileStream)))
    files.get(e.streamId.slice('benefitfile-'.length))?.push({ type: e.type, data: e.data } as BenefitFileEvent);
  const out = new Map<string, HouseholdBenefitFacts | null>();
  for (const id of householdIds) {
    const view = registryViewOf(registry.get(id)!);
    out.set(id, view && benefitFactsOf(view, files.get(id)!.reduce(evolveFile, emptyFile())));
  }
  return out;
};

/**
 * The people of these households already on another round of the same programme and period (not
 * removed from it, not returned, the round not rejected), by that round's id: found through the
 * households' refs, so a second township's round over the same villages cannot pay anyone twice.
 */
export const listedElsewhere = async (
  db: Kysely<Database>,
  householdIds: readonly string[],
  programmeId: string,
  period: string,
  roundId: string,
): Promise<Record<string, string>> => {
  if (householdIds.length === 0) return {};
  const { rows } = await sql<{ stream_id: string }>`
    SELECT DISTINCT e.stream_id FROM refs r JOIN events e ON e.position = r.position
     WHERE r.kind = 'household' AND r.ref_id = ANY(${[...householdIds]}::text[]) AND e.type IN ('BenefitLinesListed', 'BenefitLineAdded')
       AND e.stream_id <> ${roundStream(roundId)}`.execute(db);
  const wanted = new Set(householdIds);
  const out: Record<string, string> = {};
  for (const { stream_id } of rows) {
    const s = (await aggregateStream(db, stream_id, roundDecider())).state;
    if (s.stage === 'none' || s.stage === 'rejected' || s.programmeId !== programmeId || s.period !== period) continue;
    for (const l of s.lines.values()) if (wanted.has(l.householdId) && (l.status === 'listed' || l.status === 'paid')) for (const k of personKeysOf(l)) out[k] = s.roundId;
  }
  return out;
};

/** Rounds' states kept between commands: a county-wide round takes a hundred payment batches, each reading only the one before. A 20,000-line state is a few MB: a worker keeps the 16 rounds it touched last. */
const roundStates = new StateCache<BenefitRoundState>(16);

export const roundDecider = (rules?: BenefitRules): Decider<BenefitRoundCommand, BenefitRoundEvent, BenefitRoundState> & { readonly states: StateCache<BenefitRoundState> } => ({
  decide: (c, s) => decideRound(c, s, rules),
  evolve: evolveRound,
  initialState: initialRound,
  states: roundStates,
});

/** Who, when, which step: the workflow's; the activity stamps nothing of its own. */
export interface BenefitStepContext extends ActorClaim {
  readonly roundId: string;
  readonly countyId: CountyId;
  readonly step: string;
  readonly actor: Actor;
  readonly now: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly rules?: BenefitRules;
}

export type { RoundSummary } from '../domain/benefit';

export type BenefitStepResult =
  { readonly ok: true; readonly summary: RoundSummary; readonly excluded?: number } | { readonly ok: false; readonly error: DomainError; readonly summary?: RoundSummary };

const metaOf = (input: BenefitStepContext, o: Origin) => () =>
  eventMetadata({ actor: input.actor, countyId: input.countyId, correlationId: input.correlationId, causationId: input.causationId, temporal: o, at: input.now });

type RoundCommandData<T extends BenefitRoundCommand['type']> = Omit<Extract<BenefitRoundCommand, { type: T }>['data'], 'roundId'>;

export interface DraftInput extends BenefitStepContext {
  readonly data: Omit<RoundCommandData<'DraftBenefitRound'>, 'households'>;
}
export interface RoundStepInput extends BenefitStepContext {
  readonly command:
    | { readonly type: 'PostBenefitNotice'; readonly data: RoundCommandData<'PostBenefitNotice'> }
    | { readonly type: 'RuleOnBenefitObjection'; readonly data: Omit<RoundCommandData<'RuleOnBenefitObjection'>, 'facts'> }
    | { readonly type: 'ReviewBenefitRound'; readonly data: RoundCommandData<'ReviewBenefitRound'> }
    | { readonly type: 'ApproveBenefitRound'; readonly data: RoundCommandData<'ApproveBenefitRound'> };
}
export interface DisburseInput extends BenefitStepContext {
  readonly fundId: string;
}
export interface PayBatchInput extends BenefitStepContext {
  readonly householdIds: readonly string[];
}
export interface PayBatchResult {
  readonly paid: number;
  readonly returned: number;
  readonly summary: RoundSummary;
}

export const createBenefitActivities = ({ db, rail, actors }: BenefitActivityDeps) => {
  const payments = createPaymentActivities({ rail, pendingWaitMs: 2_000 });
  const loadRound = (roundId: string, rules?: BenefitRules): Promise<Folded<BenefitRoundState>> => foldStream(db, roundStream(roundId), roundDecider(rules));
  const onRound = async (input: BenefitStepContext, command: BenefitRoundCommand, step = input.step) => {
    const o = workflowOrigin();
    try {
      return await handleCommand(db, roundStream(input.roundId), roundDecider(input.rules), command, { eventId: stepEventId(o, step), metadata: metaOf(input, o) });
    } catch (e) {
      throw asFailure(e);
    }
  };

  return {
    /** The households listed on the round, to pay (ids only). */
    async benefitRoundHouseholds(input: { roundId: string }): Promise<string[]> {
      const s = (await loadRound(input.roundId)).state;
      return s.stage === 'none' ? [] : [...s.lines.values()].filter((l) => l.status === 'listed').map((l) => l.householdId);
    },

    /** The list, computed from the store: every registered household of the township's villages, assessed by the programme's rule. */
    async draftBenefitList(input: DraftInput): Promise<BenefitStepResult> {
      const unproved = await unprovedClaim(actors, input);
      if (unproved) return { ok: false, error: unproved };
      const ids = (await Promise.all(input.data.villageIds.map((v) => householdsOfVillage(db, v)))).flat();
      const facts = await loadBenefitFacts(db, ids);
      const households = ids.flatMap((id) => (facts.get(id) ? [facts.get(id)!] : []));
      const elsewhere = await listedElsewhere(db, ids, input.data.programmeId, input.data.period, input.roundId);
      const r = await onRound(input, {
        type: 'DraftBenefitRound',
        data: { ...input.data, roundId: input.roundId, households, listedElsewhere: elsewhere },
        meta: { actor: input.actor, now: input.now },
      });
      if (!r.ok) return { ok: false, error: r.error };
      const header = r.events.find((e) => e.type === 'BenefitRoundDrafted');
      Context.current().log.info('benefit list drafted', {
        workflowId: workflowOrigin().workflowId,
        roundId: input.roundId,
        households: ids.length,
        correlationId: input.correlationId,
      });
      return { ok: true, summary: summaryOf(r.state), excluded: header ? (header.data as { excluded: unknown[] }).excluded.length : 0 };
    },

    /** A person's step on the round's own stream; an objection that adds a household reads its facts from the store. */
    async benefitRoundStep(input: RoundStepInput): Promise<BenefitStepResult> {
      const unproved = await unprovedClaim(actors, input);
      if (unproved) return { ok: false, error: unproved };
      const c = input.command;
      const round = c.type === 'RuleOnBenefitObjection' && c.data.outcome === 'add' ? (await loadRound(input.roundId)).state : null;
      const data =
        c.type === 'RuleOnBenefitObjection' && c.data.outcome === 'add'
          ? {
              ...c.data,
              facts: (await loadBenefitFacts(db, [c.data.householdId])).get(c.data.householdId) ?? null,
              ...(round && round.stage !== 'none' ? { listedElsewhere: await listedElsewhere(db, [c.data.householdId], round.programmeId, round.period, input.roundId) } : {}),
            }
          : c.data;
      const r = await onRound(input, { type: c.type, data: { ...data, roundId: input.roundId }, meta: { actor: input.actor, now: input.now } } as BenefitRoundCommand);
      return r.ok ? { ok: true, summary: summaryOf(r.state) } : { ok: false, error: r.error, summary: summaryOf(r.state) };
    },

    /** County finance takes the round on: the fund allocates the list total to the round, in one transaction with the round's record. */
    async startBenefitDisbursement(input: DisburseInput): Promise<BenefitStepResult> {
      const unproved = await unprovedClaim(actors, input);
      if (unproved) return { ok: false, error: unproved };
      const o = workflowOrigin();
      const meta = { actor: input.actor, now: input.now };
      const allocationId = `${input.roundId}:alloc`;
      try {
        const r = await handleCommandOnTwoStreams(
          db,
          { streamId: fundStream(input.fundId), fold: fundKept, eventId: stepEventId(o, `${input.step}:fund`), metadata: metaOf(input, o) },
          { streamId: roundStream(input.roundId), fold: roundDecider(input.rules), eventId: stepEventId(o, `${input.step}:round`), metadata: metaOf(input, o) },
          (f, round) => {
            const s = round.state;
            if (f.state.status === 'none') return { ok: false, error: fundNotFound(input.fundId) };
            const started = decideRound(
              {
                type: 'StartBenefitDisbursement',
                data: { roundId: input.roundId, fundId: input.fundId, allocationId, fund: { source: f.state.source, countyId: f.state.countyId, earmark: f.state.earmark } },
                meta,
              },
              s,
              input.rules,
            );
            if (!started.ok) return started;
            if (s.stage === 'none') return { ok: false, error: fundNotFound(input.fundId) };
            const p = programmeOf(s.programmeId)!;
            const allocated = fund.decide(
              {
                type: 'AllocateFund',
                data: { fundId: input.fundId, allocationId, projectId: input.roundId, projectCountyId: s.countyId as CountyId, category: p.category, amount: s.listTotal },
                meta,
              },
              f.state,
            );
            if (!allocated.ok) return allocated;
            return { ok: true, events: [allocated.events, started.events] as const };
          },
        );
        return r.ok ? { ok: true, summary: summaryOf(r.states[1]) } : { ok: false, error: r.error, summary: summaryOf(r.states[1]) };
      } catch (e) {
        throw asFailure(e);
      }
    },

    /**
     * One batch: each listed household is paid through the rail into its own account under its one
     * key (`<round>:<household>`; the rail is asked first, so a retried batch pays nobody twice).
     * Confirmed payments are recorded on the fund (FundDisbursed, to the household) and the round in
     * one transaction; a transfer the rail refuses for good is recorded as returned (the money stays
     * in the fund) and flagged. A timeout or an outage fails the batch for Temporal to retry.
     */
    async payBenefitBatch(input: PayBatchInput): Promise<PayBatchResult> {
      const o = workflowOrigin();
      const ctx = Context.current();
      const round = await loadRound(input.roundId, input.rules);
      const s = round.state;
      if (s.stage !== 'disbursing')
        throw ApplicationFailure.create({ type: 'BENEFIT_WRONG_STAGE', message: `round ${input.roundId} is ${s.stage}, not disbursing`, nonRetryable: true });
      const due = input.householdIds.map((id) => s.lines.get(id)).filter((l) => l !== undefined && l.status === 'listed');
      const facts = await loadBenefitFacts(
        db,
        due.map((l) => l!.householdId),
      );
      const from = treasuryAccountOf(s.fundId!);
      const lines = due.map((l) => ({ line: l!, key: benefitPaymentId(input.roundId, l!.householdId), account: facts.get(l!.householdId)?.account ?? null }));
      // A household removed from the register after its list was approved is not paid; unless an earlier
      // attempt of this batch already paid it (the rail knows its key), which the books must then record.
      const removedKeys = lines.filter((x) => facts.get(x.line.householdId)?.standing === 'removed').map((x) => x.key);
      const knownToRail = new Set(removedKeys.length === 0 ? [] : (await rail.statuses(removedKeys)).flatMap((st, i) => (st.state === 'unknown' ? [] : [removedKeys[i]!])));
      const withheld = new Set(removedKeys.filter((k) => !knownToRail.has(k)));
      const payable = lines.filter((x) => x.account !== null && !withheld.has(x.key));
      ctx.heartbeat({ batch: input.step, households: payable.length });
      const answers = new Map(
        (
          await payments.payBatchThroughRail(
            payable.map((x) => ({ idempotencyKey: x.key, fromAccount: from, toAccount: x.account!.accountKey, amount: x.line.amount, memo: `${input.roundId} ${s.programmeId}` })),
            { correlationId: input.correlationId, causationId: input.causationId },
          )
        ).map((a) => [a.idempotencyKey, a]),
      );
      const outcomes = lines.map(({ line: l, key, account }) => {
        const a = answers.get(key);
        if (withheld.has(key))
          return {
            kind: 'returned' as const,
            householdId: l.householdId,
            paymentId: key,
            amount: l.amount,
            code: 'BENEFIT_HOUSEHOLD_REMOVED',
            reason: 'household removed from the register after the list was approved',
            attempts: 1,
          };
        if (account === null || a === undefined)
          return {
            kind: 'returned' as const,
            householdId: l.householdId,
            paymentId: key,
            amount: l.amount,
            code: 'BENEFIT_NO_ACCOUNT',
            reason: 'no 一卡通 account on file',
            attempts: 1,
          };
        if (a.ok) return { kind: 'paid' as const, householdId: l.householdId, paymentId: key, accountKey: account.accountKey, amount: l.amount, transferId: a.payment.transferId };
        return {
          kind: 'returned' as const,
          householdId: l.householdId,
          paymentId: key,
          amount: l.amount,
          code: a.rejected.code,
          reason: a.rejected.reason.slice(0, 500),
          attempts: ctx.info.attempt,
        };
      });
      const paid = outcomes.filter((x) => x.kind === 'paid');
      const returned = outcomes.filter((x) => x.kind === 'returned');
      const meta = { actor: input.actor, now: input.now };
      try {
        if (paid.length > 0) {
          const r = await handleCommandOnTwoStreams(
            db,
            { streamId: fundStream(s.fundId!), fold: fundKept, eventId: stepEventId(o, `${input.step}:fund`), metadata: metaOf(input, o) },
            { streamId: roundStream(input.roundId), fold: roundDecider(input.rules), eventId: stepEventId(o, `${input.step}:paid`), metadata: metaOf(input, o) },
            (f, rs) => {
              const recorded = decideRound(
                { type: 'RecordBenefitPayments', data: { roundId: input.roundId, batch: input.step, payments: paid.map(({ kind: _k, ...p }) => p) }, meta },
                rs.state,
                input.rules,
              );
              if (!recorded.ok) return recorded;
              const fresh = new Set(recorded.events.flatMap((e) => (e.type === 'BenefitPaymentsRecorded' ? e.data.payments.map((p) => p.householdId) : [])));
              let st = f.state;
              const fundEvents: fund.FundEvent[] = [];
              for (const p of paid.filter((x) => fresh.has(x.householdId))) {
                const d = fund.decide(
                  {
                    type: 'DisburseFund',
                    data: {
                      fundId: s.fundId!,
                      allocationId: s.allocationId!,
                      paymentId: p.paymentId,
                      milestone: 'benefit',
                      payee: p.accountKey,
                      householdId: p.householdId,
                      amount: p.amount,
                      railConfirmed: true,
                    },
                    meta,
                  },
                  st,
                );
                if (!d.ok) return d;
                fundEvents.push(...d.events);
                st = d.events.reduce(fund.evolve, st);
              }
              return { ok: true, events: [fundEvents, recorded.events] as const };
            },
          );
          if (!r.ok) throw ApplicationFailure.create({ type: 'PAYMENT_CONFIRMED_NOT_RECORDED', message: `${r.error.code}: ${r.error.en}`, nonRetryable: true, details: [r.error] });
        }
        if (returned.length > 0) {
          const r = await onRound(
            input,
            { type: 'RecordBenefitReturns', data: { roundId: input.roundId, batch: input.step, returned: returned.map(({ kind: _k, ...x }) => x) }, meta },
            `${input.step}:returned`,
          );
          if (!r.ok) throw ApplicationFailure.create({ type: r.error.code, message: r.error.en, nonRetryable: true, details: [r.error] });
          ctx.log.warn('benefit transfers returned to the fund', {
            workflowId: o.workflowId,
            roundId: input.roundId,
            returned: returned.length,
            codes: [...new Set(returned.map((x) => x.code))],
          });
        }
      } catch (e) {
        throw asFailure(e);
      }
      const after = await loadRound(input.roundId, input.rules);
      return { paid: paid.length, returned: returned.length, summary: summaryOf(after.state) };
    },

    /** Closes the round (list total = paid + returned, to the fen) and releases what was returned back to the fund's available money. */
    async closeBenefitRound(input: BenefitStepContext): Promise<BenefitStepResult> {
      const o = workflowOrigin();
      const meta = { actor: input.actor, now: input.now };
      const s0 = (await loadRound(input.roundId, input.rules)).state;
      if (s0.stage === 'none' || s0.fundId === null) return { ok: false, error: fundNotFound('-') };
      try {
        const r = await handleCommandOnTwoStreams(
          db,
          { streamId: fundStream(s0.fundId), fold: fundKept, eventId: stepEventId(o, `${input.step}:fund`), metadata: metaOf(input, o) },
          { streamId: roundStream(input.roundId), fold: roundDecider(input.rules), eventId: stepEventId(o, `${input.step}:round`), metadata: metaOf(input, o) },
          (f, rs) => {
            const receipts = receiptsOf(rs.state);
            const closed = decideRound({ type: 'CloseBenefitRound', data: { roundId: input.roundId, ...(receipts ? { receipts } : {}) }, meta }, rs.state, input.rules);
            if (!closed.ok) return closed;
            const s = rs.state;
            if (s.stage === 'none' || s.returned === 0) return { ok: true, events: [[], closed.events] as const };
            const released = fund.decide(
              {
                type: 'ReleaseAllocation',
                data: { fundId: s.fundId!, allocationId: s.allocationId!, amount: s.returned, reason: `benefit transfers returned by the rail (${input.roundId})` },
                meta,
              },
              f.state,
            );
            if (!released.ok) return released;
            return { ok: true, events: [released.events, closed.events] as const };
          },
        );
        return r.ok ? { ok: true, summary: summaryOf(r.states[1]) } : { ok: false, error: r.error, summary: summaryOf(r.states[1]) };
      } catch (e) {
        throw asFailure(e);
      }
    },
  };
};

/** The paid list's Merkle root (infra/receipts/merkle.ts), published as the round closes. */
const receiptsOf = (s: BenefitRoundState): { root: string; leafCount: number; algorithm: string } | undefined => {
  if (s.stage === 'none') return undefined;
  const leaves = [...s.lines.values()]
    .filter((l) => l.status === 'paid')
    .map((l) => ({
      roundId: s.roundId,
      householdId: l.householdId,
      programmeId: s.programmeId,
      period: s.period,
      amountFen: l.amount,
      nonce: receiptNonce(l.accountKey!, l.paymentId!),
    }));
  return { root: receiptTree(leaves).root, leafCount: leaves.length, algorithm: RECEIPT_ALGORITHM };
};

const fundNotFound = (fundId: string): DomainError => ({ code: 'FUND_NOT_FOUND', zh: '资金不存在', en: `no fund ${fundId}`, details: { fundId } });

export type BenefitActivities = ReturnType<typeof createBenefitActivities>;
