import { createHash } from 'node:crypto';
import { z } from 'zod';
import { describeIssue, inputIssueOf, type InputIssue } from '../domain/names/issue-text';
import { parseSwitches, RailConfigError } from './payment-rail/switches';

/**
 * Every setting comes from the environment and is parsed here, once. The defaults are the embedded
 * stack on this machine; point the URLs elsewhere to use real services.
 */
/** Public in the source: accepted in development mode only. */
export const DEVELOPMENT_MEMBER_KEY_SALT = 'tuopin-dev-member-key-salt-not-for-production';
export const DEVELOPMENT_PII_MASTER_KEY = 'dHVvcGluLWRldi1waWkta2V5LW5vdC1mb3ItcHJvZCE=';

const postgresUrl = z.string().regex(/^postgres(ql)?:\/\/[^\s/]+\/[A-Za-z0-9_]+(\?.*)?$/, { error: 'must be postgres://user@host:port/database' });

/** Whether a namespace is one of those configured for tests or simulation (`name-*` matches a prefix). */
export const isSimulationNamespace = (configured: readonly string[], namespace: string): boolean =>
  configured.some((c) => (c.endsWith('*') ? namespace.startsWith(c.slice(0, -1)) : c === namespace));

const schema = z
  .object({
    /** The application's connection. Its user may only INSERT and SELECT on the event store. */
    DATABASE_URL: postgresUrl.default('postgres://tuopin_app@127.0.0.1:5432/tuopin'),
    /** The owner's connection: creates the database, runs migrations, grants the application role. */
    DATABASE_ADMIN_URL: postgresUrl.default('postgres://postgres@127.0.0.1:5432/tuopin'),
    NATS_URL: z
      .string()
      .regex(/^(nats|tls|ws|wss):\/\/[^\s]+$/, { error: 'must be a nats:// URL' })
      .default('nats://127.0.0.1:4222'),
    /** The JetStream stream that carries every event, and its subject prefix (subjects: <prefix>.<category>.<county>). */
    NATS_STREAM: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, { error: 'must be letters, digits, _ or -' })
      .default('TUOPIN_EVENTS'),
    NATS_SUBJECT_PREFIX: z
      .string()
      .regex(/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/, { error: 'must be dot-separated lower-case tokens' })
      .default('tuopin.events'),
    TEMPORAL_ADDRESS: z
      .string()
      .regex(/^[^\s:]+:\d+$/, { error: 'must be host:port' })
      .default('127.0.0.1:7233'),
    TEMPORAL_NAMESPACE: z.string().min(1).default('tuopin'),
    /**
     * TLS to the Temporal frontend: `on`, `off`, or unset = on when a certificate, CA or API key is set.
     * The files are PEM: the server's root CA (unset: the system's), and this client's certificate and
     * key for mTLS (both or neither). TEMPORAL_API_KEY is sent as a bearer credential (Temporal Cloud,
     * or a cluster's authorizer); it needs TLS. See README "Secrets, tokens and Temporal".
     */
    TEMPORAL_TLS: z.enum(['on', 'off']).optional(),
    TEMPORAL_TLS_CA_FILE: z.string().min(1).optional(),
    TEMPORAL_TLS_CERT_FILE: z.string().min(1).optional(),
    TEMPORAL_TLS_KEY_FILE: z.string().min(1).optional(),
    /** The name the server's certificate is checked against when it is not the address's host. */
    TEMPORAL_TLS_SERVER_NAME: z
      .string()
      .regex(/^[A-Za-z0-9.-]{1,253}$/, { error: 'must be a host name' })
      .optional(),
    TEMPORAL_API_KEY: z.string().min(1).max(8192).optional(),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default('tuopin-projects'),
    /** The exit workflows' task queue (exit rounds, village and county exits, return reviews). */
    TEMPORAL_EXIT_TASK_QUEUE: z.string().min(1).default('tuopin-exits'),
    /**
     * Workflows each Temporal worker keeps in memory between their tasks (sticky cache). Each costs
     * about 0.2 MiB of the process (measured: 1,000 waiting projects, bench/workflow-memory.ts): it
     * holds its workflow's own few modules and state, while zod, the domain and the messages are
     * evaluated once per worker and shared (workflows/shared-modules.ts); each used to hold its own
     * copy of them, 1.7 MiB, which is why this was 96. Beyond the bound the least recently used is
     * evicted, and replays its history at its next task or query (half an approval's time when the
     * API bench's 251 projects did not fit). The SDK's default follows the heap limit (2,300 a worker
     * with a 4 GiB heap); a bound keeps the process's memory from following the workflows ever run.
     */
    TEMPORAL_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(2).max(100_000).default(1000),
    /**
     * The secret salt of the member-key index (HMAC of each member's ID number): without it the keys
     * cannot be reversed by enumerating ID numbers. The default is for development only.
     */
    MEMBER_KEY_SALT: z.string().min(16, { error: 'must be at least 16 characters' }).default(DEVELOPMENT_MEMBER_KEY_SALT),
    /**
     * The key-encryption key of residents' clear ID numbers (base64 of 32 bytes): it wraps each
     * household's data key (infra/personal-data). Kept outside the database (an environment secret or
     * a KMS), so a copy of the database alone reveals no ID number. The default is for development only.
     */
    PII_MASTER_KEY: z
      .string()
      .default(DEVELOPMENT_PII_MASTER_KEY)
      .refine((s) => /^[A-Za-z0-9+/]{43}=$/.test(s) && Buffer.from(s, 'base64').length === 32, { error: 'must be base64 of 32 bytes (openssl rand -base64 32)' })
      .transform((s) => Buffer.from(s, 'base64')),
    /** JetStream limits of the event stream: how long and how much it keeps (the store keeps everything; NATS only carries). */
    NATS_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    NATS_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1_048_576)
      .default(10 * 1024 ** 3),
    /** Where the embedded stack keeps its SQLite file, logs and pid files. */
    TUOPIN_DATA_DIR: z.string().min(1).default('.data'),
    /** Where the Temporal CLI is built when none is on PATH. */
    TUOPIN_TOOLS_DIR: z.string().min(1).default('.tools'),
    TEMPORAL_CLI: z.string().min(1).optional(),
    TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233),
    /** A workflow bundle built once (writeWorkflowBundle, workers/workflow-bundle.ts) that a worker loads instead of bundling at start: restarts take seconds, not tens of seconds. */
    TUOPIN_WORKFLOW_BUNDLE: z.string().min(1).optional(),
    /** Standing switches of the built-in payment rail, for demos: e.g. `timeout*1@^wf-demo-` (infra/payment-rail/README.md). */
    TUOPIN_RAIL_SWITCHES: z
      .string()
      .optional()
      .transform((text, ctx) => {
        try {
          return parseSwitches(text);
        } catch (e) {
          if (!(e instanceof RailConfigError)) throw e;
          ctx.addIssue({ code: 'custom', message: e.message.replace(/^TUOPIN_RAIL_SWITCHES: /, '') });
          return z.NEVER;
        }
      }),
    /** How long a caller waits for the built-in rail's answer before RAIL_TIMEOUT. */
    TUOPIN_RAIL_DEADLINE_MS: z.coerce.number().int().min(1).max(600_000).default(2_000),
    /**
     * `development` lets the development secrets stand in for unset ones; `production` refuses them.
     * Unset: development when every address (API, PostgreSQL, NATS, Temporal) is on loopback — the
     * stack on this machine — and production otherwise.
     */
    TUOPIN_MODE: z.enum(['development', 'production']).optional(),
    /** Ed25519 public keys the API verifies bearer tokens with: `kid=<32 bytes base64url>,…` (`tuopin token keygen`). */
    API_TOKEN_PUBLIC_KEYS: z.string().max(4000).optional(),
    /** The issuer's Ed25519 private key (`kid=<32-byte seed base64url>`): only where tokens are issued (`tuopin token issue`), never on the API. */
    API_TOKEN_SIGNING_KEY: z.string().max(200).optional(),
    API_PORT: z.coerce.number().int().min(1).max(65535).default(8080),
    /** The worker's own HTTP port for /metrics, /healthz and /readyz (0: none). */
    WORKER_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
    WORKER_HTTP_HOST: z.string().min(1).max(255).default('127.0.0.1'),
    /** On SIGTERM: how long in-flight activities, Updates and HTTP requests may take to finish before they are cancelled. */
    /** An OTLP/HTTP collector (`http://collector:4318`): traces from the API through the Update, workflow and activities to the append. Unset: no traces. */
    OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),
    /** The worker (with its HTTP port) verifies every hash chain at start and then this often, for `tuopin_verify_ok` (0: never). */
    VERIFY_INTERVAL_MINUTES: z.coerce.number().int().min(0).max(100_000).default(1440),
    /** The worker (with its HTTP port) checkpoints the events appended since its last run this often (audit-trail proofs; 0: never). */
    CHAIN_CHECKPOINT_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
    API_HOST: z.string().min(1).default('127.0.0.1'),
    /**
     * The web UI's development sign-in: pick a person from the seeded directory and the server issues
     * their token with its signing key. Unset: on in development mode only, so a deployment takes
     * tokens from its issuer.
     */
    API_DEV_SIGN_IN: z.enum(['on', 'off']).optional(),
    /** Requests one user may make to the API in a minute (every route behind a token; 429 beyond). */
    API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Where the logger writes (a file path); standard output when unset. The demo sends its logs to a file under the data directory. */
    TUOPIN_LOG_FILE: z.string().min(1).optional(),
    /** Namespaces explicitly configured for tests or simulation: only these may run under a time scale. Comma-separated; `name-*` takes a prefix. */
    TUOPIN_SIMULATION_NAMESPACES: z
      .string()
      .default('')
      .transform((s) =>
        s
          .split(',')
          .map((x) => x.trim())
          .filter((x) => x.length > 0),
      ),
    /** Real seconds a business day lasts (domain/policy/time-scale.ts); unset means the plan's own time. */
    TUOPIN_SECONDS_PER_DAY: z.coerce.number().positive().max(86_400).optional(),
  })
  .superRefine((c, ctx) => {
    if ((c.TEMPORAL_TLS_CERT_FILE === undefined) !== (c.TEMPORAL_TLS_KEY_FILE === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [c.TEMPORAL_TLS_CERT_FILE === undefined ? 'TEMPORAL_TLS_CERT_FILE' : 'TEMPORAL_TLS_KEY_FILE'],
        message: 'mTLS needs both TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE',
      });
    }
    const tlsNamed = [c.TEMPORAL_TLS_CA_FILE, c.TEMPORAL_TLS_CERT_FILE, c.TEMPORAL_API_KEY, c.TEMPORAL_TLS_SERVER_NAME].some((v) => v !== undefined);
    if (c.TEMPORAL_TLS === 'off' && tlsNamed) {
      ctx.addIssue({ code: 'custom', path: ['TEMPORAL_TLS'], message: 'is off while a TLS file or TEMPORAL_API_KEY is set: an API key or certificate is never sent in clear' });
    }
    if (c.TUOPIN_SECONDS_PER_DAY !== undefined && c.TUOPIN_SECONDS_PER_DAY !== 86_400 && !isSimulationNamespace(c.TUOPIN_SIMULATION_NAMESPACES, c.TEMPORAL_NAMESPACE)) {
      ctx.addIssue({
        code: 'custom',
        path: ['TUOPIN_SECONDS_PER_DAY'],
        message: `namespace ${c.TEMPORAL_NAMESPACE} is not configured for simulation (TUOPIN_SIMULATION_NAMESPACES): a production namespace runs on the plan's time only (生产命名空间不得使用缩放时间)`,
      });
    }
  });

