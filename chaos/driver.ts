import { writeFileSync } from 'node:fs';
import { parseScale } from '../sim/scale';

/**
 * The simulation driver of a fault run, in a process of its own so that killing a worker or
 * restarting a service never kills the people driving the plan. The parent (chaos/main.ts) sets its
 * environment (its own database, stream, services and run tag) and reads the result file it writes:
 * the end-of-run checks and the report's figures. Exit 0 when it ran (whatever the checks say), 1 when
 * the run itself failed.
 */
export interface DriverResult {
  readonly namespace: string;
  readonly seconds: number;
  readonly events: number;
  readonly updates: number;
  readonly position: number;
  readonly checks: readonly { readonly name: string; readonly ok: boolean; readonly detail: string }[];
  /** The report's figures (exits, money, categories, benefits, anomalies), as JSON. */
  readonly figures: unknown;
}

const need = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (chaos/driver.ts runs under chaos/main.ts)`);
  return v;
};

const main = async (): Promise<void> => {
  const { runSimulation } = await import('../sim/run.js');
  const { terminalDisplay } = await import('../sim/display.js');
  const { createPatientDb } = await import('./resilient-db.js');
  const dayMs = Number(need('CHAOS_DAY_MS'));
  const r = await runSimulation(
    {
      scale: parseScale(need('CHAOS_SCALE')),
      seed: need('CHAOS_SEED'),
      fresh: true,
      runTag: need('CHAOS_RUN_TAG'),
      workers: 'elsewhere',
      openDb: (url, opts) => createPatientDb(url, opts),
      time: { secondsPerDay: dayMs / 1000 },
      dataDir: need('CHAOS_DATA_DIR'),
      logFile: need('TUOPIN_LOG_FILE'),
    },
    terminalDisplay(),
  );
  const result: DriverResult = {
    namespace: r.namespace,
    seconds: r.seconds,
    events: r.events,
    updates: r.updates,
    position: r.verification.position,
    checks: r.verification.checks,
    figures: { exits: r.report.exits, money: r.report.money, categories: r.report.categories, benefits: r.report.benefits, anomalies: r.report.anomalies },
  };
  writeFileSync(need('CHAOS_RESULT_FILE'), JSON.stringify(result, null, 2));
};

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`driver failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
