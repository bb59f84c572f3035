import { z } from 'zod';
import { countyIdSchema } from '../../domain/reference/counties';

/** A client's request id: becomes the Update id (steps, money) or seeds the workflow id (proposals). */
export const requestIdSchema = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, { error: 'must be 1-128 of A-Z a-z 0-9 . _ : -' });

/** Headers carry much else (user agent, tracing): only ours are checked, the rest let through. */
export const idempotencyHeadersSchema = z.looseObject({ 'idempotency-key': requestIdSchema.optional() });

/**
 * Requests that move money (a project's funding, a payment) must name themselves: a client that
 * retries after a lost answer must be able to repeat exactly the request it sent, never pay twice.
 * The header is the one way there (their bodies take no requestId); it is the same request id the
 * other commands take, scoped by user and route (plugins/idempotency.ts) and sent on as the Update id.
 */
export const requiredIdempotencyHeadersSchema = z.looseObject({ 'idempotency-key': requestIdSchema });

export const errorSchema = z.object({
  code: z.string(),
  zh: z.string(),
  en: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
  /** A 400's refused inputs: the field's path and Chinese label, the rule (zod's issue code), and the rule in zh and en. */
  issues: z
    .array(z.object({ in: z.string(), field: z.string(), fieldZh: z.string().optional(), rule: z.string(), zh: z.string(), en: z.string(), message: z.string() }))
    .optional(),
});

export const ERROR_RESPONSES = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema, 422: errorSchema, 429: errorSchema } as const;

export const pageQueryShape = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  county: countyIdSchema.optional(),
  year: z.coerce.number().int().min(2016).max(2030).optional(),
};
