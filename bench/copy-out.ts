import type pg from 'pg';

/**
 * `COPY … TO STDOUT` through node-pg, which has no COPY out of its own: its query interface (a
 * "submittable", handed the protocol's messages by the client) for the bytes PostgreSQL sends, as
 * they arrive, never decoded into JavaScript strings: the fastest way rows get from PostgreSQL into
 * this process (the audit bench's baseline: reading a trail's rows alone).
 */
export class CopyOut implements pg.Submittable {
  private readonly chunks: Buffer[] = [];
  private done = false;
  private error: Error | null = null;
  private wake: (() => void) | null = null;

  constructor(private readonly text: string) {}

  submit(connection: pg.Connection): void {
    connection.query(this.text);
  }

  /** The COPY's bytes, a CopyData message at a time (PostgreSQL sends one a row). */
  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    for (;;) {
      if (this.chunks.length > 0) {
        yield* this.chunks.splice(0);
        continue;
      }
      if (this.error) throw this.error;
      if (this.done) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  handleCopyData(msg: { chunk: Buffer }): void {
    // The protocol parser reuses its buffer once the message is handled: keep a copy.
    this.chunks.push(Buffer.from(msg.chunk));
    this.notify();
  }

  handleReadyForQuery(): void {
    this.done = true;
    this.notify();
  }

  handleError(err: Error): void {
    this.error = err;
    this.notify();
  }

  handleCopyInResponse(connection: pg.Connection): void {
    (connection as unknown as { sendCopyFail(message: string): void }).sendCopyFail('only COPY … TO STDOUT is read here');
  }

  handleCommandComplete(): void {}
  handleEmptyQuery(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handlePortalSuspended(): void {}

  private notify(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }
}

/** Runs `COPY (<query>) TO STDOUT …` on a connection of the pool, and gives it back when the COPY has ended. */
export async function* copyOut(pool: pg.Pool, text: string): AsyncGenerator<Buffer> {
  const client = await pool.connect();
  const copy = new CopyOut(text);
  let failed: Error | undefined;
  try {
    void client.query(copy);
    yield* copy;
  } catch (e) {
    failed = e instanceof Error ? e : new Error(String(e));
    throw e;
  } finally {
    // A consumer that stopped early leaves the COPY running: drain it before the connection is reused.
    if (!failed) for await (const _ of copy);
    client.release(failed);
  }
}
