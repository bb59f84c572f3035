import type { z } from 'zod';
import { HOUSEHOLD_COMMAND_DATA_SCHEMAS, householdDecider, type RegisterHousehold } from '../../domain/household';
import type { CommandMeta } from '../../domain/shared/actor';
import type { RawRow } from './file-format';
import type { RowError } from './errors';
import { memberKey } from '../personal-data/keys';

export type RegistrationData = RegisterHousehold['data'];

export interface ValidRow {
  readonly line: number;
  readonly row: number;
  readonly data: RegistrationData;
  /** The decided HouseholdRegistered event's data (member keys and masked numbers, no clear number). */
  readonly event: { type: string; data: unknown };
  readonly memberKeys: readonly string[];
  /** The normalized clear numbers, in member order, for the encrypted table (infra/personal-data); never stored in an event. */
  readonly idNumbers: readonly string[];
}

const fieldOf = (path: readonly PropertyKey[]): string => path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('') || '(row)';

/** Domain refusals point at a member by index; everything else at the row's own field. */
const domainField = (code: string, details: Readonly<Record<string, unknown>> | undefined): string => {
  const i = details?.memberIndex;
  if (typeof i === 'number') return code === 'RESIDENT_ID_INVALID' ? `members[${i}].idNumber` : `members[${i}]`;
  if (code === 'HOUSEHOLD_NEEDS_ONE_HOUSEHOLDER') return 'members';
  if (code === 'HOUSEHOLD_CAUSE_DUPLICATE') return 'causes';
  if (code === 'HOUSEHOLD_ID_NOT_FOR_COUNTY') return 'householdId';
  if (code === 'HOUSEHOLD_VILLAGE_NOT_FOR_COUNTY') return 'villageId';
  if (code === 'HOUSEHOLD_YEAR_OUT_OF_PLAN') return 'registeredYear';
  return '(row)';
};

/**
 * Every row through zod (shape, causes from the plan's list, fen, guarantees), then through the
 * household decider (ID number check digit and birth date, one householder, county/village fit),
 * then against the rest of the file (one household id, one person, once). Returns the rows or all
 * of the errors; nothing is read from or written to the store here.
 */
export const validateRows = (
  rows: readonly RawRow[],
  meta: CommandMeta,
  salt: string,
  opts: { countyId?: string } = {},
): { ok: true; rows: ValidRow[] } | { ok: false; errors: RowError[] } => {
  const schema: z.ZodType<RegistrationData> = HOUSEHOLD_COMMAND_DATA_SCHEMAS.RegisterHousehold;
  const errors: RowError[] = [];
  const valid: ValidRow[] = [];
  const ids = new Map<string, number>();
  const keys = new Map<string, number>();
  for (const r of rows) {
    const at = { line: r.line, row: r.row };
    const cols = (r.value as { __columns?: string } | null)?.__columns;
    if (cols) {
      errors.push({ ...at, field: '(row)', code: 'REGISTRY_COLUMNS', message: cols });
      continue;
    }
    const parsed = schema.safeParse(r.value);
    if (!parsed.success) {
      for (const i of parsed.error.issues) errors.push({ ...at, field: fieldOf(i.path), code: 'REGISTRY_FIELD_INVALID', message: i.message });
      continue;
    }
    const data = parsed.data;
    if (opts.countyId && data.countyId !== opts.countyId) {
      errors.push({ ...at, field: 'countyId', code: 'REGISTRY_COUNTY_MISMATCH', message: `the file is for ${opts.countyId}, the row for ${data.countyId}` });
      continue;
    }
    const idNumbers = data.members.map((m) => m.idNumber.trim().toUpperCase());
    const memberKeys = idNumbers.map((id) => memberKey(id, salt));
    const d = householdDecider.decide({ type: 'RegisterHousehold', data: { ...data, memberKeys }, meta }, householdDecider.initialState());
    if (!d.ok) {
      errors.push({ ...at, field: domainField(d.error.code, d.error.details), code: d.error.code, message: d.error.en });
      continue;
    }
    const earlier = ids.get(data.householdId);
    if (earlier !== undefined) {
      errors.push({ ...at, field: 'householdId', code: 'REGISTRY_HOUSEHOLD_TWICE', message: `the household id is already used on line ${earlier}` });
      continue;
    }
    ids.set(data.householdId, r.line);
    const event = d.events[0]!;
    let clash = false;
    memberKeys.forEach((k, i) => {
      const other = keys.get(k);
      if (other !== undefined) {
        clash = true;
        errors.push({ ...at, field: `members[${i}].idNumber`, code: 'HOUSEHOLD_MEMBER_DUPLICATE', message: `this person is already listed on line ${other}` });
      }
    });
    if (clash) continue;
    for (const k of memberKeys) keys.set(k, r.line);
    valid.push({ ...at, data, event, memberKeys, idNumbers });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, rows: valid };
};
