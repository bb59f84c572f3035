import type { Kysely } from 'kysely';
import { householdDecider, makeDecide, type HouseholdCommand, type HouseholdEvent, type HouseholdRules, type HouseholdState } from '../../domain/household';
import type { Actor } from '../../domain/shared/actor';
import type { Database } from '../database';
import { aggregateStreams, eventIdFor, eventMetadata, handleBatch, keepStates, streamId } from '../eventstore';

/**
 * Many households, one step: read their streams in one query, decide each with the household
 * decider, append every accepted decision in one `appendToStreams` per chunk. A village of 300
 * households costs a few statements, not 300 workflows.
 */
export type BatchCommandType = Exclude<HouseholdCommand['type'], 'RegisterHousehold'>;

export interface HouseholdCommandItem {
  readonly householdId: string;
  readonly type: BatchCommandType;
  /** The command's data without the household id. */
  readonly data: Readonly<Record<string, unknown>>;
  /**
   * The household stream's version the previous step answered (its outcome's `version`), when the
   * caller keeps it: the household's kept state at that version is decided on without a read.
   */
  readonly version?: number;
}

export interface BatchInput {
  /** With the workflow id, fixes every event id: a retried batch appends nothing twice. */
  readonly step: string;
  readonly items: readonly HouseholdCommandItem[];
  readonly actor: Actor;
  readonly now: string;
  readonly rules: HouseholdRules;
  readonly correlationId: string;
  readonly causationId: string;
}

export interface HouseholdOutcome {
  readonly householdId: string;
  readonly ok: boolean;
  readonly status: HouseholdState['status'];
  /** Types of the events this step appended for the household (empty on refusal). */
  readonly events: readonly string[];
  readonly removedReason?: string;
  readonly eligible?: boolean;
  readonly memberCount?: number;
  readonly code?: string;
  readonly message?: string;
  /** The household stream's version after this step (the version decided on, if it appended nothing). */
  readonly version?: number;
}

export interface Loaded {
  readonly state: HouseholdState;
  readonly version: number;
}

/**
 * Households' folded states kept between steps (issue 18 point 5): an exit round's every step takes
 * the same village's households, and each step read and decoded each household's whole stream again.
 * Now a step reads only what was appended since (checked by version, event id and position). Bounded
 * at about a county's registered households, least recently used first out.
 */
const keptHouseholds = keepStates(householdDecider, 20_000);

export const householdStream = (householdId: string): string => streamId('household', householdId);
const householdIdOf = (stream: string): string => stream.slice(stream.indexOf('-') + 1);

/** Current state and version of each household, in one query. Unknown ids read as unregistered. */
export const loadHouseholds = async (db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, Loaded>> => {
  const folded = await aggregateStreams(db, ids.map(householdStream), householdDecider);
  return new Map([...folded].map(([stream, f]) => [householdIdOf(stream), f]));
};

/** Built field by field, not spread: two spreads a household of every step showed in the step's profile. */
const outcomeOf = (
  householdId: string,
  state: HouseholdState,
  events: readonly HouseholdEvent[],
  version: number,
  names: readonly string[] = events.map((e) => e.type),
): HouseholdOutcome => {
  const removed = events.find((e) => e.type === 'HouseholdRemovedFromExitRound');
  const assessed = events.find((e) => e.type === 'HouseholdAssessedForExit');
  const o: { -readonly [K in keyof HouseholdOutcome]: HouseholdOutcome[K] } = { householdId, ok: true, status: state.status, events: names };
  if (removed) o.removedReason = (removed.data as { reason: string }).reason;
  if (assessed) o.eligible = (assessed.data as { eligible: boolean }).eligible;
  if (state.status !== 'unregistered') o.memberCount = state.file.memberCount;
  o.version = version;
  return o;
};

/**
 * Applies one command per household through the command handler's batch. Households whose first
 * event id for this step is already stored were done by an earlier attempt: their current state is
 * the answer. A refusal is an outcome (ok: false, with the domain code), not an error: the other
 * households go on. `origin` is the workflow run (or, outside Temporal, the id the event ids derive from).
 */
export const applyHouseholdBatch = async (
  db: Kysely<Database>,
  input: BatchInput,
  origin: { workflowId: string; runId?: string; activityId?: string },
): Promise<HouseholdOutcome[]> => {
  const decider = { ...keptHouseholds, decide: makeDecide(input.rules) };
  const meta = { actor: input.actor, now: input.now };
  const items = input.items.map((item) => {
    const streamId = householdStream(item.householdId);
    const command = { type: item.type, data: { ...item.data, householdId: item.householdId }, meta } as HouseholdCommand;
    return item.version !== undefined ? { streamId, command, knownVersion: item.version } : { streamId, command };
  });
  const temporal = origin.runId ? { workflowId: origin.workflowId, runId: origin.runId, ...(origin.activityId ? { activityId: origin.activityId } : {}) } : undefined;
  // One metadata object per county for the whole step: the append checks and renders each object once (append.ts).
  const metadataOf = new Map<string | null, ReturnType<typeof eventMetadata>>();
  const outcomes = await handleBatch(db, items, decider, {
    eventId: (stream, i) => eventIdFor(origin.workflowId, `${input.step}:${householdIdOf(stream)}`, i),
    metadata: (state) => {
      const countyId = state.status === 'unregistered' ? null : state.file.countyId;
      let m = metadataOf.get(countyId);
      if (!m) {
        m = eventMetadata({ actor: input.actor, countyId, correlationId: input.correlationId, causationId: input.causationId, ...(temporal ? { temporal } : {}), at: input.now });
        metadataOf.set(countyId, m);
      }
      return m;
    },
  });
  return outcomes.map((o) => {
    const householdId = householdIdOf(o.streamId);
    if (!o.ok) return { householdId, ok: false, status: o.state.status, events: [], code: o.error.code, message: o.error.en, version: o.version };
    if (o.duplicate) return outcomeOf(householdId, o.state, [], o.version, ['(already applied)']);
    return outcomeOf(householdId, o.state, o.events, o.version);
  });
};
