import { z } from 'zod';

/**
 * Which table (and which version of it) a decision was taken under. Stored in events so a decision
 * can be explained later even after a table is revised: a revision gets a new version, never an edit.
 */
export const policyRefSchema = z
  .object({
    id: z.enum(['poverty-line', 'exit-thresholds', 'monitoring', 'county-check']),
    version: z.number().int().min(1),
    year: z.number().int().min(2014).max(2030).optional(),
  })
  .strict();
export type PolicyRef = z.infer<typeof policyRefSchema>;

/** Where a value comes from, so nobody mistakes a national figure or an assumption for the plan's. */
export type ValueOrigin = 'plan' | 'national-policy' | 'national-statistics' | 'assumption';

export interface Sourced<T> {
  readonly value: T;
  readonly origin: ValueOrigin;
  readonly source: string;
  /** false when the figure could not be checked against a primary document here. */
  readonly verified: boolean;
}

export const policyLabel = (ref: PolicyRef): string => `${ref.id}/v${ref.version}${ref.year === undefined ? '' : `/${ref.year}`}`;