export type Config = z.infer<typeof schema>;

const KNOWN_DEVELOPMENT_VALUES = new Set([DEVELOPMENT_MEMBER_KEY_SALT, 'tuopin-dev-api-jwt-secret-not-for-production']);

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[?::1\]?)$/;
const hostOf = (url: string): string => {
  const authority = url.replace(/^[a-z]+:\/\//, '').split('/')[0] ?? '';
  const host = authority.includes('@') ? authority.slice(authority.lastIndexOf('@') + 1) : authority;
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : (host.split(':')[0] ?? '');
};

/** What start-up logs for a secret: a digest's first bytes, never the secret. */
export const saltFingerprint = (salt: string): string => createHash('sha256').update(`tuopin-fingerprint\u0000${salt}`).digest('hex').slice(0, 16);

/** Development mode: asked for, or (unset) every service on loopback, as the embedded stack runs. */
export const runsAsDevelopment = (cfg: Pick<Config, 'TUOPIN_MODE' | 'API_HOST' | 'DATABASE_URL' | 'DATABASE_ADMIN_URL' | 'NATS_URL' | 'TEMPORAL_ADDRESS'>): boolean =>
  cfg.TUOPIN_MODE !== undefined
    ? cfg.TUOPIN_MODE === 'development'
    : [cfg.API_HOST, hostOf(cfg.DATABASE_URL), hostOf(cfg.DATABASE_ADMIN_URL), hostOf(cfg.NATS_URL), hostOf(`x://${cfg.TEMPORAL_ADDRESS}`)].every((h) => LOOPBACK.test(h));

/** Outside development mode a secret must be set, and must not be one published in the source. */
const productionIssues = (cfg: Config, env: Record<string, string | undefined>): InputIssue[] => {
  if (runsAsDevelopment(cfg)) return [];
  const issues: InputIssue[] = [];
  const unset = (v: string) =>
    settingIssue(
      v,
      'must be set outside development mode (TUOPIN_MODE=development, or every service on loopback)',
      '开发模式以外必须设置（开发模式：TUOPIN_MODE=development，或各服务都在本机）',
    );
  const published = (v: string) => settingIssue(v, 'is the development value published in the source; set your own', '是源代码中公开的开发用值，请设置自己的值');
  if (env.MEMBER_KEY_SALT === undefined) issues.push(unset('MEMBER_KEY_SALT'));
  else if (KNOWN_DEVELOPMENT_VALUES.has(cfg.MEMBER_KEY_SALT)) issues.push(published('MEMBER_KEY_SALT'));
  if (env.PII_MASTER_KEY === undefined) issues.push(unset('PII_MASTER_KEY'));
  else if (env.PII_MASTER_KEY === DEVELOPMENT_PII_MASTER_KEY) issues.push(published('PII_MASTER_KEY'));
  return issues;
};

/**
 * Whether the web UI's development sign-in is served: API_DEV_SIGN_IN, else only in development mode
 * (the API then holds the development signing key; elsewhere it holds public keys only and cannot mint).
 */
export const devSignInEnabled = (cfg: Config): boolean => (cfg.API_DEV_SIGN_IN ?? (runsAsDevelopment(cfg) ? 'on' : 'off')) === 'on';

/** A setting refused by a rule of its own (not a zod schema's): the variable, the rule in English and in Chinese. */
export const settingIssue = (variable: string, en: string, zh: string): InputIssue => ({ code: 'custom', path: [variable], message: en, params: { zh } });

/**
 * Refused settings, each told as the API and the CLI tell a refused field (describeIssue): the English
 * line first (scripts read it), then the Chinese under it, the variable's name as its label.
 */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly issues: readonly InputIssue[]) {
    const lines = issues.map((i) => describeIssue(i)).map((t) => `${t.en}\n    ${t.zh}`);
    super(`invalid configuration (环境变量有误):\n  ${lines.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

export const parseConfig = (env: NodeJS.ProcessEnv | Record<string, string | undefined>): Config => {
  // An empty variable means "not set": shells and CI often export FOO= for nothing.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const r = schema.safeParse(present);
  if (!r.success) throw new ConfigError(r.error.issues.map(inputIssueOf));
  const issues = productionIssues(r.data, present);
  if (issues.length > 0) throw new ConfigError(issues);
  return r.data;
};

/** The log level alone, for the logger made at import: a bad value is reported by parseConfig, here it is `info`. */
export const logLevelOf = (env: Record<string, string | undefined>): Config['LOG_LEVEL'] => {
  const r = schema.shape.LOG_LEVEL.safeParse(env.LOG_LEVEL || undefined);
  return r.success ? r.data : 'info';
};

let cached: Config | undefined;
export const config = (): Config => (cached ??= parseConfig(process.env));
