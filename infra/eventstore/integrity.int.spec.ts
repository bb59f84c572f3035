import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../database';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { asSuperuser as asOwner, rechain, storedChainRows } from '../../test/support/tamper';
import { metadata, sample, testRegistry } from '../../test/support/events';
import { appendToStream, appendToStreams } from './append';
import { canonicalJson, canonicalRefs } from './canonical';
import { checkSignedDigest, generateDigestKeys, signReport, verifySnapshot, type SignedDigest } from './signed-digest';
import { verify } from './verify';

jest.setTimeout(90_000);

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('integrity');
  for (let i = 0; i < 4; i++) {
    await appendToStreams(
      t.appDb,
      [
        { streamId: 'sample-ia', expectedVersion: 'any', events: [sample(`ia-${i}`, i)] },
        { streamId: `sample-ib${i % 2}`, expectedVersion: 'any', events: [sample(`ib-${i}`, i), sample(`ic-${i}`, i)] },
      ],
      testRegistry,
    );
  }
});
afterAll(async () => {
  await t.drop();
});

const asSuperuser = (work: (c: Kysely<Database>) => Promise<void>): Promise<void> => asOwner(t.adminDb, work);

/** A superuser's consistent rewrite: change one event's data, recompute every later hash and the head. */
const rewrite = async (streamId: string, eventId: string, amountFen: number): Promise<void> => {
  await asSuperuser(async (c) => {
    await sql`UPDATE events SET data = jsonb_set(data, '{amountFen}', ${String(amountFen)}::jsonb) WHERE event_id = ${eventId}`.execute(c);
    await rechain(c, streamId);
  });
};

describe('the application writes the store only through the append function', () => {
  it.each([
    [
      'INSERT events',
      sql`INSERT INTO events (stream_id, category, stream_version, event_id, type, schema_version, data, metadata, recorded_at, prev_hash, hash)
                          VALUES ('sample-x', 'sample', 1, 'x-1', 'SampleRecorded', 2, '{}', '{}', now(), '\\x00', '\\x00')`,
    ],
    ['INSERT refs', sql`INSERT INTO refs (kind, ref_id, tx_id, position) VALUES ('fund', 'fund-x', pg_current_xact_id(), 1)`],
    ['INSERT streams', sql`INSERT INTO streams (stream_id, category, version, head_hash) VALUES ('sample-x', 'sample', 1, '\\x00')`],
    ['UPDATE streams', sql`UPDATE streams SET head_hash = '\\x00'`],
    ['take a position', sql`SELECT nextval('events_position_seq')`],
  ])('the application role may not %s', async (_, statement) => {
    await expect(statement.execute(t.appDb)).rejects.toMatchObject({ code: '42501' });
  });
});

describe('the database hashes what it stores (chain format 2)', () => {
  it('an independent verifier written from the README recomputes every stored hash', async () => {
    // Bytes built by hand, as the README's "Chain format 2" section spells them, not through canonicalJson.
    for (const streamId of ['sample-ia', 'sample-ib0']) {
      let prev: Buffer = Buffer.alloc(32);
      for (const r of await storedChainRows(t.appDb, streamId)) {
        const refs = [...(r.refs ?? [])].sort((a, b) => Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0])) || Buffer.compare(Buffer.from(a[1]), Buffer.from(b[1])));
        const sorted = (o: unknown): unknown =>
          Array.isArray(o)
            ? o.map(sorted)
            : o && typeof o === 'object'
              ? Object.fromEntries(
                  Object.keys(o)
                    .sort()
                    .map((k) => [k, sorted((o as Record<string, unknown>)[k])]),
                )
              : o;
        const text =
          `{"data":${JSON.stringify(sorted(r.data))},"eventId":${JSON.stringify(r.event_id)},"metadata":${JSON.stringify(sorted(r.metadata))},` +
          `"position":${r.position},"recordedAt":${JSON.stringify(r.recorded_at.toISOString())},"refs":${JSON.stringify(refs)},` +
          `"schemaVersion":${r.schema_version},"streamId":${JSON.stringify(streamId)},"streamVersion":${r.stream_version},"type":${JSON.stringify(r.type)}}`;
        const digest = createHash('sha256').update(Buffer.from(text, 'utf8')).digest();
        const hash = createHash('sha256')
          .update(Buffer.concat([prev, digest]))
          .digest();
        expect(hash.toString('hex')).toBe(r.hash.toString('hex'));
        prev = hash;
      }
    }
  });

  it('the store dates each event itself, in whole milliseconds', async () => {
    const before = Date.now();
    await appendToStream(t.appDb, 'sample-when', 'no-stream', [sample('when-1')], testRegistry);
    const [r] = await storedChainRows(t.appDb, 'sample-when');
    expect(r!.recorded_at.getTime()).toBeGreaterThanOrEqual(before - 1000);
    const { rows } = await sql<{ us: string }>`SELECT extract(microseconds FROM recorded_at)::bigint % 1000 AS us FROM events WHERE event_id = 'when-1'`.execute(t.appDb);
    expect(Number(rows[0]!.us)).toBe(0);
  });
});

