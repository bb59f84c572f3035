import { createServer } from 'node:net';
import { makeTelemetryFilterString, Runtime, type Logger as TemporalLogger } from '@temporalio/worker';
import type { LogLevel, LogMetadata } from '@temporalio/common';
import { logger } from './logger';

const LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };

const sdkLog = logger.child({ component: 'temporal' });

/** The SDK puts an error under `error`; pino serialises one (message, stack) only under `err`, and wrote `"error":{}`. */
const fields = (meta?: LogMetadata): LogMetadata => {
  if (!meta || !(meta.error instanceof Error)) return meta ?? {};
  const { error, ...rest } = meta;
  return { ...rest, err: error };
};

/** The SDK's and workflows' log lines go through our pino logger, structured like every other line. */
export const temporalLogger: TemporalLogger = {
  log: (level: LogLevel, message: string, meta?: LogMetadata) => sdkLog[LEVEL[level]](fields(meta), message),
  trace: (message, meta) => sdkLog.trace(fields(meta), message),
  debug: (message, meta) => sdkLog.debug(fields(meta), message),
  info: (message, meta) => sdkLog.info(fields(meta), message),
  warn: (message, meta) => sdkLog.warn(fields(meta), message),
  error: (message, meta) => sdkLog.error(fields(meta), message),
};

let installed = false;
/** Where the core's own Prometheus exporter answers, when this process asked for it. */
let sdkMetricsUrl: string | undefined;

/**
 * Installs the worker runtime with our logger; call before creating the first worker connection.
 * With `metricsPort`, the SDK's runtime metrics (pollers, task slots, schedule-to-start and
 * execution latencies, sticky cache) are exported by the core on that loopback port, and the
 * worker's /metrics passes them on (`sdkMetricsText`): one scrape target per process.
 */
export const installTemporalRuntime = (opts: { readonly metricsPort?: number } = {}): void => {
  if (installed) return;
  const metrics =
    opts.metricsPort === undefined
      ? {}
      : { metrics: { prometheus: { bindAddress: `127.0.0.1:${opts.metricsPort}`, useSecondsForDurations: true }, globalTags: { service: 'tuopin' }, attachServiceName: false } };
  // The core's own (Rust) log lines are forwarded too, so they land where ours do (a file for the demo), never raw on a terminal.
  // No signal handlers of the SDK's: the worker's own (workers/main.ts runUntilSignalled) drain the relay and
  // projectors too, and the SDK's, taking a SIGTERM during the start alone, stopped the Temporal workers and
  // left the process waiting for a second signal.
  Runtime.install({
    logger: temporalLogger,
    shutdownSignals: [],
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }), forward: {} }, ...metrics },
  });
  installed = true;
  if (opts.metricsPort !== undefined) sdkMetricsUrl = `http://127.0.0.1:${opts.metricsPort}/metrics`;
};

/** A loopback port free now, for the core's exporter (it cannot report a port it picked itself). */
export const freeLoopbackPort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });

/** The SDK's runtime metrics as Prometheus text ('' when this process exports none); an unreachable exporter is logged, and the rest of the scrape still served. */
export const sdkMetricsText = async (): Promise<string> => {
  if (!sdkMetricsUrl) return '';
  try {
    const r = await fetch(sdkMetricsUrl, { signal: AbortSignal.timeout(2_000) });
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    return await r.text();
  } catch (err) {
    sdkLog.warn({ err, url: sdkMetricsUrl }, 'the Temporal SDK metrics could not be read: left out of this scrape');
    return '';
  }
};

/**
 * The SDK's metrics the dashboard and the README name (ops/grafana/tuopin.json), with their labels:
 * infra/monitoring.unit.spec.ts checks the dashboard against this list, and
 * workers/shutdown.int.spec.ts checks that a working worker's /metrics carries each of them.
 */
export const TEMPORAL_SDK_METRICS: Readonly<Record<string, { readonly type: 'histogram' | 'gauge' | 'counter'; readonly labels: readonly string[] }>> = {
  temporal_workflow_task_schedule_to_start_latency: { type: 'histogram', labels: ['namespace', 'task_queue', 'service'] },
  temporal_activity_schedule_to_start_latency: { type: 'histogram', labels: ['namespace', 'task_queue', 'service'] },
  temporal_activity_execution_latency: { type: 'histogram', labels: ['activity_type', 'namespace', 'task_queue', 'workflow_type', 'service'] },
  temporal_worker_task_slots_used: { type: 'gauge', labels: ['namespace', 'task_queue', 'worker_type', 'service'] },
  temporal_num_pollers: { type: 'gauge', labels: ['namespace', 'poller_type', 'task_queue', 'service'] },
  temporal_sticky_cache_size: { type: 'gauge', labels: ['namespace', 'task_queue', 'service'] },
};
