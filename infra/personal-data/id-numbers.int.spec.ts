import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { actor, household } from '../../test/support/exit-households';
import { metadata } from '../../test/support/events';
import type { Role } from '../../domain/shared/actor';
import { canonicalJson } from '../eventstore/canonical';
import { readStream, verify } from '../eventstore';
import { registerHousehold } from '../registry/register';
import { eraseIdNumbers, readIdNumbers } from './id-numbers';
import { migrateVersion1IdNumbers } from './migrate-v1';

jest.setTimeout(90_000);

const SALT = 'id-numbers-spec-salt-0123456789';
const KEK = randomBytes(32);
const VILLAGE = 'vil-song-001';
const NOW = '2016-03-01T08:00:00+08:00';
const meta = (role: Role, userId?: string) => ({ actor: actor(role, userId), now: new Date().toISOString() });
const A = household(VILLAGE, 1);
const B = household(VILLAGE, 2);
/** The birth-date digits: what the masked form hides and no event may hold. */
const hidden = (id: string): string => id.slice(6, 14);

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('idnumbers');
  for (const h of [A, B]) await registerHousehold(t.appDb, h, { actor: actor('county-official'), salt: SALT, idKey: KEK, now: NOW });
});
afterAll(async () => {
  await t.drop();
});

const eventsText = async (): Promise<string> => JSON.stringify((await sql<{ data: unknown }>`SELECT data FROM events`.execute(t.adminDb)).rows);

