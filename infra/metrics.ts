import { sql, type Kysely } from 'kysely';
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import type { Database } from './database';
import { PROJECTIONS } from './projections/all';
import { projectorLag } from './projections/lag';
import { tailStall } from './eventstore/read';
import { START } from './eventstore/types';

/**
 * The process's Prometheus metrics (`GET /metrics` on the API and on the worker). What the store
 * knows (its head, size, the relay's and each projector's lag, the tail gate) is read from
 * PostgreSQL when scraped, so every process reports the same truth and a stalled relay shows as lag
 * wherever it is scraped; what only a process sees (rail answers, HTTP requests, rail latency) is
 * counted where it happens.
 */
export const metrics = new Registry();
metrics.setDefaultLabels({ service: 'tuopin' });

export const paymentOutcomes = new Counter({
  name: 'tuopin_payment_outcomes_total',
  help: 'Rail answers to payment attempts (project milestones and household benefits), by outcome: confirmed, rejected, pending, failed',
  labelNames: ['outcome'] as const,
  registers: [metrics],
});

export const railLatency = new Histogram({
  name: 'tuopin_rail_call_seconds',
  help: 'Time of one call to the payment rail (status or submit)',
  labelNames: ['call'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metrics],
});

export const httpRequests = new Counter({
  name: 'tuopin_http_requests_total',
  help: 'HTTP requests answered, by route pattern, method and status',
  labelNames: ['route', 'method', 'status'] as const,
  registers: [metrics],
});

export const httpSeconds = new Histogram({
  name: 'tuopin_http_request_seconds',
  help: 'Time to answer an HTTP request, by route pattern and method',
  labelNames: ['route', 'method'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metrics],
});

