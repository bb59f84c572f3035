import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { startTracing, stopTracing } from '../infra/tracing';
import { startTestStack } from '../test/support/stack';
import { startTestApi } from '../test/support/api';
import { APPROVER, startProject, TOWNSHIP } from '../test/support/project-walk';
import { percentile } from './stats';
import { exitOnError } from './exit-on-error';

/**
 * What tracing (infra/tracing.ts, off unless OTEL_EXPORTER_OTLP_ENDPOINT is set) costs a request:
 * approvals (township, then county: an Update, the workflow, its activity, the append) and a read
 * (GET /projects/:id: the read model and the workflow's status query) through the API (in-process,
 * Fastify's inject). Two processes, each with a stack of its own (database, stream, worker, client),
 * one with tracing on and one off (tracing is decided when the worker and client are made, and the
 * workflow bundle once a process), take the same requests in turn, one request at a time: a machine
 * that slows down slows both alike. With tracing on, spans go as OTLP over HTTP to a collector this
 * bench runs on loopback, which counts them.
 */
export interface TracingCostBenchOptions {
  /** Projects measured; each takes two approvals and one read. */
  projects: number;
  log: (s: string) => void;
}

type Kind = 'township' | 'county' | 'read';
const KINDS: readonly Kind[] = ['township', 'county', 'read'];

/** A stand-in OTLP/HTTP collector: accepts JSON exports and counts the spans in them. */
const startCollector = async (): Promise<{ url: string; spans: () => number; close: () => Promise<void> }> => {
  let spans = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { resourceSpans?: { scopeSpans?: { spans?: unknown[] }[] }[] };
        for (const r of body.resourceSpans ?? []) for (const s of r.scopeSpans ?? []) spans += s.spans?.length ?? 0;
      } catch {
        // Not JSON (a protobuf export): accepted, not counted.
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans: () => spans,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
};

/**
 * The child: a stack, the API, `projects` + 1 proposed projects; then one request per stdin line
 * (`<project index> <kind>`), answering each with its time in ms on stdout. An empty line ends it.
 */
const serve = async (tracing: boolean, projects: number, collectorUrl: string | undefined): Promise<void> => {
  if (tracing) startTracing('tuopin-bench', { endpoint: collectorUrl });
  const stack = await startTestStack(tracing ? 'traceon' : 'traceoff');
  const api = await startTestApi(stack);
  try {
    const headers = { township: await api.bearer(TOWNSHIP), county: await api.bearer(APPROVER) };
    const ids: string[] = [];
    for (let i = 0; i <= projects; i += 8) {
      const started = await Promise.all(Array.from({ length: Math.min(8, projects + 1 - i) }, () => startProject(stack)));
      ids.push(...started.map((h) => h.workflowId.replace(/^project-/, '')));
    }
    const request = async (id: string, kind: Kind): Promise<void> => {
      const r =
        kind === 'read'
          ? await api.app.inject({ method: 'GET', url: `/projects/${id}`, headers: headers.county })
          : await api.app.inject({
              method: 'POST',
              url: `/projects/${id}/steps`,
              headers: headers[kind],
              payload: kind === 'township' ? { type: 'ApproveAtTownship', data: { opinion: '同意' } } : { type: 'ApproveAtCounty', data: { documentNumber: '嵩扶贫〔2016〕12号' } },
            });
      if (r.statusCode !== 200) throw new Error(`${kind} ${id}: ${r.statusCode} ${r.body.slice(0, 300)}`);
    };
    process.stdout.write('ready\n');
    for await (const line of createInterface({ input: process.stdin })) {
      if (line.trim() === '') break;
      const [index, kind] = line.split(' ') as [string, Kind];
      const t0 = process.hrtime.bigint();
      await request(ids[Number(index)]!, kind);
      process.stdout.write(`${Number(process.hrtime.bigint() - t0) / 1e6}\n`);
    }
  } finally {
    await api.app.close();
    await stack.stop();
    await stopTracing(); // flushes the last batch to the collector
  }
};

