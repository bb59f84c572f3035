import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database';
import type { StoredEvent } from '../../eventstore/types';
import { mulberry32 } from '../../../domain/synthetic';
import { exitProgress } from '.';

jest.setTimeout(60_000);

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('exitprog');
});
afterAll(async () => {
  await t.drop();
});

const event = (position: number, type: string, data: Record<string, unknown>): StoredEvent =>
  ({
    position,
    txId: String(position),
    streamId: `x-${position}`,
    category: 'x',
    streamVersion: 1,
    eventId: `e-${position}`,
    type,
    schemaVersion: 1,
    storedSchemaVersion: 1,
    data,
    metadata: {},
    recordedAt: '',
  }) as unknown as StoredEvent;
const exit = (position: number, householdId: string, year = 2016, memberCount = 3) =>
  event(position, 'HouseholdExitAnnounced', { householdId, countyId: 'song', year, memberCount });
const back = (position: number, householdId: string) => event(position, 'HouseholdReturnedToPoverty', { householdId });
const village = (position: number, villageId: string) => event(position, 'VillageExited', { villageId, countyId: 'song', year: 2016 });

let tables = 0;
const freshTable = async (): Promise<string> => {
  const name = `exit_progress_t${++tables}`;
  await sql`CREATE TABLE ${sql.table(name)} (LIKE exit_progress INCLUDING ALL)`.execute(t.adminDb);
  return name;
};
const applied = async (table: string, batches: readonly (readonly StoredEvent[])[]): Promise<unknown[]> => {
  for (const b of batches) await t.adminDb.transaction().execute((trx) => exitProgress.apply(trx, table, b));
  return (await sql`SELECT kind, id, county_id, exit_year, member_count, returned, last_event_position::int AS p FROM ${sql.table(table)} ORDER BY kind, id`.execute(t.adminDb))
    .rows;
};

describe('exit_progress applies a batch set-based', () => {
  it('keeps commit order across exits and returns of one household in one batch', async () => {
    const rows = await applied(await freshTable(), [[exit(1, 'h1'), back(2, 'h1'), exit(3, 'h1', 2017, 4), exit(4, 'h2'), back(5, 'h2'), village(6, 'v1')]]);
    expect(rows).toEqual([
      { kind: 'household', id: 'h1', county_id: 'song', exit_year: 2017, member_count: 4, returned: false, p: 3 },
      { kind: 'household', id: 'h2', county_id: 'song', exit_year: 2016, member_count: 3, returned: true, p: 5 },
      { kind: 'village', id: 'v1', county_id: 'song', exit_year: 2016, member_count: 0, returned: false, p: 6 },
    ]);
  });

  it('takes a key twice in one run (the later position wins) and never moves a row back', async () => {
    const table = await freshTable();
    const rows = await applied(table, [
      [exit(10, 'h1', 2016, 2), exit(12, 'h1', 2018, 5), exit(11, 'h1', 2017, 4)],
      [exit(9, 'h1', 2015, 1), back(8, 'h1')],
    ]);
    expect(rows).toEqual([{ kind: 'household', id: 'h1', county_id: 'song', exit_year: 2018, member_count: 5, returned: false, p: 12 }]);
  });

  it('leaves what applying each event alone leaves, for a mixed walk', async () => {
    // A seeded walk of exits, returns and village exits over a few keys, positions mostly rising.
    const rng = mulberry32(7);
    const rnd = (n: number) => rng.int(0, n - 1);
    const events: StoredEvent[] = [];
    for (let p = 1; p <= 400; p++) {
      const pos = p * 10 + rnd(15);
      const k = rnd(10);
      events.push(k < 6 ? exit(pos, `h${rnd(12)}`, 2016 + rnd(4), 1 + rnd(6)) : k < 9 ? back(pos, `h${rnd(12)}`) : village(pos, `v${rnd(3)}`));
    }
    const batches: StoredEvent[][] = [];
    for (let i = 0; i < events.length; i += 37) batches.push(events.slice(i, i + 37));
    const together = await applied(await freshTable(), batches);
    const alone = await applied(
      await freshTable(),
      events.map((e) => [e]),
    );
    expect(together).toEqual(alone);
    expect(together.length).toBeGreaterThan(10);
  });
});
