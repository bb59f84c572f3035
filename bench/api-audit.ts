import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import Fastify from 'fastify';
import pg from 'pg';
import { sql } from 'kysely';
import { Client, Connection } from '@temporalio/client';
import { apiApp } from '../api/app';
import { apiDepsOf } from '../api/deps';
import { issueToken } from '../infra/tokens/tokens';
import { config } from '../infra/config';
import { readByRef } from '../infra/eventstore';
import { checkpointChains } from '../infra/eventstore/chain-checkpoints';
import { TRAIL_PAGE_MAX } from '../services/audit-trail';
import { openAuditStore } from './audit-store';
import { TRAIL_FUND } from './audit-fixtures';
import { startHttpClient } from './http-client';
import { copyOut } from '../infra/copy-out';
import { line, measured } from './stats';
import { developmentTokenKeys } from '../infra/tokens/token-keys';
import { exitOnError } from './exit-on-error';

/**
 * GET /audit/fund/:id on a store of about a million events, for a fund with 10,000 downstream
 * events, the whole trail (one page of up to TRAIL_PAGE_MAX entries, or `page` entries a page,
 * every page read), through the real Fastify app on a real listener (127.0.0.1, an ephemeral
 * port), asked by a client in a process of its own (Node's fetch, keep-alive, the whole body read:
 * http-client.ts). Beside it, in the same run and interleaved, the same fund's rows read alone in
 * the server's process, three ways: the store's readByRef (refs index → events, each event decoded
 * and parsed against its schema), and the fastest way the rows get into the process, COPY … TO
 * STDOUT (FORMAT binary) of refs → events, bytes as they arrive, each copied out of the protocol's buffer, not parsed (infra/copy-out.ts), on one
 * connection and split in two halves on two connections at once (the trail reads two chunks at
 * once). The ratios are against the faster of the two COPYs (p50 and p99 each).
 * Before measuring, the store's chain checkpoints are brought up to date (the worker's background
 * step does it in service): the first run checkpoints the whole store, later runs nothing.
 * Where each request's time goes is printed beside its latency: the CPU this process (server and
 * COPY reader), the client process and the store database's backends (`/proc/<pid>/schedstat`,
 * Linux) spent on it, and this process's garbage-collection pauses, medians per request: on a
 * loaded machine a latency is mostly waiting for a core, and the CPU says how many it waited for.
 */
