import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { sample, testRegistry } from '../../test/support/events';
import { asSuperuser } from '../../test/support/tamper';
import { appendToStream, appendToStreams } from './append';
import { verify } from './verify';

jest.setTimeout(60_000);

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('verify');
  for (let i = 0; i < 6; i++) {
    await appendToStreams(
      t.appDb,
      [
        { streamId: 'sample-va', expectedVersion: 'any', events: [sample(`va-${i}`, i)] },
        { streamId: `sample-vb${i % 2}`, expectedVersion: 'any', events: [sample(`vb-${i}`, i), sample(`vc-${i}`, i)] },
      ],
      testRegistry,
    );
  }
});
afterAll(async () => {
  await t.drop();
});

/** As the owner, with triggers off: the only way past the append-only guard. */
const tamper = async (statement: ReturnType<typeof sql>): Promise<void> => {
  await asSuperuser(t.adminDb, async (c) => {
    await statement.execute(c);
  });
};

describe('verify', () => {
  let digest: string;

  it('recomputes every chain and a store-wide digest', async () => {
    const r = await verify(t.appDb, { batchSize: 4 });
    expect(r).toMatchObject({ ok: true, streams: 3, events: 18, broken: 0, firstBroken: null });
    digest = r.digest;
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect((await verify(t.appDb)).digest).toBe(digest);
  });

  it('the digest moves when the store grows', async () => {
    await appendToStream(t.appDb, 'sample-va', 'any', [sample('va-extra')], testRegistry);
    const r = await verify(t.appDb);
    expect(r.ok).toBe(true);
    expect(r.digest).not.toBe(digest);
  });

  it('catches data changed behind the triggers and names the first broken link', async () => {
    await tamper(sql`UPDATE events SET data = jsonb_set(data, '{amountFen}', '999') WHERE event_id = 'vb-2'`);
    const r = await verify(t.appDb, { batchSize: 5 });
    expect(r.ok).toBe(false);
    expect(r.firstBroken).toMatchObject({ streamId: 'sample-vb0', streamVersion: 3, eventId: 'vb-2', reason: 'hash-mismatch' });
  });

  it('catches a deleted event as a gap, and keeps counting broken streams', async () => {
    await tamper(sql`DELETE FROM events WHERE event_id = 'va-1'`);
    const r = await verify(t.appDb);
    expect(r.firstBroken).toMatchObject({ streamId: 'sample-va', streamVersion: 3, eventId: 'va-2', reason: 'version-gap' });
    expect(r.broken).toBe(2);
  });
});
