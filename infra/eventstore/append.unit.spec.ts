import { metadata, sample, testRegistry } from '../../test/support/events';
import { batchParams, prepareAppend } from './append';
import { sharedTextArray } from './append-batcher';
import { canonicalJson } from './canonical';
import { eventMetadataSchema } from './metadata';
import type { StreamAppend } from './types';

const prepare = (appends: unknown): unknown => prepareAppend(appends as StreamAppend[], testRegistry);
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

  it('checks and renders a metadata object shared by many events once, and every event carries it', () => {
    const shared = metadata();
    const parse = jest.spyOn(eventMetadataSchema, 'safeParse');
    try {
      const args = prepareAppend(
        [
          {
            streamId: 'sample-a',
            expectedVersion: 'any',
            events: [
              { ...sample('e1'), metadata: shared },
              { ...sample('e2'), metadata: shared },
            ],
          },
          {
            streamId: 'sample-b',
            expectedVersion: 'any',
            events: [
              { ...sample('e3'), metadata: shared },
              { ...sample('e4'), metadata: metadata({ correlationId: 'other' }) },
            ],
          },
        ],
        testRegistry,
      );
      expect(parse).toHaveBeenCalledTimes(2);
      expect(args.metadataJsons.slice(0, 3)).toEqual(Array(3).fill(canonicalJson(shared)));
      expect(JSON.parse(args.metadataJsons[3]!)).toMatchObject({ correlationId: 'other' });
    } finally {
      parse.mockRestore();
    }
  });

  it('renders the refs from the event definition as canonical text, sorted by kind then id, each once', () => {
    const r = prepareAppend(one(), testRegistry);
    expect(r.refsJsons).toEqual(['[["fund","fund-1"],["project","e1"]]']);
    expect(r.eventStreams).toEqual([1]);
    expect(r.dataJsons[0]).toBe(JSON.stringify(JSON.parse(r.dataJsons[0]!)));
  });

  it('renders several appends as one call: groups in order, stream indexes offset, one entry per event in every event array', () => {
    const a = prepareAppend(one(), testRegistry);
    const b = prepareAppend(
      [
        { streamId: 'sample-b1', expectedVersion: 3, events: [sample('b1'), sample('b2')] },
        { streamId: 'sample-b2', expectedVersion: 'no-stream', events: [sample('b3')] },
      ],
      testRegistry,
    );
    const [groups, streamIds, expected, eventStreams, eventIds, types, schemaVersions, data, metadata, refs] = batchParams([a, b]);
    expect(groups).toEqual([1, 2, 2]);
    expect(streamIds).toEqual([...a.streamIds, 'sample-b1', 'sample-b2']);
    expect(expected).toEqual([...a.expected, '3', 'no-stream']);
    expect(eventStreams).toEqual([1, 2, 2, 3]);
    expect(eventIds).toEqual(['e1', 'b1', 'b2', 'b3']);
    for (const column of [types, schemaVersions, data, refs]) expect(column).toHaveLength(4);
    // The metadata goes as one array literal, each distinct text escaped once (sharedTextArray).
    expect(metadata).toBe(sharedTextArray([...a.metadataJsons, ...b.metadataJsons]));
    expect(batchParams([a])).toEqual([
      [1],
      a.streamIds,
      a.expected,
      a.eventStreams,
      a.eventIds,
      a.types,
      a.schemaVersions,
      a.dataJsons,
      sharedTextArray(a.metadataJsons),
      a.refsJsons,
    ]);
  });
});
