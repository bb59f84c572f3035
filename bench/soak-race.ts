import pg from 'pg';
import { eventRegistry } from '../domain/event-types';
import { APPEND_SQL, appendParams, appendToStream, prepareAppend } from '../infra/eventstore/append';
import { readAll } from '../infra/eventstore/read';
import { START, type Cursor } from '../infra/eventstore/types';
import { createBenchDatabase } from './benchdb';
import { benchEvent, benchStreamId } from './fixtures';
import { exitOnError } from './exit-on-error';

/**
 * Soak for gap-safe tailing: `total` single-event appends over `streams` streams, from 8 writers on
 * connections of their own, each append in an explicit transaction that is sometimes held open so
 * later positions commit first, and from 8 more callers through appendToStream, whose appends
 * share transactions when they meet (append-batcher.ts); a tailer follows with readAll. Afterwards: every event seen exactly once, and every stream's
 * versions seen in order. Returns the number of problems (0 is the only passing answer).
 */
export const runRaceSoak = async (opts: { total: number; streams: number; log: (s: string) => void }): Promise<number> => {
  const writers = 8;
  const b = await createBenchDatabase(writers);
  const clients: pg.Client[] = [];
  try {
    for (let w = 0; w < writers; w++) {
      const c = new pg.Client({ connectionString: b.appUrl, application_name: 'bench-soak' });
      await c.connect();
      clients.push(c);
    }
    const seen = new Map<string, number>();
    const lastVersion = new Map<string, number>();
    let outOfOrder = 0;
    let writing = true;
    let next = 0;
    const start = process.hrtime.bigint();
    let quietSince = Date.now();
    const tail = (async () => {
      let cursor: Cursor = START;
      for (;;) {
        const r = await readAll(b.appDb, { after: cursor, limit: 2000 });
        for (const e of r.events) {
          seen.set(e.eventId, (seen.get(e.eventId) ?? 0) + 1);
          if (e.streamVersion !== (lastVersion.get(e.streamId) ?? 0) + 1) outOfOrder++;
          lastVersion.set(e.streamId, e.streamVersion);
        }
        cursor = r.cursor;
        if (r.events.length === 0) {
          // The gate is cluster-wide: after the writers stop, others' transactions may still hold it
          // a moment. Give up only after a long quiet spell, and then report what is missing.
          if (!writing && (seen.size >= opts.total || Date.now() - quietSince > 60_000)) return;
          await new Promise((res) => setTimeout(res, 5));
        } else {
          quietSince = Date.now();
        }
      }
    })();
    const progress = (i: number) => {
      if (i > 0 && i % 20_000 === 0) opts.log(`  ${i.toLocaleString('en-US')} appended`);
    };
    const batched = Array.from({ length: writers }, async () => {
      for (let i = next++; i < opts.total; i = next++) {
        const k = Math.floor(Math.random() * opts.streams);
        await appendToStream(b.appDb, benchStreamId(k), 'any', [benchEvent(k, `soak-${i}`)]);
        progress(i);
      }
    });
    await Promise.all([
      ...batched,
      ...clients.map(async (c, w) => {
        for (let i = next++; i < opts.total; i = next++) {
          const k = Math.floor(Math.random() * opts.streams);
          const a = prepareAppend([{ streamId: benchStreamId(k), expectedVersion: 'any', events: [benchEvent(k, `soak-${i}`)] }], eventRegistry);
          await c.query('BEGIN');
          await c.query(APPEND_SQL, appendParams(a));
          // One in 50 transactions stays open a little, so positions after it commit first.
          if (i % 50 === w) await new Promise((res) => setTimeout(res, 1 + (i % 7)));
          await c.query('COMMIT');
          progress(i);
        }
      }),
    ]);
    writing = false;
    await tail;
    const secs = Number(process.hrtime.bigint() - start) / 1e9;
    const missing = opts.total - seen.size;
    const duplicated = [...seen.values()].filter((n) => n > 1).length;
    opts.log(
      `race soak: ${opts.total.toLocaleString('en-US')} concurrent appends in ${secs.toFixed(1)}s; tail saw ${seen.size.toLocaleString('en-US')}: ` +
        `${missing} skipped, ${duplicated} duplicated, ${outOfOrder} out of stream order`,
    );
    return missing + duplicated + outOfOrder;
  } finally {
    await Promise.all(clients.map((c) => c.end()));
    await b.drop();
  }
};

if (require.main === module) {
  const total = Number(process.argv[2] ?? 100_000);
  runRaceSoak({ total, streams: 10_000, log: (s) => process.stdout.write(`${s}\n`) }).then((problems) => process.exit(problems === 0 ? 0 : 1), exitOnError);
}