describe("residents' ID numbers are kept out of the store", () => {
  it('events carry each member key and masked number, never the clear number', async () => {
    const [e] = await readStream(t.appDb, `household-${A.householdId}`);
    expect((e!.data as { members: unknown[] }).members).toEqual(
      A.members.map((m) => ({
        memberKey: expect.stringMatching(/^mk1-[0-9a-f]{64}$/),
        idMasked: `${m.idNumber.slice(0, 6)}********${m.idNumber.slice(14)}`,
        relation: m.relation,
      })),
    );
    const text = await eventsText();
    for (const m of [...A.members, ...B.members]) expect(text).not.toContain(hidden(m.idNumber));
  });

  it('the clear numbers are in their table only sealed', async () => {
    const { rows } = await sql<{ sealed: Buffer }>`SELECT sealed FROM household_member_ids`.execute(t.adminDb);
    expect(rows).toHaveLength(6);
    const all = Buffer.concat(rows.map((r) => r.sealed)).toString('latin1');
    for (const m of A.members) expect(all).not.toContain(hidden(m.idNumber));
  });

  it("the household's county official reads them with a reason, and the read is recorded first", async () => {
    const r = await readIdNumbers(t.appDb, KEK, A.householdId, 'identity check for the 2016 review', meta('county-official', 'co-song-07'));
    expect(r.members.map((m) => m.idNumber).sort()).toEqual(A.members.map((m) => m.idNumber).sort());
    const trail = await readStream(t.appDb, `pii-${A.householdId}`);
    expect(
      trail.map((e) => [e.type, (e.data as { by: string; reason: string; members: number }).by, (e.data as { reason: string }).reason, (e.data as { members: number }).members]),
    ).toEqual([['IdNumbersRead', 'co-song-07', 'identity check for the 2016 review', 3]]);
  });

  it.each([
    ['an auditor', 'auditor' as Role],
    ['an inspector', 'inspector' as Role],
    ['county finance', 'county-finance' as Role],
    ['the township', 'township-official' as Role],
  ])('%s may not read them, and nothing is recorded', async (_, role) => {
    const before = (await readStream(t.appDb, `pii-${B.householdId}`)).length;
    await expect(readIdNumbers(t.appDb, KEK, B.householdId, 'just curious here', meta(role))).rejects.toMatchObject({ code: 'ID_NUMBERS_NOT_PERMITTED' });
    expect(await readStream(t.appDb, `pii-${B.householdId}`)).toHaveLength(before);
  });

  it("another county's official may not read them; a reason is required", async () => {
    const other = { actor: { userId: 'co-luanchuan-01', role: 'county-official' as const, countyId: 'luanchuan' as const }, now: new Date().toISOString() };
    await expect(readIdNumbers(t.appDb, KEK, B.householdId, 'identity check', other)).rejects.toMatchObject({ code: 'ID_NUMBERS_NOT_PERMITTED' });
    await expect(readIdNumbers(t.appDb, KEK, B.householdId, ' ', meta('county-official'))).rejects.toMatchObject({ code: 'ID_NUMBERS_REASON_REQUIRED' });
  });

  it('erasing destroys the data key: the numbers can never be read again, the events and the chain stay', async () => {
    const before = await eventsText();
    expect(await eraseIdNumbers(t.appDb, A.householdId, 'the person asked for deletion (PIPL art. 47)', meta('county-official'))).toEqual({ erased: 3 });
    await expect(readIdNumbers(t.appDb, KEK, A.householdId, 'identity check', meta('county-official'))).rejects.toMatchObject({ code: 'ID_NUMBERS_ERASED' });
    expect((await sql<{ n: string }>`SELECT count(*) AS n FROM household_data_keys WHERE household_id = ${A.householdId}`.execute(t.adminDb)).rows[0]!.n).toBe('0');
    expect((await sql<{ n: string }>`SELECT count(*) AS n FROM household_member_ids WHERE household_id = ${A.householdId}`.execute(t.adminDb)).rows[0]!.n).toBe('0');
    expect(JSON.parse(await eventsText())).toEqual(expect.arrayContaining(JSON.parse(before) as unknown[]));
    expect((await readStream(t.appDb, `pii-${A.householdId}`)).map((e) => e.type)).toEqual(['IdNumbersRead', 'IdNumbersErased']);
    expect(await verify(t.appDb)).toMatchObject({ ok: true, broken: 0 });
    // The other household's numbers are untouched.
    expect((await readIdNumbers(t.appDb, KEK, B.householdId, 'identity check', meta('county-official'))).members).toHaveLength(3);
  });

  it('only a county official may erase them', async () => {
    await expect(eraseIdNumbers(t.appDb, B.householdId, 'tidying up the file', meta('work-team'))).rejects.toMatchObject({ code: 'ID_NUMBERS_NOT_PERMITTED' });
  });

  it('an event written before (version 1, clear numbers) reads without them', async () => {
    const old = household(VILLAGE, 3);
    const data = {
      householdId: old.householdId,
      by: 'co-song-01',
      at: NOW,
      countyId: 'song',
      villageId: VILLAGE,
      registeredYear: 2015,
      members: old.members,
      causes: old.causes,
      perCapitaIncome: old.perCapitaIncome,
      stableIncomeSource: false,
      guarantees: old.guarantees,
    };
    await sql`SELECT * FROM tuopin_append_batch(ARRAY[1], ARRAY[${`household-${old.householdId}`}], ARRAY['no-stream'], ARRAY[1], ARRAY['old-registration'], ARRAY['HouseholdRegistered'], ARRAY[1],
              ARRAY[${canonicalJson(data)}], ARRAY[${canonicalJson(metadata())}], ARRAY[${canonicalJson([
                ['county', 'song'],
                ['household', old.householdId],
                ['village', VILLAGE],
              ])}])`.execute(t.adminDb);
    const [e] = await readStream(t.appDb, `household-${old.householdId}`);
    expect(e).toMatchObject({ storedSchemaVersion: 1, schemaVersion: 2 });
    for (const m of old.members) expect(JSON.stringify(e!.data)).not.toContain(hidden(m.idNumber));
    expect((e!.data as { members: { memberKey: null }[] }).members.map((m) => m.memberKey)).toEqual([null, null, null]);
    // The one-time path: its numbers sealed into the table, so they are read (and erased) the new way.
    await expect(readIdNumbers(t.appDb, KEK, old.householdId, 'identity check', meta('county-official'))).rejects.toMatchObject({ code: 'ID_NUMBERS_ERASED' });
    expect(await migrateVersion1IdNumbers(t.appDb, KEK, SALT)).toEqual({ households: 1, members: 3 });
    expect(await migrateVersion1IdNumbers(t.appDb, KEK, SALT)).toEqual({ households: 1, members: 3 });
    expect((await readIdNumbers(t.appDb, KEK, old.householdId, 'identity check', meta('county-official'))).members.map((m) => m.idNumber).sort()).toEqual(
      old.members.map((m) => m.idNumber).sort(),
    );
  });
});
