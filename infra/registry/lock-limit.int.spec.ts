import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { actor } from '../../test/support/exit-households';
import { householdsPerFileLimit, registerRows } from './register';

jest.setTimeout(60_000);

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('locklimit');
});
afterAll(async () => {
  await t.drop();
});

describe("a registry file is never larger than the server's lock table can take", () => {
  it('is half of max_locks_per_transaction × (max_connections + max_prepared_transactions), at most 20,000', async () => {
    const { rows } = await sql<{
      slots: number;
    }>`SELECT current_setting('max_locks_per_transaction')::int * (current_setting('max_connections')::int + current_setting('max_prepared_transactions')::int) AS slots`.execute(
      t.appDb,
    );
    expect(await householdsPerFileLimit(t.appDb)).toBe(Math.min(20_000, Math.floor(Number(rows[0]!.slots) / 2)));
  });

  it('a larger file is refused at the start with a typed error naming the setting (never out of shared memory, never a 500), and nothing is written', async () => {
    const limit = await householdsPerFileLimit(t.appDb);
    const rows = Array.from({ length: limit + 1 }, (_, i) => ({ line: i + 2, row: i + 1, value: { householdId: `hh-song-${i}` } }));
    await expect(registerRows(t.appDb, rows, { actor: actor('county-official'), salt: 'lock-limit-spec-salt-0123', importKey: 'big' })).rejects.toMatchObject({
      code: 'REGISTRY_FILE_TOO_LARGE',
      message: expect.stringMatching(/max_locks_per_transaction/),
    });
    expect((await sql<{ n: string }>`SELECT count(*) AS n FROM events`.execute(t.appDb)).rows[0]!.n).toBe('0');
  });
});
