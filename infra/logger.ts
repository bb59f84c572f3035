import pino from 'pino';
import { config } from './config';

/**
 * One structured logger. Children carry workflowId, streamId and correlationId so a line can be
 * followed across the worker, the relay and the projectors. Never log names or ID numbers.
 */
export const logger = pino({
  level: config().LOG_LEVEL,
  base: { service: 'tuopin' },
  timestamp: pino.stdTimeFunctions.isoTime,
});

export type Logger = pino.Logger;
