import { sql } from 'kysely';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { START } from '../eventstore/types';
import { lockCheckpoint, lockCheckpoints, saveCheckpoints } from './checkpoints';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('cps');
});
afterAll(async () => t.drop());

const stored = async () =>
  (await sql<{ name: string; position: string; stream_seq: string }>`SELECT name, position, stream_seq FROM projection_checkpoints ORDER BY name`.execute(t.appDb)).rows.map(
    (r) => [r.name, Number(r.position), Number(r.stream_seq)],
  );

describe('projection checkpoints, several in one statement', () => {
  it('creates the missing ones at the start, moves only those given, and reads each back', async () => {
    await t.appDb.transaction().execute(async (trx) => {
      const cps = await lockCheckpoints(trx, ['b_model', 'a_model', 'c_model']);
      expect([...cps.keys()]).toEqual(['b_model', 'a_model', 'c_model']);
      for (const cp of cps.values()) expect(cp).toEqual({ cursor: START, streamSeq: 0 });
      await saveCheckpoints(
        trx,
        new Map([
          ['a_model', { cursor: { txId: '7', position: 3 }, streamSeq: 5 }],
          ['c_model', { cursor: { txId: '9', position: 4 }, streamSeq: 6 }],
        ]),
      );
    });
    expect(await stored()).toEqual([
      ['a_model', 3, 5],
      ['b_model', 0, 0],
      ['c_model', 4, 6],
    ]);
    await t.appDb.transaction().execute(async (trx) => {
      expect(await lockCheckpoint(trx, 'c_model')).toEqual({ cursor: { txId: '9', position: 4 }, streamSeq: 6 });
      const both = await lockCheckpoints(trx, ['a_model', 'd_model']);
      expect(both.get('a_model')).toEqual({ cursor: { txId: '7', position: 3 }, streamSeq: 5 });
      expect(both.get('d_model')).toEqual({ cursor: START, streamSeq: 0 });
    });
  });

  it('holds every row it locked until the transaction ends', async () => {
    const other = new pg.Client({ connectionString: t.appUrl });
    await other.connect();
    try {
      await t.appDb.transaction().execute(async (trx) => {
        await lockCheckpoints(trx, ['a_model', 'b_model']);
        await other.query(`SET lock_timeout = '200ms'`);
        for (const name of ['a_model', 'b_model'])
          await expect(other.query('SELECT 1 FROM projection_checkpoints WHERE name = $1 FOR UPDATE', [name])).rejects.toMatchObject({ code: '55P03' });
        await expect(other.query(`SELECT 1 FROM projection_checkpoints WHERE name = 'c_model' FOR UPDATE NOWAIT`)).resolves.toBeDefined();
      });
    } finally {
      await other.end();
    }
  });
});
