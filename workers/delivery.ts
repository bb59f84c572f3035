import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Kysely } from 'kysely';
import type { Config } from '../infra/config';
import type { Database } from '../infra/database';
import { appendedHereToken, onAppendedHere } from '../infra/eventstore/append';
import type { Cursor } from '../infra/eventstore/types';
import { logger } from '../infra/logger';
import type { MetricsJson } from '../infra/metrics';
import { receiveSpans, tracing, type SentSpan } from '../infra/tracing';

/** What the delivery thread is started with (workers/delivery-thread.ts). */
export interface DeliveryData {
  readonly databaseUrl: string;
  readonly natsUrl: string;
  readonly streamName: string;
  readonly subjectPrefix: string;
  /** The NOTIFY payload of this thread's appends, each of which wakes the relay by a message. */
  readonly appendedHereToken: string;
  /** Tracing is on here: the thread's spans come here to be exported. */
  readonly traced: boolean;
}

export type ToDelivery = { readonly type: 'appended' } | { readonly type: 'probe' | 'metrics'; readonly id: number } | { readonly type: 'stop' };

export type FromDelivery =
  | { readonly type: 'started'; readonly running: boolean; readonly error?: string }
  | { readonly type: 'probe'; readonly id: number; readonly error?: string }
  | { readonly type: 'metrics'; readonly id: number; readonly json?: MetricsJson; readonly error?: string }
  | { readonly type: 'spans'; readonly spans: SentSpan[] }
  | { readonly type: 'stopped'; readonly relayCursor: Cursor | null };

/** The relay and the projectors, running in their thread. */
export interface Delivery {
  /**
   * Resolves once they run, or once NATS is known to be down (they then start once it answers);
   * rejects when they could not start.
   */
  readonly started: Promise<void>;
  /** Rejects when the thread fails or ends unasked: the worker fails, as it did when an error escaped them on its own thread. */
  readonly failed: Promise<never>;
  /** NATS is connected and answers a round trip (`/readyz`). */
  probeNats(): Promise<void>;
  /** The thread's own metrics (the projectors' failures, …), for the worker's `/metrics`. */
  metrics(): Promise<MetricsJson>;
  /** Drains (the relay publishes what is committed, each projector finishes its batch) and ends the thread; the relay's last cursor. */
  stop(): Promise<Cursor | null>;
}

/**
 * The thread's code: from the sources (tsx, jest), TypeScript that the thread has tsx compile (Node 20
 * does not pass a loader's hooks on to a thread); in the CLI's bundle, the file built beside it
 * (cli/bundle.mjs).
 */
const spawnThread = (workerData: DeliveryData): Worker =>
  __filename.endsWith('.ts')
    ? new Worker(`require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register(); require(${JSON.stringify(path.join(__dirname, 'delivery-thread.ts'))});`, {
        eval: true,
        workerData,
      })
    : new Worker(path.join(__dirname, 'delivery-thread.cjs'), { workerData });

/** How long a stopped thread may take to end on its own (a connection to NATS still being tried) before it is ended. */
const END_WAIT_MS = 2_000;

/**
 * Starts the relay (store → JetStream) and the projectors (JetStream → read models) in a thread of
 * their own. On the worker's thread, their reads, publishes and read-model transactions raced the
 * workflow tasks that answer Updates: a payment's second workflow task took 42 ms with them, 21 ms
 * without (README, "Where an approval's and a payment's time goes"). Appends through `db` wake the
 * relay at once by a message, as they did in one thread; their NOTIFYs carry `db`'s token, which the
 * relay passes over.
 */
export const startDelivery = (cfg: Config, db: Kysely<Database>): Delivery => {
  const thread = spawnThread({
    databaseUrl: cfg.DATABASE_URL,
    natsUrl: cfg.NATS_URL,
    streamName: cfg.NATS_STREAM,
    subjectPrefix: cfg.NATS_SUBJECT_PREFIX,
    appendedHereToken: appendedHereToken(db),
    traced: tracing() !== undefined,
  });
  let stopping = false;
  let nextId = 0;
  const asked = new Map<number, { resolve(m: FromDelivery): void; reject(e: Error): void }>();
  const ask = (type: 'probe' | 'metrics'): Promise<FromDelivery> =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      asked.set(id, { resolve, reject });
      thread.postMessage({ type, id } satisfies ToDelivery);
    });

  let startedOk!: () => void;
  let startFailed!: (e: Error) => void;
  const started = new Promise<void>((resolve, reject) => {
    startedOk = resolve;
    startFailed = reject;
  });
  let fail!: (e: Error) => void;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  // Handled by whoever waits on it (workers/main.ts folds it into `running`); never unhandled meanwhile.
  failed.catch(() => undefined);
  let stopped!: (cursor: Cursor | null) => void;
  const stoppedWith = new Promise<Cursor | null>((resolve) => (stopped = resolve));
  const exited = new Promise<void>((resolve) => thread.once('exit', () => resolve()));

  thread.on('message', (m: FromDelivery) => {
    if (m.type === 'started') {
      if (m.error) startFailed(new Error(`the relay and projectors could not start: ${m.error}`));
      else startedOk();
    } else if (m.type === 'probe' || m.type === 'metrics') {
      const a = asked.get(m.id);
      asked.delete(m.id);
      if (m.error) a?.reject(new Error(m.error));
      else a?.resolve(m);
    } else if (m.type === 'spans') receiveSpans(m.spans);
    else stopped(m.relayCursor);
  });
  thread.on('error', (e) => logger.error({ err: e }, "the relay and projectors' thread failed"));
  thread.on('exit', (code) => {
    const e = new Error(`the relay and projectors' thread ended (exit code ${code})`);
    for (const a of asked.values()) a.reject(e);
    asked.clear();
    startFailed(e);
    stopped(null);
    if (!stopping) {
      logger.error({ exitCode: code }, "the relay and projectors' thread ended unasked: the worker stops");
      fail(e);
    }
  });

  // This thread's appends wake the relay at once: one message a turn, however many appends the turn answered.
  let posting = false;
  const stopHearing = onAppendedHere(db, () => {
    if (posting) return;
    posting = true;
    queueMicrotask(() => {
      posting = false;
      if (!stopping) thread.postMessage({ type: 'appended' } satisfies ToDelivery);
    });
  });

  return {
    started,
    failed,
    probeNats: async () => void (await ask('probe')),
    metrics: async () => {
      const m = await ask('metrics');
      return m.type === 'metrics' && m.json ? m.json : [];
    },
    stop: async () => {
      if (!stopping) {
        stopping = true;
        stopHearing();
        thread.postMessage({ type: 'stop' } satisfies ToDelivery);
      }
      const cursor = await stoppedWith;
      const late = setTimeout(() => void thread.terminate(), END_WAIT_MS);
      await exited;
      clearTimeout(late);
      return cursor;
    },
  };
};
