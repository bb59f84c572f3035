import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { Config } from '../../infra/config';
import { householdIdSchema } from '../../domain/household/ids';
import { NOTICE_DAYS } from '../../domain/policy/exit-thresholds';
import type { ReturnReviewStepRequest } from '../../workflows/return-review.messages';
import { returnReviewStatus, sendReturnReviewStep, startReturnReview } from '../../services/return-reviews';
import { usageRefusal, parseFlags } from '../args';
import { actorFlags, actorFrom, nextLine, permit, printStatus, startedLine, stepRequest } from './exit-actor';
import { asCliRefusal } from './service-refusal';

type Out = (line?: string) => void;
const reviewFlags = { household: householdIdSchema, year: z.coerce.number().int().min(2016).max(2030) };
const requestId = {
  'request-id': z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,128}$/, { error: 'must be 1-128 of A-Z a-z 0-9 . _ : -' })
    .optional(),
};

/** `tuopin exit review start|step|status`: a household's return-to-poverty review. */
export const runReview = async (verb: string | undefined, argv: string[], client: () => Promise<Client>, cfg: Config, out: Out): Promise<void> => {
  if (verb === 'start') {
    const f = parseFlags(
      argv,
      z
        .object({
          ...actorFlags,
          ...reviewFlags,
          ...requestId,
          'notice-days': z.coerce.number().int().min(NOTICE_DAYS.returnToPoverty.value).default(NOTICE_DAYS.returnToPoverty.value),
        })
        .strict(),
    );
    permit(actorFrom(f), 'return-review.start', f.household.split('-')[1]!);
    const r = await startReturnReview(
      await client(),
      cfg.TEMPORAL_EXIT_TASK_QUEUE,
      { householdId: f.household, year: f.year, noticeSeconds: f['notice-days'] * 86_400 },
      f['request-id'],
    ).catch(asCliRefusal);
    out(startedLine(r));
    return;
  }
  if (verb === 'step') {
    const f = parseFlags(argv, z.object({ ...actorFlags, ...reviewFlags, ...requestId, step: z.string().min(1), data: z.string().default('{}') }).strict());
    const req = (await stepRequest(cfg, f)) as ReturnReviewStepRequest;
    const s = await sendReturnReviewStep(await client(), f.household, f.year, req, f['request-id']).catch(asCliRefusal);
    out(`${f.step}: the review is at ${s.phase} (${s.phaseZh})${nextLine(s.nextActor)}`);
    return;
  }
  if (verb === 'status') {
    const f = parseFlags(argv, z.object(reviewFlags).strict());
    printStatus(
      out,
      { en: `return review for ${f.household} in ${f.year}`, zh: ` ${f.household} ${f.year}年的返贫核查` },
      await returnReviewStatus(await client(), f.household, f.year),
    );
    return;
  }
  throw usageRefusal('tuopin exit review');
};
