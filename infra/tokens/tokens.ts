import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify, decodeProtectedHeader, errors as joseErrors } from 'jose';
import { z } from 'zod';
import { actorSchema, SYSTEM_USER, type Actor } from '../../domain/shared/actor';
import type { TokenKeys } from './token-keys';

/** Who signs and who accepts: a token from another issuer or for another audience is not ours. */
const ISSUER = 'tuopin';
const AUDIENCE = 'tuopin-api';

/** A working day and some: a lost token is useless by the next morning. */
export const MAX_TOKEN_TTL_SECONDS = 12 * 3600;

/** User ids the system itself acts under (domain/shared/actor.ts): no token is issued for one or accepted with one. */
export { SYSTEM_USER } from '../../domain/shared/actor';

export class TokenError extends Error {
  constructor(
    readonly code: 'TOKEN_MISSING' | 'TOKEN_MALFORMED' | 'TOKEN_EXPIRED' | 'TOKEN_INVALID' | 'TOKEN_CLAIMS_INVALID' | 'TOKEN_REVOKED',
    message: string,
  ) {
    super(message);
    this.name = 'TokenError';
  }
}

/** The claims we put in, parsed again on the way out: a validly signed token with odd claims is still refused. */
const claimsSchema = z.object({
  sub: z.string(),
  role: z.string(),
  county: z.string().optional(),
  jti: z.string().regex(/^[A-Za-z0-9-]{8,64}$/),
  iat: z.number().int(),
  exp: z.number().int(),
});

const UNIT_S = { s: 1, m: 60, h: 3600, d: 86_400 } as const;
/** A lifetime like 30m or 8h; at most 12 hours. */
export const ttlSchema = z
  .string()
  .regex(/^\d{1,6}[smhd]$/, { error: 'must be a whole number with a unit: 30m, 8h' })
  .transform((s) => Number(s.slice(0, -1)) * UNIT_S[s.slice(-1) as keyof typeof UNIT_S])
  .pipe(z.number().int().min(1).max(MAX_TOKEN_TTL_SECONDS, { error: 'must be at most 12h' }));

/** A token and the id it can be revoked by. */
export interface IssuedToken {
  readonly token: string;
  readonly jti: string;
  readonly expiresAt: Date;
}

/** Signs a token for `actor` with the issuer's key (EdDSA), its key id in the header and a fresh `jti`. */
export const issueToken = async (keys: TokenKeys, actor: Actor, ttlSeconds: number, now: Date = new Date()): Promise<IssuedToken> => {
  if (!keys.signing) throw new TokenError('TOKEN_INVALID', 'this process holds no signing key (API_TOKEN_SIGNING_KEY)');
  const a = actorSchema.parse(actor);
  if (SYSTEM_USER.test(a.userId)) throw new TokenError('TOKEN_CLAIMS_INVALID', `${a.userId}: system.* user ids are the system's own; no token is issued for them`);
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TOKEN_TTL_SECONDS)
    throw new TokenError('TOKEN_CLAIMS_INVALID', `a token lives 1 s to ${MAX_TOKEN_TTL_SECONDS} s`);
  const iat = Math.floor(now.getTime() / 1000);
  const jti = randomUUID();
  const token = await new SignJWT({ role: a.role, ...(a.countyId ? { county: a.countyId } : {}) })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: keys.signing.kid })
    .setSubject(a.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds)
    .setJti(jti)
    .sign(keys.signing.key);
  return { token, jti, expiresAt: new Date((iat + ttlSeconds) * 1000) };
};

/** Whether a token id has been revoked (api/plugins/auth.ts asks the `revoked_tokens` table). */
export type RevokedCheck = (jti: string) => Promise<boolean>;

/** The actor a token speaks for, or a TokenError saying why not (all of them answer 401). */
export const verifyToken = async (keys: TokenKeys, token: string, revoked?: RevokedCheck): Promise<{ actor: Actor; jti: string }> => {
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    throw new TokenError('TOKEN_MALFORMED', 'the token is not a JWT');
  }
  const key = kid !== undefined ? keys.verifying.get(kid) : undefined;
  if (!key) throw new TokenError('TOKEN_INVALID', `the token names no key this API trusts (kid ${JSON.stringify(kid ?? null)})`);
  let payload: unknown;
  try {
    // Only EdDSA: a token naming another algorithm (HS256 with the public key as secret, or none) is refused before its signature is read.
    ({ payload } = await jwtVerify(token, key, { algorithms: ['EdDSA'], issuer: ISSUER, audience: AUDIENCE, requiredClaims: ['exp', 'iat', 'sub', 'jti'] }));
  } catch (e) {
    if (e instanceof joseErrors.JWTExpired) throw new TokenError('TOKEN_EXPIRED', 'the token has expired');
    if (e instanceof joseErrors.JOSEError) {
      throw new TokenError(e instanceof joseErrors.JWSSignatureVerificationFailed ? 'TOKEN_INVALID' : 'TOKEN_MALFORMED', `the token is not valid: ${e.message}`);
    }
    throw new TokenError('TOKEN_MALFORMED', 'the token is not a JWT');
  }
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) throw new TokenError('TOKEN_CLAIMS_INVALID', `the token's claims are incomplete: ${claims.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  const c = claims.data;
  // A token minted with a longer life than any issuer may give is not ours, whoever signed it.
  if (c.exp - c.iat > MAX_TOKEN_TTL_SECONDS) throw new TokenError('TOKEN_CLAIMS_INVALID', `the token lives longer than ${MAX_TOKEN_TTL_SECONDS} s`);
  if (SYSTEM_USER.test(c.sub)) throw new TokenError('TOKEN_CLAIMS_INVALID', "system.* user ids are the system's own; no token speaks for them");
  const actor = actorSchema.safeParse({ userId: c.sub, role: c.role, ...(c.county !== undefined ? { countyId: c.county } : {}) });
  if (!actor.success)
    throw new TokenError('TOKEN_CLAIMS_INVALID', `the token's claims are not an actor: ${actor.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  if (revoked && (await revoked(c.jti))) throw new TokenError('TOKEN_REVOKED', `the token ${c.jti} has been revoked`);
  return { actor: actor.data, jti: c.jti };
};