export interface ApiAuditBenchOptions {
  /** Size of the store (a database per size, kept between runs). */
  storeEvents: number;
  requests: number;
  /** Entries a page (default TRAIL_PAGE_MAX: the whole trail in one answer). */
  page?: number;
  log: (s: string) => void;
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** CPU per request, by where it was spent, and this process's GC pauses during it. */
interface Cost {
  /** Each request's latency, in the order of the other arrays. */
  ms: number[];
  proc: number[];
  client: number[];
  pg: number[];
  gc: number[];
}
const newCost = (): Cost => ({ ms: [], proc: [], client: [], pg: [], gc: [] });
const total = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / 1000;

export const runApiAuditBench = async (o: ApiAuditBenchOptions): Promise<void> => {
  const { log } = o;
  const cfg = config();
  const store = await openAuditStore(o.storeEvents, log);
  const page = o.page ?? TRAIL_PAGE_MAX;
  const c0 = process.hrtime.bigint();
  const cp = await checkpointChains(store.appDb);
  log(
    `   chain checkpoints brought up to date: ${cp.added.toLocaleString('en-US')} added over ${cp.streams.toLocaleString('en-US')} streams in ${(ms(c0) / 1000).toFixed(1)} s${cp.broken.length > 0 ? `; ${cp.broken.length} BROKEN` : ''}`,
  );
  // The audit route never calls Temporal: a lazy connection that is never opened.
  const temporal = new Client({ connection: Connection.lazy({ address: cfg.TEMPORAL_ADDRESS }), namespace: cfg.TEMPORAL_NAMESPACE });
  const app = Fastify({ logger: { level: process.env.LOG_LEVEL ?? 'warn' } });
  await app.register(apiApp(apiDepsOf(cfg, { client: temporal, db: store.appDb }, { taskQueue: 'bench-unused', rateLimitPerMinute: 1_000_000 })));
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const client = startHttpClient();
  const rawPool = new pg.Pool({ connectionString: store.appUrl, max: 2, application_name: 'bench-audit-copy' });
  try {
    const authorization = `Bearer ${(await issueToken(developmentTokenKeys(), { userId: 'audit.bench', role: 'auditor' }, 3600)).token}`;
    const url = `${address}/audit/fund/${TRAIL_FUND.fundId}`;
    const pageUrl = (format: 'json' | 'csv', after: string | null): string => `${url}?format=${format}&limit=${page}${after ? `&after=${after}` : ''}`;
    /** The whole trail, page after page (one request when it fits in one page). */
    const whole = async (format: 'json' | 'csv'): Promise<{ status: number; bytes: number; entries: unknown[]; verified: boolean; pages: number; head: string }> => {
      let after: string | null = null;
      const entries: unknown[] = [];
      let bytes = 0;
      let verified = true;
      let pages = 0;
      for (;;) {
        const r: Response = await fetch(pageUrl(format, after), { headers: { authorization } });
        const body = await r.text();
        if (r.status !== 200) return { status: r.status, bytes, entries, verified, pages, head: body.slice(0, 300) };
        bytes += Buffer.byteLength(body);
        pages++;
        if (format === 'json') {
          const a = JSON.parse(body) as { verified: boolean; entries: unknown[]; next: string | null };
          entries.push(...a.entries);
          verified &&= a.verified;
          after = a.next;
        } else {
          entries.push(...body.trim().split('\r\n').slice(1));
          after = r.headers.get('x-next-page');
        }
        if (after === null) return { status: 200, bytes, entries, verified, pages, head: '' };
      }
    };

    const first = await whole('json');
    if (first.status !== 200) throw new Error(`GET ${url} answered ${first.status}: ${first.head}`);
    const lookedUp = await readByRef(store.appDb, 'fund', TRAIL_FUND.fundId, { limit: 1_000_000 });
    const csv = await whole('csv');
    log(
      `-- store ${store.events.toLocaleString('en-US')} events; fund ${TRAIL_FUND.fundId}: ${lookedUp.length.toLocaleString('en-US')} events in the refs index; ` +
        `the API answers ${first.entries.length.toLocaleString('en-US')} entries in ${first.pages} page(s) of up to ${page.toLocaleString('en-US')}, verified=${first.verified}, JSON ${(first.bytes / 1e6).toFixed(1)} MB, CSV ${(csv.bytes / 1e6).toFixed(1)} MB (${csv.entries.length.toLocaleString('en-US')} lines)`,
    );
    if (first.entries.length !== lookedUp.length) log(`   NOTE: the answer is not the whole trail (${first.entries.length} of ${lookedUp.length})`);
    log(`-- ${o.requests} times each, interleaved, one at a time; real listener ${address}, a client process (fetch, keep-alive)`);
    const headers = { authorization };
    /** The whole trail through the client process: its pages one after the other (each page's next cursor is known ahead: the first fetch above). */
    const cursors: Record<'json' | 'csv', (string | null)[]> = { json: [null], csv: [null] };
    for (const format of ['json', 'csv'] as const) {
      let after: string | null = null;
      for (;;) {
        const r: Response = await fetch(pageUrl(format, after), { headers: { authorization } });
        const body: string = await r.text();
        after = format === 'json' ? (JSON.parse(body) as { next: string | null }).next : r.headers.get('x-next-page');
        if (after === null) break;
        cursors[format].push(after);
      }
    }
    let clientCpu = 0;
    const timed = async (format: 'json' | 'csv'): Promise<number> => {
      let t = 0;
      for (const after of cursors[format]) {
        const g = await client.get(pageUrl(format, after), headers);
        if (g.status !== 200) throw new Error(`audit request (${format}) answered ${g.status}`);
        t += g.ms;
        clientCpu += g.cpuMs;
      }
      return t;
    };
    /** The CPU time of each backend of the store's database but the one asking (ms by pid); empty where /proc cannot be read. */
    const backendsCpu = async (): Promise<Map<number, number>> => {
      const { rows } = await sql<{ pid: number }>`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`.execute(store.adminDb);
      const out = new Map<number, number>();
      for (const { pid } of rows) {
        try {
          out.set(pid, Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6);
        } catch {
          // another machine's PostgreSQL, or the backend has just ended: its share is not counted
        }
      }
      return out;
    };
    let gcMs = 0;
    const gcSeen = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) gcMs += e.duration;
    });
    gcSeen.observe({ entryTypes: ['gc'] });
    /** Runs one measured request, adding what it cost to `cost`; its latency (ms) as `timeOf` reads it. */
    const costed = async (cost: Cost, run: () => Promise<number>): Promise<number> => {
      const pg0 = await backendsCpu();
      const [proc0, client0, gc0] = [process.cpuUsage(), clientCpu, gcMs];
      const t = await run();
      const proc = process.cpuUsage(proc0);
      cost.ms.push(t);
      cost.proc.push((proc.user + proc.system) / 1000);
      cost.client.push(clientCpu - client0);
      cost.gc.push(gcMs - gc0);
      let pgMs = 0;
      for (const [pid, after] of await backendsCpu()) pgMs += after - (pg0.get(pid) ?? 0);
      cost.pg.push(pgMs);
      return t;
    };
    const costLine = (label: string, c: Cost): string => {
      // The slowest request's own costs beside the medians: more CPU (a major GC, a slower plan) or the same CPU waiting longer for a core.
      const k = c.ms.indexOf(Math.max(...c.ms));
      return (
        `   CPU a request, median: ${label.padEnd(24)} this process ${median(c.proc).toFixed(0).padStart(4)} ms (GC pauses ${median(c.gc).toFixed(1)} ms), ` +
        `client ${median(c.client).toFixed(0).padStart(4)} ms, PostgreSQL ${median(c.pg).toFixed(0).padStart(4)} ms; the slowest (${c.ms[k]!.toFixed(0)} ms): ` +
        `${c.proc[k]!.toFixed(0)} ms (GC ${c.gc[k]!.toFixed(1)} ms), ${c.client[k]!.toFixed(0)} ms, ${c.pg[k]!.toFixed(0)} ms`
      );
    };
    for (let i = 0; i < 2; i++) {
      await timed('json');
      await timed('csv');
    }
    /** The fund's rows as readByRef reads them (every column, commit order), through COPY: `half` 0 or 1 of them, or all. */
    const n = lookedUp.length;
    const rowsSql = (half?: 0 | 1): string =>
      `COPY (SELECT e.position, e.tx_id, e.stream_id, e.category, e.stream_version, e.event_id, e.type, e.schema_version, e.data, e.metadata, e.recorded_at
         FROM refs r JOIN events e ON e.position = r.position WHERE r.kind = 'fund' AND r.ref_id = ${pg.escapeLiteral(TRAIL_FUND.fundId)}
         ORDER BY r.tx_id, r.position ${half === undefined ? '' : half === 0 ? `LIMIT ${Math.ceil(n / 2)}` : `OFFSET ${Math.ceil(n / 2)}`}) TO STDOUT (FORMAT binary)`;
    const copied = async (text: string): Promise<number> => {
      let bytes = 0;
      await copyOut(rawPool, text, (b) => (bytes += Buffer.from(b).length));
      return bytes;
    };
    const copyBytes = await copied(rowsSql());
    log(`   the rows alone through COPY (binary): ${(copyBytes / 1e6).toFixed(1)} MB`);
    const byRef: number[] = [];
    const copy1: number[] = [];
    const copy2: number[] = [];
    const json: number[] = [];
    const csvMs: number[] = [];
    log(`   load average (1 / 5 / 15 min) before the measured requests: ${load()}`);
    const costs = { copy1: newCost(), copy2: newCost(), json: newCost(), csv: newCost() };
    const clocked = async (work: () => Promise<unknown>): Promise<number> => {
      const t0 = process.hrtime.bigint();
      await work();
      return ms(t0);
    };
    for (let i = 0; i < o.requests; i++) {
      byRef.push(await clocked(() => readByRef(store.appDb, 'fund', TRAIL_FUND.fundId, { limit: 1_000_000 })));
      copy1.push(await costed(costs.copy1, () => clocked(() => copied(rowsSql()))));
      copy2.push(await costed(costs.copy2, () => clocked(() => Promise.all([copied(rowsSql(0)), copied(rowsSql(1))]))));
      json.push(await costed(costs.json, () => timed('json')));
      csvMs.push(await costed(costs.csv, () => timed('csv')));
    }
    gcSeen.disconnect();
    log(`   load average after them: ${load()}`);
    const r = measured('readByRef alone (refs → events, decoded)', o.requests, total(byRef), byRef);
    const c1 = measured('rows alone: COPY binary, one connection', o.requests, total(copy1), copy1);
    const c2 = measured('rows alone: COPY binary, two halves at once', o.requests, total(copy2), copy2);
    const mj = measured('GET /audit/fund/:id JSON, whole trail read', o.requests, total(json), json);
    const mc = measured('GET /audit/fund/:id CSV, whole trail read', o.requests, total(csvMs), csvMs);
    for (const m of [r, c1, c2, mj, mc]) log(line(m));
    log(costLine('rows alone, one COPY', costs.copy1));
    log(costLine('rows alone, two halves', costs.copy2));
    log(costLine('trail JSON', costs.json));
    log(costLine('trail CSV', costs.csv));
    const rows = { p50: Math.min(c1.p50!, c2.p50!), p99: Math.min(c1.p99!, c2.p99!) };
    log(`rows alone (the faster COPY): p50 ${rows.p50.toFixed(1)} ms, p99 ${rows.p99.toFixed(1)} ms`);
    log(
      `audit JSON / rows alone: p50 ${(mj.p50! / rows.p50).toFixed(2)}×, p99 ${(mj.p99! / rows.p99).toFixed(2)}×; / readByRef: p50 ${(mj.p50! / r.p50!).toFixed(2)}×, p99 ${(mj.p99! / r.p99!).toFixed(2)}×`,
    );
    log(
      `audit CSV  / rows alone: p50 ${(mc.p50! / rows.p50).toFixed(2)}×, p99 ${(mc.p99! / rows.p99).toFixed(2)}×; / readByRef: p50 ${(mc.p50! / r.p50!).toFixed(2)}×, p99 ${(mc.p99! / r.p99!).toFixed(2)}×`,
    );
    const met = mj.p99! <= 100 && mj.p99! <= 1.5 * rows.p99;
    log(
      `audit trail of ${first.entries.length.toLocaleString('en-US')} events p99 JSON ${mj.p99!.toFixed(0)} ms, CSV ${mc.p99!.toFixed(0)} ms ` +
        `(target JSON p99 <= 100 ms and <= 1.5x the rows alone: ${met ? 'met' : 'NOT met'})`,
    );
  } finally {
    await rawPool.end();
    await client.close();
    await app.close();
    await temporal.connection.close();
    await store.close();
  }
};

if (require.main === module) {
  const quick = process.argv.includes('--quick');
  const store = process.argv.indexOf('--store');
  const storeEvents = store > 0 ? Number(process.argv[store + 1]) : quick ? 100_000 : 1_000_000;
  const pageAt = process.argv.indexOf('--page');
  const requestsAt = process.argv.indexOf('--requests');
  runApiAuditBench({
    storeEvents,
    requests: requestsAt > 0 ? Number(process.argv[requestsAt + 1]) : quick ? 20 : 100,
    ...(pageAt > 0 ? { page: Number(process.argv[pageAt + 1]) } : {}),
    log: (s) => process.stdout.write(`${s}\n`),
  }).then(() => process.exit(0), exitOnError);
}
