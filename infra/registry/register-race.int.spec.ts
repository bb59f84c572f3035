import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { actor, household } from '../../test/support/exit-households';
import pg from 'pg';
import { memberKey } from '../personal-data/keys';
import { CLAIM_LOCK_CLASS, registerHousehold } from './register';

jest.setTimeout(120_000);

const SALT = 'register-race-spec-salt-0123';
const KEK = Buffer.alloc(32, 7);

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('regrace');
});
afterAll(async () => {
  await t.drop();
});

/** Household `n` of village `v`, whose first member is `person`'s ID number. */
const withPerson = (v: string, n: number, person: string) => {
  const h = household(v, n);
  return { ...h, members: [{ ...h.members[0]!, idNumber: person }, ...h.members.slice(1)] };
};

describe('one person is registered in one household, also when two registrations race', () => {
  it('of two concurrent registrations naming the same person in two households, exactly one succeeds (eight races)', async () => {
    for (let race = 0; race < 8; race++) {
      const person = household('vil-song-pp', 500 + race).members[0]!.idNumber;
      const a = withPerson('vil-song-ra', 100 + race, person);
      const b = withPerson('vil-song-rb', 200 + race, person);
      const outcomes = await Promise.allSettled(
        [a, b].map((h) => registerHousehold(t.appDb, h, { actor: actor('county-official'), salt: SALT, idKey: KEK, now: '2016-03-01T00:00:00.000Z' })),
      );
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect({ race, won: won.length }).toEqual({ race, won: 1 });
      expect(lost.map((o) => (o.reason as { code?: string }).code)).toEqual(['REGISTRY_DUPLICATE']);
      // The store agrees: one household stream holds the person, and the claim names that household.
      const streams = await sql<{ stream_id: string }>`
        SELECT stream_id FROM streams WHERE stream_id = ANY(${[`household-${a.householdId}`, `household-${b.householdId}`]}::text[])`.execute(t.appDb);
      expect(streams.rows).toHaveLength(1);
      const claims = await sql<{ household_id: string }>`
        SELECT DISTINCT household_id FROM household_member_keys WHERE household_id = ANY(${[a.householdId, b.householdId]}::text[])`.execute(t.appDb);
      expect(claims.rows.map((r) => `household-${r.household_id}`)).toEqual([streams.rows[0]!.stream_id]);
    }
  });

  const claimFor = async (person: string, householdId: string, lock: number, minutesAgo: number) => {
    await sql`INSERT INTO household_member_keys (member_key, household_id, claim_lock, registered_at)
              VALUES (${memberKey(person, SALT)}, ${householdId}, ${lock}, now() - make_interval(mins => ${minutesAgo}))`.execute(t.appDb);
  };
  const register = (h: ReturnType<typeof withPerson>) =>
    registerHousehold(t.appDb, h, { actor: actor('county-official'), salt: SALT, idKey: KEK, now: '2016-03-01T00:00:00.000Z' });

  it('a claim whose import is still under way is never taken over, however long that import takes (its session holds the claim lock)', async () => {
    const person = household('vil-song-pp', 600).members[0]!.idNumber;
    // An import that claimed an hour ago and has not appended yet, alive: its session holds its claim lock.
    const alive = new pg.Client({ connectionString: t.appUrl });
    await alive.connect();
    try {
      await alive.query('SELECT pg_advisory_lock($1, $2)', [CLAIM_LOCK_CLASS, 4242]);
      await claimFor(person, 'hh-song-slow0001', 4242, 60);
      await expect(register(withPerson('vil-song-rc', 300, person))).rejects.toMatchObject({ code: 'REGISTRY_DUPLICATE' });
      const { rows } = await sql<{ household_id: string }>`SELECT household_id FROM household_member_keys WHERE member_key = ${memberKey(person, SALT)}`.execute(t.appDb);
      expect(rows.map((r) => r.household_id)).toEqual(['hh-song-slow0001']);
    } finally {
      await alive.end();
    }
  });

  it('a claim left by an import that died before its append (its lock free, its household not in the store) is taken over at once', async () => {
    const person = household('vil-song-pp', 601).members[0]!.idNumber;
    await claimFor(person, 'hh-song-dead0001', 4343, 0);
    const h = withPerson('vil-song-rd', 301, person);
    await expect(register(h)).resolves.toMatchObject({ households: 1, duplicate: false });
    const { rows } = await sql<{ household_id: string }>`SELECT household_id FROM household_member_keys WHERE member_key = ${memberKey(person, SALT)}`.execute(t.appDb);
    expect(rows.map((r) => r.household_id)).toEqual([h.householdId]);
  });
});
