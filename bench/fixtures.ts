import { ProjectProposed } from '../domain/project/events';
import type { EventMetadata } from '../infra/eventstore/metadata';
import type { NewEvent } from '../infra/eventstore/types';

const COUNTIES = ['song', 'luanchuan', 'luoning', 'ruyang', 'yiyang', 'yichuan', 'xinan', 'mengjin'] as const;

export const benchStreamId = (k: number): string => `project-${benchProjectId(k)}`;
const benchProjectId = (k: number): string => `prj-${COUNTIES[k % COUNTIES.length]}-2016-${String(k).padStart(5, '0')}`;

/** A realistic ProjectProposed (about 600 bytes of JSON); checked against the domain schema once. */
export const benchEvent = (k: number, eventId: string): NewEvent => {
  const county = COUNTIES[k % COUNTIES.length]!;
  const data = {
    projectId: benchProjectId(k),
    countyId: county,
    category: 'industry',
    name: `Bench project ${k}`,
    budget: 1_000_000 + k,
    fiscalYear: 2016,
    proposedBy: 'official.bench.1',
    proposedAt: '2016-03-01T08:00:00+08:00',
    villageRecord: {
      partyBranchProposedOn: '2016-02-01',
      twoCommitteesDeliberatedOn: '2016-02-03',
      partyMembersReviewedOn: '2016-02-05',
      villagersResolvedOn: '2016-02-08',
      resolutionPublishedOn: '2016-02-10',
      minutesRef: `minutes-${k}`,
    },
  };
  const metadata: EventMetadata = {
    actor: { userId: 'official.bench.1', role: 'county-official', countyId: county },
    countyId: county,
    correlationId: `corr-${eventId}`,
    causationId: `cause-${eventId}`,
    temporal: { workflowId: `wf-${k}`, runId: 'run-1', activityId: '1' },
    businessDate: '2016-03-01',
  };
  return { eventId, type: 'ProjectProposed', data, metadata };
};

export const checkFixture = (): void => {
  ProjectProposed.schema.parse(benchEvent(1, 'x').data);
};
