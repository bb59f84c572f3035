import type { Kysely } from 'kysely';
import type { Decider, Fold } from '../../domain/shared/decider';
import type { DomainError } from '../../domain/shared/errors';
import type { DomainEvent, EventRegistry } from '../../domain/shared/events';
import type { Database } from '../database';
import { appendToStreams } from './append';
import { CODES, EventStoreError, ExpectedVersionConflictError } from './errors';
import type { EventMetadata } from './metadata';
import { readStream, readStreams, readStreamTail, readStreamTails, readWholeStream } from './read';
import { statesOf, type KeptState } from './state-cache';
import { lineOf, streamLines, type LineDecision, type StreamLine } from './stream-line';
import { categoryOf } from './stream-id';
import { commandConflicts } from '../metrics';
import { inSpan, tracer } from '../tracing';
import type { AppendedEvent, AppendResult, ExpectedVersion, NewEvent, StoredEvent } from './types';

/**
 * The one command handler (Emmett's `CommandHandler`): read the stream, fold it with the decider's
 * `evolve`, `decide`, append the events at the version read, and on a version conflict read and
 * decide again. Three shapes: one stream (`handleCommand`), two streams in one atomic append
 * (`handleCommandOnTwoStreams`: a project and the fund it draws on), and many streams, one command
 * each (`handleBatch`: a village's households).
 *
 * Idempotency is the caller's event ids: each decision's events are numbered 0, 1, … and the caller
 * derives the id of each from the workflow and step (or the request). When the first id is already
 * on the stream, the command was handled before: the handler answers with those stored events
 * (`duplicate: true`) and decides nothing. A refusal is an answer (`ok: false` with the domain's
 * error), never thrown. Store errors other than a retried conflict are thrown as they are.
 */

/** A stream folded into its state, with the version it was read at (0 for an empty stream). */
export interface Folded<S> {
  readonly state: S;
  readonly version: number;
}

export interface Aggregate<S> extends Folded<S> {
  readonly events: readonly StoredEvent[];
}

/** The store validated the event against its type's schema on write and on read: this is the one place it is taken as the domain's type. */
const asDomainEvent = <E>(e: StoredEvent): E => ({ type: e.type, data: e.data }) as E;

export const aggregateStream = async <E, S>(db: Kysely<Database>, streamId: string, fold: Fold<E, S>, registry?: EventRegistry): Promise<Aggregate<S>> => {
  const events = await readWholeStream(db, streamId, registry ? { registry } : {});
  const state = events.reduce((s, e) => fold.evolve(s, asDomainEvent<E>(e)), fold.initialState());
  return { state, version: events.at(-1)?.streamVersion ?? 0, events };
};

/** Many streams folded in one query; a stream not in the store reads as the initial state at version 0. */
export const aggregateStreams = async <E, S>(db: Kysely<Database>, streamIds: readonly string[], fold: Fold<E, S>, registry?: EventRegistry): Promise<Map<string, Folded<S>>> => {
  const out = new Map<string, Folded<S>>(streamIds.map((id) => [id, { state: fold.initialState(), version: 0 }]));
  for (const e of await readStreams(db, streamIds, registry ? { registry } : {})) {
    out.set(e.streamId, { state: fold.evolve(out.get(e.streamId)!.state, asDomainEvent<E>(e)), version: e.streamVersion });
  }
  return out;
};

/** Conflicts are retried this many times in all: twenty projects drawing on one fund at once each win within a few rounds. */
export const MAX_CONFLICT_ATTEMPTS = 40;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `attempt` until it returns, retrying a version conflict on a stream `retryable` accepts, after
 * a jittered pause that grows to at most 200 ms. Any other error, and the last conflict, is thrown.
 */
export const retryOnConflict = async <T>(retryable: (streamId: string) => boolean, attempt: (n: number) => Promise<T>, maxAttempts = MAX_CONFLICT_ATTEMPTS): Promise<T> => {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (e) {
      if (!(e instanceof ExpectedVersionConflictError) || !retryable(e.streamId) || n >= maxAttempts) throw e;
      commandConflicts.inc({ category: categoryOf(e.streamId) });
      await pause(Math.random() * Math.min(200, 5 * 2 ** Math.min(n, 6)));
    }
  }
};

