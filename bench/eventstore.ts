import { jetstreamManager } from '@nats-io/jetstream';
import { sql } from 'kysely';
import { connectNats, ensureEventStream } from '../infra/nats';
import { appendToStreams } from '../infra/eventstore/append';
import { ExpectedVersionConflictError } from '../infra/eventstore/errors';
import { readAll } from '../infra/eventstore/read';
import { START, type Cursor } from '../infra/eventstore/types';
import { startRelay } from '../infra/relay/relay';
import { projectSummary } from '../infra/projections/project-summary';
import { rebuildProjection } from '../infra/projections/rebuild';
import { createBenchDatabase, type BenchDatabase } from './benchdb';
import { benchEvent, benchStreamId, checkFixture } from './fixtures';
import { line, measured, ratio, seconds, type Measured } from './stats';

const WRITERS = 8;
const STREAMS = 10_000;
const ROUNDS = 4;

export interface EventStoreBenchOptions {
  singleAppends: number;
  batchAppends: number;
  batchSize: number;
  plainInserts: number;
  log: (s: string) => void;
}

const runWriters = async (total: number, work: (writer: number, i: number) => Promise<void>): Promise<{ seconds: number; latencies: number[] }> => {
  let next = 0;
  const latencies: number[] = [];
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      for (let i = next++; i < total; i = next++) {
        const t0 = process.hrtime.bigint();
        await work(w, i);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }),
  );
  return { seconds: seconds(start), latencies };
};

interface Phase {
  events: number;
  seconds: number;
  latencies: number[];
  conflicts: number;
}

/** Appends at the exact expected version, as activities do; a conflict refreshes the version and retries. */
const appendPhase = async (b: BenchDatabase, label: string, appends: number, perAppend: number, versions: number[]): Promise<Phase> => {
  let conflicts = 0;
  const r = await runWriters(appends, async (w, i) => {
    const k = Math.floor(Math.random() * STREAMS);
    const events = Array.from({ length: perAppend }, (_, j) => benchEvent(k, `${label}-${w}-${i}-${j}`));
    for (;;) {
      const v = versions[k]!;
      try {
        const res = await appendToStreams(b.appDb, [{ streamId: benchStreamId(k), expectedVersion: v === 0 ? 'no-stream' : v, events }]);
        versions[k] = res.streamVersions[benchStreamId(k)]!;
        return;
      } catch (e) {
        if (!(e instanceof ExpectedVersionConflictError) || e.actual === null) throw e;
        conflicts++;
        versions[k] = e.actual;
      }
    }
  });
  return { events: appends * perAppend, seconds: r.seconds, latencies: r.latencies, conflicts };
};

let plainSerial = 0;
const plainPhase = async (b: BenchDatabase, inserts: number): Promise<Phase> => {
  const sample = benchEvent(1, 'plain');
  const data = JSON.stringify(sample.data);
  const metadata = JSON.stringify(sample.metadata);
  const hash = Buffer.alloc(32, 7);
  const r = await runWriters(inserts, async () => {
    const i = plainSerial++;
    await sql`INSERT INTO bench_plain (stream_id, category, stream_version, event_id, type, schema_version, data, metadata, recorded_at, prev_hash, hash)
              VALUES (${benchStreamId(i % STREAMS)}, 'project', ${i}, ${`plain-${i}`}, 'ProjectProposed', 1, ${data}::jsonb, ${metadata}::jsonb, now(), ${hash}, ${hash})`.execute(
      b.appDb,
    );
  });
  return { events: inserts, seconds: r.seconds, latencies: r.latencies, conflicts: 0 };
};

const rawScan = async (b: BenchDatabase): Promise<Measured> => {
  let n = 0;
  let after = { tx: '0', pos: '0' };
  const start = process.hrtime.bigint();
  for (;;) {
    const { rows } = await sql<{ tx_id: string; position: string }>`
      SELECT position, tx_id, stream_id, category, stream_version, event_id, type, schema_version, data, metadata, recorded_at
        FROM events WHERE (tx_id, position) > (${after.tx}::xid8, ${after.pos}::bigint) ORDER BY tx_id, position LIMIT 2000`.execute(b.appDb);
    if (rows.length === 0) break;
    n += rows.length;
    const last = rows[rows.length - 1]!;
    after = { tx: last.tx_id, pos: last.position };
  }
  return measured('raw ordered SELECT scan (pages of 2000)', n, seconds(start));
};

const tailScan = async (b: BenchDatabase): Promise<Measured> => {
  let n = 0;
  let cursor: Cursor = START;
  const start = process.hrtime.bigint();
  for (;;) {
    const r = await readAll(b.appDb, { after: cursor, limit: 2000 });
    if (r.events.length === 0) break;
    n += r.events.length;
    cursor = r.cursor;
  }
  return measured('readAll tail (gated, decoded, upcast)', n, seconds(start));
};

