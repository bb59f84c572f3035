import { randomBytes } from 'node:crypto';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectNats, ensureEventStream } from '../../infra/nats';

export interface TestEventStream {
  readonly nc: NatsConnection;
  readonly jsm: JetStreamManager;
  /** Unique per call: tests never see each other's messages. */
  readonly streamName: string;
  readonly subjectPrefix: string;
  /** Deletes the stream and closes the connection. */
  close(): Promise<void>;
}

/** What one test's event stream may hold. */
export const TEST_STREAM_LIMITS = { maxAgeDays: 1, maxBytes: 256 * 1024 ** 2 } as const;

export const uniqueStream = (label = 't'): { streamName: string; subjectPrefix: string } => {
  const id = `${label.replace(/[^a-z0-9]/g, '').slice(0, 16)}${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  return { streamName: `TEST_${id.toUpperCase()}`, subjectPrefix: `test.${id}` };
};

export const createTestEventStream = async (label = 't'): Promise<TestEventStream> => {
  const nc = await connectNats(process.env.NATS_URL ?? 'nats://127.0.0.1:4222', `test-${label}`);
  const jsm = await jetstreamManager(nc);
  const { streamName, subjectPrefix } = uniqueStream(label);
  // JetStream reserves a file stream's max_bytes from its storage when the stream is made: at the
  // production default (10 GiB) five test stacks at once took all of it and the sixth failed with
  // "insufficient storage resources available". A test's events fit in far less.
  await ensureEventStream(jsm, streamName, subjectPrefix, TEST_STREAM_LIMITS);
  return {
    nc,
    jsm,
    streamName,
    subjectPrefix,
    close: async () => {
      await jsm.streams.delete(streamName).catch(() => false);
      await nc.close();
    },
  };
};
