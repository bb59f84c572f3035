import { jetstreamManager, RetentionPolicy, StorageType, DiscardPolicy, type JetStreamManager, type StreamInfo } from '@nats-io/jetstream';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import { config } from './config';
import { logger } from './logger';

/**
 * Reconnects for as long as the process lives: the client's default gives up after 10 attempts
 * (about 20 s) and closes the connection for good, and a worker whose NATS was down longer kept a
 * relay and projectors that never published or applied again (found by npm run chaos: NATS down 60 s).
 * The first connection still fails at once when NATS is not there, unless `waitOnFirstConnect` (it then resolves once NATS answers).
 */
export const connectNats = (url: string = config().NATS_URL, name = 'tuopin', opts: { readonly waitOnFirstConnect?: boolean } = {}): Promise<NatsConnection> =>
  connect({ servers: url, name, maxReconnectAttempts: -1, ...opts });

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
 * How much the event stream keeps. JetStream only carries events to the read models; the store keeps
 * them all, and a read model that fell further behind is rebuilt from the store. Without limits the
 * stream would hold every event (personal data included) for ever and fill the disk.
 */
export interface StreamLimits {
  readonly maxAgeDays: number;
  readonly maxBytes: number;
}
export const limitsFromConfig = (): StreamLimits => ({ maxAgeDays: config().NATS_MAX_AGE_DAYS, maxBytes: config().NATS_MAX_BYTES });

const DAY_MS = 86_400_000;

/**
 * Creates the stream carrying every event (`<prefix>.>`) if missing; idempotent. An existing
 * stream with other subjects is an error, not silently changed; one with other limits gets these.
 */
export const ensureEventStream = async (jsm: JetStreamManager, name: string, prefix: string, limits: StreamLimits = limitsFromConfig()): Promise<StreamInfo> => {
  const subject = `${prefix}.>`;
  const maxAge = nanos(limits.maxAgeDays * DAY_MS);
  try {
    const info = await jsm.streams.info(name);
    if (!info.config.subjects?.includes(subject)) {
      throw new NatsStreamError(`stream ${name} exists with subjects ${JSON.stringify(info.config.subjects)}, not ${subject}`);
    }
    if (info.config.max_age !== maxAge || info.config.max_bytes !== limits.maxBytes) {
      logger.info({ stream: name, maxAgeDays: limits.maxAgeDays, maxBytes: limits.maxBytes }, 'JetStream stream limits set');
      return await jsm.streams.update(name, { max_age: maxAge, max_bytes: limits.maxBytes });
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
      max_age: maxAge,
      max_bytes: limits.maxBytes,
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
