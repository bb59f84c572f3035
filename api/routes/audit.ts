import { Readable } from 'node:stream';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { CountyId } from '../../domain/reference/counties';
import { planTrail, trailCsv, trailJson } from '../../services/audit-trail';
import type { ApiDeps } from '../deps';
import { notFound } from '../errors';
import { ERROR_RESPONSES } from '../schemas/common';
import { auditEntrySchema, auditParamsSchema, auditQuerySchema, ledgerParamsSchema, ledgerQuerySchema, ledgerSchema } from '../schemas/audit';
import { auditLedger, ledgerCsv } from '../../services/audit-ledger';
import { ledgerXlsx } from '../../services/audit-ledger-xlsx';
import { withYuan } from '../../domain/shared/money';
import { precheck } from '../route-kit';

/**
 * A body sent as it is produced. Fastify pipes a stream as it is, past the response schema's
 * serializer; the schema still describes what arrives (the JSON object, or the CSV text).
 */
const streamed = (chunks: AsyncIterable<string | Buffer>): string => Readable.from(chunks) as unknown as string;

export const auditRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/audit/:kind/:id',
      {
        schema: {
          tags: ['audit'],
          summary:
            'Every event touching a fund, project, household or payment, in commit order, with hash-chain proofs (JSON or CSV), in pages of at most `limit` entries (next page: after=<next>; CSV: the x-next-page header)',
          params: auditParamsSchema,
          querystring: auditQuerySchema,
          response: {
            200: z.union([z.object({ kind: z.string(), id: z.string(), verified: z.boolean(), entries: z.array(auditEntrySchema), next: z.string().nullable() }), z.string()]),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request, reply) => {
        const { kind, id } = request.params;
        // Every id kind names its county (<prefix>-<county>-…; a payment's, its project's): scope is refused before anything is read.
        precheck(request.actor, 'read', id.split('-')[1] as CountyId);
        const { limit, after } = request.query;
        const plan = await planTrail(deps.db, kind, id, { limit, after }, request.query.format);
        if (plan.count === 0 && after === undefined) throw notFound(kind, id);
        // Streamed a chunk at a time (services/audit-trail.ts): a fund's trail runs to tens of
        // thousands of entries, rendered by PostgreSQL and never held whole here.
        if (request.query.format === 'csv') {
          if (plan.next !== null) reply.header('x-next-page', plan.next);
          return reply
            .type('text/csv; charset=utf-8')
            .header('content-disposition', `attachment; filename="audit-${kind}-${id}.csv"`)
            .send(streamed(trailCsv(plan)));
        }
        return reply.type('application/json; charset=utf-8').send(streamed(trailJson(kind, id, plan)));
      },
    );

    app.get(
      '/audit/:kind/:id/ledger',
      {
        schema: {
          tags: ['audit'],
          summary:
            "The auditor's ledger of a fund or project: one row per money movement (下达, 安排, 收回安排, 拨付, 收回) in trail order with zh headers, refusals apart, totals checked against the fund's books (JSON, CSV with BOM, or xlsx)",
          params: ledgerParamsSchema,
          querystring: ledgerQuerySchema,
          response: { 200: z.union([ledgerSchema, z.string(), z.instanceof(Buffer)]), ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const { kind, id } = request.params;
        precheck(request.actor, 'read', id.split('-')[1] as CountyId);
        const ledger = await auditLedger(deps.db, kind, id);
        if (!ledger) throw notFound(kind, id);
        const file = `ledger-${kind}-${id}`;
        if (request.query.format === 'csv') {
          return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${file}.csv"`).send(ledgerCsv(ledger));
        }
        if (request.query.format === 'xlsx') {
          return reply
            .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
            .header('content-disposition', `attachment; filename="${file}.xlsx"`)
            .send(await ledgerXlsx(ledger));
        }
        return reply.type('application/json; charset=utf-8').send(JSON.stringify(withYuan(ledger)));
      },
    );
  };
