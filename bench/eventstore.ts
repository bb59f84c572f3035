import { readFileSync } from 'node:fs';
import { jetstreamManager } from '@nats-io/jetstream';
import { sql } from 'kysely';
import pg from 'pg';
import { connectNats, ensureEventStream } from '../infra/nats';
import { appendToStreams } from '../infra/eventstore/append';
import { readAll } from '../infra/eventstore/read';
import { START, type Cursor } from '../infra/eventstore/types';
import { startRelay } from '../infra/relay/relay';
import { projectSummary } from '../infra/projections/project-summary';
import { rebuildProjection } from '../infra/projections/rebuild';
import { getPostgreSQLEventStore, type PostgresEventStore } from '@event-driven-io/emmett-postgresql';
import type { NewEvent } from '../infra/eventstore/types';
import { createBenchDatabase, createPeerDatabase, type BenchDatabase } from './benchdb';
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
  /** Only the appends (`--appends-only`): for profiling them. */
  appendsOnly?: boolean;
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
  /** CPU the phase cost, in ns: its database's backends, and this process (the client). */
  backendNs: number;
  clientNs: number;
}

/**
 * CPU time of every backend connected to a database, by pid, from /proc/<pid>/schedstat (ns; the server
 * runs on this machine). Events/s on this shared 2-core machine move by ±50% with other processes'
 * load; CPU per event moves far less, and says on which side of the connection an append costs more
 * than the INSERT or Emmett. A backend that ends during a phase takes its CPU with it (the pools keep
 * theirs for 10 s idle, longer than the gaps between phases).
 */
const backendCpu = async (b: BenchDatabase, database: string): Promise<Map<number, number> | undefined> => {
  const { rows } = await sql<{ pid: number }>`SELECT pid FROM pg_stat_activity WHERE datname = ${database} AND backend_type = 'client backend'`.execute(b.adminDb);
  const out = new Map<number, number>();
  try {
    for (const r of rows) out.set(r.pid, Number(readFileSync(`/proc/${r.pid}/schedstat`, 'utf8').split(' ')[0]));
  } catch {
    return undefined; // a server elsewhere, or a backend gone between the query and the read
  }
  return out;
};

/** Runs a phase and charges it the CPU of `database`'s backends and of this process. */
const costed = async (b: BenchDatabase, database: string, run: () => Promise<Omit<Phase, 'backendNs' | 'clientNs'>>): Promise<Phase> => {
  const before = await backendCpu(b, database);
  const client0 = process.cpuUsage();
  const p = await run();
  const client = process.cpuUsage(client0);
  const after = await backendCpu(b, database);
  let backendNs = Number.NaN;
  if (before && after) {
    backendNs = 0;
    for (const [pid, ns] of after) backendNs += ns - (before.get(pid) ?? 0);
  }
  return { ...p, backendNs, clientNs: (client.user + client.system) * 1000 };
};

/**
 * Writer w owns the streams k with k % WRITERS === w, so every writer knows each of its streams'
 * versions and appends at the exact expected version without conflicts, as the plain INSERTs
 * and Emmett do: all three pay for the same rows, none for retries.
 */
const ownStream = (w: number): number => w + WRITERS * Math.floor(Math.random() * (STREAMS / WRITERS));

const eventsFor = (label: string, w: number, i: number, k: number, n: number): NewEvent[] => Array.from({ length: n }, (_, j) => benchEvent(k, `${label}-${w}-${i}-${j}`));

/** Appends at the exact expected version through appendToStreams, as activities do. */
const appendPhase = (b: BenchDatabase, label: string, appends: number, perAppend: number, versions: number[]): Promise<Phase> =>
  costed(b, b.name, async () => {
    const r = await runWriters(appends, async (w, i) => {
      const k = ownStream(w);
      const v = versions[k]!;
      const res = await appendToStreams(b.appDb, [{ streamId: benchStreamId(k), expectedVersion: v === 0 ? 'no-stream' : v, events: eventsFor(label, w, i, k, perAppend) }]);
      versions[k] = res.streamVersions[benchStreamId(k)]!;
    });
    return { events: appends * perAppend, seconds: r.seconds, latencies: r.latencies };
  });

