import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Kysely } from 'kysely';
import type { Database } from '../infra/database';
import { unprovedClaim, type ActorAssertions } from '../infra/tokens/actor-assertion';
import { eventMetadata, ExpectedVersionConflictError, foldStream, handleCommand, handleCommandOnTwoStreams, type Folded, type PairOptions } from '../infra/eventstore';
import type { Actor } from '../domain/shared/actor';
import type { DomainError } from '../domain/shared/errors';
import type { Fen } from '../domain/shared/money';
import type { CountyId } from '../domain/reference/counties';
import * as fund from '../domain/fund';
import { makeDecide, PLAN_POLICIES, type ProjectEvent, type ProjectEventOf, type ProjectPolicies, type ProjectState } from '../domain/project';
import { decideAllocation, decidePayment, releaseCommands, type PaymentRequest, type TwoStreamDecision } from '../domain/payment';
import { fundCountyOf, fundKept, fundStream, projectKept, projectStream } from './fund-streams';
import { asFailure, stepEventId, workflowOrigin } from './temporal-context';

/** Who, when and why, as the workflow knows it: the activity stamps nothing of its own. */
export interface FundStepContext {
  readonly projectId: string;
  readonly countyId: CountyId;
  /** The workflow's step name; with the workflow id it fixes every event id, so a retry appends nothing new. */
  readonly step: string;
  readonly actor: Actor;
  /** The caller's signed token for `actor` (infra/tokens/actor-assertion.ts), checked before funding and before the rail is asked. */
  readonly assertion?: string;
  /** The workflow's time for the step (ISO); deciders read no clock. */
  readonly now: string;
  readonly correlationId: string;
  readonly causationId: string;
  /** The project stream's version the workflow holds: the project side is appended at exactly this. */
  readonly projectVersion: number;
  /** Test policies the workflow was started with (a short notice, a short warranty); the plan's otherwise. */
  readonly policies?: Partial<ProjectPolicies>;
}

export interface AllocateFundingInput extends FundStepContext {
  readonly fundId: string;
  readonly allocationId: string;
  readonly amount: Fen;
}

export interface RecordPaymentInput extends FundStepContext {
  readonly request: PaymentRequest;
}

export interface ReleaseAllocationsInput extends Omit<FundStepContext, 'projectVersion'> {
  readonly cancelled: ProjectEventOf<'ProjectCancelled'>;
}

/** What the workflow needs to move its own state on: the project events stored, and where. */
export type FundStepResult =
  | { readonly ok: true; readonly projectEvents: ProjectEvent[]; readonly streamVersion: number; readonly positions: number[]; readonly duplicate: boolean }
  | { readonly ok: false; readonly error: DomainError };

export interface PaymentCheck {
  readonly ok: boolean;
  readonly error?: DomainError;
  /** The fund's treasury account the rail pays from. */
  readonly fromAccount?: string;
  /** The project stream's version the check read: a process that holds an older one has a step of its own to take in first (activities/payment-step.ts). */
  readonly projectVersion?: number;
}

export interface ReleaseOutcome {
  readonly fundId: string;
  readonly allocationId: string;
  readonly amount: Fen;
  readonly released: boolean;
  readonly position?: number;
  readonly error?: DomainError;
}

export interface FundActivityDeps {
  readonly db: Kysely<Database>;
  /** Checks who acts before a decision that moves money. */
  readonly actors: ActorAssertions;
}

/** A fund's account at the treasury: its id, so no personal data travels to the rail. */
export const treasuryAccountOf = (fundId: string): string => `treasury:${fundId}`;

/**
 * One decision on a fund and a project, appended to both streams in one transaction: the fund at
 * the version just read (so two projects can never spend the same yuan), the project at the version
 * its workflow holds. A fund conflict is retried by the command handler with fresh state; a refusal
 * is returned, not thrown, so the workflow can hand the caller the domain's code.
 */
const twoStreamStep = async (
  db: Kysely<Database>,
  ctx: FundStepContext,
  fundId: string,
  decideBoth: (p: Folded<ProjectState>, f: Folded<fund.FundState>) => TwoStreamDecision,
  opts: Pick<PairOptions, 'decideOnKept'> = {},
): Promise<FundStepResult> => {
  const { log } = Context.current();
  const origin = workflowOrigin();
  const meta = (countyId: CountyId | null) =>
    eventMetadata({ actor: ctx.actor, countyId, correlationId: ctx.correlationId, causationId: ctx.causationId, temporal: origin, at: ctx.now });
  const fStream = fundStream(fundId);
  const pStream = projectStream(ctx.projectId);
  try {
    const r = await handleCommandOnTwoStreams(
      db,
      { streamId: fStream, fold: fundKept, eventId: stepEventId(origin, `${ctx.step}:fund`), metadata: (f) => meta(fundCountyOf(f) ?? ctx.countyId) },
      { streamId: pStream, fold: projectKept, eventId: stepEventId(origin, ctx.step), metadata: () => meta(ctx.countyId), heldVersion: ctx.projectVersion },
      (f, p) => {
        const d = decideBoth(p, f);
        return d.ok ? { ok: true, events: [d.fundEvents, d.projectEvents] } : d;
      },
      opts,
    );
    if (!r.ok) {
      log.info('fund step refused', { step: ctx.step, streamId: fStream, correlationId: ctx.correlationId, code: r.error.code });
      return { ok: false, error: r.error };
    }
    const [, mine] = r.appended;
    if (!r.duplicate) {
      log.info('fund step appended', {
        step: ctx.step,
        streamId: fStream,
        projectStreamId: pStream,
        correlationId: ctx.correlationId,
        attempt: r.attempt,
        fundVersion: r.streamVersions[0],
        positions: [...r.appended[0], ...mine].map((e) => e.position),
      });
    }
    return { ok: true, projectEvents: [...r.events[1]], streamVersion: r.streamVersions[1], positions: mine.map((e) => e.position), duplicate: r.duplicate };
  } catch (e) {
    // Still contended after every attempt: let Temporal retry the activity later rather than fail the
    // step — after a confirmed payment the record must land, and a new request would pay again.
    if (e instanceof ExpectedVersionConflictError && e.streamId === fStream) throw ApplicationFailure.retryable(e.message, 'FUND_CONTENDED', e.details);
    throw asFailure(e);
  }
};

