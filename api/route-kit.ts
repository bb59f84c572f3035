import type { Actor } from '../domain/shared/actor';
import type { CountyId } from '../domain/reference/counties';
import { authorize, type Action } from '../domain/access';
import { ApiError, fromDomainError } from './errors';

/** The API's own gate, before Temporal is asked: the deciders check again, with the state. */
export const precheck = (actor: Actor, action: Action, countyId: CountyId | undefined): void => {
  const refusal = authorize(actor, action, countyId === undefined ? {} : { countyId });
  if (refusal) throw fromDomainError(refusal, 'precheck');
};

/** The header wins; a body naming a different id is a contradiction, not a choice. */
export const requestIdOf = (header: string | undefined, body: string | undefined): string | undefined => {
  if (header !== undefined && body !== undefined && header !== body) {
    throw new ApiError(400, 'INVALID_INPUT', 'Idempotency-Key 与 requestId 不一致', 'the Idempotency-Key header and the body requestId differ');
  }
  return header ?? body;
};
