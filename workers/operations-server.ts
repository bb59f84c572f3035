import { createServer, type Server } from 'node:http';
import type { Kysely } from 'kysely';
import type { Database } from '../infra/database';
import { readiness, type Probe } from '../infra/health';
import { scrape, type MetricsJson } from '../infra/metrics';
import { logger } from '../infra/logger';

/**
 * The worker's own small HTTP server for operators: `/healthz` (alive), `/readyz` (its services and
 * its Temporal workers; 503 naming what is not ready) and `/metrics` (Prometheus text). The worker
 * serves no API, so this is all it listens for.
 */
export const startOperationsServer = async (opts: {
  readonly port: number;
  readonly host: string;
  readonly db: Kysely<Database>;
  readonly probes: Readonly<Record<string, Probe>>;
  /** More Prometheus text appended to each scrape (the Temporal SDK's runtime metrics). */
  readonly extraMetrics?: () => Promise<string>;
  /** The metrics of the process's other threads (the relay's and the projectors'), added to its own. */
  readonly threadMetrics?: () => Promise<readonly MetricsJson[]>;
}): Promise<{ server: Server; port: number; close(): Promise<void> }> => {
  const server = createServer((req, res) => {
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    const url = (req.url ?? '/').split('?')[0];
    const answer = async () => {
      if (req.method !== 'GET') return send(405, 'application/json', JSON.stringify({ code: 'METHOD_NOT_ALLOWED' }));
      if (url === '/healthz') return send(200, 'application/json', JSON.stringify({ alive: true }));
      if (url === '/readyz') {
        const r = await readiness(opts.probes);
        return send(r.ready ? 200 : 503, 'application/json', JSON.stringify(r));
      }
      if (url === '/metrics') {
        const [m, extra] = await Promise.all([scrape(opts.db, opts.threadMetrics), opts.extraMetrics?.() ?? '']);
        return send(200, m.contentType, extra ? `${m.body}\n${extra}` : m.body);
      }
      return send(404, 'application/json', JSON.stringify({ code: 'NOT_FOUND' }));
    };
    answer().catch((e: unknown) => {
      logger.error({ err: e, url }, 'operations endpoint failed');
      if (!res.headersSent) send(500, 'application/json', JSON.stringify({ code: 'INTERNAL' }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  logger.info({ host: opts.host, port }, 'operations endpoints listening (/healthz, /readyz, /metrics)');
  return { server, port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
};
