import { sql } from 'kysely';
import { readAll, readStream } from '../infra/eventstore';
import { importHouseholdFile, registerHousehold } from '../infra/registry/register';
import { RegistryError } from '../infra/registry/errors';
import { CSV_COLUMNS, toCsvLine } from '../infra/registry/file-format';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runGenerate } from '../cli/commands/exit-registry';
import { createTestDatabase, type TestDatabase } from './support/database';
import { actor, household } from './support/exit-households';

const SALT = 'test-salt-for-registration-0123456789';
const csv = (rows: ReturnType<typeof household>[]) => [CSV_COLUMNS.join(','), ...rows.map((r) => toCsvLine(r))].join('\n');
const refusal = async (p: Promise<unknown>): Promise<RegistryError> => {
  const e = await p.catch((x: unknown) => x);
  expect(e).toBeInstanceOf(RegistryError);
  return e as RegistryError;
};

describe('household registration (建档立卡) from import files, against a real PostgreSQL', () => {
  let db: TestDatabase;
  const count = async () => ({
    events: (await readAll(db.appDb, { limit: 100_000 })).events.length,
    keys: Number((await sql<{ n: string }>`SELECT count(*) AS n FROM household_member_keys`.execute(db.appDb)).rows[0]!.n),
  });
  beforeAll(async () => {
    db = await createTestDatabase('exitreg');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('importing a file with one bad row changes nothing and names the row', async () => {
    const rows = [1, 2, 3, 4].map((n) => household('vil-song-g01', n));
    const bad = { ...rows[2]!, members: rows[2]!.members.map((m, i) => (i === 1 ? { ...m, idNumber: `${m.idNumber.slice(0, 17)}${m.idNumber.endsWith('0') ? '1' : '0'}` } : m)) };
    const text = csv([rows[0]!, rows[1]!, bad, rows[3]!]);
    const e = await refusal(importHouseholdFile(db.appDb, { name: 'vil-song-g01.csv', text, actor: actor('county-official'), salt: SALT }));
    expect(e.code).toBe('REGISTRY_ROWS_INVALID');
    expect(e.rows).toEqual([{ line: 4, row: 3, field: 'members[1].idNumber', code: 'RESIDENT_ID_INVALID', message: expect.stringMatching(/check/) }]);
    expect(e.message).not.toContain(bad.members[1]!.idNumber.slice(0, 17));
    expect(await count()).toEqual({ events: 0, keys: 0 });

    // A bad income (not whole fen) and an unknown cause in JSON are named by line and field too.
    const json = JSON.stringify([rows[0], { ...rows[1], perCapitaIncome: 2500.5 }, { ...rows[3], causes: ['bad-luck'] }], null, 1);
    const e2 = await refusal(importHouseholdFile(db.appDb, { name: 'vil-song-g01.json', text: json, actor: actor('county-official'), salt: SALT }));
    expect(e2.rows.map((r) => [r.row, r.field])).toEqual([
      [2, 'perCapitaIncome'],
      [3, 'causes[0]'],
    ]);
    expect(e2.rows[1]!.line).toBeGreaterThan(e2.rows[0]!.line);
    expect(await count()).toEqual({ events: 0, keys: 0 });
  });

  it('registers a good file in one transaction, each household on its own stream; the same file again writes nothing', async () => {
    const rows = [1, 2, 3, 4].map((n) => household('vil-song-g01', n));
    const first = await importHouseholdFile(db.appDb, { name: 'vil-song-g01.csv', text: csv(rows), actor: actor('county-official'), salt: SALT });
    expect(first).toMatchObject({ households: 4, members: 12, duplicate: false });
    const [ev] = await readStream(db.appDb, 'household-hh-song-g010002');
    expect(ev).toMatchObject({ type: 'HouseholdRegistered', streamVersion: 1, data: { villageId: 'vil-song-g01', perCapitaIncome: 250_000 } });
    expect(ev!.metadata).toMatchObject({ countyId: 'song', correlationId: `import-${first.importId}` });
    const again = await importHouseholdFile(db.appDb, { name: 'vil-song-g01.csv', text: csv(rows), actor: actor('county-official'), salt: SALT });
    expect(again.duplicate).toBe(true);
    expect(await count()).toEqual({ events: 4, keys: 12 });
  });

  it('refuses a household whose member is registered elsewhere (salted member key), and a duplicate within a file', async () => {
    const other = household('vil-song-g02', 50);
    const clash = { ...other, members: [other.members[0]!, { ...household('vil-song-g01', 2).members[1]!, relation: 'spouse' as const }] };
    const e = await refusal(registerHousehold(db.appDb, clash, { actor: actor('county-official'), salt: SALT }));
    expect(e.code).toBe('REGISTRY_DUPLICATE');
    // Which household (and so which county) holds the person is not told: the answer would be an oracle for any ID number.
    expect(e.rows).toEqual([
      expect.objectContaining({ field: 'members[1].idNumber', code: 'HOUSEHOLD_MEMBER_ALREADY_REGISTERED', message: 'this person is already registered in another household' }),
    ]);
    expect(JSON.stringify(e)).not.toContain('hh-song-g010002');
    const twice = [household('vil-song-g02', 51), { ...household('vil-song-g02', 52), members: household('vil-song-g02', 51).members }];
    const e2 = await refusal(importHouseholdFile(db.appDb, { name: 'g02.json', text: JSON.stringify(twice), actor: actor('county-official'), salt: SALT }));
    expect(e2.rows[0]).toMatchObject({ row: 2, field: 'members[0].idNumber', code: 'HOUSEHOLD_MEMBER_DUPLICATE' });
    const keys = await sql<{ member_key: string }>`SELECT member_key FROM household_member_keys LIMIT 1`.execute(db.appDb);
    expect(keys.rows[0]!.member_key).toMatch(/^mk1-[0-9a-f]{64}$/);
    expect(await count()).toEqual({ events: 4, keys: 12 });
  });

  it('the generator writes the synthetic registry as per-village import files that import cleanly', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tuopin-gen-'));
    const lines: string[] = [];
    await runGenerate(['--county', '西工区', '--out', dir, '--format', 'csv', '--seed', 'test'], (l = '') => lines.push(l));
    expect(lines[0]).toMatch(/^3 village file\(s\), \d+ households, 253 people/);
    const files = (await readdir(dir)).filter((f) => f.endsWith('.csv')).sort();
    expect(files).toEqual(['vil-xigong-001.csv', 'vil-xigong-002.csv', 'vil-xigong-003.csv']);
    let people = 0;
    for (const f of files)
      people += (
        await importHouseholdFile(db.appDb, {
          name: f,
          text: await readFile(path.join(dir, f), 'utf8'),
          actor: { userId: 'co-xigong', role: 'county-official', countyId: 'xigong' },
          salt: SALT,
        })
      ).members;
    expect(people).toBe(253);
    // Same seed, same files: the generator is reproducible.
    const again = await mkdtemp(path.join(tmpdir(), 'tuopin-gen-'));
    await runGenerate(['--county', 'xigong', '--out', again, '--format', 'csv', '--seed', 'test'], () => undefined);
    expect(await readFile(path.join(again, files[0]!), 'utf8')).toBe(await readFile(path.join(dir, files[0]!), 'utf8'));
  });
});
