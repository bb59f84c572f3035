import type { Kysely } from 'kysely';
import type { Database } from '../infra/database';
import type { Actor } from '../domain/shared/actor';
import { offeredPayments, offeredSteps, type ExistingProject, type OfferedPayment, type OfferedStep } from '../domain/project';
import { loadProject } from '../activities/fund-streams';

/**
 * A project's file as its stream folds (the decider's own state: 四议两公开 record, notice and
 * objections, allocations by fund and source, contract, milestones, payments by kind, findings),
 * each milestone kind's room under the payment template, and what the asking person may do to it
 * now: the steps the decider's rules offer them. A screen shows these and offers nothing else.
 */
export interface ProjectFile {
  readonly projectId: string;
  readonly streamVersion: number;
  readonly file: ExistingProject;
  readonly offered: { readonly steps: readonly OfferedStep[] };
  /** Each milestone kind's room under the payment template now (capFen, paidFen, roomFen), or why it may not pay: for everyone who reads the file. */
  readonly payments: readonly OfferedPayment[];
  /** The instant the offer was computed at (the notice and the warranty depend on it). */
  readonly asOf: string;
}

/** Null when the project has no events. */
export const projectFile = async (db: Kysely<Database>, projectId: string, actor: Actor, now: Date = new Date()): Promise<ProjectFile | null> => {
  const { state, version } = await loadProject(db, projectId);
  if (state.status === 'none') return null;
  const asOf = now.toISOString();
  return { projectId, streamVersion: version, file: state, offered: { steps: offeredSteps(actor, state) }, payments: offeredPayments(state, asOf), asOf };
};
