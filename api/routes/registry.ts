import { z } from 'zod';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { COUNTY_IDS, type CountyId } from '../../domain/reference/counties';
import { countiesOfFile, householdView, importRegistryFile, recordYearlyRecords, registerOneHousehold } from '../../services/registry';
import { registerPoorVillage } from '../../services/village-exits';
import { countyOf, noticeSeconds } from '../../services/exit-workflows';
import { ApiError, invalidInput, notFound } from '../errors';
import { eraseIdNumbers, IdNumbersError, readIdNumbers } from '../../infra/personal-data/id-numbers';
import type { ApiDeps } from '../deps';
import { ERROR_RESPONSES, idempotencyHeadersSchema } from '../schemas/common';
import {
  householdBodySchema,
  householdParamsSchema,
  householdViewSchema,
  importBodySchema,
  importQuerySchema,
  importResultSchema,
  recordsBodySchema,
  registerVillageBodySchema,
} from '../schemas/registry';
import { precheck, requestIdOf } from '../route-kit';

const resultOf = (r: { importId: string; households: number; members: number; duplicate: boolean; positions: { first: number; last: number } | null }) => ({
  importId: r.importId,
  households: r.households,
  members: r.members,
  repeated: r.duplicate,
  positions: r.positions,
});

const MAX_FILE_BYTES = 32 * 1024 * 1024;

