import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { benefitRoundIdSchema } from '../../domain/benefit/ids';
import { formatYuan } from '../../domain/shared/money';
import { publishedRoot, verifyReceipt } from '../../services/receipts';
import { noticeSvg, noticeText } from '../../services/receipt-notice';
import { ApiError } from '../errors';
import type { ApiDeps } from '../deps';
import { ERROR_RESPONSES } from '../schemas/common';

const bilingual = z.object({ zh: z.string(), en: z.string() });
const proofStep = z.object({ side: z.enum(['left', 'right']), hash: z.string() });
const digestSchema = z.union([
  z.object({ covered: z.literal(true), signedAt: z.string(), keyId: z.string(), streamVersion: z.number() }),
  z.object({ covered: z.literal(false), reason: z.string() }),
]);
const rootSchema = z.object({
  roundId: z.string(),
  programmeId: z.string(),
  programme: bilingual,
  period: z.string(),
  countyId: z.string(),
  root: z.string(),
  leafCount: z.number(),
  paidYuan: z.string(),
  algorithm: z.string(),
  publishedAt: z.string(),
  streamId: z.string(),
  streamVersion: z.number(),
  /** What the village notice prints under the list: one line to copy. */
  noticeText: z.string(),
  /** The notice's panel with the root as text and as a QR code (GET, image/svg+xml). */
  noticeSvg: z.string(),
});
const checkSchema = z.union([
  z.object({
    valid: z.literal(true),
    roundId: z.string(),
    householdId: z.string(),
    programmeId: z.string(),
    programme: bilingual,
    period: z.string(),
    amountYuan: z.string(),
    leaf: z.string(),
    proof: z.array(proofStep),
    root: z.string(),
    publishedAt: z.string(),
    algorithm: z.string(),
    digest: digestSchema,
  }),
  z.object({ valid: z.literal(false), reason: bilingual }),
]);

/**
 * Open routes (no token): a round's published Merkle root, as the village notice shows it, and the
 * check of one receipt code against it. A check answers only about the household whose code it is.
 */
export const receiptRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const published = async (roundId: string) => {
      const r = await publishedRoot(deps.db, roundId);
      if (!r) throw new ApiError(404, 'RECEIPTS_NOT_PUBLISHED', '该批次尚未办结或没有公示的发放名单根', 'no published root for this round (unknown, or not closed yet)');
      return r;
    };

    app.get(
      '/benefit-rounds/:roundId/receipts',
      {
        schema: {
          tags: ['benefits'],
          summary: "A closed round's published Merkle root of its paid list (公示 with the village notice); open to anyone",
          security: [],
          params: z.object({ roundId: benefitRoundIdSchema }).strict(),
          response: { 200: rootSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const r = await published(request.params.roundId);
        const { paidFen, ...rest } = r;
        return { ...rest, paidYuan: formatYuan(paidFen), noticeText: noticeText(r), noticeSvg: `/benefit-rounds/${r.roundId}/notice.svg` };
      },
    );

    app.get(
      '/benefit-rounds/:roundId/notice.svg',
      {
        schema: {
          tags: ['benefits'],
          summary: "The village notice's panel for a closed round (image/svg+xml): the published Merkle root as text and as a QR code; open to anyone",
          security: [],
          params: z.object({ roundId: benefitRoundIdSchema }).strict(),
          response: { 200: z.string(), ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const r = await published(request.params.roundId);
        return reply.type('image/svg+xml; charset=utf-8').header('cache-control', 'public, max-age=300').send(noticeSvg(r));
      },
    );

    app.get(
      '/receipts/:code',
      {
        schema: {
          tags: ['benefits'],
          summary:
            "Checks a household's receipt code: its payment is in the round's published list and the root is covered by the signed store digest; open to anyone, shows no other household",
          security: [],
          params: z.object({ code: z.string().max(200) }).strict(),
          response: { 200: checkSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const c = await verifyReceipt(deps.db, request.params.code, deps.receiptDigest);
        if (!c.valid) return c;
        const { amountFen, proof, ...rest } = c;
        return { ...rest, proof: [...proof], amountYuan: formatYuan(amountFen) };
      },
    );
  };
