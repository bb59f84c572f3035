import { metadata, sample, testRegistry } from '../../test/support/events';
import { batchParams, prepareAppend } from './append';
import type { StreamAppend } from './types';

const at = '2016-03-01T00:00:00.000Z';
const prepare = (appends: unknown): unknown => prepareAppend(appends as StreamAppend[], testRegistry, at);
const one = (over: Partial<StreamAppend> = {}): StreamAppend[] => [{ streamId: 'sample-a', expectedVersion: 'any', events: [sample('e1')], ...over }];

describe('prepareAppend refuses bad input before touching the database', () => {
  it('an event that fails its schema: EVENT_SCHEMA_INVALID naming the field', () => {
    const bad = one({ events: [{ ...sample('e1'), data: { sampleId: 'x', fundId: 'f', amountFen: -1 } }] });
    expect(() => prepare(bad)).toThrow(expect.objectContaining({ code: 'EVENT_SCHEMA_INVALID', field: 'appends[0].events[0].data.amountFen' }));
  });

  it('an unknown event type: EVENT_TYPE_UNKNOWN', () => {
    expect(() => prepare(one({ events: [{ ...sample('e1'), type: 'NoSuchThing' }] }))).toThrow(
      expect.objectContaining({ code: 'EVENT_TYPE_UNKNOWN', field: 'appends[0].events[0].type' }),
    );
  });

  it('a missing metadata field: METADATA_INVALID naming it', () => {
    const m = { ...metadata() } as Record<string, unknown>;
    delete m.correlationId;
    expect(() => prepare(one({ events: [{ ...sample('e1'), metadata: m as never }] }))).toThrow(
      expect.objectContaining({ code: 'METADATA_INVALID', field: 'appends[0].events[0].metadata.correlationId' }),
    );
    expect(() => prepare(one({ events: [{ ...sample('e1'), metadata: metadata({ businessDate: '2016-13-01' }) }] }))).toThrow(
      expect.objectContaining({ code: 'METADATA_INVALID', field: 'appends[0].events[0].metadata.businessDate' }),
    );
  });

  it('temporal ids may be absent (a CLI import) but not half given', () => {
    const m = { ...metadata() } as Record<string, unknown>;
    delete m.temporal;
    expect(() => prepare(one({ events: [{ ...sample('e1'), metadata: m as never }] }))).not.toThrow();
    expect(() => prepare(one({ events: [{ ...sample('e1'), metadata: { ...metadata(), temporal: { workflowId: 'w' } } as never }] }))).toThrow(
      expect.objectContaining({ code: 'METADATA_INVALID', field: 'appends[0].events[0].metadata.temporal.runId' }),
    );
  });

  it('a stream id of the wrong shape: STREAM_ID_INVALID', () => {
    for (const streamId of ['nohyphen', 'Project-x', '-x', 'p-', 'a b-c', 'x'.repeat(40) + '-1']) {
      expect(() => prepare(one({ streamId }))).toThrow(expect.objectContaining({ code: 'STREAM_ID_INVALID', field: 'appends[0].streamId' }));
    }
  });

  it('an expected version below zero or not whole: EXPECTED_VERSION_INVALID', () => {
    for (const expectedVersion of [-1, 1.5, 'latest', NaN]) {
      expect(() => prepare(one({ expectedVersion: expectedVersion as never }))).toThrow(
        expect.objectContaining({ code: 'EXPECTED_VERSION_INVALID', field: 'appends[0].expectedVersion' }),
      );
    }
  });

  it('a bad or repeated event id, a repeated stream, an empty append: typed errors', () => {
    expect(() => prepare(one({ events: [sample('has space')] }))).toThrow(expect.objectContaining({ code: 'EVENT_ID_INVALID' }));
    expect(() => prepare(one({ events: [sample('e1'), sample('e1')] }))).toThrow(expect.objectContaining({ code: 'APPEND_INVALID' }));
    expect(() => prepare([...one(), ...one({ events: [sample('e2')] })])).toThrow(expect.objectContaining({ code: 'APPEND_INVALID', field: 'appends[1].streamId' }));
    expect(() => prepare([])).toThrow(expect.objectContaining({ code: 'APPEND_INVALID' }));
    expect(() => prepare(one({ events: [] }))).toThrow(expect.objectContaining({ code: 'APPEND_INVALID' }));
  });

  it('renders the refs from the event definition', () => {
    const r = prepareAppend(one(), testRegistry, at);
    expect(JSON.parse(`{${r.refEntries.join(',')}}`)).toEqual({
      e1: [
        ['fund', 'fund-1'],
        ['project', 'e1'],
      ],
    });
    expect(r.eventStreams).toEqual([1]);
    expect(r.digests[0]).toHaveLength(32);
  });

  it('renders several appends as one call: groups in order, stream indexes offset, one recorded time per event', () => {
    const a = prepareAppend(one(), testRegistry, at);
    const later = '2026-11-29T10:00:01.000Z';
    const b = prepareAppend(
      [
        { streamId: 'sample-b1', expectedVersion: 3, events: [sample('b1'), sample('b2')] },
        { streamId: 'sample-b2', expectedVersion: 'no-stream', events: [sample('b3')] },
      ],
      testRegistry,
      later,
    );
    const [groups, streamIds, expected, eventStreams, events, digests, refs, recordedAt] = batchParams([a, b]);
    expect(groups).toEqual([1, 2, 2]);
    expect(streamIds).toEqual([...a.streamIds, 'sample-b1', 'sample-b2']);
    expect(expected).toEqual([...a.expected, '3', 'no-stream']);
    expect(eventStreams).toEqual([1, 2, 2, 3]);
    expect((JSON.parse(events as string) as { eventId: string }[]).map((e) => e.eventId)).toEqual(['e1', 'b1', 'b2', 'b3']);
    expect(digests).toHaveLength(4);
    expect(Object.keys(JSON.parse(refs as string) as object)).toEqual(['e1', 'b1', 'b2', 'b3']);
    expect(recordedAt).toEqual([at, later, later, later]);
  });
});