export const runEventStoreBench = async (opts: EventStoreBenchOptions): Promise<Record<string, Measured>> => {
  const { log } = opts;
  checkFixture();
  const b = await createBenchDatabase(WRITERS);
  const out: Record<string, Measured> = {};
  try {
    await sql`CREATE TABLE bench_plain (
      position bigint GENERATED ALWAYS AS IDENTITY, tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(), stream_id text NOT NULL,
      category text NOT NULL, stream_version bigint NOT NULL, event_id text NOT NULL, type text NOT NULL, schema_version integer NOT NULL,
      data jsonb NOT NULL, metadata jsonb NOT NULL, recorded_at timestamptz NOT NULL, prev_hash bytea NOT NULL, hash bytea NOT NULL)`.execute(b.adminDb);
    await sql`GRANT SELECT, INSERT ON bench_plain TO tuopin_writer`.execute(b.adminDb);
    const versions = new Array<number>(STREAMS).fill(0);

    log('-- appends: 8 concurrent writers over 10,000 streams, same database, same run');
    log(`   (${ROUNDS} interleaved rounds of each, so load from other processes on the machine falls on all three alike)`);
    await plainPhase(b, 400); // warm-up
    await appendPhase(b, 'warm', 400, 1, versions);
    const rounds: Record<'plain' | 'append1' | 'append10', Phase[]> = { plain: [], append1: [], append10: [] };
    for (let r = 0; r < ROUNDS; r++) {
      rounds.plain.push(await plainPhase(b, Math.ceil(opts.plainInserts / ROUNDS)));
      rounds.append1.push(await appendPhase(b, `one${r}`, Math.ceil(opts.singleAppends / ROUNDS), 1, versions));
      rounds.append10.push(await appendPhase(b, `ten${r}`, Math.ceil(opts.batchAppends / ROUNDS), opts.batchSize, versions));
    }
    const sum = (label: string, ps: Phase[]): Measured => {
      const conflicts = ps.reduce((a, p) => a + p.conflicts, 0);
      const m = measured(
        label,
        ps.reduce((a, p) => a + p.events, 0),
        ps.reduce((a, p) => a + p.seconds, 0),
        ps.flatMap((p) => p.latencies),
      );
      log(`${line(m)}${conflicts ? `  (${conflicts} conflicts retried)` : ''}`);
      return m;
    };
    out.plain = sum('plain single-row INSERT (8 writers)', rounds.plain);
    out.append1 = sum('append 1 event (8 writers, exact version)', rounds.append1);
    out.append10 = sum(`append ${opts.batchSize} events (8 writers, exact version)`, rounds.append10);
    log(ratio('append 1 event vs plain INSERT (events/s)', out.append1, out.plain, 0.5));
    log(ratio('append 10 events vs plain INSERT (events/s)', out.append10, out.plain));

    await sql`VACUUM ANALYZE events`.execute(b.adminDb);
    log('-- reading, relaying, rebuilding every event in the store');
    out.scan = await rawScan(b);
    log(line(out.scan));
    out.tail = await tailScan(b);
    log(line(out.tail));

    const nc = await connectNats();
    const jsm = await jetstreamManager(nc);
    const id = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`;
    const streamName = `BENCH_${id.toUpperCase()}`;
    const subjectPrefix = `bench.${id}`;
    try {
      await ensureEventStream(jsm, streamName, subjectPrefix);
      const total = out.scan.events;
      const start = process.hrtime.bigint();
      const relay = await startRelay({ db: b.appDb, databaseUrl: b.appUrl, nc, streamName, subjectPrefix, batchSize: 2000, pollIntervalMs: 100 });
      while (relay.stats.published < total && relay.stats.errors === 0) await new Promise((r) => setTimeout(r, 5));
      out.relay = measured('relay to JetStream (batches of 2000, one fence each)', relay.stats.published, seconds(start));
      await relay.stop();
      if (relay.stats.errors > 0) log(`relay reported ${relay.stats.errors} errors`);
      const info = await jsm.streams.info(streamName);
      log(`${line(out.relay)}  (JetStream holds ${info.state.messages})`);
    } finally {
      await jsm.streams.delete(streamName);
      await nc.close();
    }

    const start = process.hrtime.bigint();
    const rebuilt = await rebuildProjection(b.adminDb, projectSummary, { batchSize: 5000 });
    out.rebuild = measured('rebuild project_summary from the store', rebuilt.events, seconds(start));
    log(line(out.rebuild));
    log(ratio('relay vs raw ordered scan', out.relay, out.scan));
    log(ratio('rebuild vs raw ordered scan', out.rebuild, out.scan));
    log(
      `relay ${Math.round(out.relay.eventsPerSecond).toLocaleString('en-US')} ev/s, rebuild ${Math.round(out.rebuild.eventsPerSecond).toLocaleString('en-US')} ev/s (targets >= 20,000 ev/s: ${out.relay.eventsPerSecond >= 20_000 ? 'met' : 'NOT met'} / ${out.rebuild.eventsPerSecond >= 20_000 ? 'met' : 'NOT met'})`,
    );
  } finally {
    await b.drop();
  }
  return out;
};

if (require.main === module) {
  runEventStoreBench({ singleAppends: 16_000, batchAppends: 2_000, batchSize: 10, plainInserts: 16_000, log: (s) => process.stdout.write(`${s}\n`) }).then(
    () => process.exit(0),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(1);
    },
  );
}
