import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Client } from '@temporalio/client';
import { Kysely } from 'kysely';
import { createDb, type Database } from '../infra/database';
import { config } from '../infra/config';
import { apiApp } from './app';
import { apiDepsOf } from './deps';
import { webUi } from './web-ui';

// Building the API plugin (OpenAPI, helmet, routes) takes seconds on a loaded machine.
jest.setTimeout(60_000);

/**
 * The headers only: no request here reaches Temporal or the database (no token → 401, the UI's
 * files from a temporary folder): the client is a placeholder and the pool never connects.
 */
describe('security headers (helmet) on the API and on the web UI', () => {
  let app: FastifyInstance;
  let root: string;
  let db: Kysely<Database>;
  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'tuopin-ui-'));
    writeFileSync(
      path.join(root, 'index.html'),
      '<!doctype html><html><head><script type="module" src="/assets/index.js"></script></head><body><div id="app"></div></body></html>',
    );
    app = Fastify({ logger: false });
    db = createDb(config().DATABASE_URL);
    await app.register(apiApp(apiDepsOf(config(), { client: {} as Client, db })));
    await app.register(webUi({ log: app.log, root }));
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await db?.destroy();
    rmSync(root, { recursive: true, force: true });
  });

  const expectHeaders = (h: Record<string, unknown>) => {
    const csp = String(h['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    // The UI's own requests stay on the origin it was loaded from (http on 127.0.0.1 included).
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(h['x-frame-options']).toBe('SAMEORIGIN');
    expect(h['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(h['referrer-policy']).toBe('no-referrer');
    expect(h['x-powered-by']).toBeUndefined();
  };

  it('an API answer, also a refusal, carries them', async () => {
    const r = await app.inject({ method: 'GET', url: '/projects' });
    expect(r.statusCode).toBe(401);
    expectHeaders(r.headers);
  });

  it('the web UI’s page carries them', async () => {
    const r = await app.inject({ method: 'GET', url: '/' });
    expect(r.statusCode).toBe(200);
    expectHeaders(r.headers);
  });

  it('the API documentation page carries them', async () => {
    const r = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(r.statusCode).toBe(200);
    expectHeaders(r.headers);
  });
});
