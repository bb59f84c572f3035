import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Client } from '@temporalio/client';
import type { Config } from '../../infra/config';
import type { Database } from '../../infra/database';
import { villageIdSchema } from '../../domain/village/ids';
import { householdIdSchema } from '../../domain/household/ids';
import { NOTICE_DAYS } from '../../domain/policy/exit-thresholds';
import { MEMBER_REMOVAL_REASONS, REMOVAL_REASONS } from '../../domain/household/removal';
import { RegistryError } from '../../infra/registry/errors';
import type { IdentificationStepRequest } from '../../workflows/identification.messages';
import { identificationStatus, recordApplication, sendIdentificationStep, startIdentification, type Application, type IdentificationView } from '../../services/identification';
import { applyRemovalStep, type RemovalStep } from '../../services/removals';
import { applicationBodySchema } from '../../api/schemas/identification';
import { CliError, usageRefusal, parseFlags, inputRefusal } from '../args';
import { actorFlags, actorFrom, jsonArg, nextLine, permit, printStatus, startedLine } from './exit-actor';
import { asCliRefusal } from './service-refusal';

type Out = (line?: string) => void;
const roundFlags = { village: villageIdSchema, year: z.coerce.number().int().min(2016).max(2020) };
const requestId = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,128}$/, { error: 'must be 1-128 of A-Z a-z 0-9 . _ : -' })
  .optional();
const DAY = 86_400;

const asCli = (e: unknown): never => {
  if (e instanceof RegistryError) throw new CliError(e.code, e.message);
  return asCliRefusal(e);
};

const summary = (out: Out, what: string, v: IdentificationView): void => {
  out(`${what}: the round is at ${v.phase} (${v.phaseZh})${nextLine(v.nextActor)}`);
  for (const h of v.households) out(`  ${h.householdId}: ${h.statusZh}${h.reasonZh ? `（${h.reasonZh}）` : ''}`);
  if (v.registered.length > 0) out(`registered (建档立卡): ${v.registered.join(', ')}`);
};

/**
 * `tuopin exit identify start|apply|step|status`: one village's yearly identification round (识别),
 * the way a new poor household enters the register.
 */
export const runIdentify = async (verb: string | undefined, argv: string[], db: Kysely<Database>, client: () => Promise<Client>, cfg: Config, out: Out): Promise<void> => {
  if (verb === 'start') {
    const f = parseFlags(
      argv,
      z
        .object({
          ...actorFlags,
          ...roundFlags,
          'notice-days': z.coerce.number().int().min(NOTICE_DAYS.identification.value).default(NOTICE_DAYS.identification.value),
          'request-id': requestId,
        })
        .strict(),
    );
    const opener = actorFrom(f);
    permit(opener, 'identification.open', f.village.split('-')[1]!);
    const r = await startIdentification(
      await client(),
      cfg.TEMPORAL_EXIT_TASK_QUEUE,
      { villageId: f.village, year: f.year, opener, noticeSeconds: f['notice-days'] * DAY },
      f['request-id'],
    ).catch(asCliRefusal);
    out(startedLine(r));
    return;
  }
  if (verb === 'apply') {
    const f = parseFlags(argv, z.object({ ...actorFlags, ...roundFlags, data: z.string().min(1), 'request-id': requestId }).strict());
    const actor = actorFrom(f);
    permit(actor, 'identification.apply', f.village.split('-')[1]!);
    const parsed = applicationBodySchema.safeParse(await jsonArg('data', f.data));
    if (!parsed.success) throw inputRefusal(parsed.error, 'data');
    const { requestId: _r, ...application } = parsed.data;
    const v = await recordApplication(db, await client(), { villageId: f.village, year: f.year }, application as Application, {
      actor,
      salt: cfg.MEMBER_KEY_SALT,
      ...(f['request-id'] ? { requestId: f['request-id'] } : {}),
    }).catch(asCli);
    summary(out, `application of ${parsed.data.householdId} recorded`, v);
    return;
  }
  if (verb === 'step') {
    const f = parseFlags(argv, z.object({ ...actorFlags, ...roundFlags, step: z.string().min(1), data: z.string().default('{}'), 'request-id': requestId }).strict());
    const req = { ...((await jsonArg('data', f.data)) as object), type: f.step, actor: actorFrom(f) } as IdentificationStepRequest;
    summary(out, f.step, await sendIdentificationStep(await client(), f.village, f.year, req, f['request-id']).catch(asCliRefusal));
    return;
  }
  if (verb === 'status') {
    const f = parseFlags(argv, z.object(roundFlags).strict());
    printStatus(
      out,
      { en: `identification round for ${f.village} in ${f.year}`, zh: ` ${f.village} ${f.year}年的识别` },
      await identificationStatus(await client(), f.village, f.year),
    );
    return;
  }
  throw usageRefusal('tuopin exit identify');
};

