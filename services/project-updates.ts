import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Kysely } from 'kysely';
import type { Database } from '../infra/database';
import { domainError, isDomainError, type DomainError } from '../domain/shared/errors';
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
import { recordRefusal, type RefusedCommand } from './refusal-record';

/** The workflow refused an Update: the domain's (or the rail's) refusal, for the CLI and the API to present. */
export class UpdateRefused extends Error {
  /**
   * The failure's own code: the refusal's, or the process's when it wraps a rule (a payment the
   * rail confirmed and the books refused is PAYMENT_CONFIRMED_NOT_RECORDED over the books' rule).
   */
  readonly failureCode: string;
  constructor(
    readonly refusal: DomainError,
    failureCode?: string,
  ) {
    super(refusal.en);
    this.failureCode = failureCode ?? refusal.code;
    this.name = 'UpdateRefused';
  }
}

const refusalOf = (e: unknown): unknown => {
  if (e instanceof WorkflowUpdateFailedError && e.cause instanceof ApplicationFailure) {
    const detail = e.cause.details?.[0];
    if (isDomainError(detail)) return new UpdateRefused(detail, e.cause.type ?? detail.code);
    return new UpdateRefused(domainError(e.cause.type ?? 'STEP_FAILED', e.cause.message, e.cause.message));
  }
  return e;
};

/** The request id becomes the Update id: the workflow answers a repeated one instead of applying it twice. */
const withId = (requestId: string | undefined) => (requestId ? { updateId: requestId } : {});

/**
 * A refusal reaches the caller unchanged; with a database it is first recorded (CommandRefused),
 * which never fails the answer (recordRefusal logs and returns).
 */
const refused =
  (db: Kysely<Database> | undefined, command: RefusedCommand) =>
  async (e: unknown): Promise<never> => {
    const r = refusalOf(e);
    if (db && r instanceof UpdateRefused) await recordRefusal(db, command, r.failureCode, r.refusal);
    throw r;
  };

const idOf = (requestId: string | undefined) => (requestId !== undefined ? { requestId } : {});

/** `db` records refusals; the API and the CLI pass it, so an attempt the rules refused is on the record. */
export const sendStep = (client: Client, projectId: string, request: ProjectStepRequest, requestId?: string, db?: Kysely<Database>): Promise<ProjectStepOutcome> =>
  client.workflow
    .getHandle(projectWorkflowId(projectId))
    .executeUpdate(projectStepUpdate, { args: [request], ...withId(requestId) })
    .catch(refused(db, { commandType: request.type, projectId, actor: request.actor, ...idOf(requestId) }));

export const sendFundingUpdate = (client: Client, projectId: string, request: ProjectFundRequest, requestId?: string, db?: Kysely<Database>): Promise<ProjectFundOutcome> =>
  client.workflow
    .getHandle(projectWorkflowId(projectId))
    .executeUpdate(projectFundUpdate, { args: [request], ...withId(requestId) })
    .catch(refused(db, { commandType: 'RecordFunding', projectId, fundId: request.fundId, amount: request.amount, actor: request.actor, ...idOf(requestId) }));

export const sendPaymentUpdate = (client: Client, projectId: string, request: ProjectPayRequest, requestId?: string, db?: Kysely<Database>): Promise<ProjectPayOutcome> =>
  client.workflow
    .getHandle(projectWorkflowId(projectId))
    .executeUpdate(projectPayUpdate, { args: [request], ...withId(requestId) })
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
