import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { sample, testRegistry } from '../../test/support/events';
import { appendToStream } from './append';

jest.setTimeout(60_000);

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('appendonly');
  await appendToStream(t.appDb, 'sample-ao', 'no-stream', [sample('ao-1')], testRegistry);
});
afterAll(async () => {
  await t.drop();
});

describe('the store is append-only in the database', () => {
  it.each([
    ['UPDATE events', sql`UPDATE events SET type = 'X'`],
    ['DELETE events', sql`DELETE FROM events`],
    ['TRUNCATE events', sql`TRUNCATE events`],
    ['UPDATE refs', sql`UPDATE refs SET ref_id = 'x'`],
    ['DELETE refs', sql`DELETE FROM refs`],
    ['TRUNCATE refs', sql`TRUNCATE refs`],
    ['DELETE streams', sql`DELETE FROM streams`],
  ])('the application role may not %s', async (_, statement) => {
    await expect(statement.execute(t.appDb)).rejects.toMatchObject({ code: '42501' });
  });

  it.each([
    ['UPDATE events', sql`UPDATE events SET type = 'X'`],
    ['DELETE events', sql`DELETE FROM events`],
    ['TRUNCATE events', sql`TRUNCATE events`],
    ['UPDATE refs', sql`UPDATE refs SET ref_id = 'x'`],
    ['DELETE refs', sql`DELETE FROM refs`],
    ['TRUNCATE refs', sql`TRUNCATE refs`],
    ['DELETE streams', sql`DELETE FROM streams`],
    ['TRUNCATE streams', sql`TRUNCATE streams CASCADE`],
  ])('even the owner is refused %s by a trigger', async (_, statement) => {
    await expect(statement.execute(t.adminDb)).rejects.toMatchObject({ code: 'TU010' });
  });

  it('the application role may read and write read models', async () => {
    await sql`INSERT INTO project_summary (project_id, county_id, category, name, budget_fen, fiscal_year, stage, proposed_by, last_event_position)
              VALUES ('prj-song-2016-0001', 'song', 'industry', 'x', 1, 2016, 'proposed', 'u', 1)`.execute(t.appDb);
    await sql`UPDATE project_summary SET stage = 'approved'`.execute(t.appDb);
    await sql`DELETE FROM project_summary`.execute(t.appDb);
  });

  it('application connections kill abandoned transactions', async () => {
    const { rows } = await sql<{ v: string }>`SELECT current_setting('idle_in_transaction_session_timeout') AS v`.execute(t.appDb);
    expect(rows[0]?.v).not.toBe('0');
  });
});
