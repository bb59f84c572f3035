import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { actorSchema, roleSchema, userIdSchema, type Actor } from '../../domain/shared/actor';
import { countyNameSchema } from '../../domain/reference/counties';
import { requiredLine } from '../../domain/shared/text';
import type { Database } from '../../infra/database';
import { issueToken, MAX_TOKEN_TTL_SECONDS, SYSTEM_USER, ttlSchema, type IssuedToken } from '../../infra/tokens/tokens';
import { generateTokenKeyPair, type TokenKeys } from '../../infra/tokens/token-keys';
import { revokeToken } from '../../infra/tokens/revoked-tokens';
import { CliError, parseFlags, inputRefusal, ACTOR_FLAGS } from '../args';

const flags = z
  .object({
    user: userIdSchema.refine((u) => !SYSTEM_USER.test(u), { error: "system.* user ids are the system's own; no token is issued for them" }),
    role: roleSchema,
    county: countyNameSchema.optional(),
    ttl: z.string().default('8h').pipe(ttlSchema),
  })
  .strict();

/** `tuopin token issue`: a bearer token signed with API_TOKEN_SIGNING_KEY (the development key in development mode). */
export const parseTokenIssue = (argv: string[]): { actor: Actor; ttlSeconds: number } => {
  const f = parseFlags(argv, flags);
  const actor = actorSchema.safeParse({ userId: f.user, role: f.role, ...(f.county ? { countyId: f.county } : {}) });
  if (!actor.success) throw inputRefusal(actor.error, { ...ACTOR_FLAGS, userId: 'user' });
  return { actor: actor.data, ttlSeconds: f.ttl };
};

export const runTokenIssue = async (argv: string[], keys: TokenKeys): Promise<IssuedToken> => {
  const { actor, ttlSeconds } = parseTokenIssue(argv);
  if (!keys.signing) throw new CliError('CLI_CONFIG', 'API_TOKEN_SIGNING_KEY is not set: this machine cannot issue tokens');
  return issueToken(keys, actor, ttlSeconds);
};

/** `tuopin token keygen --kid <id>`: a new Ed25519 pair, the private half for the issuer, the public half for the API. */
export const runTokenKeygen = (argv: string[]): { signing: string; public: string } => {
  const f = parseFlags(argv, z.object({ kid: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, { error: 'must be 1-64 of A-Z a-z 0-9 . _ -' }) }).strict());
  return generateTokenKeyPair(f.kid, randomBytes(32));
};

/** The pair as env lines a shell sources; the comment after each says where it goes, in English then Chinese. */
export const keygenLines = (pair: { readonly signing: string; readonly public: string }): string[] => [
  `API_TOKEN_SIGNING_KEY=${pair.signing}   # the issuer only; keep it out of the API's environment 仅签发方使用，勿放入 API 的环境`,
  `API_TOKEN_PUBLIC_KEYS=${pair.public}   # the API; add beside the old one to rotate 供 API 使用；轮换时加在旧公钥旁`,
];

const revokeFlags = z
  .object({
    jti: z.string().regex(/^[A-Za-z0-9-]{8,64}$/, { error: 'must be a token id (its jti claim)' }),
    as: userIdSchema,
    reason: requiredLine(500),
  })
  .strict();

/**
 * `tuopin token revoke --jti <id> --as <user> --reason <text>`: every API process refuses the token
 * from its next request on. Kept for the longest lifetime a token can have, then prunable.
 */
export const runTokenRevoke = async (argv: string[], db: Kysely<Database>): Promise<string> => {
  const f = parseFlags(argv, revokeFlags);
  await revokeToken(db, { jti: f.jti, revokedBy: f.as, reason: f.reason, expiresAt: new Date(Date.now() + MAX_TOKEN_TTL_SECONDS * 1000) });
  return f.jti;
};
