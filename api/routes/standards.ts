import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { listStandards } from '../../services/standards';
import type { ApiDeps } from '../deps';
import { ERROR_RESPONSES } from '../schemas/common';
import { precheck } from '../route-kit';

const bilingual = z.object({ zh: z.string(), en: z.string() });
const standardsSchema = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(['project-subsidy', 'per-person']),
      category: z.string().nullable(),
      zh: z.string(),
      en: z.string(),
      unit: bilingual,
      quantity: bilingual.nullable(),
      rateFen: z.number().int().nullable(),
      rateBp: z.number().int().nullable(),
      previousRateFen: z.number().int().nullable(),
      floor: z.boolean(),
      fullSubsidyItems: z.array(z.string()),
      source: z.string(),
    }),
  ),
  fullSubsidyItems: z.array(z.object({ id: z.string(), zh: z.string(), en: z.string(), covers: z.array(z.string()), source: z.string() })),
});

export const standardsRoutes =
  (_deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/standards',
      {
        schema: {
          tags: ['projects'],
          summary:
            'The subsidy standards (the province’s share per km, m² or station; the four 省级全额补助 items) and the per-person yearly standards, each with its unit and source',
          response: { 200: standardsSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        precheck(request.actor, 'read', undefined);
        return listStandards();
      },
    );
  };
