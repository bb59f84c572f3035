import { jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { nanos } from '@nats-io/transport-node';
import { uniqueStream } from '../test/support/nats';
import { connectNats, ensureEventStream } from './nats';

jest.setTimeout(30_000);

let nc: NatsConnection;
beforeAll(async () => {
  nc = await connectNats(process.env.NATS_URL ?? 'nats://127.0.0.1:4222', 'test-limits');
});
afterAll(async () => {
  await nc.close();
});

describe('the event stream keeps events for a bounded time and size', () => {
  it('is created with max age and max bytes', async () => {
    const jsm = await jetstreamManager(nc);
    const { streamName, subjectPrefix } = uniqueStream('limits');
    try {
      const info = await ensureEventStream(jsm, streamName, subjectPrefix, { maxAgeDays: 30, maxBytes: 1024 ** 3 });
      expect(info.config).toMatchObject({ max_age: nanos(30 * 86_400_000), max_bytes: 1024 ** 3 });
    } finally {
      await jsm.streams.delete(streamName);
    }
  });

  it('an existing stream without limits (created by an older release) gets them', async () => {
    const jsm = await jetstreamManager(nc);
    const { streamName, subjectPrefix } = uniqueStream('nolimits');
    await jsm.streams.add({ name: streamName, subjects: [`${subjectPrefix}.>`], retention: RetentionPolicy.Limits, storage: StorageType.File });
    try {
      const info = await ensureEventStream(jsm, streamName, subjectPrefix, { maxAgeDays: 7, maxBytes: 2 * 1024 ** 2 });
      expect(info.config).toMatchObject({ max_age: nanos(7 * 86_400_000), max_bytes: 2 * 1024 ** 2 });
      expect((await jsm.streams.info(streamName)).config.max_age).toBe(nanos(7 * 86_400_000));
    } finally {
      await jsm.streams.delete(streamName);
    }
  });
});