export const registryRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const cfg = { salt: deps.memberKeySalt, exitQueue: deps.exitTaskQueue, idKey: deps.idNumbersKey };
    const idNumbersRefused = (e: unknown): Promise<never> => {
      if (!(e instanceof IdNumbersError)) return Promise.reject(e);
      if (e.domain) return Promise.reject(new ApiError(e.code === 'ID_NUMBERS_NOT_PERMITTED' ? 403 : 422, e.code, e.domain.zh, e.domain.en));
      return Promise.reject(
        e.code === 'ID_NUMBERS_ERASED' ? new ApiError(409, e.code, '该户身份证号码已删除或未单独保存', e.message) : new ApiError(404, e.code, '该户未建档立卡', e.message),
      );
    };
    const reasonSchema = z.string().trim().min(4, { error: 'state the reason (at least 4 characters)' }).max(500);
    const imported = { 201: importResultSchema, 200: importResultSchema, ...ERROR_RESPONSES };

    app.post(
      '/registry/households',
      {
        schema: {
          tags: ['registry'],
          summary: 'Register one household (建档立卡) through the same checks as a file row',
          headers: idempotencyHeadersSchema,
          body: householdBodySchema,
          response: imported,
        },
      },
      async (request, reply) => {
        const { requestId: bodyRequestId, ...data } = request.body;
        requestIdOf(request.headers['idempotency-key'], bodyRequestId);
        precheck(request.actor, 'household.register', data.countyId);
        const r = await registerOneHousehold(deps.db, data, {
          actor: request.actor,
          salt: cfg.salt,
          idKey: cfg.idKey,
          ...(request.actor.countyId ? { countyId: request.actor.countyId } : {}),
        });
        return reply.code(r.duplicate ? 200 : 201).send(resultOf(r));
      },
    );

    // The file is taken as the text it is, so a refusal names the client's own line numbers.
    await app.register(async (raw) => {
      raw.removeContentTypeParser('application/json');
      raw.addContentTypeParser(['application/json', 'text/csv'], { parseAs: 'string', bodyLimit: MAX_FILE_BYTES }, (_req, body, done) => done(null, body));
      raw.withTypeProvider<ZodTypeProvider>().post(
        '/registry/imports',
        {
          bodyLimit: MAX_FILE_BYTES,
          schema: {
            tags: ['registry'],
            summary: "Import a village's or county's registry file (text/csv or application/json): all rows or none, every bad row named by line and field",
            headers: idempotencyHeadersSchema,
            querystring: importQuerySchema,
            body: importBodySchema,
            response: imported,
          },
        },
        async (request, reply) => {
          precheck(request.actor, 'household.register', request.actor.countyId);
          const ext = String(request.headers['content-type'] ?? '').startsWith('text/csv') ? 'csv' : 'json';
          const name = request.query.name ?? `upload.${ext}`;
          if (!name.endsWith(`.${ext}`))
            throw invalidInput('querystring', [
              { code: 'custom', path: ['name'], message: `must end in .${ext} for this content type`, params: { zh: `文件名须以 .${ext} 结尾，与内容类型一致` } },
            ]);
          // Rows of another county are the caller's scope, refused as such (403) before anything is written.
          const counties = await Promise.resolve().then(() => countiesOfFile(name, request.body));
          for (const county of counties) if (COUNTY_IDS.includes(county as CountyId)) precheck(request.actor, 'household.register', county as CountyId);
          const r = await importRegistryFile(deps.db, {
            name,
            text: request.body,
            actor: request.actor,
            salt: cfg.salt,
            idKey: cfg.idKey,
            ...(request.actor.countyId ? { countyId: request.actor.countyId } : {}),
          });
          return reply.code(r.duplicate ? 200 : 201).send(resultOf(r));
        },
      );
    });

    app.get(
      '/households/:id',
      {
        schema: {
          tags: ['registry'],
          summary: "A household's status and file now (member count, never ID numbers)",
          params: householdParamsSchema,
          response: { 200: householdViewSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { id } = request.params;
        precheck(request.actor, 'read', countyOf(id) as CountyId);
        const v = await householdView(deps.db, id);
        if (!v) throw notFound('household', id);
        return { ...v };
      },
    );

    app.get(
      '/households/:id/id-numbers',
      {
        schema: {
          tags: ['registry'],
          summary:
            "The members' clear ID numbers, for the household's county official or work team, with a stated reason; every read is recorded (IdNumbersRead) before anything is decrypted",
          params: householdParamsSchema,
          querystring: z.object({ reason: reasonSchema }).strict(),
          response: { 200: z.object({ householdId: z.string(), members: z.array(z.object({ memberKey: z.string(), idNumber: z.string() })) }), ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const r = await readIdNumbers(deps.db, cfg.idKey, request.params.id, request.query.reason, { actor: request.actor, now: new Date().toISOString() }).catch(idNumbersRefused);
        return { householdId: r.householdId, members: [...r.members] };
      },
    );

    app.post(
      '/households/:id/id-numbers/erase',
      {
        schema: {
          tags: ['registry'],
          summary:
            "Erases the members' clear ID numbers for good (their data key destroyed; the events, which hold masked numbers only, and the chain unchanged); county official of the household's county",
          params: householdParamsSchema,
          body: z
            .object({ reason: reasonSchema })
            .strict()
            .meta({ example: { reason: '户主申请更正身份证号，原号码作废' } }),
          response: { 200: z.object({ householdId: z.string(), erased: z.number().int() }), ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const r = await eraseIdNumbers(deps.db, request.params.id, request.body.reason, { actor: request.actor, now: new Date().toISOString() }).catch(idNumbersRefused);
        return { householdId: request.params.id, erased: r.erased };
      },
    );

    app.post(
      '/exits/records',
      {
        schema: {
          tags: ['registry'],
          summary: "The year's income and 两不愁三保障 per household; a household the monitoring flags gets its return review started",
          headers: idempotencyHeadersSchema,
          body: recordsBodySchema,
          response: {
            200: z.object({
              recorded: z.number().int(),
              refused: z.array(z.object({ householdId: z.string(), code: z.string(), message: z.string() })),
              flagged: z.array(z.string()),
              reviews: z.array(z.object({ householdId: z.string(), year: z.number().int(), workflowId: z.string(), runId: z.string(), repeated: z.boolean() })),
            }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request) => {
        const b = request.body;
        requestIdOf(request.headers['idempotency-key'], b.requestId);
        for (const county of new Set(b.records.map((r) => countyOf(r.householdId)))) precheck(request.actor, 'household.record-yearly', county as CountyId);
        const r = await recordYearlyRecords(deps.db, async () => deps.client, {
          records: b.records,
          actor: request.actor,
          exitTaskQueue: cfg.exitQueue,
          noticeSeconds: noticeSeconds(b.noticeDays, deps.noticeDaySeconds),
        });
        return { recorded: r.recorded, refused: [...r.refused], flagged: [...r.flagged], reviews: [...r.reviews] };
      },
    );

    app.post(
      '/registry/villages',
      {
        schema: {
          tags: ['registry'],
          summary: 'Register a poor village (贫困村建档): a village exit starts only for a registered village',
          headers: idempotencyHeadersSchema,
          body: registerVillageBodySchema,
          response: {
            201: z.object({ villageId: z.string(), position: z.number().int(), repeated: z.boolean() }),
            200: z.object({ villageId: z.string(), position: z.number().int(), repeated: z.boolean() }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request, reply) => {
        const { requestId: bodyRequestId, villageId, registeredYear } = request.body;
        requestIdOf(request.headers['idempotency-key'], bodyRequestId);
        const countyId = countyOf(villageId) as CountyId;
        precheck(request.actor, 'village.register', countyId);
        const r = await registerPoorVillage(deps.db, {
          type: 'RegisterPoorVillage',
          data: { villageId, countyId, registeredYear },
          meta: { actor: request.actor, now: new Date().toISOString() },
        });
        return reply.code(r.repeated ? 200 : 201).send(r);
      },
    );
  };
