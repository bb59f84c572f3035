import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../infra/database';
import { appendToStream, EventStoreError, eventMetadata, streamId } from '../infra/eventstore';
import { canonicalJson } from '../infra/eventstore/canonical';
import { isAccessRefusal, noteAccessRefusal } from './access-refusals';
import { logger } from '../infra/logger';
import { eventIdFor } from '../infra/eventstore';
import type { Actor } from '../domain/shared/actor';
import type { DomainError } from '../domain/shared/errors';
import type { Fen } from '../domain/shared/money';
import type { CommandRefusedData } from '../domain/refusal/events';
import { projectWorkflowId } from '../workflows/project-lifecycle.messages';

/** What was asked: the command, and the money it named. */
export interface RefusedCommand {
  readonly commandType: string;
  readonly projectId: string;
  readonly fundId?: string;
  readonly allocationId?: string;
  readonly milestone?: string;
  readonly payee?: string;
  readonly householdId?: string;
  readonly amount?: Fen;
  readonly actor: Actor;
  readonly requestId?: string;
}

/** A project id names its county (prj-<county>-<year>-<serial>). */
const countyOfProject = (projectId: string): string => projectId.split('-')[1]!;

export const refusalStreamOf = (countyId: string): string => streamId('refusals', countyId);

/**
 * The event id: a digest of who was refused what and why (the refusal's data without the request
 * id), so the same command refused the same way is recorded once however often it is sent, with or
 * without request ids: a repeated refusal cannot grow the store. A refusal that differs (another
 * amount, another rule, a different message because the books moved) is a new fact.
 */
export const refusalEventId = (c: RefusedCommand, data: CommandRefusedData): string => {
  const { requestId: _r, ...what } = data;
  const digest = createHash('sha256')
    .update(canonicalJson({ by: c.actor.userId, role: c.actor.role, what }))
    .digest('hex')
    .slice(0, 32);
  return eventIdFor(refusalStreamOf(data.countyId), `${c.projectId}/${c.commandType}/${digest}`);
};

/** The event's data: the command, the code it was refused with (and the rule beneath, if another), the messages. */
export const refusalData = (c: RefusedCommand, failureCode: string, refusal: DomainError): CommandRefusedData => ({
  commandType: c.commandType,
  projectId: c.projectId,
  countyId: countyOfProject(c.projectId) as CommandRefusedData['countyId'],
  ...(c.fundId !== undefined ? { fundId: c.fundId } : {}),
  ...(c.allocationId !== undefined ? { allocationId: c.allocationId } : {}),
  ...(c.milestone !== undefined ? { milestone: c.milestone } : {}),
  ...(c.payee !== undefined ? { payee: c.payee } : {}),
  ...(c.householdId !== undefined ? { householdId: c.householdId } : {}),
  ...(c.amount !== undefined ? { amount: c.amount } : {}),
  code: failureCode,
  ...(failureCode !== refusal.code ? { ruleCode: refusal.code } : {}),
  zh: refusal.zh.slice(0, 2000),
  en: refusal.en.slice(0, 2000),
  ...(c.requestId !== undefined ? { requestId: c.requestId } : {}),
});

/**
 * Appends a CommandRefused to the county's refusals stream, once per distinct refusal. An access
 * refusal is not appended: it is logged and counted (access-refusals.ts). Never throws: the
 * caller's answer is the refusal whatever happens here, so a failed append is logged with its error.
 */
export const recordRefusal = async (db: Kysely<Database>, c: RefusedCommand, failureCode: string, refusal: DomainError): Promise<void> => {
  if (isAccessRefusal(refusal.code) || isAccessRefusal(failureCode)) {
    noteAccessRefusal(c.actor, refusal.code, { commandType: c.commandType, projectId: c.projectId, ...(c.requestId ? { requestId: c.requestId } : {}) });
    return;
  }
  const data = refusalData(c, failureCode, refusal);
  const stream = refusalStreamOf(data.countyId);
  const eventId = refusalEventId(c, data);
  try {
    await appendToStream(db, stream, 'any', [
      {
        eventId,
        type: 'CommandRefused',
        data,
        metadata: eventMetadata({
          actor: c.actor,
          countyId: data.countyId,
          correlationId: projectWorkflowId(c.projectId),
          causationId: c.requestId ?? eventId,
          at: new Date().toISOString(),
        }),
      },
    ]);
  } catch (err) {
    // The same refusal under another request id: recorded already, with the first request's id.
    if (err instanceof EventStoreError && err.code === 'EVENT_ID_REUSED') {
      logger.debug({ stream, eventId, projectId: c.projectId, commandType: c.commandType, code: failureCode }, 'refusal recorded before; not again');
      return;
    }
    logger.error({ err, stream, eventId, projectId: c.projectId, commandType: c.commandType, code: failureCode }, 'refusal not recorded');
  }
};
