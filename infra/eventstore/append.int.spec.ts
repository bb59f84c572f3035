import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { metadata, sample, testRegistry } from '../../test/support/events';
import { appendToStream, appendToStreams } from './append';
import { canonicalJson } from './canonical';
import { readAll, readByRef, readStream } from './read';
import { START, type StoredEvent } from './types';

jest.setTimeout(60_000);

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('append');
});
afterAll(async () => {
  await t.drop();
});

const count = async (): Promise<number> => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM events`.execute(t.appDb)).rows[0]?.n);

describe('appending', () => {
  it('appends to several streams atomically and reads each stream back in version order', async () => {
    const r = await appendToStreams(
      t.appDb,
      [
        { streamId: 'sample-multi-a', expectedVersion: 'no-stream', events: [sample('multi-1'), sample('multi-2')] },
        { streamId: 'sample-multi-b', expectedVersion: 'any', events: [sample('multi-3')] },
      ],
      testRegistry,
    );
    expect(r.duplicate).toBe(false);
    expect(r.events.map((e) => [e.eventId, e.streamVersion])).toEqual([
      ['multi-1', 1],
      ['multi-2', 2],
      ['multi-3', 1],
    ]);
    expect(r.streamVersions).toEqual({ 'sample-multi-a': 2, 'sample-multi-b': 1 });
    const a = await readStream(t.appDb, 'sample-multi-a', { registry: testRegistry });
    expect(a.map((e) => e.eventId)).toEqual(['multi-1', 'multi-2']);
    expect(a[0]).toMatchObject({ category: 'sample', type: 'SampleRecorded', schemaVersion: 2, data: { amountFen: 100 }, metadata: { correlationId: 'corr-1' } });
    expect(await readStream(t.appDb, 'sample-multi-a', { fromVersion: 2, registry: testRegistry })).toHaveLength(1);
  });

  it('refuses the whole transaction when one stream conflicts, reporting the actual version', async () => {
    const before = await count();
    await expect(
      appendToStreams(
        t.appDb,
        [
          { streamId: 'sample-multi-c', expectedVersion: 'no-stream', events: [sample('multi-4')] },
          { streamId: 'sample-multi-a', expectedVersion: 1, events: [sample('multi-5')] },
        ],
        testRegistry,
      ),
    ).rejects.toMatchObject({ code: 'EXPECTED_VERSION_CONFLICT', streamId: 'sample-multi-a', expected: '1', actual: 2 });
    expect(await count()).toBe(before);
    expect(await readStream(t.appDb, 'sample-multi-c', { registry: testRegistry })).toEqual([]);
  });

  it('enforces every expected-version mode', async () => {
    const s = 'sample-modes';
    await expect(appendToStream(t.appDb, s, 'stream-exists', [sample('m-0')], testRegistry)).rejects.toMatchObject({ code: 'EXPECTED_VERSION_CONFLICT', actual: 0 });
    await appendToStream(t.appDb, s, 'no-stream', [sample('m-1')], testRegistry);
    await expect(appendToStream(t.appDb, s, 'no-stream', [sample('m-2')], testRegistry)).rejects.toMatchObject({ code: 'EXPECTED_VERSION_CONFLICT', actual: 1 });
    await appendToStream(t.appDb, s, 'stream-exists', [sample('m-2')], testRegistry);
    await appendToStream(t.appDb, s, 2, [sample('m-3')], testRegistry);
    await expect(appendToStream(t.appDb, s, 2, [sample('m-4')], testRegistry)).rejects.toMatchObject({ code: 'EXPECTED_VERSION_CONFLICT', actual: 3 });
    const r = await appendToStream(t.appDb, s, 'any', [sample('m-4')], testRegistry);
    expect(r.streamVersions[s]).toBe(4);
    // A stream listed with no events only has its version checked, in the same transaction.
    await expect(
      appendToStreams(
        t.appDb,
        [
          { streamId: s, expectedVersion: 3, events: [] },
          { streamId: 'sample-modes-2', expectedVersion: 'any', events: [sample('m-5')] },
        ],
        testRegistry,
      ),
    ).rejects.toMatchObject({ code: 'EXPECTED_VERSION_CONFLICT', streamId: s, actual: 4 });
  });

  it('returns the original positions for a retried append and writes nothing', async () => {
    const first = await appendToStream(t.appDb, 'sample-retry', 'no-stream', [sample('r-1'), sample('r-2')], testRegistry);
    const before = await count();
    const again = await appendToStream(t.appDb, 'sample-retry', 'no-stream', [sample('r-1'), sample('r-2')], testRegistry);
    expect(again.duplicate).toBe(true);
    expect(again.events).toEqual(first.events);
    expect(await count()).toBe(before);
  });

  it('refuses an event id already stored for another event, or a half-retried batch', async () => {
    await appendToStream(t.appDb, 'sample-reuse', 'any', [sample('u-1')], testRegistry);
    await expect(appendToStream(t.appDb, 'sample-reuse-other', 'any', [sample('u-1')], testRegistry)).rejects.toMatchObject({ code: 'EVENT_ID_REUSED' });
    await expect(appendToStream(t.appDb, 'sample-reuse', 'any', [sample('u-1'), sample('u-2')], testRegistry)).rejects.toMatchObject({ code: 'EVENT_ID_REUSED' });
  });

  it('refuses an event id stored with other content (EVENT_ID_REUSED), not taking it for a retry and dropping the new data', async () => {
    const first = await appendToStream(t.appDb, 'sample-content', 'no-stream', [sample('c-1', 100)], testRegistry);
    const before = await count();
    await expect(appendToStream(t.appDb, 'sample-content', 'no-stream', [sample('c-1', 999)], testRegistry)).rejects.toMatchObject({ code: 'EVENT_ID_REUSED' });
    await expect(appendToStream(t.appDb, 'sample-content', 'any', [sample('c-1', 999)], testRegistry)).rejects.toMatchObject({ code: 'EVENT_ID_REUSED' });
    // The same content with other metadata (a retry by another attempt) is still the same event.
    const again = await appendToStream(t.appDb, 'sample-content', 'no-stream', [sample('c-1', 100, 'fund-1', { causationId: 'cause-2' })], testRegistry);
    expect(again.duplicate).toBe(true);
    expect(again.events).toEqual(first.events);
    expect(await count()).toBe(before);
    const [stored] = await readStream(t.appDb, 'sample-content', { registry: testRegistry });
    expect(stored?.data).toMatchObject({ amountFen: 100 });
  });

  it('refuses to run inside a caller transaction', async () => {
    await expect(t.appDb.transaction().execute((trx) => appendToStream(trx, 'sample-trx', 'any', [sample('trx-1')], testRegistry))).rejects.toMatchObject({
      code: 'APPEND_INVALID',
      field: 'db',
    });
  });

  it('writes nothing for bad input, naming the field', async () => {
    const before = await count();
    await expect(
      appendToStream(t.appDb, 'sample-bad', 'any', [{ ...sample('b-1'), metadata: { ...metadata(), actor: { userId: 'X Y', role: 'auditor' } } }], testRegistry),
    ).rejects.toMatchObject({ code: 'METADATA_INVALID', field: 'appends[0].events[0].metadata.actor.userId' });
    await expect(appendToStream(t.appDb, 'Bad Stream', 'any', [sample('b-2')], testRegistry)).rejects.toMatchObject({ code: 'STREAM_ID_INVALID' });
    await expect(appendToStream(t.appDb, 'sample-bad', -1, [sample('b-3')], testRegistry)).rejects.toMatchObject({ code: 'EXPECTED_VERSION_INVALID' });
    await expect(appendToStream(t.appDb, 'sample-bad', 'any', [{ ...sample('b-4'), data: { sampleId: 'x', fundId: 'y' } }], testRegistry)).rejects.toMatchObject({
      code: 'EVENT_SCHEMA_INVALID',
      field: 'appends[0].events[0].data.amountFen',
    });
    expect(await count()).toBe(before);
  });
});

describe('reading', () => {
  it('reads an audit trail by ref in commit order', async () => {
    await appendToStream(t.appDb, 'sample-ref-1', 'any', [sample('ref-1', 1, 'fund-trail')], testRegistry);
    await appendToStream(t.appDb, 'sample-ref-2', 'any', [sample('ref-2', 2, 'fund-other')], testRegistry);
    await appendToStream(t.appDb, 'sample-ref-1', 'any', [sample('ref-3', 3, 'fund-trail')], testRegistry);
    const trail = await readByRef(t.appDb, 'fund', 'fund-trail', { registry: testRegistry });
    expect(trail.map((e) => e.eventId)).toEqual(['ref-1', 'ref-3']);
    expect((await readByRef(t.appDb, 'project', 'ref-2', { registry: testRegistry })).map((e) => e.eventId)).toEqual(['ref-2']);
  });

  it('upcasts an old schema version on every read path', async () => {
    // Written as v1 by an older release: straight through the append function, as the owner.
    await sql`SELECT * FROM tuopin_append_batch(
      ARRAY[1], ARRAY['sample-old'], ARRAY['any'], ARRAY[1], ARRAY['old-1'], ARRAY['SampleRecorded'], ARRAY[1],
      ARRAY[${canonicalJson({ sampleId: 'old-1', fundId: 'fund-old', amountYuan: 7 })}], ARRAY[${canonicalJson(metadata())}], ARRAY['[["fund","fund-old"]]'])`.execute(t.adminDb);
    const expected = { sampleId: 'old-1', fundId: 'fund-old', amountFen: 700 };
    const [fromStream] = await readStream(t.appDb, 'sample-old', { registry: testRegistry });
    expect(fromStream).toMatchObject({ data: expected, schemaVersion: 2, storedSchemaVersion: 1 });
    const [fromRef] = await readByRef(t.appDb, 'fund', 'fund-old', { registry: testRegistry });
    expect(fromRef?.data).toEqual(expected);
    let fromTail: StoredEvent | undefined;
    for (let cursor = START; !fromTail;) {
      const r = await readAll(t.appDb, { registry: testRegistry, limit: 10_000, after: cursor });
      fromTail = r.events.find((e) => e.eventId === 'old-1');
      cursor = r.cursor;
      if (!fromTail && r.events.length === 0) await new Promise((res) => setTimeout(res, 10));
    }
    expect(fromTail.data).toEqual(expected);
  });

  it('an unknown event type on read is a typed error', async () => {
    await expect(readStream(t.appDb, 'sample-old')).rejects.toMatchObject({ code: 'EVENT_TYPE_UNKNOWN' });
  });

  it('readAll pages in (transaction, position) order with a cursor', async () => {
    const positions = (await sql<{ event_id: string }>`SELECT event_id FROM events ORDER BY tx_id, position`.execute(t.appDb)).rows.map((x) => x.event_id);
    const all: string[] = [];
    let cursor = START;
    // Until all are read, not until a page is empty: another database's open transaction can hold the cluster-wide gate a moment.
    while (all.length < positions.length) {
      const r = await readAll(t.appDb, { registry: testRegistry, limit: 3, after: cursor });
      all.push(...r.events.map((e) => e.eventId));
      cursor = r.cursor;
      if (r.events.length === 0) await new Promise((res) => setTimeout(res, 10));
    }
    expect(all).toEqual(positions);
  });
});
