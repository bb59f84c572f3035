import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Actor } from '../../domain/shared/actor';
import type { Database } from '../../infra/database';
import { TokenError, verifyToken, type RevokedCheck } from '../tokens';
import type { TokenKeys } from '../token-keys';
import { revokedTokensDb } from '../revoked-tokens';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the bearer token speaks for; set before any handler of a guarded scope runs. */
    actor: Actor;
    /** The token's id (`jti`): what revokes it, and what the logs name instead of the token. */
    tokenId: string;
  }
}

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;

/** The denylist: one indexed lookup per request, so a revoked token stops at once on every API process. */
export const revokedIn =
  (db: Kysely<Database>): RevokedCheck =>
  async (jti) =>
    (await revokedTokensDb(db).selectFrom('revoked_tokens').select('jti').where('jti', '=', jti).executeTakeFirst()) !== undefined;

/**
 * Guards every route of the scope it is called in: no handler runs, and nothing is validated or
 * sent, for a request whose token is missing, malformed, badly signed, expired or revoked (401).
 */
export const guardWithBearerToken = (app: FastifyInstance, keys: TokenKeys, revoked: RevokedCheck): void => {
  app.decorateRequest('actor', undefined as unknown as Actor);
  app.decorateRequest('tokenId', '');
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    if (header === undefined) throw new TokenError('TOKEN_MISSING', 'an Authorization: Bearer <token> header is required');
    const m = BEARER.exec(header);
    if (!m) throw new TokenError('TOKEN_MALFORMED', 'the Authorization header must be Bearer <JWT>');
    const v = await verifyToken(keys, m[1]!, revoked);
    request.actor = v.actor;
    request.tokenId = v.jti;
  });
};