/**
 * The ceiling: the same rows (same columns, same ~600-byte data and metadata) in a table with no
 * index, trigger or hash: per call ONE INSERT statement of `perInsert` rows, so a 10-event append is
 * compared with one 10-row INSERT, not with ten single-row ones.
 */
let plainSerial = 0;
const plainPhase = (b: BenchDatabase, inserts: number, perInsert: number): Promise<Phase> =>
  costed(b, b.name, async () => {
    const hash = Buffer.alloc(32, 7);
    const r = await runWriters(inserts, async (w, i) => {
      const k = ownStream(w);
      const rows = eventsFor('plain', w, i, k, perInsert).map((e) => {
        const n = plainSerial++;
        return sql`(${benchStreamId(k)}, 'project', ${n}, ${`${e.eventId}-${n}`}, ${e.type}, 1, ${JSON.stringify(e.data)}::jsonb, ${JSON.stringify(e.metadata)}::jsonb, now(), ${hash}, ${hash})`;
      });
      await sql`INSERT INTO bench_plain (stream_id, category, stream_version, event_id, type, schema_version, data, metadata, recorded_at, prev_hash, hash)
              VALUES ${sql.join(rows)}`.execute(b.appDb);
    });
    return { events: inserts * perInsert, seconds: r.seconds, latencies: r.latencies };
  });

