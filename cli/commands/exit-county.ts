import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { Config } from '../../infra/config';
import { countyNameSchema } from '../../domain/reference/counties';
import { NOTICE_DAYS } from '../../domain/policy/exit-thresholds';
import type { CountyExitStepRequest } from '../../workflows/county-exit.messages';
import { countyExitStatus, sendCountyExitStep, startCountyExit } from '../../services/county-exits';
import { usageRefusal, parseFlags } from '../args';
import { actorFlags, actorFrom, nextLine, permit, printStatus, provedBy, startedLine, stepRequest } from './exit-actor';
import { asCliRefusal } from './service-refusal';

type Out = (line?: string) => void;
/** --of names the county exiting; --county stays the acting person's own county. */
const exitFlags = { of: countyNameSchema, year: z.coerce.number().int().min(2016).max(2020) };
const requestId = {
  'request-id': z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,128}$/, { error: 'must be 1-128 of A-Z a-z 0-9 . _ : -' })
    .optional(),
};

/** `tuopin exit county start|step|status`: a county's exit (摘帽). */
export const runCounty = async (verb: string | undefined, argv: string[], client: () => Promise<Client>, cfg: Config, out: Out): Promise<void> => {
  if (verb === 'start') {
    const f = parseFlags(
      argv,
      z
        .object({
          ...actorFlags,
          ...exitFlags,
          ...requestId,
          'rural-population': z.coerce.number().int().min(1),
          'non-registered-households': z.coerce.number().int().min(1),
          'notice-days': z.coerce.number().int().min(NOTICE_DAYS.countyExit.value).default(NOTICE_DAYS.countyExit.value),
        })
        .strict(),
    );
    const applicant = actorFrom(f);
    permit(applicant, 'county-exit.apply', f.of);
    const r = await startCountyExit(
      await client(),
      cfg.TEMPORAL_EXIT_TASK_QUEUE,
      {
        countyId: f.of,
        year: f.year,
        ruralPopulation: f['rural-population'],
        nonRegisteredHouseholds: f['non-registered-households'],
        county: applicant,
        ...(await provedBy(cfg, applicant)),
        noticeSeconds: f['notice-days'] * 86_400,
      },
      f['request-id'],
    ).catch(asCliRefusal);
    out(startedLine(r));
    return;
  }
  if (verb === 'step') {
    const f = parseFlags(argv, z.object({ ...actorFlags, ...exitFlags, ...requestId, step: z.string().min(1), data: z.string().default('{}') }).strict());
    const req = (await stepRequest(cfg, f)) as CountyExitStepRequest;
    const s = await sendCountyExitStep(await client(), f.of, f.year, req, f['request-id']).catch(asCliRefusal);
    out(`${f.step}: the county exit is at ${s.phase} (${s.phaseZh})${s.blockedBy ? ` (${s.blockedBy.code}: ${s.blockedBy.en} ${s.blockedBy.zh})` : ''}${nextLine(s.nextActor)}`);
    return;
  }
  if (verb === 'status') {
    const f = parseFlags(argv, z.object(exitFlags).strict());
    printStatus(out, { en: `county exit for ${f.of} in ${f.year}`, zh: ` ${f.of} ${f.year}年的摘帽申请` }, await countyExitStatus(await client(), f.of, f.year));
    return;
  }
  throw usageRefusal('tuopin exit county');
};
