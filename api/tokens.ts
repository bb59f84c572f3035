import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { z } from 'zod';
import { actorSchema, type Actor } from '../domain/shared/actor';

/** Who signs and who accepts: a token from another issuer or for another audience is not ours. */
const ISSUER = 'tuopin';
const AUDIENCE = 'tuopin-api';

export class TokenError extends Error {
  constructor(
    readonly code: 'TOKEN_MISSING' | 'TOKEN_MALFORMED' | 'TOKEN_EXPIRED' | 'TOKEN_INVALID' | 'TOKEN_CLAIMS_INVALID',
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
});

const UNIT_S = { s: 1, m: 60, h: 3600, d: 86_400 } as const;
/** A lifetime like 30m, 8h or 2d; at most 30 days, so a lost token does not live for ever. */
export const ttlSchema = z
  .string()
  .regex(/^\d{1,6}[smhd]$/, { error: 'must be a whole number with a unit: 30m, 8h, 2d' })
  .transform((s) => Number(s.slice(0, -1)) * UNIT_S[s.slice(-1) as keyof typeof UNIT_S])
  .pipe(z.number().int().min(1).max(30 * 86_400, { error: 'must be at most 30d' }));

const keyOf = (secret: string): Uint8Array => new TextEncoder().encode(secret);

export const issueToken = async (secret: string, actor: Actor, ttlSeconds: number, now: Date = new Date()): Promise<string> => {
  const a = actorSchema.parse(actor);
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({ role: a.role, ...(a.countyId ? { county: a.countyId } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(a.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds)
    .sign(keyOf(secret));
};

/** The actor a token speaks for, or a TokenError saying why not (all of them answer 401). */
export const verifyToken = async (secret: string, token: string): Promise<Actor> => {
  let payload: unknown;
  try {
    // Only HS256: a token naming another algorithm (or none) is refused before its signature is read.
    ({ payload } = await jwtVerify(token, keyOf(secret), { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE, requiredClaims: ['exp', 'sub'] }));
  } catch (e) {
    if (e instanceof joseErrors.JWTExpired) throw new TokenError('TOKEN_EXPIRED', 'the token has expired');
    if (e instanceof joseErrors.JWSInvalid || e instanceof joseErrors.JWTInvalid || e instanceof joseErrors.JOSEError) {
      throw new TokenError(e instanceof joseErrors.JWSSignatureVerificationFailed ? 'TOKEN_INVALID' : 'TOKEN_MALFORMED', `the token is not valid: ${e.message}`);
    }
    throw new TokenError('TOKEN_MALFORMED', 'the token is not a JWT');
  }
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) throw new TokenError('TOKEN_CLAIMS_INVALID', 'the token lacks sub or role');
  const actor = actorSchema.safeParse({ userId: claims.data.sub, role: claims.data.role, ...(claims.data.county !== undefined ? { countyId: claims.data.county } : {}) });
  if (!actor.success) throw new TokenError('TOKEN_CLAIMS_INVALID', `the token's claims are not an actor: ${actor.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return actor.data;
};
