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
});
