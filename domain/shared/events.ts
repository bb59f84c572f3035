import type { z } from 'zod';

/** What an event touches, for the store's refs index: an audit trail is an index lookup. */
/** `round`: a benefit round (到户), domain/benefit. */
export const REF_KINDS = ['fund', 'project', 'household', 'village', 'county', 'payment', 'round'] as const;
export type RefKind = (typeof REF_KINDS)[number];
export interface EventRef {
  readonly kind: RefKind;
  readonly id: string;
}

/** An older shape of an event and how to lift it one version up. */
export interface PastVersion {
  readonly version: number;
  readonly schema: z.ZodType<unknown>;
  /** Turns data of this version into data of `version + 1`. */
  readonly upcast: (data: unknown) => unknown;
}

/**
 * One event type: its current version and zod schema, the versions it had before with their
 * upcasters, and the ids it touches. The store validates on write (current version only) and on
 * read (any known version, upcast to current).
 */
export interface EventDefinition<T extends string = string, D = unknown> {
  readonly type: T;
  readonly version: number;
  readonly schema: z.ZodType<D>;
  readonly past?: readonly PastVersion[];
  readonly refs: (data: D) => EventRef[];
}

export const defineEvent = <T extends string, S extends z.ZodType>(def: {
  type: T;
  version: number;
  schema: S;
  past?: readonly PastVersion[];
  refs: (data: z.output<S>) => EventRef[];
}): EventDefinition<T, z.output<S>> => def as EventDefinition<T, z.output<S>>;

/** A domain event as deciders produce it: type and data; ids and metadata are the store's business. */
export interface DomainEvent<T extends string = string, D = unknown> {
  readonly type: T;
  readonly data: D;
}

export type EventRegistry = ReadonlyMap<string, EventDefinition>;

export const buildRegistry = (defs: readonly EventDefinition<string, never>[]): EventRegistry => {
  const m = new Map<string, EventDefinition>();
  for (const d of defs) {
    if (m.has(d.type)) throw new Error(`event type ${d.type} is defined twice`);
    m.set(d.type, d as unknown as EventDefinition);
  }
  return m;
};
