import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Actor } from '../../domain/shared/actor';
import { apiApp } from '../../api/app';
import { apiDepsOf, type ApiDeps } from '../../api/deps';
import { issueToken } from '../../infra/tokens/tokens';
import type { TestStack } from './stack';
import { developmentTokenKeys } from '../../infra/tokens/token-keys';

export interface TestApi {
  readonly app: FastifyInstance;
  /** A bearer header for this actor, signed with the stack's key. */
  bearer(actor: Actor, ttlSeconds?: number): Promise<{ authorization: string }>;
  /** How many events the store holds: what a refused request must leave unchanged. */
  eventCount(): Promise<number>;
}

/** The API plugin on a bare Fastify over a test stack, for `inject`; no port is opened. */
export const startTestApi = async (
  stack: TestStack,
  opts: { noticeDaySeconds?: number; receiptDigest?: ApiDeps['receiptDigest']; rateLimitPerMinute?: number } = {},
): Promise<TestApi> => {
  const app = Fastify({ logger: { level: process.env.LOG_LEVEL ?? 'warn' } });
  // The fuzz and the access matrix send thousands of requests a minute as one user: tests that are not about the rate limit lift it.
  await app.register(apiApp(apiDepsOf(stack.cfg, { client: stack.client, db: stack.db.appDb }, { taskQueue: stack.taskQueue, rateLimitPerMinute: 1_000_000, ...opts })));
  await app.ready();
  return {
    app,
    bearer: async (actor, ttlSeconds = 600) => ({ authorization: `Bearer ${(await issueToken(developmentTokenKeys(), actor, ttlSeconds)).token}` }),
    eventCount: async () => {
      const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM events`.execute(stack.db.appDb);
      return Number(rows[0]!.n);
    },
  };
};
