import { createTestDatabase, type TestDatabase } from '../test/support/database';
import { poolOf } from './database';
import { copyTexts } from './copy-out';

describe('copyTexts: a text column through COPY (FORMAT binary), as bytes', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('copyout');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('joins the rows in their order with the separator, the bytes as PostgreSQL sent them (UTF-8, quotes and backslashes as they are)', async () => {
    const r = await copyTexts(poolOf(db.appDb), `SELECT v FROM (VALUES (1, '{"a":"嵩县\\"\\\\"}'), (2, ''), (3, 'x\ty')) AS t(o, v) ORDER BY o`, ',');
    expect(r?.rows).toBe(3);
    expect(r?.bytes.toString('utf8')).toBe('{"a":"嵩县\\"\\\\"},,x\ty');
  });

  it('answers nothing for no rows, null when a row is NULL', async () => {
    expect(await copyTexts(poolOf(db.appDb), `SELECT 'a' WHERE false`, ',')).toEqual({ bytes: Buffer.alloc(0), rows: 0 });
    expect(await copyTexts(poolOf(db.appDb), `SELECT v FROM (VALUES ('a'), (NULL)) AS t(v)`, ',')).toBeNull();
  });

  it('fails with the statement’s error (mid-COPY too), and the pool goes on', async () => {
    await expect(copyTexts(poolOf(db.appDb), `SELECT 'x' || (1 / (g - 2000))::text FROM generate_series(1, 3000) g`, '')).rejects.toMatchObject({ code: '22012' });
    expect((await copyTexts(poolOf(db.appDb), `SELECT 'ok'`, ''))?.bytes.toString()).toBe('ok');
  });
});
