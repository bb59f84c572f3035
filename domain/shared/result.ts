import type { DomainError } from './errors';

/** What a decider returns: the events to append, or the rule that refused. Deciders never throw for a refusal. */
export type Decision<E> = { ok: true; events: E[] } | { ok: false; error: DomainError };

export const accept = <E>(...events: E[]): Decision<E> => ({ ok: true, events });
export const refuse = <E = never>(error: DomainError): Decision<E> => ({ ok: false, error });