describe('position and refs are covered by the chain', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase('covered');
    await appendToStream(db.appDb, 'sample-c', 'no-stream', [sample('c-1'), sample('c-2')], testRegistry);
  });
  afterEach(async () => {
    await db.drop();
  });
  const tamper = async (statement: ReturnType<typeof sql>): Promise<void> => {
    await asOwner(db.adminDb, async (c) => {
      await statement.execute(c);
    });
  };

  it('text the caller sends that is not canonical is stored as sent and then fails verify', async () => {
    await sql`SELECT * FROM tuopin_append_batch(ARRAY[1], ARRAY['sample-loose'], ARRAY['any'], ARRAY[1], ARRAY['loose-1'], ARRAY['SampleRecorded'], ARRAY[2],
              ARRAY['{"sampleId":"loose-1", "fundId":"f","amountFen":1}'], ARRAY[${canonicalJson(metadata())}], ARRAY['[]'])`.execute(db.appDb);
    const r = await verify(db.appDb);
    expect(r.firstBroken).toMatchObject({ streamId: 'sample-loose', eventId: 'loose-1', reason: 'hash-mismatch' });
  });

  it('a signed digest is refused for a store that does not verify', async () => {
    await tamper(sql`UPDATE events SET data = jsonb_set(data, '{amountFen}', '7') WHERE event_id = 'c-1'`);
    const report = await verify(db.appDb, { collectPoints: true });
    expect(() => signReport(report, generateDigestKeys().privatePem)).toThrow(expect.objectContaining({ code: 'STORE_BROKEN' }));
  });

  it('a ref added to an event (an event slipped into a foreign trail) breaks its link', async () => {
    await sql`INSERT INTO refs (kind, ref_id, tx_id, position) SELECT 'fund', 'fund-elsewhere', tx_id, position FROM events WHERE event_id = 'c-1'`.execute(db.adminDb);
    expect((await verify(db.appDb)).firstBroken).toMatchObject({ eventId: 'c-1', reason: 'hash-mismatch' });
  });

  it('a ref removed breaks its link', async () => {
    await tamper(sql`DELETE FROM refs WHERE position = (SELECT position FROM events WHERE event_id = 'c-2') AND kind = 'project'`);
    expect((await verify(db.appDb)).firstBroken).toMatchObject({ eventId: 'c-2', reason: 'hash-mismatch' });
  });

  it('an event moved to another position breaks its link', async () => {
    // An identity column cannot be updated: delete and insert it again, its refs following it.
    await tamper(sql`
      WITH d AS (DELETE FROM events WHERE event_id = 'c-2' RETURNING *),
           r AS (UPDATE refs SET position = refs.position + 1000 FROM d WHERE refs.position = d.position)
      INSERT INTO events (position, tx_id, stream_id, category, stream_version, event_id, type, schema_version, data, metadata, recorded_at, prev_hash, hash, chain_format)
      OVERRIDING SYSTEM VALUE
      SELECT position + 1000, tx_id, stream_id, category, stream_version, event_id, type, schema_version, data, metadata, recorded_at, prev_hash, hash, chain_format FROM d`);
    expect((await verify(db.appDb)).firstBroken).toMatchObject({ eventId: 'c-2', reason: 'hash-mismatch' });
  });
});

