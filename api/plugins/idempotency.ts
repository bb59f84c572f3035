import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Generated, Kysely } from 'kysely';
import type { Database } from '../../infra/database';
import { canonicalJson } from '../../infra/eventstore/canonical';
import { EventStoreError } from '../../infra/eventstore';
import { ApiError, invalidInput } from '../errors';
import { requestIdSchema } from '../schemas/common';
import { requestIdOf } from '../route-kit';

interface IdempotencyKeysTable {
  user_id: string;
  key: string;
  fingerprint: string;
  route: string;
  first_seen_at: Generated<Date>;
}

/** The app's connection seen with this table: it belongs to the API alone, not to `Database`. */
const keysDb = (db: Kysely<Database>) => db.withTables<{ idempotency_keys: IdempotencyKeysTable }>();

/**
 * What makes two requests the same request: method, route and its path parameters, and the body as
 * the route's schema parsed it (so "63万" and 63000000 fen agree), without the request id that
 * names it. Canonical JSON: key order does not matter.
 */
export const fingerprintOf = (method: string, route: string, params: unknown, body: unknown): string => {
  const { requestId: _id, ...rest } = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : { body };
  let canonical: string;
  try {
    // The router's params object has a prototype of its own: its entries are what identify the resource.
    canonical = canonicalJson({ method, route, params: Object.fromEntries(Object.entries(params ?? {})), body: rest }, 'request');
  } catch (e) {
    if (!(e instanceof EventStoreError)) throw e;
    throw invalidInput('body', [
      { code: 'custom', path: (e.field ?? '').split('.').filter(Boolean), message: e.message, params: { zh: '含有无法存档的值（如 NUL 字符、非有限数字）' } },
    ]);
  }
  return createHash('sha256').update(canonical).digest('hex');
};

const keyOf = (request: FastifyRequest): string | undefined => {
  const header = request.headers['idempotency-key'];
  const body = (request.body as { requestId?: unknown } | null | undefined)?.requestId;
  const key = requestIdOf(typeof header === 'string' ? header : undefined, typeof body === 'string' ? body : undefined);
  // The route's own schema has refused a malformed key already; one that slipped past is not ours to keep.
  return key !== undefined && requestIdSchema.safeParse(key).success ? key : undefined;
};

export const keyReused = (key: string, route: string, firstSeenAt: Date): ApiError =>
  new ApiError(
    422,
    'IDEMPOTENCY_KEY_REUSED',
    `幂等键“${key}”已于 ${firstSeenAt.toISOString()} 用于另一个不同的请求（${route}），不得用于内容不同的请求`,
    `the idempotency key "${key}" was first used at ${firstSeenAt.toISOString()} for a different request (${route}); a key may only repeat the same request`,
    { key, route, firstSeenAt: firstSeenAt.toISOString() },
  );

/**
 * Every command carrying a key (Idempotency-Key header or body requestId) records which request the
 * key first named, per user. The same key with the same request goes on (the commands answer a
 * repeat themselves); with a different request it is refused 422 before the handler runs, so nothing
 * reaches Temporal or the store. Runs after validation, so the body is the parsed one, and after the
 * bearer token, so the key is the user's.
 */
export const guardIdempotencyKeys = (app: FastifyInstance, db: Kysely<Database>): void => {
  const kdb = keysDb(db);
  app.addHook('preHandler', async (request: FastifyRequest) => {
    if (request.method !== 'POST') return;
    const key = keyOf(request);
    if (key === undefined) return;
    const route = request.routeOptions.url ?? request.url;
    const fingerprint = fingerprintOf(request.method, route, request.params, request.body);
    const userId = request.actor.userId;
    // One statement decides which of two racing requests is first; the loser reads what it recorded.
    const inserted = await kdb
      .insertInto('idempotency_keys')
      .values({ user_id: userId, key, fingerprint, route })
      .onConflict((oc) => oc.columns(['user_id', 'key']).doNothing())
      .returning('fingerprint')
      .executeTakeFirst();
    if (inserted) return;
    const first = await kdb
      .selectFrom('idempotency_keys')
      .select(['fingerprint', 'route', 'first_seen_at'])
      .where('user_id', '=', userId)
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    if (first.fingerprint !== fingerprint) throw keyReused(key, first.route, first.first_seen_at);
  });
};
