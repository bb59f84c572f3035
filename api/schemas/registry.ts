import { z } from 'zod';
import { moneySchema } from '../../domain/shared/money';
import { HOUSEHOLD_COMMAND_DATA_SCHEMAS, householdIdSchema } from '../../domain/household';
import { yearlyRecordSchema } from '../../infra/registry/yearly-records';
import { NOTICE_DAYS } from '../../domain/policy/exit-thresholds';
import { villageInCountySchema } from './exits';
import { requestIdSchema } from './common';

/** One household as a file row holds it; the registry then checks ID numbers, householder, county and village. */
export const householdBodySchema = HOUSEHOLD_COMMAND_DATA_SCHEMAS.RegisterHousehold.extend({ perCapitaIncome: moneySchema, requestId: requestIdSchema.optional() }).strict();

/** The file name names the import (its digest with the content is the import id) and must agree with the content type. */
export const importQuerySchema = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,96}\.(csv|json)$/, { error: 'must be a file name ending in .csv or .json' })
      .optional(),
  })
  .strict();

/** The file itself, as text: CSV (text/csv) or JSON (application/json), kept as sent so errors give its own line numbers. */
export const importBodySchema = z.string().min(1, { error: 'must not be empty' });

export const importResultSchema = z.object({
  importId: z.string(),
  households: z.number().int(),
  members: z.number().int(),
  repeated: z.boolean(),
  positions: z.object({ first: z.number().int(), last: z.number().int() }).nullable(),
});

export const householdParamsSchema = z.object({ id: householdIdSchema }).strict();

export const recordsBodySchema = z
  .object({
    records: z.array(yearlyRecordSchema).min(1).max(20_000),
    /** The notice of the return reviews this may start. */
    noticeDays: z.number().int().min(NOTICE_DAYS.returnToPoverty.value).default(NOTICE_DAYS.returnToPoverty.value),
    requestId: requestIdSchema.optional(),
  })
  .strict();

export const registerVillageBodySchema = z
  .object({ villageId: villageInCountySchema, registeredYear: z.number().int().min(2014).max(2020).default(2015), requestId: requestIdSchema.optional() })
  .strict();

/** A household's state now (services/registry householdView: the decider's state, its id and stream version). Not yet described field by field. */
export const householdViewSchema = z.record(z.string(), z.unknown());
