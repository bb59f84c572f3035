import { z } from 'zod';
import { buildRegistry, defineEvent, type EventDefinition } from '../../domain/shared/events';
import type { EventMetadata } from '../../infra/eventstore/metadata';
import type { NewEvent } from '../../infra/eventstore/types';

/**
 * Event types that belong to the store's tests only, so the store's behaviour is tested apart from
 * the domain's evolving schemas. `SampleRecorded` is at v2; v1 stored `amountYuan`, v2 holds fen.
 */
export const SampleRecorded = defineEvent({
  type: 'SampleRecorded',
  version: 2,
  schema: z.object({ sampleId: z.string().min(1), fundId: z.string().min(1), amountFen: z.number().int().nonnegative(), note: z.string().optional() }).strict(),
  past: [
    {
      version: 1,
      schema: z.object({ sampleId: z.string(), fundId: z.string(), amountYuan: z.number().int() }).strict(),
      upcast: (d) => {
        const v1 = d as { sampleId: string; fundId: string; amountYuan: number };
        return { sampleId: v1.sampleId, fundId: v1.fundId, amountFen: v1.amountYuan * 100 };
      },
    },
  ],
  refs: (d) => [
    { kind: 'fund', id: d.fundId },
    { kind: 'project', id: d.sampleId },
  ],
});

export const testRegistry = buildRegistry([SampleRecorded as unknown as EventDefinition<string, never>]);

export const metadata = (over: Partial<EventMetadata> = {}): EventMetadata => ({
  actor: { userId: 'official.song.1', role: 'county-official', countyId: 'song' },
  countyId: 'song',
  correlationId: 'corr-1',
  causationId: 'cause-1',
  temporal: { workflowId: 'wf-1', runId: 'run-1', activityId: '1' },
  businessDate: '2016-03-01',
  ...over,
});

export const sample = (eventId: string, amountFen = 100, fundId = 'fund-1', over: Partial<EventMetadata> = {}): NewEvent => ({
  eventId,
  type: 'SampleRecorded',
  data: { sampleId: eventId, fundId, amountFen },
  metadata: metadata(over),
});
