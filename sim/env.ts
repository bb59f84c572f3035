/**
 * The environment a simulated run works in: its own database, JetStream stream and subjects, Temporal
 * namespace and task queues, the namespaces allowed scaled rule tables, and the declared time scale.
 * `npm run demo` takes the defaults; a test takes its own database and stream so that it never meets
 * a demo running beside it. Set before anything that reads the configuration is loaded.
 */
export interface SimEnvOptions {
  /** Real milliseconds one business day lasts. */
  readonly dayMs: number;
  readonly logFile: string;
  /** The simulation's database (default tuopin_sim). */
  readonly database?: string;
  /** The JetStream stream and subject prefix (default TUOPIN_SIM, tuopin.sim). */
  readonly stream?: string;
  readonly subjectPrefix?: string;
  /** Bytes the stream reserves on the server (default 4 GiB: the city at full scale needs well under this). */
  readonly maxBytes?: number;
}

const withDatabase = (url: string, database: string): string => url.replace(/\/[A-Za-z0-9_]+(\?.*)?$/, `/${database}$1`);

export const simulationEnv = (env: NodeJS.ProcessEnv, o: SimEnvOptions): Record<string, string> => {
  const database = o.database ?? 'tuopin_sim';
  const app = env.DATABASE_URL || 'postgres://tuopin_app@127.0.0.1:5432/tuopin';
  const admin = env.DATABASE_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/tuopin';
  // Each clean run takes a namespace of its own (tuopin-sim-<run>): no closed process of an earlier run shares an id with this one's.
  const namespace = 'tuopin-sim,tuopin-sim-*';
  return {
    DATABASE_URL: withDatabase(app, database),
    DATABASE_ADMIN_URL: withDatabase(admin, database),
    NATS_STREAM: o.stream ?? 'TUOPIN_SIM',
    NATS_SUBJECT_PREFIX: o.subjectPrefix ?? 'tuopin.sim',
    NATS_MAX_BYTES: env.NATS_MAX_BYTES || String(o.maxBytes ?? 4 * 1024 ** 3),
    TEMPORAL_NAMESPACE: 'tuopin-sim',
    TEMPORAL_TASK_QUEUE: 'tuopin-sim-projects',
    TEMPORAL_EXIT_TASK_QUEUE: 'tuopin-sim-exits',
    TUOPIN_SIMULATION_NAMESPACES: [env.TUOPIN_SIMULATION_NAMESPACES, namespace].filter(Boolean).join(','),
    TUOPIN_SECONDS_PER_DAY: String(o.dayMs / 1000),
    TUOPIN_LOG_FILE: o.logFile,
  };
};
