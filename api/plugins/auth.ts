import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../../domain/shared/actor';
import { TokenError, verifyToken } from '../tokens';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the bearer token speaks for; set before any handler of a guarded scope runs. */
    actor: Actor;
  }
}

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;

/**
 * Guards every route of the scope it is called in: no handler runs, and nothing is validated or
 * sent, for a request whose token is missing, malformed, badly signed or expired (401).
 */
export const guardWithBearerToken = (app: FastifyInstance, secret: string): void => {
  app.decorateRequest('actor', undefined as unknown as Actor);
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    if (header === undefined) throw new TokenError('TOKEN_MISSING', 'an Authorization: Bearer <token> header is required');
    const m = BEARER.exec(header);
    if (!m) throw new TokenError('TOKEN_MALFORMED', 'the Authorization header must be Bearer <JWT>');
    request.actor = await verifyToken(secret, m[1]!);
  });
};
