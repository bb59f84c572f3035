import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { createDb } from '../database';
import { actor, household } from '../../test/support/exit-households';
import { composeResidentId } from '../../domain/household/resident-id';
import { appropriateFund } from '../../services/appropriate-fund';
import type { Fen } from '../../domain/shared/money';
import { toApiError } from '../../api/errors';
import { RegistryError } from './errors';
import { importLockBudget, registerRows } from './register';

jest.setTimeout(300_000);

const SALT = 'import-concurrency-spec-salt-01';
const KEK = Buffer.alloc(32, 9);

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('importconc');
});
afterAll(async () => {
  await t.drop();
});

/** File `f`: `n` one-person households of village vil-song-c<f>, each person its own (no two files share anyone). */
const file = (f: number, n: number) =>
  Array.from({ length: n }, (_, s) => ({
    line: s + 2,
    row: s + 1,
    value: {
      ...household(`vil-song-c${f}`, s, 1),
      members: [{ idNumber: composeResidentId('410325', `${1940 + f * 10 + Math.floor(s / 1000)}0101`, s % 1000), relation: 'householder' }],
    },
  }));

describe('registry imports at the same moment never exhaust the lock table', () => {
  it('five files each at the per-file limit, imported at once beside another writer: each is registered or refused 409 REGISTRY_IMPORT_BUSY, never out of shared memory, and the other writer is not hurt', async () => {
    const { perFile } = await importLockBudget(t.appDb);
    const files = [0, 1, 2, 3, 4].map((f) => file(f, perFile));
    // Another writer appending the whole time: a fund appropriated every 100 ms.
    let writing = true;
    const written: string[] = [];
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        const fundId = `fund-song-2016-ic-${String(i).padStart(3, '0')}`;
        const r = await appropriateFund(
          t.appDb,
          {
            type: 'AppropriateFund',
            data: { fundId, source: 'central', fiscalYear: 2016, countyId: 'song', documentNumber: `豫财农〔2016〕${i}号`, amount: 100_000_000 as Fen, earmark: ['transport'] },
            meta: { actor: actor('county-finance'), now: '2016-03-01T09:00:00+08:00' },
          },
          { creditTreasury: false },
        );
        if (!r.ok) throw new Error(r.error.code);
        written.push(fundId);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    // The moment that matters, made certain: `streams` is held (an append waits on it after taking its
    // advisory locks) until every file has either reached its append or been answered, so all the
    // appends that run hold their locks at once. Without a turn per large import five files would
    // hold 16,000 (2.5 tables): PostgreSQL's table has slack beyond its nominal size, the issue
    // measured failures from 14,000.
    // Each file from a process of its own (its own pool): in one process the store's append batcher already takes appends one at a time.
    const importers = files.map(() => createDb(t.appUrl, { max: 2, applicationName: 'test-importer' }));
    let settled = 0;
    const imports = files.map((rows, f) =>
      registerRows(importers[f]!, rows, { actor: actor('county-official'), salt: SALT, idKey: KEK, now: '2016-03-01T00:00:00.000Z', importKey: `file-${f}` }).finally(
        () => settled++,
      ),
    );
    const held = t.adminDb.transaction().execute(async (trx) => {
      await sql`LOCK TABLE streams IN EXCLUSIVE MODE`.execute(trx);
      for (const until = Date.now() + 120_000; Date.now() < until;) {
        await sql`SELECT pg_sleep(0.25)`.execute(trx);
        const { rows } = await sql<{ n: string }>`
          SELECT count(*)::text AS n FROM pg_stat_activity WHERE application_name = 'test-importer' AND wait_event_type = 'Lock' AND datname = current_database()`.execute(
          t.adminDb,
        );
        if (settled + Number(rows[0]!.n) >= files.length) break;
      }
    });
    const outcomes = await Promise.allSettled(imports);
    await held;
    await Promise.all(importers.map((db) => db.destroy()));
    writing = false;
    await writer;
    const codes = outcomes.map((o) => (o.status === 'fulfilled' ? 'registered' : ((o.reason as { code?: string }).code ?? String(o.reason))));
    expect(codes.filter((c) => c !== 'registered' && c !== 'REGISTRY_IMPORT_BUSY')).toEqual([]);
    // One runs; the others waited their IMPORT_WAIT_MS behind it and were refused, nothing written.
    expect(codes.sort()).toEqual(['REGISTRY_IMPORT_BUSY', 'REGISTRY_IMPORT_BUSY', 'REGISTRY_IMPORT_BUSY', 'REGISTRY_IMPORT_BUSY', 'registered']);
    expect(written.length).toBeGreaterThan(0);
    // The store holds exactly the files that were registered, each whole.
    for (const [f, o] of outcomes.entries()) {
      const { rows } = await sql<{ n: string }>`SELECT count(*)::text AS n FROM streams WHERE stream_id LIKE ${`household-hh-song-c${f}%`}`.execute(t.appDb);
      expect({ f, n: Number(rows[0]!.n) }).toEqual({ f, n: o.status === 'fulfilled' ? perFile : 0 });
    }
  });

  it('the API answers a refused import 409 in Chinese, saying nothing was written', () => {
    expect(toApiError(new RegistryError('REGISTRY_IMPORT_BUSY', 'another registry import is under way'))).toMatchObject({
      statusCode: 409,
      code: 'REGISTRY_IMPORT_BUSY',
      zh: '另一份建档立卡文件正在导入，本次未写入任何数据，请稍后再试',
    });
  });
});
