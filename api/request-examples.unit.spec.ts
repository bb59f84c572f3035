import Fastify from 'fastify';
import { z } from 'zod';
import { apiApp } from './app';
import type { ApiDeps } from './deps';
import { createDb } from '../infra/database';

/** Every POST route's body schema, as the app registers it, and the OpenAPI document it serves (as ui/gen-types.ts reads it). */
const built = async (): Promise<{ found: { route: string; body: z.ZodType }[]; doc: unknown }> => {
  const app = Fastify({ logger: false });
  const found: { route: string; body: z.ZodType }[] = [];
  app.addHook('onRoute', (r) => {
    const body = (r.schema as { body?: z.ZodType } | undefined)?.body;
    if (body && r.method === 'POST') found.push({ route: `POST ${r.url}`, body });
  });
  const db = createDb('postgres://unused@127.0.0.1:1/unused');
  await app.register(apiApp({ jwtSecret: 'x'.repeat(32), db } as unknown as ApiDeps));
  await app.ready();
  const doc: unknown = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
  await app.close();
  await db.destroy();
  return { found, doc };
};

describe('OpenAPI request examples: every request body has one, and its own schema takes it', () => {
  it('each POST body carries an example that parses, amounts written as 元/万元 text', async () => {
    const all = (await built()).found;
    expect(all.length).toBeGreaterThan(25);
    const problems = all.flatMap(({ route, body }) => {
      const example = z.globalRegistry.get(body)?.example;
      if (example === undefined) return [`${route}: no example`];
      const r = body.safeParse(example);
      const options = (body as unknown as { options?: z.ZodType[] }).options ?? [];
      const variants = options.flatMap((o) => {
        const e = z.globalRegistry.get(o)?.example;
        return e === undefined || o.safeParse(e).success ? [] : [`${route} (${JSON.stringify(e).slice(0, 60)}): ${o.safeParse(e).error?.message}`];
      });
      return [...(r.success ? [] : [`${route}: ${r.error.message}`]), ...variants];
    });
    expect(problems).toEqual([]);
  });

  it('the OpenAPI document shows them, and each project step’s own', async () => {
    const doc = (await built()).doc as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: { example?: unknown; anyOf?: { example?: unknown }[]; oneOf?: { example?: unknown }[] } }> } }>
      >;
    };
    const missing = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).flatMap(([method, op]) => Object.values(op.requestBody?.content ?? {}).flatMap((c) => (c.schema.example === undefined ? [`${method} ${path}`] : []))),
    );
    expect(missing).toEqual([]);
    const steps = doc.paths['/projects/{id}/steps']!.post!.requestBody!.content['application/json']!.schema;
    const variants = steps.oneOf ?? steps.anyOf ?? [];
    expect(variants.length).toBeGreaterThan(15);
    expect(variants.every((v) => v.example !== undefined)).toBe(true);
    expect(doc.paths['/projects/{id}/funding']!.post!.requestBody!.content['application/json']!.schema.example).toEqual({ fundId: 'fund-song-2016-central-01', amount: '63万' });
  });
});
