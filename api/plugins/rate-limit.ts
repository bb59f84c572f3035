import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../errors';

/**
 * Per-user rate limits (@fastify/rate-limit) on every route behind a token: called after the bearer
 * token guard, so the limit is the token's user's, whatever address they come from (several
 * officials behind one county gateway are several users). Counted in this process's memory: with
 * several API processes behind a balancer, each allows the limit (README, Deploying safely).
 */
export const limitPerUser = async (app: FastifyInstance, perMinute: number): Promise<void> => {
  await app.register(rateLimit, {
    global: true,
    max: perMinute,
    timeWindow: 60_000,
    // Route hooks run after the scope's: the token guard (onRequest) has named the user by now.
    hook: 'onRequest',
    keyGenerator: (request: FastifyRequest) => `user:${(request.actor as typeof request.actor | undefined)?.userId ?? request.ip}`,
    errorResponseBuilder: (_request, context) =>
      new ApiError(
        429,
        'RATE_LIMITED',
        `请求过于频繁：每位用户每分钟最多 ${context.max} 次，请 ${Math.ceil(context.ttl / 1000)} 秒后再试`,
        `too many requests: at most ${context.max} a minute per user; try again in ${Math.ceil(context.ttl / 1000)} s`,
        { limitPerMinute: context.max, retryAfterSeconds: Math.ceil(context.ttl / 1000) },
      ),
  });
};
