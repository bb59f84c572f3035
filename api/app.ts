import type { FastifyError, FastifyInstance, FastifyPluginAsync } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { hasZodFastifySchemaValidationErrors, jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { ApiError, invalidInput, toApiError } from './errors';
import { TokenError } from '../infra/tokens/tokens';
import { guardWithBearerToken } from './plugins/auth';
import { revokedIn } from '../infra/tokens/revoked-tokens';
import { guardIdempotencyKeys } from './plugins/idempotency';
import { limitPerUser } from './plugins/rate-limit';
import { securityHeaders } from './security-headers';
import { isAccessRefusal, noteAccessRefusal } from '../services/access-refusals';
import type { ApiDeps } from './deps';
import { projectRoutes } from './routes/projects';
import { fundRoutes } from './routes/funds';
import { auditRoutes } from './routes/audit';
import { exitRoutes } from './routes/exits';
import { registryRoutes } from './routes/registry';
import { identificationRoutes } from './routes/identification';
import { ledgerRoutes } from './routes/ledger';
import { standardsRoutes } from './routes/standards';
import { signInRoutes } from './routes/sign-in';
import { receiptRoutes } from './routes/receipts';
import { planProgressRoutes } from './routes/plan-progress';
import { complaintRoutes, publicComplaintRoutes } from './routes/complaints';
import { deskRoutes } from './routes/desk';
import { benefitRoutes } from './routes/benefits';
import { operationsRoutes } from './routes/operations';
import { httpRequests, httpSeconds } from '../infra/metrics';
import type { Span } from '@opentelemetry/api';
import { serverSpan, tracing } from '../infra/tracing';
// Registers each request body's example on its schema, for the OpenAPI document (before any route is built).
import './schemas/examples';

/** The id a client gives to make a command safe to repeat, echoed in the logs. */
const requestIdOf = (headers: Record<string, unknown>, body: unknown): string | undefined => {
  const h = headers['idempotency-key'];
  if (typeof h === 'string') return h;
  const b = body as { requestId?: unknown } | null | undefined;
  return typeof b?.requestId === 'string' ? b.requestId : undefined;
};

/** Fastify's own refusals of a request's shape, in Chinese. */
const FASTIFY_ZH: Readonly<Record<string, string>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: '请求内容（body）不是有效的 JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: '请求内容（body）为空：Content-Type 为 application/json 时须有内容',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: '不支持的内容类型（Content-Type）：请用 application/json（导入文件可用 text/csv）',
  FST_ERR_CTP_BODY_TOO_LARGE: '请求内容（body）过大',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: '请求头 Content-Length 与内容长度不符',
};

/** The code a request was refused with, for its log line. */
const refusals = new WeakMap<object, string>();

const errorHandler = (app: FastifyInstance) =>
  app.setErrorHandler((thrown: FastifyError | ApiError | TokenError, request, reply) => {
    const error = toApiError(thrown) as FastifyError | ApiError | TokenError;
    refusals.set(request, hasZodFastifySchemaValidationErrors(error) ? 'INVALID_INPUT' : ((error as { code?: string }).code ?? 'INTERNAL'));
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? 'request';
      const issues = error.validation.map((v) => ({
        code: v.keyword,
        path: String(v.instancePath).split('/').filter(Boolean),
        message: v.message ?? 'is invalid',
        params: v.params as Record<string, unknown>,
      }));
      const e = invalidInput(where, issues);
      return reply.code(400).send(e.body());
    }
    if (error instanceof TokenError) {
      return reply.code(401).header('www-authenticate', 'Bearer').send({ code: error.code, en: error.message, zh: '身份凭证无效或已过期，请重新申请令牌（tuopin token issue）' });
    }
    if (error instanceof ApiError) {
      // An access refusal is logged and counted, never stored (services/access-refusals.ts).
      const actor = request.actor as typeof request.actor | undefined;
      if (actor && isAccessRefusal(error.code)) noteAccessRefusal(actor, error.code, { method: request.method, route: request.routeOptions.url });
      return reply.code(error.statusCode).send(error.body());
    }
    const status = (error as FastifyError).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      // Fastify's own 4xx (bad JSON, wrong content type, body too large): the message is safe to pass on.
      const code = (error as FastifyError).code ?? 'BAD_REQUEST';
      return reply
        .code(status)
        .send({ code, en: error.message, zh: FASTIFY_ZH[code] ?? (error instanceof SyntaxError ? FASTIFY_ZH.FST_ERR_CTP_INVALID_JSON_BODY! : '请求无法处理') });
    }
    // Anything else is ours to fix: logged in full, answered without internals.
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send({ code: 'INTERNAL', en: 'internal error', zh: '内部错误' });
  });

