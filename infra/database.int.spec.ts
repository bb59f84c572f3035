import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../test/support/database';
import { createDb, createPool } from './database';

jest.setTimeout(60_000);

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('dbopts');
});
afterAll(async () => {
  await t.drop();
});

describe('the pool', () => {
  it('ends a statement that runs past statementTimeoutMs (the API sets 30 s), and the connection serves the next query', async () => {
    const db = createDb(t.appUrl, { max: 1, applicationName: 'test-timeout', statementTimeoutMs: 200 });
    try {
      await expect(sql`SELECT pg_sleep(2)`.execute(db)).rejects.toMatchObject({ code: '57014' });
      expect((await sql<{ one: number }>`SELECT 1 AS one`.execute(db)).rows[0]?.one).toBe(1);
    } finally {
      await db.destroy();
    }
  });

  it('survives the server ending a connection that is checked out (a transaction between statements): the error is heard, the next query gets a new connection', async () => {
    const pool = createPool(t.appUrl, { max: 2, applicationName: 'test-checked-out' });
    try {
      const client = await pool.connect();
      const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      await sql`SELECT pg_terminate_backend(${pid})`.execute(t.adminDb);
      await new Promise((r) => setTimeout(r, 300));
      // Unheard, an 'error' on a checked-out client throws out of the socket's callback and ends the process.
      expect(() => client.emit('error', new Error('connection ended'))).not.toThrow();
      client.release(true);
      expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one).toBe(1);
    } finally {
      await pool.end();
    }
  });
});
