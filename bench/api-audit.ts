import Fastify from 'fastify';
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
import { line, measured } from './stats';
import { developmentTokenKeys } from '../infra/tokens/token-keys';

/**
 * GET /audit/fund/:id on a store of about a million events, for a fund with 10,000 downstream
 * events, the whole trail (one page of up to TRAIL_PAGE_MAX entries, or `page` entries a page,
 * every page read), through the real Fastify app on a real listener (127.0.0.1, an ephemeral
 * port), asked by a client in a process of its own (Node's fetch, keep-alive, the whole body read:
 * http-client.ts). Beside it, in the same run and interleaved, the store's index lookup of the
 * same fund's events alone in the server's process (readByRef: refs index → events, decoded).
 * Before measuring, the store's chain checkpoints are brought up to date (the worker's background
 * step does it in service): the first run checkpoints the whole store, later runs nothing.
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
    const timed = async (format: 'json' | 'csv'): Promise<number> => {
      let t = 0;
      for (const after of cursors[format]) {
        const g = await client.get(pageUrl(format, after), headers);
        if (g.status !== 200) throw new Error(`audit request (${format}) answered ${g.status}`);
        t += g.ms;
      }
      return t;
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
    const mj = measured('GET /audit/fund/:id JSON, whole trail read', o.requests, total(json), json);
    const mc = measured('GET /audit/fund/:id CSV, whole trail read', o.requests, total(csvMs), csvMs);
    log(line(b));
    log(line(mj));
    log(line(mc));
    log(`audit JSON / readByRef: p50 ${(mj.p50! / b.p50!).toFixed(1)}×, p99 ${(mj.p99! / b.p99!).toFixed(1)}×`);
    log(`audit CSV  / readByRef: p50 ${(mc.p50! / b.p50!).toFixed(1)}×, p99 ${(mc.p99! / b.p99!).toFixed(1)}×`);
    const met = mj.p99! <= 100 && mj.p99! <= 1.5 * b.p99!;
    log(
      `audit trail of ${first.entries.length.toLocaleString('en-US')} events p99 JSON ${mj.p99!.toFixed(0)} ms, CSV ${mc.p99!.toFixed(0)} ms ` +
        `(target JSON p99 <= 100 ms and <= 1.5x readByRef: ${met ? 'met' : 'NOT met'})`,
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
  const pageAt = process.argv.indexOf('--page');
  const requestsAt = process.argv.indexOf('--requests');
  runApiAuditBench({
    storeEvents,
    requests: requestsAt > 0 ? Number(process.argv[requestsAt + 1]) : quick ? 20 : 100,
    ...(pageAt > 0 ? { page: Number(process.argv[pageAt + 1]) } : {}),
    log: (s) => process.stdout.write(`${s}\n`),
  }).then(
    () => process.exit(0),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(2);
    },
  );
}
