import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Config } from '../../infra/config';
import type { Database } from '../../infra/database';
import { villageIdSchema } from '../../domain/village/ids';
import { NOTICE_DAYS } from '../../domain/policy/exit-thresholds';
import type { VillageExitInput, VillageExitStepRequest } from '../../workflows/village-exit.messages';
import { registerPoorVillage, sendVillageExitStep, startVillageExit, villageExitStatus } from '../../services/village-exits';
import { usageRefusal, parseFlags, valueRefusal, ruleRefusal } from '../args';
import { actorFlags, actorFrom, jsonArg, nextLine, permit, printStatus, provedBy, startedLine, stepRequest } from './exit-actor';
import { asCliRefusal } from './service-refusal';

type Out = (line?: string) => void;
const villageFlags = { village: villageIdSchema, year: z.coerce.number().int().min(2016).max(2020) };
const requestId = {
  'request-id': z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,128}$/, { error: 'must be 1-128 of A-Z a-z 0-9 . _ : -' })
    .optional(),
};

/** `tuopin exit village register|start|step|status`: a poor village's registration and its exit. */
export const runVillage = async (verb: string | undefined, argv: string[], db: Kysely<Database>, client: () => Promise<Client>, cfg: Config, out: Out): Promise<void> => {
  if (verb === 'register') {
    const f = parseFlags(argv, z.object({ ...actorFlags, village: villageIdSchema, 'registered-year': z.coerce.number().int().min(2014).max(2020).default(2015) }).strict());
    const actor = actorFrom(f);
    permit(actor, 'village.register', f.village.split('-')[1]!);
    const countyId = f.village.split('-')[1] as never;
    const r = await registerPoorVillage(db, {
      type: 'RegisterPoorVillage',
      data: { villageId: f.village, countyId, registeredYear: f['registered-year'] },
      meta: { actor, now: new Date().toISOString() },
    }).catch(asCliRefusal);
    out(`${r.repeated ? 'already registered' : 'registered'} ${r.villageId} at store position ${r.position} ${r.repeated ? '此前已登记' : '已登记贫困村'}`);
    return;
  }
  if (verb === 'start') {
    const f = parseFlags(
      argv,
      z
        .object({
          ...actorFlags,
          ...villageFlags,
          ...requestId,
          'rural-population': z.coerce.number().int().min(1),
          checklist: z.string().min(1),
          'notice-days': z.coerce.number().int().min(NOTICE_DAYS.villageExit.value).default(NOTICE_DAYS.villageExit.value),
        })
        .strict(),
    );
    const township = actorFrom(f);
    permit(township, 'village-exit.apply', f.village.split('-')[1]!);
    const checklist = (await jsonArg('checklist', f.checklist)) as VillageExitInput['checklist'];
    if (!Array.isArray(checklist)) throw valueRefusal('checklist', 'must be a JSON array of {item, result, evidenceRef}', '须为 JSON 数组，每项含 item、result、evidenceRef');
    const r = await startVillageExit(
      await client(),
      db,
      cfg.TEMPORAL_EXIT_TASK_QUEUE,
      {
        villageId: f.village,
        year: f.year,
        ruralPopulation: f['rural-population'],
        checklist,
        township,
        ...(await provedBy(cfg, township)),
        noticeSeconds: f['notice-days'] * 86_400,
      },
      f['request-id'],
    ).catch(asCliRefusal);
    // A village that does not meet the standard is refused here, naming the failing test, not on a later status.
    const blocked = r.status?.phase === 'blocked' ? r.status.blockedBy : undefined;
    if (blocked) throw ruleRefusal({ ...blocked, en: `${r.workflowId}: ${blocked.en}` });
    out(`${startedLine(r)}${r.status ? `: ${r.status.phaseZh} (${r.status.phase})${nextLine(r.status.nextActor)}` : ''}`);
    return;
  }
  if (verb === 'step') {
    const f = parseFlags(argv, z.object({ ...actorFlags, ...villageFlags, ...requestId, step: z.string().min(1), data: z.string().default('{}') }).strict());
    const req = (await stepRequest(cfg, f)) as VillageExitStepRequest;
    const s = await sendVillageExitStep(await client(), f.village, f.year, req, f['request-id']).catch(asCliRefusal);
    out(`${f.step}: the village exit is at ${s.phase} (${s.phaseZh})${s.blockedBy ? ` (${s.blockedBy.code}: ${s.blockedBy.en} ${s.blockedBy.zh})` : ''}${nextLine(s.nextActor)}`);
    return;
  }
  if (verb === 'status') {
    const f = parseFlags(argv, z.object(villageFlags).strict());
    printStatus(out, { en: `village exit for ${f.village} in ${f.year}`, zh: ` ${f.village} ${f.year}年的贫困村退出` }, await villageExitStatus(await client(), f.village, f.year));
    return;
  }
  throw usageRefusal('tuopin exit village');
};
