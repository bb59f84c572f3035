import { z } from 'zod';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Config } from '../../infra/config';
import { villageIdSchema } from '../../domain/village/ids';
import { isDomainError } from '../../domain/shared/errors';
import { NOTICE_DAYS } from '../../domain/policy/exit-thresholds';
import { exitRoundStatusQuery, exitRoundStepUpdate, exitRoundWorkflowId, type ExitRoundStepRequest } from '../../workflows/exit-round.messages';
import { CliError, parseFlags } from '../args';
import { actorFlags, actorFrom, jsonArg } from './exit-actor';

type Out = (line?: string) => void;
const roundFlags = { village: villageIdSchema, year: z.coerce.number().int().min(2016).max(2020) };

/** `tuopin exit round start|step|status`: one village's yearly round. */
export const runRound = async (verb: string | undefined, argv: string[], client: Client, cfg: Config, out: Out): Promise<void> => {
  if (verb === 'start') {
    const f = parseFlags(argv, z.object({ ...actorFlags, ...roundFlags, 'notice-days': z.coerce.number().int().min(NOTICE_DAYS.householdExit.value).default(NOTICE_DAYS.householdExit.value) }).strict());
    const assessor = actorFrom(f);
    const countyId = f.village.split('-')[1] as never;
    const workflowId = exitRoundWorkflowId(f.village, f.year);
    const h = await client.workflow.start('exitRound', {
      taskQueue: cfg.TEMPORAL_EXIT_TASK_QUEUE,
      workflowId,
      args: [{ villageId: f.village, countyId, year: f.year, assessor, noticeSeconds: f['notice-days'] * 86_400, correlationId: workflowId }],
    });
    out(`started ${workflowId} (run ${h.firstExecutionRunId})`);
    return;
  }
  if (verb === 'step') {
    const f = parseFlags(argv, z.object({ ...actorFlags, ...roundFlags, step: z.string().min(1), data: z.string().default('{}') }).strict());
    const req = { ...(await jsonArg('data', f.data) as object), type: f.step, actor: actorFrom(f) } as ExitRoundStepRequest;
    try {
      const r = await client.workflow.getHandle(exitRoundWorkflowId(f.village, f.year)).executeUpdate(exitRoundStepUpdate, { args: [req] });
      out(`${f.step}: ${r.accepted.length} household(s) accepted, ${r.refused.length} refused; the round is at ${r.phase}`);
      for (const x of r.refused) out(`  ${x.householdId}: [${x.code}] ${x.message}`);
    } catch (e) {
      if (e instanceof WorkflowUpdateFailedError && e.cause instanceof ApplicationFailure) {
        const d = e.cause.details?.[0];
        throw new CliError(isDomainError(d) ? d.code : (e.cause.type ?? 'STEP_FAILED'), isDomainError(d) ? `${d.en}\n${d.zh}` : e.cause.message);
      }
      throw e;
    }
    return;
  }
  if (verb === 'status') {
    const f = parseFlags(argv, z.object(roundFlags).strict());
    out(JSON.stringify(await client.workflow.getHandle(exitRoundWorkflowId(f.village, f.year)).query(exitRoundStatusQuery), null, 2));
    return;
  }
  throw new CliError('CLI_USAGE', 'usage: tuopin exit round start|step|status --village <id> --year <yyyy> …');
};
