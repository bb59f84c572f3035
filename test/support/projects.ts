import { ProjectProposed, type ProjectProposedData } from '../../domain/project/events';
import { ALL_EVENTS } from '../../domain/event-types';
import { buildRegistry, type EventDefinition } from '../../domain/shared/events';
import type { NewEvent } from '../../infra/eventstore/types';
import { metadata, SampleRecorded } from './events';

/** The domain's events plus the store's test events. */
export const mixedRegistry = buildRegistry([...ALL_EVENTS, SampleRecorded as unknown as EventDefinition<string, never>]);

/** A valid ProjectProposed payload; parsed here so a change in the domain schema fails loudly in one place. */
export const projectProposedData = (serial: number, over: Partial<ProjectProposedData> = {}): ProjectProposedData => {
  const county = over.countyId ?? (serial % 2 === 0 ? 'song' : 'luanchuan');
  const data = {
    projectId: `prj-${county}-2016-${String(serial).padStart(4, '0')}`,
    countyId: county,
    category: 'industry',
    name: `Project ${serial}`,
    budget: 1_000_000 + serial,
    fiscalYear: 2016,
    proposedBy: 'official.song.1',
    proposedAt: '2016-03-01T08:00:00+08:00',
    villageRecord: {
      partyBranchProposedOn: '2016-02-01',
      twoCommitteesDeliberatedOn: '2016-02-03',
      partyMembersReviewedOn: '2016-02-05',
      villagersResolvedOn: '2016-02-08',
      resolutionPublishedOn: '2016-02-10',
      minutesRef: `minutes-${serial}`,
    },
    ...over,
  };
  return ProjectProposed.schema.parse(data) as ProjectProposedData;
};

export const projectProposed = (serial: number, over: Partial<ProjectProposedData> = {}): { streamId: string; event: NewEvent } => {
  const data = projectProposedData(serial, over);
  return {
    streamId: `project-${data.projectId}`,
    event: {
      eventId: `wf-${data.projectId}:propose`,
      type: 'ProjectProposed',
      data,
      metadata: metadata({ countyId: data.countyId, actor: { userId: 'official.song.1', role: 'county-official', countyId: data.countyId } }),
    },
  };
};
