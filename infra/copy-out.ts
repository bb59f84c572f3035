import type pg from 'pg';

/**
 * `COPY … TO STDOUT` through node-pg, which has no COPY out of its own: its query interface (a
 * "submittable", handed the protocol's messages by the client) for the bytes PostgreSQL sends, as
 * they arrive, never decoded into JavaScript strings: the fastest way rows get from PostgreSQL into
 * this process (the audit trail's rendered entries; the audit bench's baseline, a trail's rows alone).
 */
class CopyOut implements pg.Submittable {
  /** What `take` threw: the COPY is read to its end (the connection stays usable), then fails with it. */
  private failed: unknown = undefined;

  constructor(
    private readonly text: string,
    private readonly take: (bytes: Buffer) => void,
    private readonly settle: (err?: unknown) => void,
  ) {}

  submit(connection: pg.Connection): void {
    connection.query(this.text);
  }

  handleCopyData(msg: { chunk: Buffer }): void {
    if (this.failed !== undefined) return;
    try {
      this.take(msg.chunk);
    } catch (e) {
      this.failed = e;
    }
  }

  handleReadyForQuery(): void {
    this.settle(this.failed);
  }

  // The client calls this instead of handleReadyForQuery when the statement fails (or the connection ends).
  handleError(err: Error): void {
    this.settle(err);
  }

  handleCopyInResponse(connection: pg.Connection): void {
    (connection as unknown as { sendCopyFail(message: string): void }).sendCopyFail('only COPY … TO STDOUT is read here');
  }

  handleCommandComplete(): void {}
  handleEmptyQuery(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handlePortalSuspended(): void {}
}

/**
 * Runs `COPY (<query>) TO STDOUT …` on a connection of the pool, handing `take` each CopyData
 * message's bytes as they arrive (PostgreSQL sends one a row; the protocol parser reuses the buffer
 * once `take` returns: copy what is kept), and gives the connection back when the COPY has ended.
 * Fails with the statement's error, or with what `take` threw.
 */
export const copyOut = async (pool: pg.Pool, text: string, take: (bytes: Buffer) => void): Promise<void> => {
  const client = await pool.connect();
  try {
    await new Promise<void>((resolve, reject) => {
      void client.query(new CopyOut(text, take, (err) => (err === undefined ? resolve() : reject(err))));
    });
  } catch (e) {
    // A statement's failure leaves the connection usable, but which failed is not worth telling apart here: a new one is cheap.
    client.release(e instanceof Error ? e : true);
    throw e;
  }
  client.release();
};

/** A binary COPY's header: the signature (`PGCOPY\n\377\r\n\0`), its flags (int32), then its extension's length (int32) and the extension. */
const SIGNATURE_BYTES = 11;

/**
 * The values of a query of one text column, in its rows' order, as PostgreSQL sends them (UTF-8:
 * the connection's encoding), `separator` between each two, never decoded into JavaScript strings:
 * `COPY (<query>) TO STDOUT (FORMAT binary)`, each row `int16 1, int32 length, bytes`. Null when
 * a row's value is NULL. The query is COPY's: it takes no parameters, every value in it a literal.
 */
export const copyTexts = async (pool: pg.Pool, query: string, separator: string): Promise<{ bytes: Buffer; rows: number } | null> => {
  const sep = Buffer.from(separator);
  // Values are moved down in place over their rows' 6 header bytes: a longer separator would overwrite what is still to be read.
  if (sep.length > 6) throw new Error(`copyTexts: a separator of ${sep.length} bytes (at most 6)`);
  let buf = Buffer.allocUnsafe(1 << 16);
  let len = 0;
  await copyOut(pool, `COPY (${query}) TO STDOUT (FORMAT binary)`, (b) => {
    if (len + b.length > buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, len + b.length));
      buf.copy(bigger, 0, 0, len);
      buf = bigger;
    }
    len += b.copy(buf, len);
  });
  const need = (at: number, n: number): void => {
    if (at + n > len) throw new Error(`copyTexts: the COPY ended after ${len} bytes, in a row`);
  };
  need(0, SIGNATURE_BYTES + 8);
  let at = SIGNATURE_BYTES + 8 + buf.readInt32BE(SIGNATURE_BYTES + 4);
  let out = 0;
  let rows = 0;
  for (;;) {
    need(at, 2);
    const fields = buf.readInt16BE(at);
    at += 2;
    if (fields === -1) break;
    if (fields !== 1) throw new Error(`copyTexts: a row of ${fields} columns (one expected)`);
    need(at, 4);
    const n = buf.readInt32BE(at);
    at += 4;
    if (n === -1) return null;
    need(at, n);
    if (rows > 0) out += sep.copy(buf, out);
    out += buf.copy(buf, out, at, at + n);
    at += n;
    rows++;
  }
  return { bytes: buf.subarray(0, out), rows };
};
