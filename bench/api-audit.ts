import Fastify from 'fastify';
import { Client, Connection } from '@temporalio/client';
import { apiApp } from '../api/app';
import { apiDepsOf } from '../api/deps';
import { issueToken } from '../infra/tokens/tokens';
import { config } from '../infra/config';
import { readByRef } from '../infra/eventstore';
import { openAuditStore } from './audit-store';
import { TRAIL_FUND } from './audit-fixtures';
import { startHttpClient } from './http-client';
import { line, measured } from './stats';
import { developmentTokenKeys } from '../infra/tokens/token-keys';

/**
 * GET /audit/fund/:id on a store of about a million events, for a fund with 10,000 downstream
 * events, through the real Fastify app on a real listener (127.0.0.1, an ephemeral port), asked by
 * a client in a process of its own (Node's fetch, keep-alive, the whole body read: http-client.ts).
 * Beside it, in the same run and interleaved, the store's index lookup of the same fund's events
 * alone in the server's process (readByRef: refs index → events, decoded).
 */
export interface ApiAuditBenchOptions {
  /** Size of the store (a database per size, kept between runs). */
  storeEvents: number;
  requests: number;
  log: (s: string) => void;
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const total = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / 1000;

export const runApiAuditBench = async (o: ApiAuditBenchOptions): Promise<void> => {
  const { log } = o;
  const cfg = config();
  const store = await openAuditStore(o.storeEvents, log);
  // The audit route never calls Temporal: a lazy connection that is never opened.
  const temporal = new Client({ connection: Connection.lazy({ address: cfg.TEMPORAL_ADDRESS }), namespace: cfg.TEMPORAL_NAMESPACE });
  const app = Fastify({ logger: { level: process.env.LOG_LEVEL ?? 'warn' } });
  await app.register(apiApp(apiDepsOf(cfg, { client: temporal, db: store.appDb }, { taskQueue: 'bench-unused', rateLimitPerMinute: 1_000_000 })));
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const client = startHttpClient();
  try {
    const authorization = `Bearer ${(await issueToken(developmentTokenKeys(), { userId: 'audit.bench', role: 'auditor' }, 3600)).token}`;
    const url = `${address}/audit/fund/${TRAIL_FUND.fundId}`;
    const get = async (format: 'json' | 'csv'): Promise<{ status: number; bytes: number; body: string }> => {
      const r = await fetch(`${url}?format=${format}`, { headers: { authorization } });
      const body = await r.text();
      return { status: r.status, bytes: Buffer.byteLength(body), body };
    };

    const first = await get('json');
    if (first.status !== 200) throw new Error(`GET ${url} answered ${first.status}: ${first.body.slice(0, 300)}`);
    const answer = JSON.parse(first.body) as { verified: boolean; entries: unknown[] };
    const lookedUp = await readByRef(store.appDb, 'fund', TRAIL_FUND.fundId, { limit: 1_000_000 });
    const csv = await get('csv');
    log(
      `-- store ${store.events.toLocaleString('en-US')} events; fund ${TRAIL_FUND.fundId}: ${lookedUp.length.toLocaleString('en-US')} events in the refs index; ` +
        `the API answers ${answer.entries.length.toLocaleString('en-US')} entries, verified=${answer.verified}, JSON ${(first.bytes / 1e6).toFixed(1)} MB, CSV ${(csv.bytes / 1e6).toFixed(1)} MB`,
    );
    if (answer.entries.length !== lookedUp.length) log(`   NOTE: the answer is not the whole trail (${answer.entries.length} of ${lookedUp.length})`);
    log(`-- ${o.requests} requests of each, interleaved, one at a time; real listener ${address}, a client process (fetch, keep-alive)`);
    const headers = { authorization };
    const timed = async (format: 'json' | 'csv'): Promise<number> => {
      const g = await client.get(`${url}?format=${format}`, headers);
      if (g.status !== 200) throw new Error(`audit request (${format}) answered ${g.status}`);
      return g.ms;
    };
    for (let i = 0; i < 2; i++) {
      await timed('json');
      await timed('csv');
    }
    const base: number[] = [];
    const json: number[] = [];
    const csvMs: number[] = [];
    for (let i = 0; i < o.requests; i++) {
      const t0 = process.hrtime.bigint();
      await readByRef(store.appDb, 'fund', TRAIL_FUND.fundId, { limit: 1_000_000 });
      base.push(ms(t0));
      json.push(await timed('json'));
      csvMs.push(await timed('csv'));
    }
    const b = measured('readByRef alone (refs → events, decoded)', o.requests, total(base), base);
    const mj = measured('GET /audit/fund/:id JSON, whole body read', o.requests, total(json), json);
    const mc = measured('GET /audit/fund/:id CSV, whole body read', o.requests, total(csvMs), csvMs);
    log(line(b));
    log(line(mj));
    log(line(mc));
    log(`audit JSON / readByRef: p50 ${(mj.p50! / b.p50!).toFixed(1)}×, p99 ${(mj.p99! / b.p99!).toFixed(1)}×`);
    log(`audit CSV  / readByRef: p50 ${(mc.p50! / b.p50!).toFixed(1)}×, p99 ${(mc.p99! / b.p99!).toFixed(1)}×`);
    log(
      `audit trail of ${answer.entries.length.toLocaleString('en-US')} events p99 JSON ${mj.p99!.toFixed(0)} ms, CSV ${mc.p99!.toFixed(0)} ms (target well under 1 s: ${Math.max(mj.p99!, mc.p99!) < 1000 ? 'met' : 'NOT met'})`,
    );
  } finally {
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
  runApiAuditBench({ storeEvents, requests: quick ? 20 : 100, log: (s) => process.stdout.write(`${s}\n`) }).then(
    () => process.exit(0),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(2);
    },
  );
}