/**
 * `tuopin exit remove propose|notice|decide|member`: 动态调整, a household's removal from the
 * register with its reason and notice, and a member's removal, as the API's /households/:id/removal….
 */
export const runRemove = async (verb: string | undefined, argv: string[], db: Kysely<Database>, cfg: Config, out: Out): Promise<void> => {
  const common = { ...actorFlags, household: householdIdSchema, 'request-id': requestId };
  const year = z.coerce.number().int().min(2014).max(2030);
  const take = async (
    f: { as: string; role: Parameters<typeof actorFrom>[0]['role']; county?: string | undefined; household: string; 'request-id'?: string | undefined },
    step: RemovalStep,
  ) => {
    const actor = actorFrom(f);
    const action =
      step.type === 'ProposeRemoval'
        ? 'household.propose-removal'
        : step.type === 'PostRemovalNotice'
          ? 'household.post-removal-notice'
          : step.type === 'DecideRemoval'
            ? 'household.decide-removal'
            : 'household.remove-member';
    permit(actor, action, f.household.split('-')[1]!);
    const r = await applyRemovalStep(db, f.household, step, {
      actor,
      salt: cfg.MEMBER_KEY_SALT,
      minNoticeSeconds: NOTICE_DAYS.removal.value * DAY,
      ...(f['request-id'] ? { requestId: f['request-id'] } : {}),
    }).catch(asCliRefusal);
    out(`${f.household}: ${r.repeated ? '(already taken: nothing written) ' : ''}${r.events.join(', ') || 'no event'}; the household is ${r.status}`);
  };
  if (verb === 'propose') {
    const f = parseFlags(argv, z.object({ ...common, year, reason: z.enum(REMOVAL_REASONS), record: z.string().trim().min(1).max(200) }).strict());
    return take(f, { type: 'ProposeRemoval', year: f.year, reason: f.reason, recordRef: f.record });
  }
  if (verb === 'notice') {
    const f = parseFlags(argv, z.object({ ...common, 'notice-days': z.coerce.number().int().min(NOTICE_DAYS.removal.value).default(NOTICE_DAYS.removal.value) }).strict());
    return take(f, { type: 'PostRemovalNotice', noticeSeconds: f['notice-days'] * DAY });
  }
  if (verb === 'decide') {
    const f = parseFlags(argv, z.object({ ...common, approved: z.enum(['yes', 'no']), note: z.string().max(2000).default('') }).strict());
    return take(f, { type: 'DecideRemoval', approved: f.approved === 'yes', note: f.note });
  }
  if (verb === 'member') {
    const f = parseFlags(
      argv,
      z.object({ ...common, year, 'id-number': z.string().length(18), reason: z.enum(MEMBER_REMOVAL_REASONS), record: z.string().trim().min(1).max(200) }).strict(),
    );
    return take(f, { type: 'RemoveMember', year: f.year, idNumber: f['id-number'], reason: f.reason, recordRef: f.record });
  }
  throw usageRefusal('tuopin exit remove');
};
