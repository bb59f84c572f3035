import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Kysely } from 'kysely';
import type { Database } from '../infra/database';
import { appendToStream, appendToStreams, EventStoreError, ExpectedVersionConflictError, type NewEvent, type StoredEvent } from '../infra/eventstore';
import type { EventMetadata } from '../infra/eventstore/metadata';
import type { Actor } from '../domain/shared/actor';
import type { DomainError } from '../domain/shared/errors';
import type { Fen } from '../domain/shared/money';
import type { CountyId } from '../domain/reference/counties';
import * as fund from '../domain/fund';
import { makeDecide, PLAN_POLICIES, type ProjectEvent, type ProjectEventOf, type ProjectPolicies } from '../domain/project';
import { decideAllocation, decidePayment, releaseCommands, type PaymentRequest } from '../domain/payment';
import { eventIdFor } from './event-id';
import { fundStream, loadFund, loadProject, projectStream, retryOnConflict } from './fund-streams';

/** Who, when and why, as the workflow knows it: the activity stamps nothing of its own. */
export interface FundStepContext {
  readonly projectId: string;
  readonly countyId: CountyId;
  /** The workflow's step name; with the workflow id it fixes every event id, so a retry appends nothing new. */
  readonly step: string;
  readonly actor: Actor;
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
}

/** A fund's account at the treasury: its id, so no personal data travels to the rail. */
export const treasuryAccountOf = (fundId: string): string => `treasury:${fundId}`;

const workflowOf = () => {
  const { info } = Context.current();
  const wf = info.workflowExecution;
  if (!wf) throw ApplicationFailure.create({ type: 'NotInWorkflow', message: 'fund activities run only inside a workflow', nonRetryable: true });
  return { workflowId: wf.workflowId, runId: wf.runId, activityId: info.activityId };
};

const metadataFor = (ctx: Omit<FundStepContext, 'projectVersion'>, countyId: CountyId): EventMetadata => {
  const t = workflowOf();
  return {
    actor: ctx.actor,
    countyId,
    correlationId: ctx.correlationId,
    causationId: ctx.causationId,
    temporal: t,
    businessDate: ctx.now.slice(0, 10),
  };
};

const toNew = (events: readonly { type: string; data: unknown }[], step: string, meta: EventMetadata): NewEvent[] =>
  events.map((e, i) => ({ eventId: eventIdFor(meta.temporal!.workflowId, step, i), type: e.type, data: e.data, metadata: meta }));

/** The project events this step already stored (a retried activity whose first attempt committed). */
const alreadyStored = (events: readonly StoredEvent[], workflowId: string, step: string): StoredEvent[] | undefined => {
  const first = eventIdFor(workflowId, step, 0);
  const start = events.findIndex((e) => e.eventId === first);
  if (start < 0) return undefined;
  const mine: StoredEvent[] = [];
  for (let i = 0; start + i < events.length && events[start + i]!.eventId === eventIdFor(workflowId, step, i); i++) mine.push(events[start + i]!);
  return mine;
};

const replayed = (stored: StoredEvent[], version: number): FundStepResult => ({
  ok: true,
  projectEvents: stored.map((e) => ({ type: e.type, data: e.data }) as ProjectEvent),
  streamVersion: stored.at(-1)?.streamVersion ?? version,
  positions: stored.map((e) => e.position),
  duplicate: true,
});

/** Store errors other than a fund conflict are bad input or a second writer: retrying cannot help. */
const asFailure = (e: unknown): unknown => {
  if (e instanceof ExpectedVersionConflictError)
    return ApplicationFailure.create({ type: e.code, message: e.message, nonRetryable: true, details: [e.details] });
  if (e instanceof EventStoreError)
    return ApplicationFailure.create({ type: 'EventStoreInvalid', message: `${e.code}: ${e.message}`, nonRetryable: true, details: [{ code: e.code, field: e.field }] });
  return e;
};

/**
 * One decision on a fund and a project, appended to both streams in one transaction: the fund at
 * the version just read (so two projects can never spend the same yuan), the project at the version
 * its workflow holds. A fund conflict is retried here with fresh state; a refusal is returned, not
 * thrown, so the workflow can hand the caller the domain's code.
 */
