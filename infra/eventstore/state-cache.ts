import type { Kysely } from 'kysely';
import type { Decider, Fold } from '../../domain/shared/decider';
import type { Database } from '../database';

/**
 * A stream's folded state kept between commands (issue 18, hot funds): the command handler then
 * reads only the events appended since the kept version, so a fund's 20,000th payment costs what
 * its first did instead of a fold of the whole stream. Nothing is trusted blindly: every read asks
 * the store for the events from the kept version on, and the event at that version must still be
 * the one folded (id and position), or the state is dropped and the stream folded afresh. Kept per
 * database connection, a bounded number of streams, least recently used first out.
 *
 * Only for folds whose `evolve` never changes the state it is given (the domain's are pure): a
 * kept state is shared by every command that reads it.
 */
export interface KeptState<S> {
  readonly state: S;
  readonly version: number;
  /** The event at `version`, to check it is still the one folded. */
  readonly eventId: string;
  readonly position: number;
}

export class StateCache<S> {
  private readonly byDb = new WeakMap<object, Map<string, KeptState<S>>>();

  constructor(readonly maxStreams = 256) {}

  get(db: Kysely<Database>, streamId: string): KeptState<S> | undefined {
    const m = this.byDb.get(db);
    const kept = m?.get(streamId);
    if (m && kept) {
      m.delete(streamId);
      m.set(streamId, kept);
    }
    return kept;
  }

  /** Keeps `kept` unless a later version of the stream is kept already (two commands raced; both states are true, the later is more use). */
  put(db: Kysely<Database>, streamId: string, kept: KeptState<S>): void {
    let m = this.byDb.get(db);
    if (!m) this.byDb.set(db, (m = new Map()));
    const had = m.get(streamId);
    if (had && had.version > kept.version) return;
    m.delete(streamId);
    m.set(streamId, kept);
    while (m.size > this.maxStreams) m.delete(m.keys().next().value!);
  }

  drop(db: Kysely<Database>, streamId: string): void {
    this.byDb.get(db)?.delete(streamId);
  }
}

/** The decider with its states kept between commands by the command handler. */
export const keepStates = <C, E, S>(decider: Decider<C, E, S>, maxStreams?: number): Decider<C, E, S> & { readonly states: StateCache<S> } => ({
  ...decider,
  states: new StateCache<S>(maxStreams),
});

export const statesOf = <E, S>(fold: Fold<E, S>): StateCache<S> | undefined => (fold as { states?: StateCache<S> }).states;
