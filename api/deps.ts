import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { devSignInEnabled, type Config } from '../infra/config';
import type { Database } from '../infra/database';
import { tokenKeysOf, type TokenKeys } from '../infra/tokens/token-keys';
import type { ReceiptDigestSource } from '../services/receipts';

/** What the routes need from outside; `apiDepsOf` builds it from configuration (server.ts, tests, benches). */
export interface ApiDeps {
  readonly client: Client;
  readonly db: Kysely<Database>;
  /** The project workflows' task queue. */
  readonly taskQueue: string;
  /** The public keys bearer tokens are checked with (api/token-keys.ts). */
  readonly tokenKeys: TokenKeys;
  /** The exit workflows' task queue (exit rounds, village and county exits, return reviews). */
  readonly exitTaskQueue: string;
  /** Salts the member keys that find a person registered twice. */
  readonly memberKeySalt: string;
  /** The key-encryption key of clear ID numbers (PII_MASTER_KEY). */
  readonly idNumbersKey: Buffer;
  /** Seconds in a notice day (86,400); tests shorten it so a notice runs out while they wait. */
  readonly noticeDaySeconds: number;
  /** Requests one user may make in a minute (API_RATE_LIMIT_PER_MINUTE); beyond, 429 RATE_LIMITED. */
  readonly rateLimitPerMinute: number;
  /** Serve the web UI's development sign-in (config devSignInEnabled: API_DEV_SIGN_IN, else development mode only); it needs tokenKeys.signing. */
  readonly devSignIn: boolean;
  /** The signed store digest receipts are checked against (TUOPIN_RECEIPT_DIGEST, TUOPIN_RECEIPT_DIGEST_PUBLIC_KEY: files); absent, a check says the root is not covered. */
  readonly receiptDigest?: ReceiptDigestSource;
}

export const NOTICE_DAY_SECONDS = 86_400;

export const apiDepsOf = (cfg: Config, io: Pick<ApiDeps, 'client' | 'db'>, over: Partial<Omit<ApiDeps, 'client' | 'db'>> = {}): ApiDeps => ({
  ...io,
  taskQueue: cfg.TEMPORAL_TASK_QUEUE,
  tokenKeys: over.tokenKeys ?? tokenKeysOf(cfg),
  exitTaskQueue: cfg.TEMPORAL_EXIT_TASK_QUEUE,
  memberKeySalt: cfg.MEMBER_KEY_SALT,
  idNumbersKey: cfg.PII_MASTER_KEY,
  noticeDaySeconds: NOTICE_DAY_SECONDS,
  devSignIn: devSignInEnabled(cfg),
  rateLimitPerMinute: cfg.API_RATE_LIMIT_PER_MINUTE,
  ...(process.env.TUOPIN_RECEIPT_DIGEST && process.env.TUOPIN_RECEIPT_DIGEST_PUBLIC_KEY
    ? { receiptDigest: { file: process.env.TUOPIN_RECEIPT_DIGEST, publicKeyFile: process.env.TUOPIN_RECEIPT_DIGEST_PUBLIC_KEY } }
    : {}),
  ...over,
});
