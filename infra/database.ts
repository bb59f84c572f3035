import { Kysely, PostgresDialect, type Dialect } from 'kysely';
import pg from 'pg';
import { logger } from './logger';
import type { EventsTable, RefsTable, StreamsTable } from './eventstore/events.table';
import type { RelayCheckpointsTable } from './relay/relay-checkpoints.table';
import type { ProjectionCheckpointsTable } from './projections/projection-checkpoints.table';
import type { ProjectSummaryTable } from './projections/project-summary/project-summary.table';
import type { FundBalancesTable } from './projections/fund-balances/fund-balances.table';
import type { PaymentLedgerTable } from './projections/payment-ledger/payment-ledger.table';
import type { AnomaliesTable } from './projections/anomalies/anomalies.table';
import type { StuckStepsTable } from './operations/stuck-steps.table';
import type { CountyCheckFindingsTable, ExitProgressTable, HouseholdMemberKeysTable } from './registry/registry.table';

/** Every table the application reads or writes. Read models add their `XxxTable` here. */
export interface Database {
  events: EventsTable;
  refs: RefsTable;
  streams: StreamsTable;
  relay_checkpoints: RelayCheckpointsTable;
  projection_checkpoints: ProjectionCheckpointsTable;
  project_summary: ProjectSummaryTable;
  fund_balances: FundBalancesTable;
  payment_ledger: PaymentLedgerTable;
  anomalies: AnomaliesTable;
  household_member_keys: HouseholdMemberKeysTable;
  county_check_findings: CountyCheckFindingsTable;
  exit_progress: ExitProgressTable;
  stuck_steps: StuckStepsTable;
}

export interface CreateDbOptions {
  /** Pool size. max_connections is shared by every process on the machine: keep it small. */
  max?: number;
  /**
   * Any open transaction holding an xid holds back every gap-safe tailer in the cluster, so an
   * abandoned one is killed quickly rather than left to stall the relay.
   */
  idleInTransactionTimeoutMs?: number;
  applicationName?: string;
  /** Ends any one statement that runs longer (SQLSTATE 57014): a reader's query never holds a connection for minutes. */
  statementTimeoutMs?: number;
}

export const createPool = (url: string, opts: CreateDbOptions = {}): pg.Pool => {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 8,
    idle_in_transaction_session_timeout: opts.idleInTransactionTimeoutMs ?? 10_000,
    application_name: opts.applicationName ?? 'tuopin',
    ...(opts.statementTimeoutMs !== undefined ? { statement_timeout: opts.statementTimeoutMs } : {}),
  });
  // An idle connection the server ends (a restart, an administrator, a dropped database) is an
  // event on the pool, not on any query: unheard, it would take the process down. The pool
  // discards it and opens another when one is needed.
  pool.on('error', (err: Error & { code?: string }) =>
    logger.warn({ code: err.code, reason: err.message, applicationName: opts.applicationName }, 'idle database connection ended by the server; the pool replaces it'),
  );
  // A connection checked out (a transaction between its statements) that the server ends emits
  // its error on the client, where the pool does not listen: unheard, it took the worker down when
  // PostgreSQL restarted (infra/readiness.int.spec.ts). The statement under way fails on its own.
  pool.on('connect', (client) =>
    client.on('error', (err: Error & { code?: string }) =>
      logger.warn({ code: err.code, reason: err.message, applicationName: opts.applicationName }, 'database connection ended by the server while checked out'),
    ),
  );
  return pool;
};

const pools = new WeakMap<Kysely<Database>, pg.Pool>();

/**
 * A kysely instance over its own pg Pool (its dialect wrapped by `wrap`, if given); `db.destroy()`
 * ends the pool.
 */
export const createDb = (url: string, opts: CreateDbOptions = {}, wrap: (d: Dialect) => Dialect = (d) => d): Kysely<Database> => {
  const pool = createPool(url, opts);
  const db = new Kysely<Database>({ dialect: wrap(new PostgresDialect({ pool })) });
  pools.set(db, pool);
  return db;
};

/**
 * The pg Pool under a createDb instance, for what kysely cannot say: COPY … TO STDOUT
 * (infra/copy-out.ts). Not a transaction's: its statements must run on its own connection.
 */
export const poolOf = (db: Kysely<Database>): pg.Pool => {
  const pool = pools.get(db);
  if (!pool) throw new Error('poolOf: not a createDb instance (a transaction, or a Kysely built elsewhere)');
  return pool;
};
