import { z } from 'zod';
import { actorSchema, roleSchema, userIdSchema, COUNTY_SCOPED_ROLES, type Actor } from '../../domain/shared/actor';
import { countyNameSchema } from '../../domain/reference/counties';
import { CliError } from '../args';

/** --as, --role, --county: who acts. County-scoped roles need their county. */
export const actorFlags = {
  as: userIdSchema,
  role: roleSchema,
  county: countyNameSchema.optional(),
};

export const actorFrom = (f: { as: string; role: z.infer<typeof roleSchema>; county?: string | undefined }): Actor => {
  const a = actorSchema.safeParse({ userId: f.as, role: f.role, ...(COUNTY_SCOPED_ROLES.includes(f.role) ? { countyId: f.county } : {}) });
  if (!a.success) throw new CliError('CLI_INVALID_INPUT', a.error.issues.map((i) => `--${i.path[0] === 'countyId' ? 'county' : String(i.path[0] ?? 'as')}: ${i.message}`).join('\n'));
  return a.data;
};

/** A JSON flag value given inline or as @file. */
export const jsonArg = async (flag: string, value: string): Promise<unknown> => {
  const { readFile } = await import('node:fs/promises');
  const text = value.startsWith('@') ? await readFile(value.slice(1), 'utf8') : value;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError('CLI_INVALID_INPUT', `--${flag}: is not JSON: ${(e as Error).message}`);
  }
};