/** The peer: Emmett 0.42's PostgreSQL store, in its own database, the same events at the exact expected version (0n: the stream must not exist). */
const emmettPhase = (b: BenchDatabase, peerName: string, store: PostgresEventStore, label: string, appends: number, perAppend: number, versions: number[]): Promise<Phase> =>
  costed(b, peerName, async () => {
    const r = await runWriters(appends, async (w, i) => {
      const k = ownStream(w);
      const v = versions[k]!;
      const events = eventsFor(label, w, i, k, perAppend).map((e) => ({ type: e.type, data: e.data as Record<string, unknown>, metadata: e.metadata }));
      const res = await store.appendToStream(benchStreamId(k), events, { expectedStreamVersion: BigInt(v) });
      versions[k] = Number(res.nextExpectedStreamVersion);
    });
    return { events: appends * perAppend, seconds: r.seconds, latencies: r.latencies };
  });

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
    const emmettVersions = new Array<number>(STREAMS).fill(0);
    const peer = await createPeerDatabase(b.adminUrl);
    // Emmett sets pg's process-wide json/jsonb parsers when it makes its pool: put ours back after it.
    const parsers = [pg.types.getTypeParser(114), pg.types.getTypeParser(3802)] as const;
    const peerPool = new pg.Pool({ connectionString: peer.url, max: WRITERS + 2 });
    const emmett = getPostgreSQLEventStore(peer.url, { connectionOptions: { pool: peerPool } });
    try {
      log('-- appends: 8 writers over 10,000 streams (each owns its streams: exact expected versions, no conflicts), same run');
      log('   plain INSERT: the same rows in a table with no index, trigger or hash, one statement per call; Emmett 0.42: its own database');
      log(`   (${ROUNDS} interleaved rounds of each, so load from other processes on the machine falls on all alike)`);
      await plainPhase(b, 400, 1); // warm-up
      await appendPhase(b, 'warm', 400, 1, versions);
      await emmettPhase(b, peer.name, emmett, 'warm', 400, 1, emmettVersions);
      const kinds = ['plain', 'append1', 'emmett1', 'plain10', 'append10', 'emmett10'] as const;
      const rounds = Object.fromEntries(kinds.map((k) => [k, [] as Phase[]])) as Record<(typeof kinds)[number], Phase[]>;
      const singles = Math.ceil(opts.singleAppends / ROUNDS);
      const batches = Math.ceil(opts.batchAppends / ROUNDS);
      for (let r = 0; r < ROUNDS; r++) {
        rounds.plain.push(await plainPhase(b, Math.ceil(opts.plainInserts / ROUNDS), 1));
        rounds.append1.push(await appendPhase(b, `one${r}`, singles, 1, versions));
        rounds.emmett1.push(await emmettPhase(b, peer.name, emmett, `one${r}`, singles, 1, emmettVersions));
        rounds.plain10.push(await plainPhase(b, batches, opts.batchSize));
        rounds.append10.push(await appendPhase(b, `ten${r}`, batches, opts.batchSize, versions));
        rounds.emmett10.push(await emmettPhase(b, peer.name, emmett, `ten${r}`, batches, opts.batchSize, emmettVersions));
      }
      const cpu: Record<string, { backend: number; client: number }> = {};
      const sum = (label: string, ps: Phase[]): Measured => {
        const m = measured(
          label,
          ps.reduce((a, p) => a + p.events, 0),
          ps.reduce((a, p) => a + p.seconds, 0),
          ps.flatMap((p) => p.latencies),
        );
        const events = ps.reduce((a, p) => a + p.events, 0);
        const backend = ps.reduce((a, p) => a + p.backendNs, 0) / 1000 / events;
        const client = ps.reduce((a, p) => a + p.clientNs, 0) / 1000 / events;
        cpu[label] = { backend, client };
        log(`${line(m)}  CPU/event: database ${Number.isNaN(backend) ? 'n/a' : `${backend.toFixed(0)} µs`}, client ${client.toFixed(0)} µs`);
        return m;
      };
      const n = opts.batchSize;
      out.plain = sum('plain INSERT, 1 row per statement', rounds.plain);
      out.append1 = sum('append 1 event (exact version)', rounds.append1);
      out.emmett1 = sum('Emmett 0.42 appendToStream, 1 event', rounds.emmett1);
      out.plain10 = sum(`plain INSERT, ${n} rows in one statement`, rounds.plain10);
      out.append10 = sum(`append ${n} events (exact version)`, rounds.append10);
      out.emmett10 = sum(`Emmett 0.42 appendToStream, ${n} events`, rounds.emmett10);
      const r1 = out.append1.eventsPerSecond / out.plain.eventsPerSecond;
      const r10 = out.append10.eventsPerSecond / out.plain10.eventsPerSecond;
      const e1 = out.append1.eventsPerSecond / out.emmett1.eventsPerSecond;
      const e10 = out.append10.eventsPerSecond / out.emmett10.eventsPerSecond;
      log(ratio('append 1 event vs 1-row INSERT (events/s)', out.append1, out.plain, 0.6));
      log(ratio(`append ${n} events vs one ${n}-row INSERT (events/s)`, out.append10, out.plain10, 0.6));
      log(ratio('append 1 event vs Emmett 0.42 (events/s)', out.append1, out.emmett1, 1.5));
      log(ratio(`append ${n} events vs Emmett 0.42 (events/s)`, out.append10, out.emmett10, 1.5));
      const met = Math.min(r1, r10) >= 0.6 && Math.min(e1, e10) >= 1.5;
      log(
        `appends, 1 and ${n} events each: ${r1.toFixed(2)}× / ${r10.toFixed(2)}× the plain INSERT of the same rows (one statement), ` +
          `${e1.toFixed(2)}× / ${e10.toFixed(2)}× Emmett 0.42, with idempotency, refs and the hash chain on (targets ≥ 0.6× and ≥ 1.5×: ${met ? 'met' : 'NOT met'})`,
      );
    } finally {
      await emmett.close();
      await peerPool.end();
      pg.types.setTypeParser(114, parsers[0]);
      pg.types.setTypeParser(3802, parsers[1]);
      await peer.drop();
    }

    if (opts.appendsOnly) return out;
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
  runEventStoreBench({
    singleAppends: 16_000,
    batchAppends: 2_000,
    batchSize: 10,
    plainInserts: 16_000,
    appendsOnly: process.argv.includes('--appends-only'),
    log: (s) => process.stdout.write(`${s}\n`),
  }).then(
    () => process.exit(0),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(1);
    },
  );
}
