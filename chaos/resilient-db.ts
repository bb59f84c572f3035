import {
  type Kysely,
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { createDb, type CreateDbOptions, type Database } from '../infra/database';

/**
 * The fault run's simulation driver stands for people at their desks: when PostgreSQL restarts
 * under them they try again. A statement outside a transaction that fails because the server went
 * away (or is starting up) is sent again on a fresh connection until it answers (up to `patienceMs`);
 * one inside a transaction fails as it would anywhere. Every write the driver makes outside a
 * transaction is a single idempotent statement (an append with derived event ids, or a refused one).
 * The workers do not use this: they must live with restarts on their own.
 */
const TRANSIENT_CODES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE']);

export const isTransient = (e: unknown): boolean => {
  const err = e as { code?: string; message?: string } | undefined;
  return (
    (err?.code !== undefined && TRANSIENT_CODES.has(err.code)) ||
    /Connection terminated|connection (is )?(closed|ended)|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(err?.message ?? '')
  );
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class RetryingConnection implements DatabaseConnection {
  inTransaction = false;
  constructor(
    readonly inner: DatabaseConnection,
    private readonly driver: RetryingDriver,
  ) {}

  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    try {
      return await this.inner.executeQuery<R>(q);
    } catch (e) {
      if (this.inTransaction || !isTransient(e)) throw e;
      return this.driver.again<R>(q, e);
    }
  }

  streamQuery<R>(q: CompiledQuery, chunkSize: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(q, chunkSize);
  }
}

class RetryingDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly patienceMs: number,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  private async acquireInner(): Promise<DatabaseConnection> {
    const t0 = Date.now();
    for (;;) {
      try {
        return await this.inner.acquireConnection();
      } catch (e) {
        if (!isTransient(e) || Date.now() - t0 > this.patienceMs) throw e;
        await sleep(500);
      }
    }
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new RetryingConnection(await this.acquireInner(), this);
  }

  /** The statement again on fresh connections, until it answers or the patience runs out. */
  async again<R>(q: CompiledQuery, first: unknown): Promise<QueryResult<R>> {
    const t0 = Date.now();
    let last = first;
    while (Date.now() - t0 < this.patienceMs) {
      await sleep(500);
      let c: DatabaseConnection | undefined;
      try {
        c = await this.acquireInner();
        return await c.executeQuery<R>(q);
      } catch (e) {
        if (!isTransient(e)) throw e;
        last = e;
      } finally {
        if (c) await this.inner.releaseConnection(c);
      }
    }
    throw last;
  }

  async beginTransaction(c: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    (c as RetryingConnection).inTransaction = true;
    await this.inner.beginTransaction((c as RetryingConnection).inner, settings);
  }

  async commitTransaction(c: DatabaseConnection): Promise<void> {
    try {
      await this.inner.commitTransaction((c as RetryingConnection).inner);
    } finally {
      (c as RetryingConnection).inTransaction = false;
    }
  }

  async rollbackTransaction(c: DatabaseConnection): Promise<void> {
    try {
      await this.inner.rollbackTransaction((c as RetryingConnection).inner);
    } finally {
      (c as RetryingConnection).inTransaction = false;
    }
  }

  releaseConnection(c: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection((c as RetryingConnection).inner);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

class RetryingDialect implements Dialect {
  constructor(
    private readonly inner: Dialect,
    private readonly patienceMs: number,
  ) {}
  createDriver(): Driver {
    return new RetryingDriver(this.inner.createDriver(), this.patienceMs);
  }
  createQueryCompiler(): QueryCompiler {
    return this.inner.createQueryCompiler();
  }
  createAdapter(): DialectAdapter {
    return this.inner.createAdapter();
  }
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return this.inner.createIntrospector(db);
  }
}

/** createDb's connections, whose statements outside a transaction outlast a PostgreSQL restart. */
export const createPatientDb = (url: string, opts: CreateDbOptions = {}, patienceMs = 120_000): Kysely<Database> => createDb(url, opts, (d) => new RetryingDialect(d, patienceMs));
