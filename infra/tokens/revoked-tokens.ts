import type { Kysely } from 'kysely';
import type { Database } from '../database';
import type { RevokedCheck } from './tokens';

/** A revoked bearer token, by its `jti`, kept until the token would have expired anyway. */
export interface RevokedTokensTable {
  jti: string;
  revoked_by: string;
  reason: string;
  revoked_at: Date;
  expires_at: Date;
}

/** The app's connection seen with this table: it belongs to the API and the CLI, not to `Database`. */
export const revokedTokensDb = (db: Kysely<Database>) => db.withTables<{ revoked_tokens: RevokedTokensTable }>();

/** Revokes a token: every API process refuses it from the next request on. Revoking twice is harmless. */
export const revokeToken = async (db: Kysely<Database>, r: { jti: string; revokedBy: string; reason: string; expiresAt: Date }): Promise<void> => {
  await revokedTokensDb(db)
    .insertInto('revoked_tokens')
    .values({ jti: r.jti, revoked_by: r.revokedBy, reason: r.reason, revoked_at: new Date(), expires_at: r.expiresAt })
    .onConflict((oc) => oc.column('jti').doNothing())
    .execute();
};

/** The denylist: one indexed lookup per request (or per decision), so a revoked token stops at once on every API process and worker. */
export const revokedIn =
  (db: Kysely<Database>): RevokedCheck =>
  async (jti) =>
    (await revokedTokensDb(db).selectFrom('revoked_tokens').select('jti').where('jti', '=', jti).executeTakeFirst()) !== undefined;