const decideWith = (policies?: Partial<ProjectPolicies>) => makeDecide({ ...PLAN_POLICIES, ...policies });

export const createFundActivities = ({ db, actors }: FundActivityDeps) => {
  /** A refusal when who acts is not proved, as the decisions here return theirs. */
  const unproved = async (ctx: FundStepContext): Promise<{ ok: false; error: DomainError } | undefined> => {
    const error = await unprovedClaim(actors, ctx);
    return error ? { ok: false, error } : undefined;
  };
  return {
    /** Integrated funding: one fund's share of the project's budget, set aside on both streams. */
    async allocateFunding(input: AllocateFundingInput): Promise<FundStepResult> {
      const refused = await unproved(input);
      if (refused) return refused;
      const meta = { actor: input.actor, now: input.now };
      return twoStreamStep(db, input, input.fundId, (p, f) =>
        decideAllocation(
          { projectId: input.projectId, fundId: input.fundId, allocationId: input.allocationId, amount: input.amount },
          p.state,
          f.state,
          meta,
          decideWith(input.policies),
        ),
      );
    },

    /** Before the rail is asked to pay: both books must agree, on fresh state. Reads only. */
    async checkPayment(input: RecordPaymentInput): Promise<PaymentCheck> {
      const refused = await unproved(input);
      if (refused) return refused;
      const [p, f] = await Promise.all([foldStream(db, projectStream(input.projectId), projectKept), foldStream(db, fundStream(input.request.fundId), fundKept)]);
      const d = decidePayment(input.request, p.state, f.state, { actor: input.actor, now: input.now }, decideWith(input.policies));
      return d.ok ? { ok: true, fromAccount: treasuryAccountOf(input.request.fundId), projectVersion: p.version } : { ok: false, error: d.error, projectVersion: p.version };
    },

    /**
     * After the rail has confirmed: the fund's disbursement and the project's payment, in one
     * transaction. The payment id is the rail's idempotency key and part of both events. A fund
     * frozen between the check and now still records it (`railConfirmed`): the money has left. Who
     * acts was proved by checkPayment before the rail was asked: once money moved, the record goes in.
     * `afterCheck`: checkPayment read both streams in this process just before (a payment's one
     * activity), so the record decides on the states it kept and reads only if the append is refused.
     */
    async recordPayment(input: RecordPaymentInput, afterCheck = false): Promise<FundStepResult> {
      const meta = { actor: input.actor, now: input.now };
      const confirmed = { ...input.request, railConfirmed: true as const };
      return twoStreamStep(db, input, input.request.fundId, (p, f) => decidePayment(confirmed, p.state, f.state, meta, decideWith(input.policies)), { decideOnKept: afterCheck });
    },

    /**
     * The compensation of a cancellation: each fund takes back what its allocation has not paid.
     * Each fund is its own append (funds are independent); one that refuses is reported and the
     * others still go ahead. Paid money is never touched.
     */
    async releaseAllocations(input: ReleaseAllocationsInput): Promise<ReleaseOutcome[]> {
      const { log } = Context.current();
      const origin = workflowOrigin();
      const commands = releaseCommands(input.cancelled, { actor: input.actor, now: input.now });
      const outcomes: ReleaseOutcome[] = [];
      for (const c of commands) {
        const stream = fundStream(c.data.fundId);
        const base = { fundId: c.data.fundId, allocationId: c.data.allocationId, amount: (c.data.amount ?? 0) as Fen };
        try {
          const r = await handleCommand(db, stream, fundKept, c, {
            eventId: stepEventId(origin, `${input.step}:release:${c.data.allocationId}`),
            metadata: (f) =>
              eventMetadata({
                actor: input.actor,
                countyId: fundCountyOf(f) ?? input.countyId,
                correlationId: input.correlationId,
                causationId: input.causationId,
                temporal: origin,
                at: input.now,
              }),
          });
          const outcome: ReleaseOutcome = r.ok ? { ...base, released: true, position: r.appended[0]?.position } : { ...base, released: false, error: r.error };
          if (outcome.error) log.error('allocation not released', { streamId: stream, correlationId: input.correlationId, code: outcome.error.code });
          outcomes.push(outcome);
        } catch (e) {
          throw asFailure(e);
        }
      }
      log.info('allocations released', { correlationId: input.correlationId, released: outcomes.filter((o) => o.released).length, of: outcomes.length });
      return outcomes;
    },
  };
};

export type FundActivities = ReturnType<typeof createFundActivities>;
