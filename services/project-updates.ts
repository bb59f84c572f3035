import { createHash } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Database } from '../infra/database';
import {
  projectFundUpdate,
  projectPayUpdate,
  projectStepUpdate,
  projectWorkflowId,
  type ProjectFundOutcome,
  type ProjectFundRequest,
  type ProjectPayOutcome,
  type ProjectPayRequest,
  type ProjectStepOutcome,
  type ProjectStepRequest,
} from '../workflows/project-lifecycle.messages';
import { UpdateRefused, updateFailureOf } from './errors';
import { recordRefusal, type RefusedCommand } from './refusal-record';
import { canonicalJson } from '../infra/eventstore/canonical';
import { withoutAssertion } from '../workflows/request-fingerprint';

/**
 * The Update id of a request: the client's request id scoped by the user and the kind of command,
 * so two officials who both use `r-1` on one project make two requests, not one answered twice;
 * and after `/` a digest of the request, so the same request again is the same Update (answered
 * as before) while the same request id with another request is a new Update that the workflow
 * refuses (REQUEST_ID_REUSED) instead of answering with the first one's outcome. The request's actor
 * assertion is left out of the digest: a repeat with a fresh token is the same request.
 */
export const updateIdOf = (userId: string, kind: 'step' | 'funding' | 'payment' | 'exit', requestId: string, request: unknown): string =>
  `${kind}:${userId}:${requestId}/${createHash('sha256')
    .update(canonicalJson(withoutAssertion(request)))
    .digest('hex')
    .slice(0, 16)}`;
const withId = (request: { actor: { userId: string } }, kind: Parameters<typeof updateIdOf>[1], requestId: string | undefined) =>
  requestId ? { updateId: updateIdOf(request.actor.userId, kind, requestId, request) } : {};

/**
 * A refusal reaches the caller unchanged; with a database it is first recorded (CommandRefused),
 * which never fails the answer (recordRefusal logs and returns).
 */
const refused =
  (db: Kysely<Database> | undefined, command: RefusedCommand) =>
  async (e: unknown): Promise<never> => {
    const r = updateFailureOf(projectWorkflowId(command.projectId), e, 'PROJECT_NOT_FOUND');
    if (db && r instanceof UpdateRefused) await recordRefusal(db, command, r.failureCode, r.refusal);
    throw r;
  };

const idOf = (requestId: string | undefined) => (requestId !== undefined ? { requestId } : {});

/** `db` records refusals; the API and the CLI pass it, so an attempt the rules refused is on the record. */
export const sendStep = (client: Client, projectId: string, request: ProjectStepRequest, requestId?: string, db?: Kysely<Database>): Promise<ProjectStepOutcome> =>
  client.workflow
    .getHandle(projectWorkflowId(projectId))
    .executeUpdate(projectStepUpdate, { args: [request], ...withId(request, 'step', requestId) })
    .catch(refused(db, { commandType: request.type, projectId, actor: request.actor, ...idOf(requestId) }));

export const sendFundingUpdate = (client: Client, projectId: string, request: ProjectFundRequest, requestId?: string, db?: Kysely<Database>): Promise<ProjectFundOutcome> =>
  client.workflow
    .getHandle(projectWorkflowId(projectId))
    .executeUpdate(projectFundUpdate, { args: [request], ...withId(request, 'funding', requestId) })
    .catch(refused(db, { commandType: 'RecordFunding', projectId, fundId: request.fundId, amount: request.amount, actor: request.actor, ...idOf(requestId) }));

export const sendPaymentUpdate = (client: Client, projectId: string, request: ProjectPayRequest, requestId?: string, db?: Kysely<Database>): Promise<ProjectPayOutcome> =>
  client.workflow
    .getHandle(projectWorkflowId(projectId))
    .executeUpdate(projectPayUpdate, { args: [request], ...withId(request, 'payment', requestId) })
    .catch(
      refused(db, {
        commandType: 'RecordPayment',
        projectId,
        fundId: request.fundId,
        allocationId: request.allocationId,
        milestone: request.milestone,
        payee: request.payee,
        ...(request.householdId !== undefined ? { householdId: request.householdId } : {}),
        amount: request.amount,
        actor: request.actor,
        ...idOf(requestId),
      }),
    );
