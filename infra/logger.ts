import pino from 'pino';
import { logLevelOf } from './config';

/**
 * What never reaches a log line, wherever it sits in the logged object: bearer tokens, resident ID
 * numbers and member lists, and PostgreSQL's error detail (it quotes the row's values).
 */
export const REDACTED_PATHS = [
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'token',
  '*.token',
  'idNumber',
  '*.idNumber',
  '*.*.idNumber',
  'members',
  '*.members',
  '*.*.members',
  'err.detail',
  'err.where',
  '*.err.detail',
];

/**
 * One structured logger. Children carry workflowId, streamId and correlationId so a line can be
 * followed across the worker, the relay and the projectors. Never log names or ID numbers.
 * Only the level and the log file are read here: the rest of the configuration (and its refusals) is the caller's.
 */
// A command that talks to people (the demo) keeps its screen for them and its logs in a file (TUOPIN_LOG_FILE).
const logFile = process.env.TUOPIN_LOG_FILE ? pino.destination({ dest: process.env.TUOPIN_LOG_FILE, mkdir: true, sync: false }) : undefined;
let logFileReady = logFile === undefined;
logFile?.once('ready', () => (logFileReady = true));

export const logger = pino(
  {
    level: logLevelOf(process.env),
    base: { service: 'tuopin' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  },
  logFile,
);

/**
 * Resolves once the log file is open (at once without one; after a second at most, should it never open).
 * A process that calls process.exit before that makes pino's exit handler throw ('sonic boom is not
 * ready yet') over the last thing it printed: `npm run stack -- stop` did at the end of every CI run.
 */
export const logFileOpen = (): Promise<void> =>
  !logFile || logFileReady
    ? Promise.resolve()
    : new Promise((resolve) => {
        const late = setTimeout(resolve, 1000);
        logFile.once('ready', () => {
          clearTimeout(late);
          resolve();
        });
      });

export type Logger = pino.Logger;