export const appendSeconds = new Histogram({
  name: 'tuopin_append_seconds',
  help: 'Time of one append to the event store (its batch round trip), by outcome: written, conflict (expected version), failed',
  labelNames: ['outcome'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [metrics],
});

export const appendedEvents = new Counter({
  name: 'tuopin_appended_events_total',
  help: 'Events this process wrote to the store (a retried append answered with its original positions is not counted)',
  registers: [metrics],
});

/** Counted where the command handler retries: on a hot fund they measured what concurrency cost (issue 18, hot funds). */
export const commandConflicts = new Counter({
  name: 'tuopin_command_conflicts_total',
  help: 'Version conflicts a command met and retried (read and decided again), by stream category (fund, round, …)',
  labelNames: ['category'] as const,
  registers: [metrics],
});

export const projectorFailures = new Counter({
  name: 'tuopin_projector_failures_total',
  help: 'Failures of a projector, by projection and stage: batch (applying a batch, retried in place) or consume (the JetStream consumer ended)',
  labelNames: ['projection', 'stage'] as const,
  registers: [metrics],
});

/** Attempts of stuck steps in this process (the fifth attempt of an activity and every one after), by activity type. */
export const stuckStepAttempts = new Counter({
  name: 'tuopin_stuck_step_attempts_total',
  help: 'Attempts of activities that kept failing (from the fifth attempt on), by activity type',
  labelNames: ['activity'] as const,
  registers: [metrics],
});

export const verifyOk = new Gauge({
  name: 'tuopin_verify_ok',
  help: 'The last hash-chain verification this process ran: 1 every chain held, 0 a link is broken (absent until one ran)',
  registers: [metrics],
});

export const verifyBrokenLinks = new Gauge({
  name: 'tuopin_verify_broken_links',
  help: 'Broken links the last verification found',
  registers: [metrics],
});

export const verifyLastRun = new Gauge({
  name: 'tuopin_verify_last_run_timestamp_seconds',
  help: 'When the last verification this process ran finished (Unix seconds)',
  registers: [metrics],
});

/** Gauges read from the store when scraped: the store of the scrape in progress (scrapes take turns). */
let storeDb: Kysely<Database> | undefined;
let turn: Promise<unknown> = Promise.resolve();

const scalar = async (db: Kysely<Database>, q: ReturnType<typeof sql<{ v: string | null }>>): Promise<number> => Number((await q.execute(db)).rows[0]?.v ?? 0);

new Gauge({
  name: 'tuopin_store_head_position',
  help: 'The highest position in the event store',
  registers: [metrics],
  async collect() {
    if (storeDb) this.set(await scalar(storeDb, sql<{ v: string | null }>`SELECT max(position)::text AS v FROM events`));
  },
});

new Gauge({
  name: 'tuopin_store_bytes',
  help: 'Size of the events table with its indexes and TOAST',
  registers: [metrics],
  async collect() {
    if (storeDb) this.set(await scalar(storeDb, sql<{ v: string | null }>`SELECT pg_total_relation_size('events')::text AS v`));
  },
});

new Gauge({
  name: 'tuopin_relay_lag_events',
  help: 'Committed events the relay has not yet published to JetStream (in commit order after its checkpoint)',
  labelNames: ['relay'] as const,
  registers: [metrics],
  async collect() {
    if (!storeDb) return;
    const { rows } = await sql<{ name: string; lag: string }>`
      SELECT r.name, (SELECT count(*) FROM events e WHERE (e.tx_id, e.position) > (r.tx_id, r.position))::text AS lag FROM relay_checkpoints r`.execute(storeDb);
    this.reset();
    for (const r of rows) this.set({ relay: r.name }, Number(r.lag));
  },
});

new Gauge({
  name: 'tuopin_projector_lag_events',
  help: 'Committed events of the types a projection handles that it has not yet applied (after its checkpoint; all of them when it has none)',
  labelNames: ['projection'] as const,
  registers: [metrics],
  async collect() {
    if (!storeDb) return;
    const db = storeDb;
    const lags = await Promise.all(PROJECTIONS.map((p) => projectorLag(db, p)));
    this.reset();
    PROJECTIONS.forEach((p, i) => this.set({ projection: p.name }, lags[i]!));
  },
});

new Gauge({
  name: 'tuopin_tail_gate_hidden_events',
  help: "Committed events the tail cannot read yet because a transaction older than them, which may be this database's, is still open (the gate's lag)",
  registers: [metrics],
  async collect() {
    if (storeDb) this.set((await tailStall(storeDb, START)).waiting);
  },
});

new Gauge({
  name: 'tuopin_oldest_transaction_seconds',
  help: 'Age of the oldest open transaction this role can see on the cluster (a long one holds back the relay and every rebuild)',
  registers: [metrics],
  async collect() {
    if (storeDb)
      this.set(
        await scalar(
          storeDb,
          sql<{
            v: string | null;
          }>`SELECT coalesce(extract(epoch FROM now() - min(xact_start)), 0)::text AS v FROM pg_stat_activity WHERE backend_xid IS NOT NULL OR backend_xmin IS NOT NULL`,
        ),
      );
  },
});

new Gauge({
  name: 'tuopin_stuck_steps',
  help: "Steps recorded as stuck (stuck_steps), by state: 'retrying' still tried, 'failed' after its retries, 'recovered' later",
  labelNames: ['state'] as const,
  registers: [metrics],
  async collect() {
    if (!storeDb) return;
    const { rows } = await sql<{ state: string; n: string }>`SELECT state, count(*)::text AS n FROM stuck_steps GROUP BY state`.execute(storeDb);
    this.reset();
    for (const state of ['retrying', 'failed', 'recovered']) this.set({ state }, Number(rows.find((r) => r.state === state)?.n ?? 0));
  },
});

/** A registry's metrics as another thread sends them (`metrics.getMetricsAsJSON()`). */
export type MetricsJson = MetricObjectWithValues<MetricValue<string>>[];

/**
 * The text a Prometheus scrape receives, with the store figures read from `db`, and its content type.
 * `others`: the metrics of the process's other threads (a thread has a registry of its own: the
 * worker's relay and projectors, workers/delivery.ts), added to this one's metric by metric.
 */
export const scrape = (db: Kysely<Database>, others?: () => Promise<readonly MetricsJson[]>): Promise<{ body: string; contentType: string }> => {
  const next = turn.then(async () => {
    storeDb = db;
    try {
      if (!others) return { body: await metrics.metrics(), contentType: metrics.contentType };
      // Theirs first, so this thread's store figures are read while theirs come.
      const theirs = others();
      const mine = await metrics.getMetricsAsJSON();
      const merged = AggregatorRegistry.aggregate([mine, ...(await theirs)]);
      return { body: await merged.metrics(), contentType: metrics.contentType };
    } finally {
      storeDb = undefined;
    }
  });
  turn = next.catch(() => undefined);
  return next;
};
