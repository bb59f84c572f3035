import { parseConfig } from '../infra/config';
import { appendToStream } from '../infra/eventstore/append';
import { createTestDatabase, type TestDatabase } from '../test/support/database';
import { sample, testRegistry } from '../test/support/events';
import { createTestEventStream, uniqueStream, type TestEventStream } from '../test/support/nats';
import { until } from '../test/support/until';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { startTracing, stopTracing } from '../infra/tracing';
import { startDelivery } from './delivery';

jest.setTimeout(120_000);

let t: TestDatabase;
let ns: TestEventStream;
beforeAll(async () => {
  t = await createTestDatabase('delivery');
  ns = await createTestEventStream('delivery');
});
afterAll(async () => {
  await ns.close();
  await t.drop();
});

const cfgFor = (streamName: string, subjectPrefix: string) =>
  parseConfig({ ...process.env, DATABASE_URL: t.appUrl, DATABASE_ADMIN_URL: t.adminUrl, NATS_STREAM: streamName, NATS_SUBJECT_PREFIX: subjectPrefix });

/** The relay and the projectors in their thread (workers/delivery.ts), as the worker starts them. */
describe('the delivery thread', () => {
  it('publishes what this thread appends, answers the NATS probe and its metrics, and on stop publishes what is committed and ends', async () => {
    const delivery = startDelivery(cfgFor(ns.streamName, ns.subjectPrefix), t.appDb);
    await delivery.started;
    await delivery.probeNats();
    const written = await appendToStream(t.appDb, 'sample-d1', 'no-stream', [sample('d-1'), sample('d-2')], testRegistry);
    await until('the two in the stream', async () => (await ns.jsm.streams.info(ns.streamName)).state.messages, { ok: (n) => n === 2, intervalMs: 50 });
    // Its own registry: the projector's failure counter is there, with the process's default labels.
    const names = (await delivery.metrics()).map((m) => m.name);
    expect(names).toContain('tuopin_projector_failures_total');

    await appendToStream(t.appDb, 'sample-d1', 'any', [sample('d-3')], testRegistry);
    const cursor = await delivery.stop();
    // Drained before it stopped: the last append is published and is the relay's cursor.
    expect((await ns.jsm.streams.info(ns.streamName)).state.messages).toBe(3);
    expect(cursor?.position).toBeGreaterThan(written.events[1]!.position);
  });

  it('rejects its start, naming why, when the projectors cannot start (no such stream), and stops', async () => {
    const missing = uniqueStream('deliverynone');
    const delivery = startDelivery(cfgFor(missing.streamName, missing.subjectPrefix), t.appDb);
    await expect(delivery.started).rejects.toThrow(/could not start/);
    expect(await delivery.stop()).toBeNull();
  });

  it("sends its spans here when tracing is on (the relay's publish, with the positions it carries), exported as this process's", async () => {
    const exporter = new InMemorySpanExporter();
    startTracing('test-delivery', { exporter });
    try {
      const delivery = startDelivery(cfgFor(ns.streamName, ns.subjectPrefix), t.appDb);
      await delivery.started;
      const written = await appendToStream(t.appDb, 'sample-d2', 'no-stream', [sample('d-traced')], testRegistry);
      const position = String(written.events[0]!.position);
      const relayed = await until(
        'the relay span',
        () => exporter.getFinishedSpans().find((s) => s.name === 'tuopin.relay.publish' && String(s.attributes['tuopin.positions']).split(',').includes(position)),
        {
          ok: (s) => s !== undefined,
          intervalMs: 50,
        },
      );
      expect(relayed!.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(relayed!.resource.attributes['service.name']).toBe('test-delivery');
      await delivery.stop();
    } finally {
      await stopTracing();
    }
  });
});