describe('a signed store digest anchors the store outside the database', () => {
  const keys = generateDigestKeys();
  let signed: SignedDigest;

  beforeAll(async () => {
    signed = signReport(await verifySnapshot(t.appDb, { collectPoints: true }), keys.privatePem);
  });

  it('lists every stream with its version and head, and checks against the store it was taken from', async () => {
    expect(signed.body.keyId).toBe(keys.keyId);
    expect(signed.body.points.map((p) => p[0])).toEqual([...signed.body.points.map((p) => p[0])].sort());
    const { points } = checkSignedDigest(JSON.parse(JSON.stringify(signed)), keys.publicPem);
    expect(points.get('sample-ia')).toMatchObject({ version: 4 });
    // The store grew since: the signed points still hold.
    await appendToStream(t.appDb, 'sample-ia', 'any', [sample('ia-later')], testRegistry);
    expect(await verifySnapshot(t.appDb, { against: points })).toMatchObject({ ok: true, broken: 0, signedPoints: points.size });
  });

  it("detects a superuser's consistent rewrite of a stream's history that plain verify passes", async () => {
    await rewrite('sample-ib1', 'ib-1', 424242);
    expect(await verify(t.appDb)).toMatchObject({ ok: true, broken: 0 }); // the rewrite recomputes cleanly
    const { points } = checkSignedDigest(signed, keys.publicPem);
    const against = await verifySnapshot(t.appDb, { against: points });
    expect(against).toMatchObject({ ok: false, broken: 1, signedPoints: signed.body.points.length });
    expect(against.firstBroken).toMatchObject({ streamId: 'sample-ib1', streamVersion: 4, reason: 'signed-head-mismatch' });
  });

  it('detects a cut tail and a removed stream', async () => {
    await asSuperuser(async (c) => {
      const [last] = (
        await sql<{ event_id: string; prev_hash: Buffer }>`SELECT event_id, prev_hash FROM events WHERE stream_id = 'sample-ib0' ORDER BY stream_version DESC LIMIT 1`.execute(c)
      ).rows;
      await sql`DELETE FROM refs WHERE position = (SELECT position FROM events WHERE event_id = ${last!.event_id})`.execute(c);
      await sql`DELETE FROM events WHERE event_id = ${last!.event_id}`.execute(c);
      await sql`UPDATE streams SET version = version - 1, head_hash = ${last!.prev_hash} WHERE stream_id = 'sample-ib0'`.execute(c);
      await sql`DELETE FROM refs WHERE position IN (SELECT position FROM events WHERE stream_id = 'sample-when')`.execute(c);
      await sql`DELETE FROM events WHERE stream_id = 'sample-when'`.execute(c);
      await sql`DELETE FROM streams WHERE stream_id = 'sample-when'`.execute(c);
    });
    const { points } = checkSignedDigest(signed, keys.publicPem);
    const r = await verifySnapshot(t.appDb, { against: points, batchSize: 3 });
    const reasons = new Map<string, string>();
    // Only the first broken link is named; check each stream on its own.
    for (const streamId of ['sample-ib0', 'sample-when']) {
      const one = await verifySnapshot(t.appDb, { against: new Map([[streamId, points.get(streamId)!]]) });
      reasons.set(streamId, one.firstBroken?.reason ?? 'none');
    }
    expect(r.ok).toBe(false);
    expect(Object.fromEntries(reasons)).toEqual({ 'sample-ib0': 'signed-version-missing', 'sample-when': 'signed-stream-missing' });
  });

  it('refuses a digest that was altered, or checked with another key', () => {
    const altered = {
      ...signed,
      body: { ...signed.body, points: signed.body.points.map((p) => (p[0] === 'sample-ia' ? ([p[0], p[1], '0'.repeat(64)] as [string, number, string]) : p)) },
    };
    expect(() => checkSignedDigest(altered, keys.publicPem)).toThrow(expect.objectContaining({ code: 'DIGEST_SIGNATURE_BAD' }));
    expect(() => checkSignedDigest(signed, generateDigestKeys().publicPem)).toThrow(expect.objectContaining({ code: 'DIGEST_KEY_MISMATCH' }));
    expect(() => checkSignedDigest({ ...signed, format: 'x' }, keys.publicPem)).toThrow(expect.objectContaining({ code: 'SIGNED_DIGEST_INVALID' }));
  });
});

describe('canonicalRefs', () => {
  it('sorts by kind then id in UTF-8 byte order and keeps each pair once', () => {
    expect(
      canonicalRefs([
        ['project', 'b'],
        ['fund', 'z'],
        ['project', 'a'],
        ['fund', 'z'],
        ['project', '\u{1F600}'],
        ['project', '\uFF21'],
      ]),
    ).toEqual([
      ['fund', 'z'],
      ['project', 'a'],
      ['project', 'b'],
      ['project', '\uFF21'],
      ['project', '\u{1F600}'],
    ]);
  });
});
