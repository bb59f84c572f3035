import { z } from 'zod';
import { defineEvent, type EventRef } from '../shared/events';
import { roleSchema, userIdSchema } from '../shared/actor';
import { countyIdSchema } from '../reference/counties';
import { householdIdSchema } from '../household/ids';

/**
 * Who saw or erased a household's clear ID numbers, and why. The numbers themselves are never in
 * an event (domain/household/events.ts); these facts are, in the household's own `pii-<household>`
 * stream, so its audit trail shows every such read.
 */
const fields = {
  householdId: householdIdSchema,
  countyId: countyIdSchema,
  by: userIdSchema,
  role: roleSchema,
  /** The stated need (a case, a check, a request from the person): required, shown in the trail. */
  reason: z.string().trim().min(4).max(500),
  at: z.iso.datetime({ offset: true }),
};
const refs = (d: { householdId: string; countyId: string }): EventRef[] => [
  { kind: 'household', id: d.householdId },
  { kind: 'county', id: d.countyId },
];

export const IdNumbersRead = defineEvent({
  type: 'IdNumbersRead',
  version: 1,
  schema: z.object({ ...fields, members: z.number().int().min(0).max(50) }).strict(),
  refs,
});

/** Crypto-shredding: the household's data key destroyed, so its encrypted numbers can never be read again. */
export const IdNumbersErased = defineEvent({
  type: 'IdNumbersErased',
  version: 1,
  schema: z.object(fields).strict(),
  refs,
});

export const PRIVACY_EVENTS = [IdNumbersRead, IdNumbersErased] as const;
