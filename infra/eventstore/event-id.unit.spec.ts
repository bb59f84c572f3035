import { createHash } from 'node:crypto';
import { eventIdFor } from './event-id';

describe('eventIdFor', () => {
  it('gives the same id for the same workflow, step and index, so a retry appends nothing new', () => {
    expect(eventIdFor('project-prj-song-2016-0001', 'proposal')).toBe(eventIdFor('project-prj-song-2016-0001', 'proposal'));
  });

  it('gives different ids for another step, another index or another workflow', () => {
    const ids = new Set([
      eventIdFor('wf-a', 'proposal'),
      eventIdFor('wf-a', 'proposal', 1),
      eventIdFor('wf-a', 'township-review'),
      eventIdFor('wf-b', 'proposal'),
      // the separator keeps "ab"+"c" apart from "a"+"bc"
      eventIdFor('ab', 'c'),
      eventIdFor('a', 'bc'),
    ]);
    expect(ids.size).toBe(6);
  });

  it('is shaped as a UUID', () => {
    expect(eventIdFor('wf', 'step')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('keeps the ids already stored: a retry after an upgrade must find its first attempt', () => {
    expect(eventIdFor('project-prj-song-2016-0001', 'proposal')).toBe('b3efaeac-bea6-846b-8268-fcb5006af2a8');
    expect(eventIdFor('exit-round-vil-song-0001-2016', 'appraise-3:0:hh-song-0001-0007', 2)).toBe('507c0878-d3da-8fd2-8f92-3e778fec030f');
    expect(eventIdFor('wf', '步骤', 17)).toBe('051a05f2-eefc-89f0-a2dc-a03b15379bcc');
  });

  it('sets the variant as the Buffer form did, for every nibble', () => {
    const before = (w: string, s: string, i: number) => {
      const h = createHash('sha256').update(`${w}\u0000${s}\u0000${i}`).digest();
      h[6] = (h[6]! & 0x0f) | 0x80;
      h[8] = (h[8]! & 0x3f) | 0x80;
      const x = h.subarray(0, 16).toString('hex');
      return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
    };
    for (let i = 0; i < 2000; i++) expect(eventIdFor('wf-x', `step-${i}`, i % 5)).toBe(before('wf-x', `step-${i}`, i % 5));
  });
});
