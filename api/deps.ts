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
  /** The exit workflows' task queue (exit rounds, village and county exits, return reviews); TEMPORAL_EXIT_TASK_QUEUE's default when absent. */
  readonly exitTaskQueue?: string;
  /** Salts the member keys that find a person registered twice; MEMBER_KEY_SALT's default when absent. */
  readonly memberKeySalt?: string;
  /** Seconds in a notice day (86,400); tests shorten it so a notice runs out while they wait. */
  readonly noticeDaySeconds?: number;
}
