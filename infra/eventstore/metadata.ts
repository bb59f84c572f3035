import { z } from 'zod';
import { actorSchema } from '../../domain/shared/actor';
import { countyIdSchema } from '../../domain/reference/counties';

const idSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,199}$/, { error: 'must be 1-200 of A-Z a-z 0-9 . _ : / @ -' });

/**
 * Metadata every event must carry. Validated on append; no personal data (names, ID numbers).
 * `temporal` is required when an activity writes and may be absent for e.g. a CLI import.
 */
export const eventMetadataSchema = z
  .object({
    actor: actorSchema,
    /** The county the event belongs to (its NATS subject token), or null for prefecture-wide events. */
    countyId: countyIdSchema.nullable(),
    correlationId: idSchema,
    causationId: idSchema,
    temporal: z
      .object({
        workflowId: z.string().min(1).max(255),
        runId: z.string().min(1).max(255),
        activityId: z.string().min(1).max(255).optional(),
      })
      .strict()
      .optional(),
    /** The business day the fact belongs to (the workflow's date), beside the store's recorded time. */
    businessDate: z.iso.date({ error: 'must be a date YYYY-MM-DD' }),
  })
  .strict();

export type EventMetadata = z.infer<typeof eventMetadataSchema>;

export interface MetadataInput {
  readonly actor: EventMetadata['actor'];
  readonly countyId: EventMetadata['countyId'];
  readonly correlationId: string;
  /** Defaults to the correlation id: a command that is its own cause (a CLI or API act without a workflow). */
  readonly causationId?: string;
  /** The workflow run and activity that wrote; absent outside Temporal. */
  readonly temporal?: EventMetadata['temporal'];
  /** The command's time (ISO) or date: its first ten characters are the business day. */
  readonly at: string;
}

/** The one way event metadata is built: every writer names the same fields, and `temporal` is left out when absent. */
export const eventMetadata = (m: MetadataInput): EventMetadata => ({
  actor: m.actor,
  countyId: m.countyId,
  correlationId: m.correlationId,
  causationId: m.causationId ?? m.correlationId,
  ...(m.temporal ? { temporal: m.temporal } : {}),
  businessDate: m.at.slice(0, 10),
});
