import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from '../database';
import { EventStoreError } from './errors';

/** One append rendered for the append function (see the 20261206070000 migration); a call carries one or several. */
export interface AppendArgs {
  streamIds: string[];
  expected: string[];
  /** Per event, the 1-based index of its stream in `streamIds`; events come stream by stream. */
  eventStreams: number[];
  eventIds: string[];
  types: string[];
  schemaVersions: number[];
  /**
   * Per event, canonical JSON text of its data, its metadata and its refs (`[[kind, id], ...]` in
   * `canonicalRefs` order): the database stores and hashes exactly these bytes.
   */
  dataJsons: string[];
  metadataJsons: string[];
  refsJsons: string[];
}

export const APPEND_SQL = 'SELECT * FROM tuopin_append_batch($1::int[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::int[], $8::text[], $9::text[], $10::text[])';

/**
 * A text[] parameter as PostgreSQL's array literal, escaped as pg escapes each element (utils.js
 * escapeElement), each distinct string once: a step's ~190 events share one metadata text (~400
 * characters, ~50 quotes), which pg escaped once an event (~0.5 ms a step). Only the wire form
 * changes: the function receives the same array.
 */
export const sharedTextArray = (xs: readonly string[]): string => {
  const done = new Map<string, string>();
  const parts = xs.map((x) => {
    let q = done.get(x);
    if (q === undefined) done.set(x, (q = `"${x.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`));
    return q;
  });
  return `{${parts.join(',')}}`;
};

/** The append function's parameters for several independent appends, each atomic on its own, applied in order. */
export const batchParams = (appends: readonly AppendArgs[]): unknown[] => {
  if (appends.length === 1) {
    const a = appends[0]!;
    return [a.streamIds.map(() => 1), a.streamIds, a.expected, a.eventStreams, a.eventIds, a.types, a.schemaVersions, a.dataJsons, sharedTextArray(a.metadataJsons), a.refsJsons];
  }
  const groups: number[] = [];
  const streamIds: string[] = [];
  const expected: string[] = [];
  const eventStreams: number[] = [];
  const eventIds: string[] = [];
  const types: string[] = [];
  const schemaVersions: number[] = [];
  const dataJsons: string[] = [];
  const metadataJsons: string[] = [];
  const refsJsons: string[] = [];
  appends.forEach((a, g) => {
    const offset = streamIds.length;
    for (let s = 0; s < a.streamIds.length; s++) groups.push(g + 1);
    streamIds.push(...a.streamIds);
    expected.push(...a.expected);
    for (const s of a.eventStreams) eventStreams.push(s + offset);
    eventIds.push(...a.eventIds);
    types.push(...a.types);
    schemaVersions.push(...a.schemaVersions);
    dataJsons.push(...a.dataJsons);
    metadataJsons.push(...a.metadataJsons);
    refsJsons.push(...a.refsJsons);
  });
  return [groups, streamIds, expected, eventStreams, eventIds, types, schemaVersions, dataJsons, sharedTextArray(metadataJsons), refsJsons];
};

/** One append alone. */
export const appendParams = (a: AppendArgs): unknown[] => batchParams([a]);

/** A row of the append function's answer (see the 20261206070000 migration). */
export interface BatchRow {
  /** Set on a skipped append's row only: its 1-based place in the call. */
  grp: number | null;
  event_id: string | null;
  stream_id: string;
  stream_version: string | null;
  event_position: string | null;
  expected_version: string | null;
  actual_version: string | null;
}

/** How one append fared: written, skipped for its expected version, or refused with the call. */
export type AppendOutcome =
  | { readonly kind: 'written'; readonly rows: readonly BatchRow[] }
  | { readonly kind: 'conflict'; readonly streamId: string; readonly expected: string; readonly actual: number }
  | { readonly kind: 'failed'; readonly error: unknown };

interface Pending {
  readonly args: AppendArgs;
  readonly done: (o: AppendOutcome) => void;
}

/**
 * At most this many calls in flight per process. One batched the most, but a call is one backend,
 * and on a busy machine each backend gets one process's share of the CPU: writers on connections of
 * their own (plain INSERTs, Emmett) got up to eight shares where the batched appends got one. With
 * 8 writers over 10,000 streams (bench/eventstore.ts, load 16–33) one in flight reached 0.47–0.73×
 * Emmett 0.42, four 0.74–0.96×, eight 0.82–1.06× but fewer events per call (0.33–0.43× the plain
 * INSERT against 0.41–0.49× with four). Four keeps both: appends still share a call when more
 * than four wait, and each call stays one short transaction.
 */
const MAX_IN_FLIGHT = 4;
/** A batch stays one short transaction. */
const MAX_APPENDS = 64;
const MAX_EVENTS = 1000;

/**
 * Sends appends that arrive while others are in flight together, in one call and one transaction,
 * so they share the round trip, the commit and the WAL flush that a single-event append otherwise
 * pays alone. An append that finds nothing in flight goes at once: batching never adds a wait.
 * Each append stays atomic on its own and is answered as if it had run alone; if the call fails as
 * a whole (a stored event id, a lost connection), each of its appends is sent again alone, so the
 * error lands on the append it belongs to.
 */
export class AppendBatcher {
  private readonly queue: Pending[] = [];
  private inFlight = 0;

  constructor(private readonly db: Kysely<Database>) {}

  submit(args: AppendArgs): Promise<AppendOutcome> {
    return new Promise((done) => {
      this.queue.push({ args, done });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.queue.length > 0) {
      const batch: Pending[] = [];
      let events = 0;
      while (this.queue.length > 0 && batch.length < MAX_APPENDS) {
        const next = this.queue[0]!;
        if (batch.length > 0 && events + next.args.eventIds.length > MAX_EVENTS) break;
        batch.push(this.queue.shift()!);
        events += next.args.eventIds.length;
      }
      this.inFlight++;
      void this.send(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async send(batch: readonly Pending[]): Promise<void> {
    let rows: BatchRow[];
    try {
      rows = (await this.db.executeQuery<BatchRow>(CompiledQuery.raw(APPEND_SQL, batchParams(batch.map((p) => p.args))))).rows;
    } catch (error) {
      if (batch.length === 1) return batch[0]!.done({ kind: 'failed', error });
      for (const p of batch) await this.send([p]);
      return;
    }
    const written = new Map<string, BatchRow>();
    const skipped = new Map<number, BatchRow>();
    for (const r of rows) {
      if (r.grp !== null) skipped.set(r.grp, r);
      else if (r.event_id !== null) written.set(r.event_id, r);
    }
    batch.forEach((p, i) => {
      const s = skipped.get(i + 1);
      if (s) return p.done({ kind: 'conflict', streamId: s.stream_id, expected: s.expected_version ?? '', actual: Number(s.actual_version) });
      const mine = p.args.eventIds.map((id) => written.get(id));
      if (mine.some((r) => r === undefined)) {
        return p.done({
          kind: 'failed',
          error: new EventStoreError('APPEND_RESULT_MISSING', `the append function answered no row for some of ${p.args.eventIds.slice(0, 5).join(', ')}`),
        });
      }
      p.done({ kind: 'written', rows: mine as BatchRow[] });
    });
  }
}

const batchers = new WeakMap<Kysely<Database>, AppendBatcher>();
export const batcherFor = (db: Kysely<Database>): AppendBatcher => {
  let b = batchers.get(db);
  if (!b) batchers.set(db, (b = new AppendBatcher(db)));
  return b;
};
