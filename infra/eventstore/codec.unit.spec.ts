import { testRegistry } from '../../test/support/events';
import { upcast } from './codec';

describe('upcast on read', () => {
  it('lifts a v1 event to the current version', () => {
    expect(upcast(testRegistry, 'SampleRecorded', 1, { sampleId: 's', fundId: 'f', amountYuan: 3 }, 'e')).toEqual({ sampleId: 's', fundId: 'f', amountFen: 300 });
  });
  it('parses a current one as is', () => {
    expect(upcast(testRegistry, 'SampleRecorded', 2, { sampleId: 's', fundId: 'f', amountFen: 3 }, 'e')).toEqual({ sampleId: 's', fundId: 'f', amountFen: 3 });
  });
  it('refuses an unknown type or version with a typed error', () => {
    expect(() => upcast(testRegistry, 'Nope', 1, {}, 'e')).toThrow(expect.objectContaining({ code: 'EVENT_TYPE_UNKNOWN' }));
    expect(() => upcast(testRegistry, 'SampleRecorded', 7, {}, 'e')).toThrow(expect.objectContaining({ code: 'EVENT_SCHEMA_VERSION_UNKNOWN' }));
  });
});
