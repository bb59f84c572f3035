import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../infra/database';
import type { Actor } from '../domain/shared/actor';
import { householdDecider, makeDecide, DEFAULT_HOUSEHOLD_RULES, type HouseholdCommand, type HouseholdRules } from '../domain/household';
import type { MemberRemovalReason, RemovalReason } from '../domain/household/removal';
import { eventIdFor, eventMetadata, handleCommand, streamId } from '../infra/eventstore';
import { memberKey } from '../infra/personal-data/keys';
import { UpdateRefused } from './errors';

/**
 * 动态调整 through the API and the CLI: a household's removal from the register (proposed by the
 * village with its reason and record, posted for notice by the township, decided and announced by
 * the county after it) and a member's removal, each one command on the household's stream. A
 * refusal is the decider's, in zh and en, and writes nothing.
 */
export type RemovalStep =
  | { readonly type: 'ProposeRemoval'; readonly year: number; readonly reason: RemovalReason; readonly recordRef: string }
  | { readonly type: 'PostRemovalNotice'; readonly noticeSeconds: number }
  | { readonly type: 'DecideRemoval'; readonly approved: boolean; readonly note: string }
  | { readonly type: 'RemoveMember'; readonly year: number; readonly idNumber: string; readonly reason: MemberRemovalReason; readonly recordRef: string };

export interface RemovalOutcome {
  readonly householdId: string;
  /** The household's status after the step (`removed` once the county announced). */
  readonly status: string;
  readonly events: readonly string[];
  readonly positions: readonly number[];
  /** The same request had been taken: nothing new was written. */
  readonly repeated: boolean;
}

export const applyRemovalStep = async (
  db: Kysely<Database>,
  householdId: string,
  step: RemovalStep,
  ctx: { actor: Actor; salt: string; minNoticeSeconds: number; requestId?: string; now?: string },
): Promise<RemovalOutcome> => {
  const now = ctx.now ?? new Date().toISOString();
  const rules: HouseholdRules = { ...DEFAULT_HOUSEHOLD_RULES, removalNoticeMinSeconds: ctx.minNoticeSeconds };
  const data = ((): Record<string, unknown> => {
    switch (step.type) {
      case 'PostRemovalNotice':
        return { endsAt: new Date(Date.parse(now) + step.noticeSeconds * 1000).toISOString() };
      case 'RemoveMember': {
        const idNumber = step.idNumber.trim().toUpperCase();
        return { year: step.year, idNumber, memberKey: memberKey(idNumber, ctx.salt), reason: step.reason, recordRef: step.recordRef };
      }
      default: {
        const { type: _type, ...rest } = step;
        return rest;
      }
    }
  })();
  const command = { type: step.type, data: { ...data, householdId }, meta: { actor: ctx.actor, now } } as HouseholdCommand;
  // The request id (or, without one, this very request) names the events: the same request again writes nothing.
  const key = createHash('sha256')
    .update(JSON.stringify([householdId, step.type, ctx.actor.userId, ctx.requestId ?? [data, now]]))
    .digest('hex')
    .slice(0, 24);
  const origin = `removal-${key}`;
  const r = await handleCommand(db, streamId('household', householdId), { ...householdDecider, decide: makeDecide(rules) }, command, {
    eventId: (i) => eventIdFor(origin, step.type, i),
    metadata: (s) => eventMetadata({ actor: ctx.actor, countyId: s.status === 'unregistered' ? null : s.file.countyId, correlationId: origin, at: now }),
  });
  if (!r.ok) throw new UpdateRefused(r.error);
  return { householdId, status: r.state.status, events: r.events.map((e) => e.type), positions: r.appended.map((a) => a.position), repeated: r.duplicate };
};
