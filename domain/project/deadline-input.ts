import { z } from 'zod';
import { DEADLINE_KINDS, type DeadlineKind } from './next-actor';
import { DEADLINE_NAMES } from '../names/project';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A duration as people type it: 500ms, 30s, 15m, 36h, 10d; parsed to milliseconds. */
export const durationSchema = z
  .string()
  .regex(/^\d{1,9}(ms|s|m|h|d)$/, { error: 'must be a whole number with a unit: 500ms, 30s, 15m, 36h, 10d' })
  .transform((s) => {
    const unit = /(ms|s|m|h|d)$/.exec(s)![1] as keyof typeof UNIT_MS;
    return Number(s.slice(0, -unit.length)) * UNIT_MS[unit];
  });

/**
 * How long each waiting stage may wait before it escalates (`--deadlines`, `deadlines` of POST
 * /projects), e.g. {"township-review":"10d","county-review":"15d"}: one optional key per deadline
 * a project workflow runs, each described by its Chinese name, so the OpenAPI document lists them.
 */
export const deadlinesInputSchema = z
  .object(
    Object.fromEntries(
      DEADLINE_KINDS.map((k) => [k, durationSchema.optional().meta({ description: `${DEADLINE_NAMES[k].zh}（${DEADLINE_NAMES[k].en}）: 500ms, 30s, 15m, 36h or 10d` })]),
    ) as Record<DeadlineKind, z.ZodOptional<typeof durationSchema>>,
  )
  .strict()
  .meta({ description: 'how long each stage may wait before it escalates (逾期督办); keys: ' + DEADLINE_KINDS.map((k) => `${k} ${DEADLINE_NAMES[k].zh}`).join(', ') });

export type DeadlinesInput = Partial<Record<DeadlineKind, number>>;
