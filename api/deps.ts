import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Database } from '../infra/database';

/** What the routes need from outside; server.ts and the tests build it. */
export interface ApiDeps {
  readonly client: Client;
  readonly db: Kysely<Database>;
  /** The project workflows' task queue. */
  readonly taskQueue: string;
  readonly jwtSecret: string;
}
