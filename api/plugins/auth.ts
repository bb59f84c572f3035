import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../../domain/shared/actor';
import { TokenError, verifyToken, type RevokedCheck } from '../../infra/tokens/tokens';
import type { TokenKeys } from '../../infra/tokens/token-keys';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the bearer token speaks for; set before any handler of a guarded scope runs. */
    actor: Actor;
    /** The token's id (`jti`): what revokes it, and what the logs name instead of the token. */
    tokenId: string;
    /**
     * The bearer token itself: the signed actor assertion the API attaches to each Update and start, so
     * the activity that records the decision checks who acts (infra/tokens/actor-assertion.ts).
     */
    token: string;
  }
}

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;

/**
 * Guards every route of the scope it is called in: no handler runs, and nothing is validated or
 * sent, for a request whose token is missing, malformed, badly signed, expired or revoked (401).
 */
export const guardWithBearerToken = (app: FastifyInstance, keys: TokenKeys, revoked: RevokedCheck): void => {
  app.decorateRequest('actor', undefined as unknown as Actor);
  app.decorateRequest('tokenId', '');
  app.decorateRequest('token', '');
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    if (header === undefined) throw new TokenError('TOKEN_MISSING', 'an Authorization: Bearer <token> header is required');
    const m = BEARER.exec(header);
    if (!m) throw new TokenError('TOKEN_MALFORMED', 'the Authorization header must be Bearer <JWT>');
    const v = await verifyToken(keys, m[1]!, revoked);
    request.actor = v.actor;
    request.tokenId = v.jti;
    request.token = m[1]!;
  });
};
