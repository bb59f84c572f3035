import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { guaranteesSchema, householdIdSchema, DEFAULT_HOUSEHOLD_RULES } from '../../domain/household';
import { moneySchema } from '../../domain/shared/money';
import type { Actor } from '../../domain/shared/actor';
import type { Database } from '../database';
import { applyHouseholdBatch, type HouseholdOutcome } from './household-batch';
import { RegistryError } from './errors';

/**
 * "Records updated every year": each household's income and 两不愁三保障 for a year, as one file or
 * request. After an exit the decider flags a household whose income is under 1.5 × the line or
 * that lost a guarantee (the income a string in 元, "4200" or "4,200.00元"); the caller starts a return review for each flagged id.
 */
export const yearlyRecordSchema = z
  .object({
    householdId: householdIdSchema,
    year: z.number().int().min(2014).max(2030),
    perCapitaIncome: moneySchema,
    stableIncomeSource: z.boolean(),
    guarantees: guaranteesSchema,
  })
  .strict();

export interface YearlyResult {
  readonly recorded: number;
  readonly refused: readonly { householdId: string; code: string; message: string }[];
  readonly flagged: readonly string[];
}

export type YearlyRow = z.output<typeof yearlyRecordSchema>;

/** A file's or a request's records checked, all or none: every bad row named by its line and field. */
export const parseYearlyRecords = (records: readonly unknown[]): YearlyRow[] => {
  const parsed = records.map((r, i) => ({ i, r: yearlyRecordSchema.safeParse(r) }));
  const bad = parsed.filter((p) => !p.r.success);
  if (bad.length > 0) {
    throw new RegistryError(
      'REGISTRY_ROWS_INVALID',
      `${bad.length} record(s) invalid; nothing was recorded`,
      bad.flatMap((p) =>
        p.r.success ? [] : p.r.error.issues.map((x) => ({ line: p.i + 1, row: p.i + 1, field: x.path.join('.') || '(row)', code: 'REGISTRY_FIELD_INVALID', message: x.message })),
      ),
    );
  }
  return parsed.map((p) => (p.r as { data: YearlyRow }).data);
};

/** Records checked by parseYearlyRecords (or by the API's body schema, which is the same schema). */
export const recordYearly = async (db: Kysely<Database>, rows: readonly YearlyRow[], input: { actor: Actor; now?: string }): Promise<YearlyResult> => {
  const now = input.now ?? new Date().toISOString();
  const key = createHash('sha256').update(JSON.stringify(rows)).update(input.actor.userId).digest('hex').slice(0, 24);
  const origin = { workflowId: `records-${key}` };
  const base = { actor: input.actor, now, rules: DEFAULT_HOUSEHOLD_RULES, correlationId: origin.workflowId, causationId: origin.workflowId };
  const income = await applyHouseholdBatch(
    db,
    {
      ...base,
      step: 'income',
      items: rows.map((r) => ({
        householdId: r.householdId,
        type: 'RecordIncome',
        data: { year: r.year, perCapitaIncome: r.perCapitaIncome, stableIncomeSource: r.stableIncomeSource },
      })),
    },
    origin,
  );
  const guarantees = await applyHouseholdBatch(
    db,
    { ...base, step: 'guarantees', items: rows.map((r) => ({ householdId: r.householdId, type: 'UpdateGuarantees', data: { year: r.year, guarantees: r.guarantees } })) },
    origin,
  );
  const all: HouseholdOutcome[] = [...income, ...guarantees];
  const refused = all.filter((o) => !o.ok).map((o) => ({ householdId: o.householdId, code: o.code ?? 'REFUSED', message: o.message ?? '' }));
  const flagged = [...new Set(all.filter((o) => o.events.includes('HouseholdFlaggedForReturnRisk')).map((o) => o.householdId))];
  return { recorded: income.filter((o) => o.ok).length, refused, flagged };
};
