import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../test/support/database';
import { createDb } from './database';

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
});