/** The events this command stored before, if its first event id is on the stream: the run of ids 0, 1, … from there. */
const earlierRun = (events: readonly StoredEvent[], eventId: (index: number) => string): StoredEvent[] | undefined => {
  const first = eventId(0);
  const start = events.findIndex((e) => e.eventId === first);
  if (start < 0) return undefined;
  const run: StoredEvent[] = [];
  for (let i = 0; start + i < events.length && events[start + i]!.eventId === eventId(i); i++) run.push(events[start + i]!);
  return run;
};

/** What a command is decided on: the stream's state and version, and what an earlier handling of the command stored, if one did. */
interface ReadForCommand<S> extends Folded<S> {
  readonly earlier: StoredEvent[] | undefined;
}

/**
 * The stream folded for a command. A fold with kept states (`keepStates`) reads only the events
 * since its kept version, checking the event there is still the one folded, and finds an earlier
 * handling by its first event id; any other fold reads the whole stream.
 */
const readForCommand = async <E, S>(
  db: Kysely<Database>,
  streamId: string,
  fold: Fold<E, S>,
  eventId: ((index: number) => string) | undefined,
  registry: EventRegistry | undefined,
): Promise<ReadForCommand<S>> => {
  const kept = statesOf(fold)?.get(db, streamId);
  const rows = kept ? await readStreamTail(db, streamId, kept.version, eventId?.(0), registry ? { registry } : {}) : undefined;
  return foldForCommand(db, streamId, fold, kept, rows, eventId, registry);
};

/**
 * A stream's state for a command from what was read: with a kept state, `rows` are the stream's
 * events from the kept version on (and its first event id's), and the event at that version must
 * still be the one folded; without one, `rows` are the whole stream, or absent and read here. A kept
 * state the store no longer holds (a test's database rebuilt under the same connection) is dropped
 * and the stream read whole. The state reached is kept; an earlier handling is found by the first
 * event id.
 */
const foldForCommand = async <E, S>(
  db: Kysely<Database>,
  streamId: string,
  fold: Fold<E, S>,
  kept: KeptState<S> | undefined,
  rows: readonly StoredEvent[] | undefined,
  eventId: ((index: number) => string) | undefined,
  registry: EventRegistry | undefined,
): Promise<ReadForCommand<S>> => {
  const states = statesOf(fold);
  const reg = registry ? { registry } : {};
  const evolveAll = (from: S, events: readonly StoredEvent[]) => events.reduce((s, e) => fold.evolve(s, asDomainEvent<E>(e)), from);
  const keep = (state: S, last: StoredEvent | undefined) => {
    if (states && last) states.put(db, streamId, { state, version: last.streamVersion, eventId: last.eventId, position: last.position });
  };
  if (states && kept && rows) {
    const at = rows.find((e) => e.streamVersion === kept.version);
    if (at?.eventId === kept.eventId && at.position === kept.position) {
      const tail = rows.filter((e) => e.streamVersion > kept.version);
      const state = evolveAll(kept.state, tail);
      keep(state, tail.at(-1));
      const first = eventId && rows.find((e) => e.eventId === eventId(0));
      const earlier = !first
        ? undefined
        : first.streamVersion > kept.version
          ? earlierRun(tail, eventId)
          : earlierRun(await readStream(db, streamId, { ...reg, fromVersion: first.streamVersion }), eventId);
      return { state, version: tail.at(-1)?.streamVersion ?? kept.version, earlier };
    }
    states.drop(db, streamId);
  }
  const events = kept || !rows ? await readWholeStream(db, streamId, reg) : rows;
  const state = evolveAll(fold.initialState(), events);
  keep(state, events.at(-1));
  return { state, version: events.at(-1)?.streamVersion ?? 0, earlier: eventId && earlierRun(events, eventId) };
};

/** After a command's append, its state is the one to keep (a duplicate append's is not: the stored events are the truth). */
const keepAppended = <E, S>(db: Kysely<Database>, streamId: string, fold: Fold<E, S>, state: S, r: AppendResult): void => {
  const last = r.events.filter((e) => e.streamId === streamId).at(-1);
  if (!r.duplicate && last) statesOf(fold)?.put(db, streamId, { state, version: last.streamVersion, eventId: last.eventId, position: last.position });
};

