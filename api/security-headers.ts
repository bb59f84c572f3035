import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * Security headers on every answer, the API's and the web UI's (`@fastify/helmet`). The content
 * policy is what the built UI needs and no more: its scripts and styles come from this origin
 * (Vite emits module scripts, no inline ones); Element Plus and ECharts set inline `style`
 * attributes, hence 'unsafe-inline' for styles only; charts and exports use data: and blob: URLs.
 * No framing (clickjacking), no plugins, no form posts elsewhere. `upgrade-insecure-requests` is
 * left out: TLS is the reverse proxy's, and on 127.0.0.1 it would send the UI's own requests to https.
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  workerSrc: ["'self'", 'blob:'],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  upgradeInsecureRequests: null,
};

/** Called by the API plugin and by the web UI plugin: helmet's hooks hold for the context it is registered in and its children. */
export const securityHeaders = async (app: FastifyInstance): Promise<void> => {
  await app.register(helmet, { contentSecurityPolicy: { useDefaults: true, directives: CONTENT_SECURITY_POLICY } });
};
