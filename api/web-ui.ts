import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FastifyBaseLogger, FastifyPluginAsync } from 'fastify';
import fastifyStatic from '@fastify/static';
import { securityHeaders } from './security-headers';

/** Where `npm run ui:build` (ui/build.ts) writes the bundle. */
export const UI_DIST = path.join(__dirname, '..', 'ui', 'dist');

/**
 * The web UI, served at / by the API's own process. Its pages route by hash (/#/projects), so no
 * page path ever shadows an API route (GET /projects is the API's). Hashed assets are cached for a
 * year; index.html is revalidated, so a new build is seen at once. The build writes .gz and .br
 * beside each asset and the one a browser accepts is sent.
 */
export const webUi =
  (opts: { readonly log: FastifyBaseLogger; readonly root?: string }): FastifyPluginAsync =>
  async (app) => {
    const root = opts.root ?? UI_DIST;
    await securityHeaders(app);
    if (!existsSync(path.join(root, 'index.html'))) {
      opts.log.warn({ root }, 'the web UI is not built (npm run ui:build): / answers 503');
      app.get('/', { schema: { hide: true } }, async (_request, reply) =>
        reply.code(503).type('text/plain; charset=utf-8').send('界面尚未构建：请运行 npm run ui:build\nthe web UI is not built: run npm run ui:build\n'),
      );
      return;
    }
    await app.register(fastifyStatic, {
      root,
      prefix: '/',
      wildcard: false,
      preCompressed: true,
      schemaHide: true,
      setHeaders: (res, file) => {
        res.header('x-content-type-options', 'nosniff');
        if (file.includes(`${path.sep}assets${path.sep}`)) res.header('cache-control', 'public, max-age=31536000, immutable');
        else res.header('cache-control', 'no-cache');
      },
    });
  };
