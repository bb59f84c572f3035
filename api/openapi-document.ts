import Fastify from 'fastify';
import { createDb } from '../infra/database';
import { apiApp } from './app';
import type { ApiDeps } from './deps';

export interface OpenApiDocument {
  readonly paths: Readonly<Record<string, Readonly<Record<string, { readonly summary?: string }>>>>;
}

/** The API's OpenAPI document (what GET /docs/json serves), from the app itself: no service is contacted. */
export const openApiDocument = async (): Promise<OpenApiDocument> => {
  const app = Fastify({ logger: false });
  // Routes only capture their dependencies; building the document calls none of them (the pool never connects).
  const db = createDb('postgres://unused@127.0.0.1:1/unused');
  await app.register(apiApp({ jwtSecret: 'x'.repeat(32), db } as unknown as ApiDeps));
  await app.ready();
  const r = await app.inject({ method: 'GET', url: '/docs/json' });
  await app.close();
  await db.destroy();
  if (r.statusCode !== 200) throw new Error(`GET /docs/json answered ${r.statusCode}`);
  return r.json();
};

/** Every route of the document as `METHOD /path/:param`, in the document's order. */
export const routesOf = (doc: OpenApiDocument): string[] =>
  Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`));
