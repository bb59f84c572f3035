import type { Actor } from '../domain/shared/actor';
import type { CountyId } from '../domain/reference/counties';
import { authorize, type Action } from '../domain/access';
import { fromDomainError, invalidInput } from './errors';

/** The API's own gate, before Temporal is asked: the deciders check again, with the state. */
export const precheck = (actor: Actor, action: Action, countyId: CountyId | undefined): void => {
  const refusal = authorize(actor, action, countyId === undefined ? {} : { countyId });
  if (refusal) throw fromDomainError(refusal, 'precheck');
};

/** The header wins; a body naming a different id is a contradiction, not a choice. */
export const requestIdOf = (header: string | undefined, body: string | undefined): string | undefined => {
  if (header !== undefined && body !== undefined && header !== body) {
    throw invalidInput('body', [
      {
        code: 'custom',
        path: ['requestId'],
        message: 'differs from the Idempotency-Key header; send one of them, or the same value in both',
        params: { zh: '与请求头 Idempotency-Key 不一致；只写其一，或两处写同一个值' },
      },
    ]);
  }
  return header ?? body;
};
