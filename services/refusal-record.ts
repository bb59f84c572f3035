import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../infra/database';
import { appendToStream, eventMetadata, streamId } from '../infra/eventstore';
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
 * The event id: from the request id when there is one, so a repeated request records its refusal
 * once; without one every request is its own attempt.
 */
export const refusalEventId = (c: Pick<RefusedCommand, 'projectId' | 'commandType' | 'actor' | 'requestId'>): string =>
  eventIdFor(refusalStreamOf(countyOfProject(c.projectId)), `${c.projectId}/${c.commandType}/${c.actor.userId}/${c.requestId ?? `once:${randomUUID()}`}`);

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
 * Appends a CommandRefused to the county's refusals stream. Never throws: the caller's answer is
 * the refusal whatever happens here, so a failed append is logged with its error and the command.
 */
export const recordRefusal = async (db: Kysely<Database>, c: RefusedCommand, failureCode: string, refusal: DomainError): Promise<void> => {
  const data = refusalData(c, failureCode, refusal);
  const stream = refusalStreamOf(data.countyId);
  const eventId = refusalEventId(c);
  try {
    await appendToStream(db, stream, 'any', [
      {
        eventId,
        type: 'CommandRefused',
        data,
        metadata: eventMetadata({ actor: c.actor, countyId: data.countyId, correlationId: projectWorkflowId(c.projectId), causationId: c.requestId ?? eventId, at: new Date().toISOString() }),
      },
    ]);
  } catch (err) {
    logger.error({ err, stream, eventId, projectId: c.projectId, commandType: c.commandType, code: failureCode }, 'refusal not recorded');
  }
};