/** A command's own events in an append that may carry other commands' too (a line's round), by their ids. */
const ownEvents = (r: AppendResult, streamId: string, events: readonly NewEvent[]): AppendedEvent[] => {
  const ids = new Set(events.map((e) => e.eventId));
  return r.events.filter((e) => e.streamId === streamId && ids.has(e.eventId));
};

/** The line of a stream whose states are kept; a round's append keeps the state it left. */
const lineFor = <E, S>(db: Kysely<Database>, streamId: string, fold: Fold<E, S>, registry: EventRegistry | undefined): StreamLine<S> =>
  lineOf<S>(
    db,
    streamId,
    (state, r) => keepAppended(db, streamId, fold, state, r),
    () => statesOf(fold)?.get(db, streamId),
    registry,
  );

/** A stream's state and version, through the fold's kept state when it has one (`keepStates`): what a command would decide on. */
export const foldStream = async <E, S>(db: Kysely<Database>, streamId: string, fold: Fold<E, S>, registry?: EventRegistry): Promise<Folded<S>> => {
  const { state, version } = await readForCommand(db, streamId, fold, undefined, registry);
  return { state, version };
};

const appendedOf = (e: StoredEvent): AppendedEvent => ({ eventId: e.eventId, streamId: e.streamId, streamVersion: e.streamVersion, position: e.position });

const expectedOf = (version: number): ExpectedVersion => (version === 0 ? 'no-stream' : version);

const toNew = (events: readonly DomainEvent[], eventId: (index: number) => string, metadata: EventMetadata): NewEvent[] =>
  events.map((e, i) => ({ eventId: eventId(i), type: e.type, data: e.data, metadata }));

export interface CommandOptions<S> {
  /** The id of the decision's i-th event: derived from the workflow and step, or the request, never random. */
  readonly eventId: (index: number) => string;
  /** The events' metadata, given the state the decision was made on (e.g. the fund's county). */
  readonly metadata: (state: S) => EventMetadata;
  readonly registry?: EventRegistry;
  /** Attempts in all when the stream moves between read and append (default `MAX_CONFLICT_ATTEMPTS`); 1 throws the first conflict. */
  readonly maxAttempts?: number;
}

export type Handled<S, E> =
  | {
      readonly ok: true;
      /** The command had been handled before: `events` and `appended` are what it stored then; nothing new was written. */
      readonly duplicate: boolean;
      /** The stream's state after the command's events. */
      readonly state: S;
      readonly events: readonly E[];
      /** Where the events are, in their order. */
      readonly appended: readonly AppendedEvent[];
      /** The stream's version after the command's last event (the version read, if it decided none). */
      readonly streamVersion: number;
      /** 1 unless a conflict made the handler read and decide again. */
      readonly attempt: number;
    }
  | { readonly ok: false; readonly error: DomainError; readonly state: S; readonly version: number; readonly attempt: number };

/** One command on one stream. */
export const handleCommand = <C, E extends DomainEvent, S>(
  db: Kysely<Database>,
  streamId: string,
  decider: Decider<C, E, S>,
  command: C,
  opts: CommandOptions<S>,
): Promise<Handled<S, E>> =>
  retryOnConflict(
    (s) => s === streamId,
    async (attempt): Promise<Handled<S, E>> => {
      const a = await readForCommand(db, streamId, decider, opts.eventId, opts.registry);
      const earlier = a.earlier;
      if (earlier) {
        return {
          ok: true,
          duplicate: true,
          state: a.state,
          events: earlier.map((e) => asDomainEvent<E>(e)),
          appended: earlier.map(appendedOf),
          streamVersion: earlier.at(-1)!.streamVersion,
          attempt,
        };
      }
      const decideAt = (at: Folded<S>): LineDecision<S, Handled<S, E>> => {
        const d = decider.decide(command, at.state);
        if (!d.ok) return { append: false, answer: { ok: false, error: d.error, state: at.state, version: at.version, attempt } };
        const state = d.events.reduce(decider.evolve, at.state);
        if (d.events.length === 0) return { append: false, answer: { ok: true, duplicate: false, state, events: [], appended: [], streamVersion: at.version, attempt } };
        const events = toNew(d.events, opts.eventId, opts.metadata(at.state));
        return {
          append: true,
          events,
          state,
          others: [],
          answer: (r) => {
            const mine = ownEvents(r, streamId, events);
            return { ok: true, duplicate: r.duplicate, state, events: d.events, appended: mine, streamVersion: mine.at(-1)?.streamVersion ?? at.version, attempt };
          },
        };
      };
      // A stream whose states are kept is a hot one (a fund): its commands in this process take turns on its line.
      if (statesOf(decider) && streamLines.on) return lineFor(db, streamId, decider, opts.registry).submit({ read: a, decide: decideAt });
      const d = decideAt(a);
      if (!d.append) return d.answer;
      const r = await appendToStreams(db, [{ streamId, expectedVersion: expectedOf(a.version), events: d.events }], opts.registry);
      keepAppended(db, streamId, decider, d.state, r);
      return d.answer(r);
    },
    opts.maxAttempts,
  );

