import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { jetstream, jetstreamManager, DeliverPolicy } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Database } from '../../infra/database';
import { readStream, streamId } from '../../infra/eventstore';
import { projectStatusQuery, projectWorkflowId } from '../../workflows/project-lifecycle.messages';
import { CliError } from '../args';

export interface RecordedProposal {
  readonly eventId: string;
  readonly position: number;
  readonly streamVersion: number;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the workflow has recorded the proposal, then reads it back from the store itself. */
export const waitForProposal = async (client: Client, db: Kysely<Database>, projectId: string, timeoutMs = 60_000): Promise<RecordedProposal> => {
  const handle = client.workflow.getHandle(projectWorkflowId(projectId));
  const deadline = Date.now() + timeoutMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
    const s = await handle.query(projectStatusQuery);
    if (s.lastPosition !== undefined) break;
    if (Date.now() > deadline)
      throw new CliError('PROPOSAL_NOT_RECORDED', `the workflow has not recorded the proposal within ${timeoutMs / 1000} s: is a worker running (npm run worker)?`);
    await pause(delay);
  }
  const [first] = await readStream(db, streamId('project', projectId), { limit: 1 });
  if (!first) throw new CliError('PROPOSAL_NOT_RECORDED', `the workflow reports the proposal recorded but stream project-${projectId} is empty`);
  return { eventId: first.eventId, position: first.position, streamVersion: first.streamVersion };
};

/**
 * Finds the JetStream message that carries an event (its Nats-Msg-Id is the event id), waiting for
 * the relay to publish it. Scans the event's subject with an ordered consumer: fine for showing
 * one event's path, not a query to run at scale.
 */
export const waitForNatsMessage = async (nc: NatsConnection, stream: string, subject: string, eventId: string, timeoutMs = 30_000): Promise<number> => {
  const deadline = Date.now() + timeoutMs;
  const jsm = await jetstreamManager(nc);
  for (;;) {
    const info = await jsm.streams.info(stream, { subjects_filter: subject });
    if ((info.state.subjects?.[subject] ?? 0) > 0) {
      const consumer = await jetstream(nc).consumers.get(stream, { filter_subjects: subject, deliver_policy: DeliverPolicy.All });
      const msgs = await consumer.fetch({ max_messages: 10_000, expires: 2000 });
      let found: number | undefined;
      for await (const m of msgs) {
        if (m.headers?.get('Nats-Msg-Id') === eventId) found = m.seq;
        if (found !== undefined || m.info.pending === 0) break;
      }
      await consumer.delete().catch(() => undefined);
      if (found !== undefined) return found;
    }
    if (Date.now() > deadline)
      throw new CliError('EVENT_NOT_RELAYED', `event ${eventId} has not reached JetStream stream ${stream} within ${timeoutMs / 1000} s: is the relay running?`);
    await pause(250);
  }
};

export interface SummaryRow {
  readonly stage: string;
  readonly budgetFen: number;
  readonly lastEventPosition: number;
}

/** Waits until the project_summary read model has caught up with an event at `position`. */
export const waitForSummary = async (db: Kysely<Database>, projectId: string, position: number, timeoutMs = 30_000): Promise<SummaryRow> => {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 500)) {
    const row = await db.selectFrom('project_summary').selectAll().where('project_id', '=', projectId).executeTakeFirst();
    if (row && Number(row.last_event_position) >= position) {
      return { stage: row.stage, budgetFen: Number(row.budget_fen), lastEventPosition: Number(row.last_event_position) };
    }
    if (Date.now() > deadline)
      throw new CliError('READ_MODEL_BEHIND', `project_summary has not shown ${projectId} at position ${position} within ${timeoutMs / 1000} s: are the projectors running?`);
    await pause(delay);
  }
};