/**
 * The HTTP API as a plugin: server.ts registers it on a real listener, tests on `inject`.
 * The documentation (/docs) is open; every other route needs a bearer token.
 */
export const apiApp =
  (deps: ApiDeps): FastifyPluginAsync =>
  async (app) => {
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    errorHandler(app);
    await securityHeaders(app);
    app.setNotFoundHandler((request, reply) => reply.code(404).send({ code: 'NOT_FOUND', en: `no route ${request.method} ${request.url}`, zh: '接口不存在' }));

    await app.register(swagger, {
      openapi: {
        info: { title: 'tuopin', description: 'Projects, funds and audit trails of the poverty-alleviation programme', version: '1' },
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
        security: [{ bearer: [] }],
      },
      transform: jsonSchemaTransform,
    });
    await app.register(swaggerUi, { routePrefix: '/docs' });

    // With tracing on, each request is a server span, active while it is handled: an Update it sends carries it to the workflow.
    const spans = new WeakMap<object, Span>();
    if (tracing())
      app.addHook('onRequest', (request, _reply, done) => {
        const route = request.routeOptions.url ?? 'unmatched';
        const s = serverSpan(`${request.method} ${route}`, { 'http.request.method': request.method, 'http.route': route });
        spans.set(request, s.span);
        s.run(done);
      });

    // One line per request with who, as what, under which request id, and how it ended; counted by route pattern.
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      spans.get(request)?.setAttribute('http.response.status_code', reply.statusCode).end();
      httpRequests.inc({ route, method: request.method, status: String(reply.statusCode) });
      httpSeconds.observe({ route, method: request.method }, reply.elapsedTime / 1000);
      const actor = request.actor as typeof request.actor | undefined;
      request.log.info(
        {
          user: actor?.userId,
          role: actor?.role,
          requestId: requestIdOf(request.headers, request.body),
          status: reply.statusCode,
          outcome: refusals.get(request) ?? 'ok',
          ms: Math.round(reply.elapsedTime),
        },
        'request done',
      );
    });

    await app.register(operationsRoutes(deps));
    await app.register(signInRoutes(deps));
    await app.register(receiptRoutes(deps));
    await app.register(publicComplaintRoutes(deps));
    await app.register(async (v1) => {
      guardWithBearerToken(v1, deps.tokenKeys, revokedIn(deps.db));
      await limitPerUser(v1, deps.rateLimitPerMinute);
      guardIdempotencyKeys(v1, deps.db);
      await v1.register(projectRoutes(deps));
      await v1.register(fundRoutes(deps));
      await v1.register(auditRoutes(deps));
      await v1.register(exitRoutes(deps));
      await v1.register(registryRoutes(deps));
      await v1.register(identificationRoutes(deps));
      await v1.register(ledgerRoutes(deps));
      await v1.register(standardsRoutes(deps));
      await v1.register(deskRoutes(deps));
      await v1.register(benefitRoutes(deps));
      await v1.register(planProgressRoutes(deps));
      await v1.register(complaintRoutes(deps));
    });
  };