/** One of the two streams a command decides on. */
export interface StreamSide<E, S> {
  readonly streamId: string;
  readonly fold: Fold<E, S>;
  readonly eventId: (index: number) => string;
  readonly metadata: (state: S) => EventMetadata;
  /**
   * The version the caller holds, when it is the stream's only writer (a project's workflow): the
   * stream must be read at exactly this version and is appended at it; any other is a conflict,
   * thrown, never retried (a second writer is a fault to hear about, not a race to win).
   * Without it the stream is appended at the version read, and a conflict on it is retried.
   */
  readonly heldVersion?: number;
}

export type PairDecision<A, B> = { readonly ok: true; readonly events: readonly [readonly A[], readonly B[]] } | { readonly ok: false; readonly error: DomainError };

export type HandledPair<EA, SA, EB, SB> =
  | {
      readonly ok: true;
      readonly duplicate: boolean;
      readonly states: readonly [SA, SB];
      readonly events: readonly [readonly EA[], readonly EB[]];
      readonly appended: readonly [readonly AppendedEvent[], readonly AppendedEvent[]];
      readonly streamVersions: readonly [number, number];
      readonly attempt: number;
    }
  | { readonly ok: false; readonly error: DomainError; readonly states: readonly [SA, SB]; readonly attempt: number };

/**
 * One command deciding on two streams, appended in one transaction, each at its version: e.g. a
 * payment on the fund (read fresh: two projects can never spend the same yuan) and on the project
 * (held by its workflow). The command was handled before when either side's first event id is stored.
 */
export const handleCommandOnTwoStreams = <EA extends DomainEvent, SA, EB extends DomainEvent, SB>(
  db: Kysely<Database>,
  a: StreamSide<EA, SA>,
  b: StreamSide<EB, SB>,
  decide: (a: Folded<SA>, b: Folded<SB>) => PairDecision<EA, EB>,
  opts: PairOptions = {},
): Promise<HandledPair<EA, SA, EB, SB>> =>
  retryOnConflict(
    (s) => (s === a.streamId && a.heldVersion === undefined) || (s === b.streamId && b.heldVersion === undefined),
    async (attempt): Promise<HandledPair<EA, SA, EB, SB>> => {
      const read = () => Promise.all([readForCommand(db, a.streamId, a.fold, a.eventId, opts.registry), readForCommand(db, b.streamId, b.fold, b.eventId, opts.registry)]);
      const kept = attempt === 1 && opts.decideOnKept ? keptPair(db, a, b) : undefined;
      if (!kept) return decidePair(db, a, b, decide, opts, attempt, await read());
      // Anything the kept states missed (another writer, this step stored by an attempt elsewhere) refuses the append: then read and decide as always.
      // A refusal is never answered on kept states alone: it is decided again on what is read.
      const onKept = await decidePair(db, a, b, decide, opts, attempt, kept).catch((e: unknown) => {
        if (e instanceof ExpectedVersionConflictError || (e instanceof EventStoreError && e.code === CODES.EVENT_ID_REUSED)) return undefined;
        throw e;
      });
      return onKept?.ok ? onKept : decidePair(db, a, b, decide, opts, attempt, await read());
    },
    opts.maxAttempts,
  );

