import type { Decision } from './result';

/**
 * The three functions an aggregate's rules are made of (Emmett's `Decider`): `decide` answers a
 * command on the current state with events or a refusal, `evolve` folds one event into the state,
 * `initialState` is the state of an empty stream. The command handler in `infra/eventstore/`
 * runs them against the store; the specs in `testing.ts` run them against given events.
 */
export interface Decider<C, E, S> {
  readonly decide: (command: C, state: S) => Decision<E>;
  readonly evolve: (state: S, event: E) => S;
  readonly initialState: () => S;
}

/** What folding a stream needs: a decider without its `decide`. */
export type Fold<E, S> = Pick<Decider<unknown, E, S>, 'evolve' | 'initialState'>;