const twoStreamStep = async (
  db: Kysely<Database>,
  ctx: FundStepContext,
  fundId: string,
  decideBoth: (p: Awaited<ReturnType<typeof loadProject>>, f: Awaited<ReturnType<typeof loadFund>>) => ReturnType<typeof decidePayment>,
): Promise<FundStepResult> => {
  const { log } = Context.current();
  const { workflowId } = workflowOf();
  const fStream = fundStream(fundId);
  const pStream = projectStream(ctx.projectId);
  try {
    return await retryOnConflict(fStream, async (attempt) => {
      const [p, f] = await Promise.all([loadProject(db, ctx.projectId), loadFund(db, fundId)]);
      const earlier = alreadyStored(p.events, workflowId, ctx.step);
      if (earlier) return replayed(earlier, p.version);
      if (p.version !== ctx.projectVersion)
        throw new ExpectedVersionConflictError(pStream, String(ctx.projectVersion), p.version);
      const d = decideBoth(p, f);
      if (!d.ok) {
        log.info('fund step refused', { step: ctx.step, streamId: fStream, correlationId: ctx.correlationId, code: d.error.code });
        return { ok: false, error: d.error };
      }
      const fundCounty = f.state.status === 'none' ? ctx.countyId : f.state.countyId;
      const r = await appendToStreams(db, [
        { streamId: fStream, expectedVersion: f.version, events: toNew(d.fundEvents, `${ctx.step}:fund`, metadataFor(ctx, fundCounty)) },
        { streamId: pStream, expectedVersion: ctx.projectVersion, events: toNew(d.projectEvents, ctx.step, metadataFor(ctx, ctx.countyId)) },
      ]);
      const mine = r.events.filter((e) => e.streamId === pStream);
      log.info('fund step appended', {
        step: ctx.step,
        streamId: fStream,
        projectStreamId: pStream,
        correlationId: ctx.correlationId,
        attempt,
        fundVersion: r.streamVersions[fStream],
        positions: r.events.map((e) => e.position),
      });
      return { ok: true, projectEvents: d.projectEvents, streamVersion: r.streamVersions[pStream] ?? ctx.projectVersion, positions: mine.map((e) => e.position), duplicate: r.duplicate };
    });
  } catch (e) {
    // Still contended after every attempt: let Temporal retry the activity later rather than fail the
    // step — after a confirmed payment the record must land, and a new request would pay again.
    if (e instanceof ExpectedVersionConflictError && e.streamId === fStream) throw ApplicationFailure.retryable(e.message, 'FUND_CONTENDED', e.details);
    throw asFailure(e);
  }
};

const decideWith = (policies?: Partial<ProjectPolicies>) => makeDecide({ ...PLAN_POLICIES, ...policies });

export const createFundActivities = ({ db }: FundActivityDeps) => ({
  /** Integrated funding: one fund's share of the project's budget, set aside on both streams. */
  async allocateFunding(input: AllocateFundingInput): Promise<FundStepResult> {
    const meta = { actor: input.actor, now: input.now };
    return twoStreamStep(db, input, input.fundId, (p, f) =>
      decideAllocation({ projectId: input.projectId, fundId: input.fundId, allocationId: input.allocationId, amount: input.amount }, p.state, f.state, meta, decideWith(input.policies)),
    );
  },

  /** Before the rail is asked to pay: both books must agree, on fresh state. Reads only. */
  async checkPayment(input: RecordPaymentInput): Promise<PaymentCheck> {
    const [p, f] = await Promise.all([loadProject(db, input.projectId), loadFund(db, input.request.fundId)]);
    const d = decidePayment(input.request, p.state, f.state, { actor: input.actor, now: input.now }, decideWith(input.policies));
    return d.ok ? { ok: true, fromAccount: treasuryAccountOf(input.request.fundId) } : { ok: false, error: d.error };
  },

  /**
   * After the rail has confirmed: the fund's disbursement and the project's payment, in one
   * transaction. The payment id is the rail's idempotency key and part of both events.
   */
  async recordPayment(input: RecordPaymentInput): Promise<FundStepResult> {
    const meta = { actor: input.actor, now: input.now };
    return twoStreamStep(db, input, input.request.fundId, (p, f) => decidePayment(input.request, p.state, f.state, meta, decideWith(input.policies)));
  },

  /**
   * The compensation of a cancellation: each fund takes back what its allocation has not paid.
   * Each fund is its own append (funds are independent); one that refuses is reported and the
   * others still go ahead. Paid money is never touched.
   */
  async releaseAllocations(input: ReleaseAllocationsInput): Promise<ReleaseOutcome[]> {
    const { log } = Context.current();
    const { workflowId } = workflowOf();
    const commands = releaseCommands(input.cancelled, { actor: input.actor, now: input.now });
    const outcomes: ReleaseOutcome[] = [];
    for (const c of commands) {
      const stream = fundStream(c.data.fundId);
      const step = `${input.step}:release:${c.data.allocationId}`;
      const eventId = eventIdFor(workflowId, step, 0);
      const base = { fundId: c.data.fundId, allocationId: c.data.allocationId, amount: (c.data.amount ?? 0) as Fen };
      try {
        const outcome = await retryOnConflict(stream, async (): Promise<ReleaseOutcome> => {
          const f = await loadFund(db, c.data.fundId);
          const earlier = f.events.find((e) => e.eventId === eventId);
          if (earlier) return { ...base, released: true, position: earlier.position };
          const d = fund.decide(c, f.state);
          if (!d.ok) return { ...base, released: false, error: d.error };
          const county = f.state.status === 'none' ? input.countyId : f.state.countyId;
          const r = await appendToStream(db, stream, f.version, toNew(d.events, step, metadataFor(input, county)));
          return { ...base, released: true, position: r.events[0]?.position };
        });
        if (outcome.error) log.error('allocation not released', { streamId: stream, correlationId: input.correlationId, code: outcome.error.code });
        outcomes.push(outcome);
      } catch (e) {
        throw asFailure(e);
      }
    }
    log.info('allocations released', { correlationId: input.correlationId, released: outcomes.filter((o) => o.released).length, of: outcomes.length });
    return outcomes;
  },
});

export type FundActivities = ReturnType<typeof createFundActivities>;