export interface PairOptions {
  readonly registry?: EventRegistry;
  readonly maxAttempts?: number;
  /**
   * The caller read both streams through their kept states just before (a payment's check, in the
   * same activity): the first attempt decides on the kept states without reading, when both are
   * kept and a held side's is at the version held. The append's expected versions still catch any
   * write since; such a refusal, an event id already stored (this step appended by an attempt
   * elsewhere) or a decision refusing the command makes the attempt read and decide again, as
   * without this.
   */
  readonly decideOnKept?: boolean;
}

/** Both sides' kept states, as `readForCommand` would answer them had nothing been appended since, or undefined. */
const keptPair = <EA, SA, EB, SB>(db: Kysely<Database>, a: StreamSide<EA, SA>, b: StreamSide<EB, SB>): [ReadForCommand<SA>, ReadForCommand<SB>] | undefined => {
  const ka = statesOf(a.fold)?.get(db, a.streamId);
  const kb = statesOf(b.fold)?.get(db, b.streamId);
  if (!ka || !kb || (a.heldVersion !== undefined && ka.version !== a.heldVersion) || (b.heldVersion !== undefined && kb.version !== b.heldVersion)) return undefined;
  return [
    { state: ka.state, version: ka.version, earlier: undefined },
    { state: kb.state, version: kb.version, earlier: undefined },
  ];
};

/** One attempt of `handleCommandOnTwoStreams` on what was read (or kept). */
const decidePair = async <EA extends DomainEvent, SA, EB extends DomainEvent, SB>(
  db: Kysely<Database>,
  a: StreamSide<EA, SA>,
  b: StreamSide<EB, SB>,
  decide: (a: Folded<SA>, b: Folded<SB>) => PairDecision<EA, EB>,
  opts: PairOptions,
  attempt: number,
  [x, y]: readonly [ReadForCommand<SA>, ReadForCommand<SB>],
): Promise<HandledPair<EA, SA, EB, SB>> => {
  const ex = x.earlier;
  const ey = y.earlier;
  if (ex || ey) {
    const rx = ex ?? [];
    const ry = ey ?? [];
    return {
      ok: true,
      duplicate: true,
      states: [x.state, y.state],
      events: [rx.map((e) => asDomainEvent<EA>(e)), ry.map((e) => asDomainEvent<EB>(e))],
      appended: [rx.map(appendedOf), ry.map(appendedOf)],
      streamVersions: [rx.at(-1)?.streamVersion ?? x.version, ry.at(-1)?.streamVersion ?? y.version],
      attempt,
    };
  }
  for (const [side, read] of [
    [a, x],
    [b, y],
  ] as const) {
    if (side.heldVersion !== undefined && read.version !== side.heldVersion) throw new ExpectedVersionConflictError(side.streamId, String(side.heldVersion), read.version);
  }
  const decideAt = (fx: Folded<SA>): LineDecision<SA, HandledPair<EA, SA, EB, SB>> => {
    const d = decide(fx, y);
    if (!d.ok) return { append: false, answer: { ok: false, error: d.error, states: [fx.state, y.state], attempt } };
    const [da, db_] = d.events;
    const states = [da.reduce(a.fold.evolve, fx.state), db_.reduce(b.fold.evolve, y.state)] as const;
    if (da.length + db_.length === 0) {
      return { append: false, answer: { ok: true, duplicate: false, states, events: [[], []], appended: [[], []], streamVersions: [fx.version, y.version], attempt } };
    }
    const eventsA = toNew(da, a.eventId, a.metadata(fx.state));
    const eventsB = toNew(db_, b.eventId, b.metadata(y.state));
    return {
      append: true,
      events: eventsA,
      state: states[0],
      others: [{ streamId: b.streamId, expectedVersion: y.version, events: eventsB }],
      answer: (r) => {
        keepAppended(db, b.streamId, b.fold, states[1], r);
        const [mineA, mineB] = [ownEvents(r, a.streamId, eventsA), ownEvents(r, b.streamId, eventsB)];
        return {
          ok: true,
          duplicate: r.duplicate,
          states,
          events: [da, db_],
          appended: [mineA, mineB],
          streamVersions: [mineA.at(-1)?.streamVersion ?? fx.version, mineB.at(-1)?.streamVersion ?? y.version],
          attempt,
        };
      },
    };
  };
  // The fund side of a project's command, when its states are kept: the fund's commands in this process take turns on its line.
  if (a.heldVersion === undefined && statesOf(a.fold) && streamLines.on) return lineFor(db, a.streamId, a.fold, opts.registry).submit({ read: x, decide: decideAt });
  const d = decideAt(x);
  if (!d.append) return d.answer;
  const r = await appendToStreams(db, [{ streamId: a.streamId, expectedVersion: x.version, events: d.events }, ...d.others], opts.registry);
  keepAppended(db, a.streamId, a.fold, d.state, r);
  return d.answer(r);
};

