import type { Kysely } from 'kysely';
import { runsAsDevelopment, type Config } from '../infra/config';
import type { Database } from '../infra/database';
import { actorAssertions, type ActorAssertions } from '../infra/tokens/actor-assertion';
import { revokedIn } from '../infra/tokens/revoked-tokens';
import { tokenKeysOf } from '../infra/tokens/token-keys';

/** The API's public keys: an actor a workflow is sent is believed only with a token they verify (required outside development mode). */
export const workerActorAssertions = (cfg: Config, db: Kysely<Database>): ActorAssertions =>
  actorAssertions({ keys: tokenKeysOf(cfg), required: !runsAsDevelopment(cfg), revoked: revokedIn(db) });
