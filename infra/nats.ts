import { jetstreamManager, RetentionPolicy, StorageType, DiscardPolicy, type JetStreamManager, type StreamInfo } from '@nats-io/jetstream';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import { config } from './config';
import { logger } from './logger';

export const connectNats = (url: string = config().NATS_URL, name = 'tuopin'): Promise<NatsConnection> => connect({ servers: url, name });

export class NatsStreamError extends Error {
  readonly code = 'NATS_STREAM_MISCONFIGURED';
  constructor(message: string) {
    super(message);
    this.name = 'NatsStreamError';
  }
}

/** How long JetStream remembers a Nats-Msg-Id. Short by design; consumers are idempotent anyway. */
const DUPLICATE_WINDOW_MS = 2 * 60_000;

/**
 * Creates the stream carrying every event (`<prefix>.>`) if missing; idempotent. An existing
 * stream with other subjects is an error, not silently changed.
 */
export const ensureEventStream = async (jsm: JetStreamManager, name: string, prefix: string): Promise<StreamInfo> => {
  const subject = `${prefix}.>`;
  try {
    const info = await jsm.streams.info(name);
    if (!info.config.subjects?.includes(subject)) {
      throw new NatsStreamError(`stream ${name} exists with subjects ${JSON.stringify(info.config.subjects)}, not ${subject}`);
    }
    return info;
  } catch (e) {
    if (e instanceof NatsStreamError) throw e;
    if (!isNotFound(e)) throw e;
  }
  try {
    const info = await jsm.streams.add({
      name,
      subjects: [subject],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      discard: DiscardPolicy.Old,
      duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    });
    logger.info({ stream: name, subject }, 'JetStream stream created');
    return info;
  } catch (e) {
    // Another process created it between our look and our add.
    if (isAlreadyInUse(e)) return jsm.streams.info(name);
    throw e;
  }
};

const apiCode = (e: unknown): number | undefined => (e as { api_error?: { err_code?: number } }).api_error?.err_code ?? (e as { code?: number }).code;

const isNotFound = (e: unknown): boolean => apiCode(e) === 10059 || /stream not found/i.test(String((e as Error)?.message));
const isAlreadyInUse = (e: unknown): boolean => apiCode(e) === 10058 || /already in use/i.test(String((e as Error)?.message));

export { jetstreamManager };