/**
 * Many streams folded for one command each, in one query: through the fold's kept states when it
 * has them (`keepStates`: only each stream's events since its kept version are read, checked as
 * `readForCommand` checks one), otherwise every stream whole.
 */
const readBatchForCommands = async <E, S>(
  db: Kysely<Database>,
  streamIds: readonly string[],
  fold: Fold<E, S>,
  eventId: (streamId: string, index: number) => string,
  registry: EventRegistry | undefined,
): Promise<Map<string, ReadForCommand<S>>> => {
  const states = statesOf(fold);
  const reg = registry ? { registry } : {};
  const kept = new Map(streamIds.map((id) => [id, states?.get(db, id)] as const));
  const byStream = new Map<string, StoredEvent[]>(streamIds.map((id) => [id, []]));
  const rows = states
    ? await readStreamTails(
        db,
        streamIds.map((id) => ({ streamId: id, fromVersion: kept.get(id)?.version ?? 1 })),
        streamIds.map((id) => eventId(id, 0)),
        reg,
      )
    : await readStreams(db, streamIds, reg);
  for (const e of rows) byStream.get(e.streamId)?.push(e);
  const out = new Map<string, ReadForCommand<S>>();
  for (const id of streamIds) out.set(id, await foldForCommand(db, id, fold, kept.get(id), byStream.get(id), (n) => eventId(id, n), registry));
  return out;
};

/** After a batch's append, each appended stream's state is the one to keep (not a duplicate's: the stored events are the truth). */
const keepAllAppended = <E, S>(db: Kysely<Database>, fold: Fold<E, S>, decided: ReadonlyMap<string, S>, r: AppendResult): void => {
  const states = statesOf(fold);
  if (!states || r.duplicate) return;
  const last = new Map<string, AppendedEvent>();
  for (const e of r.events) last.set(e.streamId, e);
  for (const [id, e] of last) {
    const state = decided.get(id);
    if (state !== undefined) states.put(db, id, { state, version: e.streamVersion, eventId: e.eventId, position: e.position });
  }
};

export interface BatchItem<C> {
  readonly streamId: string;
  readonly command: C;
  /**
   * The stream's version as the caller last saw it answered (a workflow's record of its previous
   * step). When the kept state is at exactly this version the stream is not read: see `handleBatch`.
   */
  readonly knownVersion?: number;
}

export interface BatchOptions<S> {
  readonly eventId: (streamId: string, index: number) => string;
  readonly metadata: (state: S, streamId: string) => EventMetadata;
  /** Streams read and appended per statement (default 500). */
  readonly chunk?: number;
  readonly registry?: EventRegistry;
  readonly maxAttempts?: number;
}

/** `version`: the stream's version after the outcome (the version decided on, for a refusal). */
export type BatchOutcome<S, E> =
  | { readonly streamId: string; readonly ok: true; readonly duplicate: boolean; readonly state: S; readonly events: readonly E[]; readonly version: number }
  | { readonly streamId: string; readonly ok: false; readonly error: DomainError; readonly state: S; readonly version: number };

/**
 * The streams of a batch whose kept state is at the version the caller knows: decided on that state
 * without reading. Safe because whatever could have moved the stream since shows at the append: an
 * append by anyone else (another step's earlier attempt on another worker included) moves the
 * stream past the known version and the multi-stream append conflicts, and the retry reads; an
 * earlier attempt of this very step in this process moved the kept state past the known version
 * (keepAllAppended), so the stream is read and the attempt found (`earlier`). Only the first attempt
 * skips reads.
 */
