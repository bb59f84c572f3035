import type { Kysely } from 'kysely';
import type { EventRegistry } from '../../domain/shared/events';
import type { Database } from '../database';
import { appendToStreams } from './append';
import { ExpectedVersionConflictError } from './errors';
import type { AppendResult, NewEvent, StreamAppend } from './types';

/**
 * One line per hot stream and process (issue 18, hot funds): the commands on a fund that arrive
 * while an append to it is under way wait for it, then are decided one after the other on the
 * state it left and appended together, in one atomic append at the version they were decided on.
 * Before, each decided on the version it had read, all but one of every such group conflicted, and
 * each conflict slept and read again: the more projects drew on one fund at once, the fewer
 * payments it recorded per second. Now a round costs one append however many commands it carries,
 * and a process never conflicts with itself on the stream; a conflict is another process's write.
 *
 * Every guarantee stays with the store: the round's append names the version its decisions were
 * made on, so any write the round did not see refuses the whole round (nobody is answered on a
 * state the store did not hold), and every command's other streams (its project, at the version its
 * workflow holds) are in the same transaction. What goes wrong in a round of several that is not
 * such a conflict (an event id stored before, a project moved) is one command's fault: each is
 * decided again alone, so the error lands on the command it belongs to.
 */

/** The stream as one command read it: a true state at its version. */
export interface LineRead<S> {
  readonly state: S;
  readonly version: number;
}

export type LineDecision<S, T> =
  /** Nothing to append (a refusal, or a command with no events): the answer once the round stands. */
  | { readonly append: false; readonly answer: T }
  | {
      readonly append: true;
      /** The hot stream's events, in order. */
      readonly events: readonly NewEvent[];
      /** The hot stream's state after them. */
      readonly state: S;
      /** The command's other streams (each written by this command alone in the round), at their own versions. */
      readonly others: readonly StreamAppend[];
      readonly answer: (r: AppendResult) => T;
    };

export interface LineTicket<S, T> {
  readonly read: LineRead<S>;
  /** Pure: the decision on the stream at `at` (the round's state so far). */
  readonly decide: (at: LineRead<S>) => LineDecision<S, T>;
}

interface Waiting<S> {
  readonly ticket: LineTicket<S, unknown>;
  readonly alone: boolean;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
}

/** A round's commands at most: one short transaction. */
const MAX_ROUND = 64;

const expectedOf = (version: number) => (version === 0 ? ('no-stream' as const) : version);

export class StreamLine<S> {
  private queue: Waiting<S>[] = [];
  private running = false;
  /** What this line's last round appended, while the line is busy: newer than any read its waiting commands made. */
  private committed: LineRead<S> | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    readonly streamId: string,
    private readonly keep: (state: S, r: AppendResult) => void,
    /** The stream's kept state (`keepStates`): what an earlier round of this process appended may be newer than a waiting command's read. */
    private readonly kept: () => LineRead<S> | undefined,
    private readonly registry?: EventRegistry,
  ) {}

  submit<T>(ticket: LineTicket<S, T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ ticket, alone: false, resolve: resolve as (v: unknown) => void, reject });
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.queue.length > 0) await this.round(this.take());
    } finally {
      // Idle: the next command decides on what it reads, checked against the store as always.
      this.committed = undefined;
      this.running = false;
      const m = lines.get(this.db);
      if (m?.get(this.streamId) === this) m.delete(this.streamId);
    }
  }

  private take(): Waiting<S>[] {
    if (this.queue[0]!.alone) return [this.queue.shift()!];
    const out: Waiting<S>[] = [];
    while (this.queue.length > 0 && out.length < MAX_ROUND && !this.queue[0]!.alone) out.push(this.queue.shift()!);
    return out;
  }

  private async round(waiting: readonly Waiting<S>[]): Promise<void> {
    // The newest true state: stream versions are never rewritten, so two states at one version are one state.
    // A command that read before the last round committed, and found the line idle after it, would otherwise decide on its old read and conflict.
    let base = this.committed;
    const kept = this.kept();
    if (kept && (!base || kept.version > base.version)) base = kept;
    for (const w of waiting) if (!base || w.ticket.read.version > base.version) base = w.ticket.read;
    let state = base!.state;
    let version = base!.version;
    const events: NewEvent[] = [];
    const others: StreamAppend[] = [];
    const taken = new Set<string>();
    const decided: { w: Waiting<S>; d: LineDecision<S, unknown> }[] = [];
    const deferred: Waiting<S>[] = [];
    for (const w of waiting) {
      let d: LineDecision<S, unknown>;
      try {
        d = w.ticket.decide({ state, version });
      } catch (e) {
        w.reject(e);
        continue;
      }
      if (d.append) {
        // Two commands of one round writing one other stream would be listed twice in the append: the later waits a round.
        if (d.others.some((o) => taken.has(o.streamId))) {
          deferred.push(w);
          continue;
        }
        for (const o of d.others) taken.add(o.streamId);
        events.push(...d.events);
        others.push(...d.others);
        state = d.state;
        version += d.events.length;
      }
      decided.push({ w, d });
    }
    this.queue.unshift(...deferred);
    if (!decided.some((x) => x.d.append)) {
      for (const { w, d } of decided) w.resolve(d.append ? undefined : d.answer);
      return;
    }
    let r: AppendResult;
    try {
      r = await appendToStreams(this.db, [{ streamId: this.streamId, expectedVersion: expectedOf(base!.version), events }, ...others], this.registry);
    } catch (e) {
      this.committed = undefined;
      const hotConflict = e instanceof ExpectedVersionConflictError && e.streamId === this.streamId;
      if (decided.length === 1 || hotConflict) {
        // Another writer moved the stream: every command of the round reads and decides again (the command handler's retry).
        for (const { w } of decided) w.reject(e);
      } else {
        this.queue.unshift(...decided.map(({ w }) => ({ ...w, alone: true })));
      }
      return;
    }
    const last = r.events.filter((e) => e.streamId === this.streamId).at(-1);
    this.committed = !r.duplicate && last ? { state, version: last.streamVersion } : undefined;
    this.keep(state, r);
    for (const { w, d } of decided) {
      try {
        w.resolve(d.append ? d.answer(r) : d.answer);
      } catch (e) {
        w.reject(e);
      }
    }
  }
}

const lines = new WeakMap<object, Map<string, StreamLine<unknown>>>();

/**
 * Whether kept streams take turns on lines (always, but for the bench's same-run figure of how
 * commands fared without them: bench/project-lifecycle.ts `--before`).
 */
export const streamLines = { on: true };

/** The line of `streamId` for this database connection; dropped once idle (it holds nothing then), so only busy streams have one. */
export const lineOf = <S>(
  db: Kysely<Database>,
  streamId: string,
  keep: (state: S, r: AppendResult) => void,
  kept: () => LineRead<S> | undefined,
  registry?: EventRegistry,
): StreamLine<S> => {
  let m = lines.get(db);
  if (!m) lines.set(db, (m = new Map()));
  let l = m.get(streamId) as StreamLine<S> | undefined;
  if (!l) {
    l = new StreamLine<S>(db, streamId, keep, kept, registry);
    m.set(streamId, l as StreamLine<unknown>);
  }
  return l;
};
