import { unprovedClaim, type ActorAssertions, type ActorClaim } from '../infra/tokens/actor-assertion';
import type { Kysely } from 'kysely';
import type { Database } from '../infra/database';
import { aggregateStream, eventMetadata, handleCommand, readStream, streamId, type Handled } from '../infra/eventstore';
import type { Actor } from '../domain/shared/actor';
import type { CountyId } from '../domain/reference/counties';
import type { Decider } from '../domain/shared/decider';
import type { DomainError } from '../domain/shared/errors';
import { registryViewOf, type BenefitRoundEventOf } from '../domain/benefit';
import {
  decideComplaint,
  evolveComplaint,
  initialComplaint,
  type ComplaintCommand,
  type ComplaintEvent,
  type ComplaintRules,
  type ComplaintState,
  type ComplaintSubject,
  type SubjectView,
} from '../domain/complaint';
import { asFailure, stepEventId, workflowOrigin } from './temporal-context';

export const complaintStream = (complaintId: string): string => streamId('complaint', complaintId);

/** Round events whose author decided on the round (the system's own acts are nobody's). */
const ROUND_DECISIONS = new Set([
  'BenefitRoundDrafted',
  'BenefitNoticePosted',
  'BenefitLineRemoved',
  'BenefitLineAdded',
  'BenefitRoundReviewed',
  'BenefitRoundApproved',
  'BenefitDisbursementStarted',
]);

/**
 * What a complaint's subject is in the store: its county, the household and payment it resolves
 * to, and who decided on the round (they may not answer about it). Null when there is no such
 * round, payment in it, or registered household.
 */
export const complaintSubjectView = async (db: Kysely<Database>, subject: ComplaintSubject): Promise<SubjectView | null> => {
  if (subject.kind === 'household') {
    const view = registryViewOf((await readStream(db, streamId('household', subject.householdId))).map((e) => ({ type: e.type, data: e.data })));
    return view ? { countyId: view.countyId as CountyId, roundId: null, paymentId: null, householdId: subject.householdId, involved: [] } : null;
  }
  const events = await readStream(db, streamId('benefit', subject.roundId), { limit: 1_000_000 });
  const header = events.find((e) => e.type === 'BenefitRoundDrafted')?.data as BenefitRoundEventOf<'BenefitRoundDrafted'>['data'] | undefined;
  if (!header) return null;
  const involved = [...new Set(events.filter((e) => ROUND_DECISIONS.has(e.type)).map((e) => (e.data as { by: string }).by))].filter((u) => !u.startsWith('system.'));
  const base = { countyId: header.countyId as CountyId, roundId: subject.roundId, involved };
  if (subject.kind === 'round') return { ...base, paymentId: null, householdId: null };
  for (const e of events) {
    if (e.type !== 'BenefitPaymentsRecorded') continue;
    const p = (e.data as BenefitRoundEventOf<'BenefitPaymentsRecorded'>['data']).payments.find((x) => x.paymentId === subject.paymentId);
    if (p) return { ...base, paymentId: p.paymentId, householdId: p.householdId };
  }
  return null;
};

export const complaintDecider = (view: SubjectView | null, rules: ComplaintRules): Decider<ComplaintCommand, ComplaintEvent, ComplaintState> => ({
  decide: (c, s) => decideComplaint(c, view, s, rules),
  evolve: evolveComplaint,
  initialState: initialComplaint,
});

/** The complaint's state, folded from its stream. */
export const loadComplaint = async (db: Kysely<Database>, complaintId: string): Promise<ComplaintState> =>
  (await aggregateStream(db, complaintStream(complaintId), complaintDecider(null, { answerSeconds: 0, escalationSeconds: 0 }))).state;

/** Decides one command on the complaint's stream against its subject as the store has it now. */
export const applyComplaint = async (
  db: Kysely<Database>,
  complaintId: string,
  command: ComplaintCommand,
  rules: ComplaintRules,
  ids: {
    readonly eventId: (i: number) => string;
    readonly countyId: CountyId;
    readonly correlationId: string;
    readonly causationId?: string;
    readonly temporal?: ReturnType<typeof workflowOrigin>;
  },
): Promise<Handled<ComplaintState, ComplaintEvent>> => {
  // Filing resolves the subject it names; a later step, the subject the complaint was filed about.
  const filed = command.type === 'FileComplaint' ? null : await loadComplaint(db, complaintId);
  const subject = command.type === 'FileComplaint' ? command.data.subject : filed && filed.status !== 'none' ? filed.subject : undefined;
  const view = subject ? await complaintSubjectView(db, subject) : null;
  return handleCommand(db, complaintStream(complaintId), complaintDecider(view, rules), command, {
    eventId: ids.eventId,
    metadata: () =>
      eventMetadata({
        actor: command.meta.actor,
        countyId: ids.countyId,
        correlationId: ids.correlationId,
        ...(ids.causationId ? { causationId: ids.causationId } : {}),
        ...(ids.temporal ? { temporal: ids.temporal } : {}),
        at: command.meta.now,
      }),
  });
};

export interface ComplaintStepInput extends ActorClaim {
  readonly complaintId: string;
  readonly countyId: CountyId;
  readonly step: string;
  readonly actor: Actor;
  readonly now: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly rules: ComplaintRules;
  readonly command:
    | { readonly type: 'EscalateComplaint'; readonly data: { level: 'county' | 'city' } }
    | { readonly type: 'AnswerComplaint'; readonly data: { finding: 'upheld' | 'partly-upheld' | 'not-upheld'; answer: string } };
}

export type ComplaintStepResult = { readonly ok: true; readonly answerBy: string | null } | { readonly ok: false; readonly error: DomainError };

export const createComplaintActivities = ({ db, actors }: { readonly db: Kysely<Database>; readonly actors: ActorAssertions }) => ({
  /**
   * A step of the complaint's workflow (an escalation when the answer is late, the answer), event ids
   * from the workflow and step. Who answers is proved first (ACTOR_ASSERTION_*): nothing is recorded otherwise.
   */
  async complaintStep(input: ComplaintStepInput): Promise<ComplaintStepResult> {
    const unproved = await unprovedClaim(actors, input);
    if (unproved) return { ok: false, error: unproved };
    const o = workflowOrigin();
    try {
      const r = await applyComplaint(db, input.complaintId, { ...input.command, meta: { actor: input.actor, now: input.now } } as ComplaintCommand, input.rules, {
        eventId: stepEventId(o, input.step),
        countyId: input.countyId,
        correlationId: input.correlationId,
        causationId: input.causationId,
        temporal: o,
      });
      if (!r.ok) return { ok: false, error: r.error };
      return { ok: true, answerBy: r.state.status === 'open' ? r.state.answerBy : null };
    } catch (e) {
      throw asFailure(e);
    }
  },
});
export type ComplaintActivities = ReturnType<typeof createComplaintActivities>;