const knownKept = <C, E, S>(db: Kysely<Database>, fold: Fold<E, S>, chunk: readonly BatchItem<C>[]): Map<string, ReadForCommand<S>> => {
  const states = statesOf(fold);
  const out = new Map<string, ReadForCommand<S>>();
  if (!states) return out;
  for (const { streamId, knownVersion } of chunk) {
    if (knownVersion === undefined) continue;
    const k = states.get(db, streamId);
    if (k?.version === knownVersion) out.set(streamId, { state: k.state, version: k.version, earlier: undefined });
  }
  return out;
};

/**
 * One command per stream, many streams (each listed once): a chunk of streams is read in one query,
 * each decided alone, and every accepted decision of the chunk appended in one atomic
 * `appendToStreams`. A refusal is that stream's outcome; the others go on. A conflict reads and
 * decides that chunk again; chunks already appended stay appended. Outcomes come in the items' order.
 * An item whose `knownVersion` is the kept state's version is decided without a read (`knownKept`):
 * a workflow's next step on the same streams costs no query, only the append.
 */
export const handleBatch = async <C, E extends DomainEvent, S>(
  db: Kysely<Database>,
  items: readonly BatchItem<C>[],
  decider: Decider<C, E, S>,
  opts: BatchOptions<S>,
): Promise<BatchOutcome<S, E>[]> => {
  const size = opts.chunk ?? 500;
  const outcomes: BatchOutcome<S, E>[] = [];
  for (let i = 0; i < items.length; i += size) {
    const chunk = items.slice(i, i + size);
    const ids = new Set(chunk.map((c) => c.streamId));
    const decideChunk = async (known: ReadonlyMap<string, ReadForCommand<S>>): Promise<BatchOutcome<S, E>[]> => {
      const unread = [...ids].filter((id) => !known.has(id));
      // Spans (no-ops unless tracing is on): where a batch's time goes (bench/exit-county.ts --trace).
      const read =
        unread.length === 0
          ? known
          : new Map([
              ...known,
              ...(await inSpan('tuopin.batch.read', { 'tuopin.streams': unread.length }, () => readBatchForCommands(db, unread, decider, opts.eventId, opts.registry))),
            ]);
      const decideSpan = tracer().startSpan('tuopin.batch.decide', { attributes: { 'tuopin.streams': ids.size } });
      const out: BatchOutcome<S, E>[] = [];
      const appends = [];
      const decided = new Map<string, S>();
      for (const { streamId, command } of chunk) {
        const { state, version, earlier } = read.get(streamId)!;
        if (earlier) {
          out.push({ streamId, ok: true, duplicate: true, state, events: earlier.map((e) => asDomainEvent<E>(e)), version });
          continue;
        }
        const d = decider.decide(command, state);
        if (!d.ok) {
          out.push({ streamId, ok: false, error: d.error, state, version });
          continue;
        }
        const after = d.events.reduce(decider.evolve, state);
        // Appended at the version read (expected below), so the events take the next versions.
        out.push({ streamId, ok: true, duplicate: false, state: after, events: d.events, version: version + d.events.length });
        if (d.events.length > 0) {
          decided.set(streamId, after);
          appends.push({ streamId, expectedVersion: version, events: toNew(d.events, (n) => opts.eventId(streamId, n), opts.metadata(state, streamId)) });
        }
      }
      decideSpan.end();
      if (appends.length > 0) keepAllAppended(db, decider, decided, await appendToStreams(db, appends, opts.registry));
      return out;
    };
    outcomes.push(
      ...(await retryOnConflict(
        (s) => ids.has(s),
        async (attempt) => {
          const known = attempt === 1 ? knownKept(db, decider, chunk) : undefined;
          if (!known?.size) return decideChunk(new Map());
          // This step's id already stored on a stream not read (its attempt on another worker decided otherwise): decide again on what is read.
          return decideChunk(known).catch((e: unknown) => {
            if (e instanceof EventStoreError && e.code === CODES.EVENT_ID_REUSED) return decideChunk(new Map());
            throw e;
          });
        },
        opts.maxAttempts,
      )),
    );
  }
  return outcomes;
};
