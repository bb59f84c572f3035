import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { Config } from '../../infra/config';
import { villageIdSchema } from '../../domain/village/ids';
import { NOTICE_DAYS } from '../../domain/policy/exit-thresholds';
import type { ExitRoundStepRequest } from '../../workflows/exit-round.messages';
import { exitRoundStatus, sendExitRoundStep, startExitRound } from '../../services/exit-rounds';
import { usageRefusal, parseFlags } from '../args';
import { actorFlags, actorFrom, nextLine, permit, printStatus, provedBy, startedLine, stepRequest } from './exit-actor';
import { asCliRefusal } from './service-refusal';

type Out = (line?: string) => void;
const roundFlags = { village: villageIdSchema, year: z.coerce.number().int().min(2016).max(2020) };

/** `tuopin exit round start|step|status`: one village's yearly round. */
export const runRound = async (verb: string | undefined, argv: string[], client: () => Promise<Client>, cfg: Config, out: Out): Promise<void> => {
  if (verb === 'start') {
    const f = parseFlags(
      argv,
      z
        .object({
          ...actorFlags,
          ...roundFlags,
          'notice-days': z.coerce.number().int().min(NOTICE_DAYS.householdExit.value).default(NOTICE_DAYS.householdExit.value),
          'request-id': z
            .string()
            .regex(/^[A-Za-z0-9._:-]{1,128}$/, { error: 'must be 1-128 of A-Z a-z 0-9 . _ : -' })
            .optional(),
        })
        .strict(),
    );
    const assessor = actorFrom(f);
    permit(assessor, 'exit-round.start', f.village.split('-')[1]!);
    const r = await startExitRound(
      await client(),
      cfg.TEMPORAL_EXIT_TASK_QUEUE,
      { villageId: f.village, year: f.year, assessor, ...(await provedBy(cfg, assessor)), noticeSeconds: f['notice-days'] * 86_400 },
      f['request-id'],
    ).catch(asCliRefusal);
    out(startedLine(r));
    return;
  }
  if (verb === 'step') {
    const f = parseFlags(
      argv,
      z
        .object({
          ...actorFlags,
          ...roundFlags,
          step: z.string().min(1),
          data: z.string().default('{}'),
          'request-id': z
            .string()
            .regex(/^[A-Za-z0-9._:-]{1,128}$/, { error: 'must be 1-128 of A-Z a-z 0-9 . _ : -' })
            .optional(),
        })
        .strict(),
    );
    const req = (await stepRequest(cfg, f)) as ExitRoundStepRequest;
    const r = await sendExitRoundStep(await client(), f.village, f.year, req, f['request-id']).catch(asCliRefusal);
    out(`${f.step}: ${r.accepted.length} household(s) accepted, ${r.refused.length} refused; the round is at ${r.phase} (${r.phaseZh})${nextLine(r.nextActor)}`);
    for (const x of r.refused) out(`  ${x.householdId}: [${x.code}] ${x.message}`);
    return;
  }
  if (verb === 'status') {
    const f = parseFlags(argv, z.object(roundFlags).strict());
    printStatus(out, { en: `exit round for ${f.village} in ${f.year}`, zh: ` ${f.village} ${f.year}年的退出批次` }, await exitRoundStatus(await client(), f.village, f.year));
    return;
  }
  throw usageRefusal('tuopin exit round');
};
