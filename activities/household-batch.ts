import { sql, type Kysely } from 'kysely';
import { eventRegistry } from '../domain/registry';
import { householdDecider, makeDecide, type HouseholdCommand, type HouseholdEvent, type HouseholdRules, type HouseholdState } from '../domain/household';
import type { Actor } from '../domain/shared/actor';
import type { Database } from '../infra/database';
import { appendToStreams, streamId, type StreamAppend } from '../infra/eventstore';
import { decodeRow, type EventRow } from '../infra/eventstore/codec';
import type { EventMetadata } from '../infra/eventstore/metadata';
import { eventIdFor } from './event-id';

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
}

export interface Loaded {
  readonly state: HouseholdState;
  readonly version: number;
}

export const householdStream = (householdId: string): string => streamId('household', householdId);

/** Current state and version of each household, in one query. Unknown ids read as unregistered. */
export const loadHouseholds = async (db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, Loaded>> => {
  const out = new Map<string, Loaded>(ids.map((id) => [id, { state: householdDecider.initialState(), version: 0 }]));
  if (ids.length === 0) return out;
  const { rows } = await sql<EventRow>`
    SELECT position, tx_id, stream_id, category, stream_version, event_id, type, schema_version, data, metadata, recorded_at
      FROM events WHERE stream_id = ANY(${ids.map(householdStream)}::text[]) ORDER BY stream_id, stream_version`.execute(db);
  for (const r of rows) {
    const e = decodeRow(eventRegistry, r);
    const id = e.streamId.slice('household-'.length);
    const cur = out.get(id)!;
    out.set(id, { state: householdDecider.evolve(cur.state, { type: e.type, data: e.data } as HouseholdEvent), version: e.streamVersion });
  }
  return out;
};

const CHUNK = 500;

const outcomeOf = (householdId: string, state: HouseholdState, events: readonly HouseholdEvent[]): HouseholdOutcome => {
  const removed = events.find((e) => e.type === 'HouseholdRemovedFromExitRound');
  const assessed = events.find((e) => e.type === 'HouseholdAssessedForExit');
  return {
    householdId,
    ok: true,
    status: state.status,
    events: events.map((e) => e.type),
    ...(removed ? { removedReason: (removed.data as { reason: string }).reason } : {}),
    ...(assessed ? { eligible: (assessed.data as { eligible: boolean }).eligible } : {}),
    ...(state.status !== 'unregistered' ? { memberCount: state.file.memberCount } : {}),
  };
};

/**
 * Applies one command per household. Households whose first event id for this step is already
 * stored were done by an earlier attempt: their current state is the answer. A refusal is an
 * outcome (ok: false, with the domain code), not an error: the other households go on.
 */
export const applyHouseholdBatch = async (
  db: Kysely<Database>,
  input: BatchInput,
  origin: { workflowId: string; runId?: string; activityId?: string },
): Promise<HouseholdOutcome[]> => {
  const ids = input.items.map((i) => i.householdId);
  const loaded = await loadHouseholds(db, ids);
  const idOf = (hh: string, i: number) => eventIdFor(origin.workflowId, `${input.step}:${hh}`, i);
  const done = new Set(
    (await sql<{ event_id: string }>`SELECT event_id FROM events WHERE event_id = ANY(${ids.map((h) => idOf(h, 0))}::text[])`.execute(db)).rows.map((r) => r.event_id),
  );
  const decide = makeDecide(input.rules);
  const outcomes: HouseholdOutcome[] = [];
  const appends: StreamAppend[] = [];
  for (const item of input.items) {
    const { state, version } = loaded.get(item.householdId)!;
    if (done.has(idOf(item.householdId, 0))) {
      outcomes.push({ ...outcomeOf(item.householdId, state, []), events: ['(already applied)'] });
      continue;
    }
    const command = { type: item.type, data: { ...item.data, householdId: item.householdId }, meta: { actor: input.actor, now: input.now } } as HouseholdCommand;
    const d = decide(command, state);
    if (!d.ok) {
      outcomes.push({ householdId: item.householdId, ok: false, status: state.status, events: [], code: d.error.code, message: d.error.en });
      continue;
    }
    const next = d.events.reduce(householdDecider.evolve, state);
    outcomes.push(outcomeOf(item.householdId, next, d.events));
    const metadata: EventMetadata = {
      actor: input.actor,
      countyId: state.status === 'unregistered' ? null : state.file.countyId,
      correlationId: input.correlationId,
      causationId: input.causationId,
      temporal: origin.runId ? { workflowId: origin.workflowId, runId: origin.runId, ...(origin.activityId ? { activityId: origin.activityId } : {}) } : undefined,
      businessDate: input.now.slice(0, 10),
    };
    if (!metadata.temporal) delete (metadata as { temporal?: unknown }).temporal;
    appends.push({
      streamId: householdStream(item.householdId),
      expectedVersion: version,
      events: d.events.map((e, i) => ({ eventId: idOf(item.householdId, i), type: e.type, data: e.data, metadata })),
    });
  }
  for (let i = 0; i < appends.length; i += CHUNK) await appendToStreams(db, appends.slice(i, i + CHUNK));
  return outcomes;
};