/** A child process serving requests (this file with --serve), and a way to send it one and read its time. */
const child = (tracing: boolean, projects: number, collectorUrl: string) => {
  const p: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    [...process.execArgv, __filename, '--serve', tracing ? 'on' : 'off', '--projects', String(projects), '--collector', collectorUrl],
    { stdio: 'pipe' },
  );
  p.stderr.pipe(process.stderr);
  const exited = new Promise<number | null>((resolve) => p.once('exit', (code) => resolve(code)));
  const lines = createInterface({ input: p.stdout })[Symbol.asyncIterator]();
  // Anything else the process prints on stdout (a log line) is not an answer: answers are the lines that are a number or 'ready'.
  const next = async (): Promise<string> => {
    for (;;) {
      const r = await lines.next();
      if (r.done) throw new Error(`the tracing ${tracing ? 'on' : 'off'} process ended (exit ${await exited})`);
      if (r.value === 'ready' || /^\d+(\.\d+)?$/.test(r.value)) return r.value;
    }
  };
  return {
    ready: next,
    time: async (index: number, kind: Kind): Promise<number> => {
      p.stdin.write(`${index} ${kind}\n`);
      return Number(await next());
    },
    end: async (): Promise<number | null> => {
      p.stdin.end('\n');
      return exited;
    },
  };
};

export const runTracingCostBench = async (o: TracingCostBenchOptions): Promise<void> => {
  const { log } = o;
  const collector = await startCollector();
  try {
    const off = child(false, o.projects, collector.url);
    const on = child(true, o.projects, collector.url);
    await Promise.all([off.ready(), on.ready()]);
    const times = { off: { approval: [] as number[], read: [] as number[] }, on: { approval: [] as number[], read: [] as number[] } };
    // Project 0 warms up both processes' code paths; not counted. Then off and on in turn, the first of each pair alternating.
    for (let i = 0; i <= o.projects; i++) {
      for (const kind of KINDS) {
        const order = (i + KINDS.indexOf(kind)) % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const);
        for (const which of order) {
          const ms = await (which === 'off' ? off : on).time(i, kind);
          if (i > 0) times[which][kind === 'read' ? 'read' : 'approval'].push(ms);
        }
      }
    }
    const codes = await Promise.all([off.end(), on.end()]);
    if (codes.some((c) => c !== 0)) throw new Error(`the bench's processes exited ${codes.join(', ')}`);
    const stats = (xs: number[]) => {
      const sorted = [...xs].sort((x, y) => x - y);
      return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
    };
    const row = (what: string, offMs: number[], onMs: number[]) => {
      const x = stats(offMs);
      const y = stats(onMs);
      log(
        `${what.padEnd(36)} off p50 ${x.p50.toFixed(1).padStart(6)} ms p95 ${x.p95.toFixed(1).padStart(6)} ms  on p50 ${y.p50.toFixed(1).padStart(6)} ms p95 ${y.p95.toFixed(1).padStart(6)} ms  (${onMs.length} each)  on/off p50 ${(y.p50 / x.p50).toFixed(2)}×, p95 ${(y.p95 / x.p95).toFixed(2)}×`,
      );
    };
    log(`-- ${o.projects} projects, each approved twice and read once, in turn on a stack with tracing off and one with it on`);
    row('approval: POST /projects/:id/steps', times.off.approval, times.on.approval);
    row('read: GET /projects/:id', times.off.read, times.on.read);
    log(`spans the collector received (proposals and warm-up included): ${collector.spans()}`);
  } finally {
    await collector.close();
  }
};

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};

if (require.main === module) {
  const projects = Number(arg('--projects') ?? 40);
  const serving = arg('--serve');
  (serving === undefined ? runTracingCostBench({ projects, log: (s) => process.stdout.write(`${s}\n`) }) : serve(serving === 'on', projects, arg('--collector'))).then(
    () => process.exit(0),
    exitOnError,
  );
}
