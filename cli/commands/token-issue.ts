import { z } from 'zod';
import { actorSchema, roleSchema, userIdSchema, type Actor } from '../../domain/shared/actor';
import { countyNameSchema } from '../../domain/reference/counties';
import { issueToken, ttlSchema } from '../../api/tokens';
import { CliError, parseFlags } from '../args';

const flags = z
  .object({
    user: userIdSchema,
    role: roleSchema,
    county: countyNameSchema.optional(),
    ttl: z.string().default('8h').pipe(ttlSchema),
  })
  .strict();

/** `tuopin token issue`: a bearer token for local use, signed with API_JWT_SECRET. */
export const parseTokenIssue = (argv: string[]): { actor: Actor; ttlSeconds: number } => {
  const f = parseFlags(argv, flags);
  const actor = actorSchema.safeParse({ userId: f.user, role: f.role, ...(f.county ? { countyId: f.county } : {}) });
  if (!actor.success) throw new CliError('CLI_INVALID_INPUT', actor.error.issues.map((i) => `--${i.path[0] === 'countyId' ? 'county' : String(i.path[0])}: ${i.message}`).join('\n'));
  return { actor: actor.data, ttlSeconds: f.ttl };
};

export const runTokenIssue = async (argv: string[], secret: string): Promise<string> => {
  const { actor, ttlSeconds } = parseTokenIssue(argv);
  return issueToken(secret, actor, ttlSeconds);
};
