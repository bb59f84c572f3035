import { makeTelemetryFilterString, Runtime, type Logger as TemporalLogger } from '@temporalio/worker';
import type { LogLevel, LogMetadata } from '@temporalio/common';
import { logger } from './logger';

const LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };

const sdkLog = logger.child({ component: 'temporal' });

/** The SDK's and workflows' log lines go through our pino logger, structured like every other line. */
export const temporalLogger: TemporalLogger = {
  log: (level: LogLevel, message: string, meta?: LogMetadata) => sdkLog[LEVEL[level]](meta ?? {}, message),
  trace: (message, meta) => sdkLog.trace(meta ?? {}, message),
  debug: (message, meta) => sdkLog.debug(meta ?? {}, message),
  info: (message, meta) => sdkLog.info(meta ?? {}, message),
  warn: (message, meta) => sdkLog.warn(meta ?? {}, message),
  error: (message, meta) => sdkLog.error(meta ?? {}, message),
};

let installed = false;

/** Installs the worker runtime with our logger; call before creating the first worker connection. */
export const installTemporalRuntime = (): void => {
  if (installed) return;
  // The core's own (Rust) log lines are forwarded too, so they land where ours do (a file for the demo), never raw on a terminal.
  Runtime.install({ logger: temporalLogger, telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }), forward: {} } } });
  installed = true;
};
