import type { Kysely } from 'kysely';
import type { Database } from '../infra/database';
import { aggregateStream, eventMetadata, handleCommand, keepStates, streamId, type Aggregate } from '../infra/eventstore';
import type { DomainError } from '../domain/shared/errors';
import { fundDecider, type FundCommand, type FundState } from '../domain/fund';
import { projectDecider, type ProjectState } from '../domain/project';

export const fundStream = (fundId: string): string => streamId('fund', fundId);

/** The fund's decider, its states kept between commands: a county fund pays thousands, and each payment reads only what came since the last (issue 18, hot funds). */
export const fundKept = keepStates(fundDecider);
export const projectStream = (projectId: string): string => streamId('project', projectId);
/**
 * The project's decider, its states kept between a worker's fund commands: a payment's check and
 * record each read only the project events since the kept version, where they read and folded the
 * whole stream (issue 18: a payment's time grew with the project's history). Projects in flight at
 * once in one worker (the simulation's lanes) stay within the bound; one evicted reads whole again.
 */
export const projectKept = keepStates(projectDecider, 2_048);

export const loadFund = (db: Kysely<Database>, fundId: string): Promise<Aggregate<FundState>> => aggregateStream(db, fundStream(fundId), fundDecider);
export const loadProject = (db: Kysely<Database>, projectId: string): Promise<Aggregate<ProjectState>> => aggregateStream(db, projectStream(projectId), projectDecider);

/** The county a fund's events belong to: the fund's own, or the appropriation's for a fund not yet on the books. */
export const fundCountyOf = (state: FundState, command?: FundCommand) =>
  state.status !== 'none' ? state.countyId : command?.type === 'AppropriateFund' ? command.data.countyId : null;

export type FundDecisionResult =
  | {
      readonly ok: true;
      readonly eventId: string;
      readonly type: string;
      readonly position: number;
      readonly streamVersion: number;
      readonly duplicate: boolean;
      readonly attempt: number;
      /** A duplicate's stored data: the caller checks the repeat asked for the same thing. */
      readonly earlierData?: unknown;
    }
  | { readonly ok: false; readonly error: DomainError };

/**
 * One decision on a fund's stream outside any project (appropriating, freezing, returning), recorded
 * under `eventId`; a conflict with a project drawing on the fund reads and decides again. An event id
 * already on the stream is the answer.
 */
export const decideOnFund = async (db: Kysely<Database>, command: FundCommand, eventId: string, correlationId: string): Promise<FundDecisionResult> => {
  const r = await handleCommand(db, fundStream(command.data.fundId), fundKept, command, {
    eventId: () => eventId,
    metadata: (state) => eventMetadata({ actor: command.meta.actor, countyId: fundCountyOf(state, command), correlationId, at: command.meta.now }),
  });
  if (!r.ok) return { ok: false, error: r.error };
  const [first] = r.appended;
  return {
    ok: true,
    eventId,
    type: r.events[0]!.type,
    position: first!.position,
    streamVersion: first!.streamVersion,
    duplicate: r.duplicate,
    attempt: r.attempt,
    ...(r.duplicate ? { earlierData: r.events[0]?.data } : {}),
  };
};
