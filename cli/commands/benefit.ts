import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Client } from '@temporalio/client';
import type { Config } from '../../infra/config';
import type { Database } from '../../infra/database';
import { householdIdSchema } from '../../domain/household/ids';
import { villageIdSchema } from '../../domain/village/ids';
import { benefitRoundIdSchema, periodSchema, townshipIdSchema } from '../../domain/benefit/ids';
import { programmeIdSchema } from '../../domain/benefit/programmes';
import { moneySchema, formatYuan } from '../../domain/shared/money';
import { BENEFIT_ROUND_PHASE_NAMES } from '../../domain/names';
import { benefitRoundStatus, householdBenefits, sendBenefitRoundStep, setHouseholdAccount, startBenefitRound } from '../../services/benefits';
import type { BenefitRoundPhase, BenefitRoundStepRequest } from '../../workflows/benefit-round.messages';
import { usageRefusal, parseFlags, takeSwitch, inputRefusal } from '../args';
import { writeRows } from '../table';
import { actorFlags, actorFrom, permit, printStatus, provedBy, stepRequest } from './exit-actor';
import { asCliRefusal } from './service-refusal';

type Out = (line?: string) => void;

const standards = z.string().transform((s, ctx) => {
  const out: Record<string, number> = {};
  for (const part of s.split(',')) {
    const [tier, amount] = part.split('=');
    const m = moneySchema.safeParse(amount ?? '');
    if (!tier || !m.success) {
      ctx.addIssue({ code: 'custom', message: `"${part}" is not <tier>=<amount>, e.g. default=2000元`, params: { zh: `“${part}”应写作 <档次>=<金额>，如 default=2000元` } });
      return z.NEVER;
    }
    out[tier] = m.data;
  }
  return out;
});

/** A drafted round's list: the English scripts read, then the Chinese. */
export const roundListLine = (s: { readonly lineCount: number; readonly listTotal: number }, excluded: number): string =>
  `list: ${s.lineCount} household(s), ${formatYuan(s.listTotal)}; ${excluded} left off by the rule 名单 ${s.lineCount} 户，合计 ${formatYuan(s.listTotal)}，按规则排除 ${excluded} 户`;

/** Where a step left the round: "approve: the round is at awaiting-payment (待拨付); list …（名单 …）". */
export const roundStepLine = (
  step: string,
  r: { readonly phase: BenefitRoundPhase; readonly summary?: { readonly listTotal: number; readonly paid: number; readonly returned: number } | undefined },
): string =>
  `${step}: the round is at ${r.phase} (${BENEFIT_ROUND_PHASE_NAMES[r.phase].zh})${
    r.summary
      ? `; list ${formatYuan(r.summary.listTotal)}, paid ${formatYuan(r.summary.paid)}, returned ${formatYuan(r.summary.returned)}（名单 ${formatYuan(r.summary.listTotal)}，已拨付 ${formatYuan(r.summary.paid)}，已退回 ${formatYuan(r.summary.returned)}）`
      : ''
  }`;

/** `tuopin benefit round start|step|status`. */
export const runBenefit = async (verb: string | undefined, argv: string[], client: () => Promise<Client>, cfg: Config, out: Out): Promise<void> => {
  if (verb !== 'round') throw usageRefusal('tuopin benefit');
  const [sub, ...rest] = argv;
  if (sub === 'start') {
    const f = parseFlags(
      rest,
      z
        .object({
          ...actorFlags,
          programme: programmeIdSchema,
          township: townshipIdSchema,
          villages: z
            .string()
            .transform((s) => s.split(','))
            .pipe(z.array(villageIdSchema).min(1)),
          period: periodSchema,
          standard: standards.optional(),
          'notice-days': z.coerce.number().int().min(7).default(7),
          'request-id': z.string().optional(),
        })
        .strict(),
    );
    const drafter = actorFrom(f);
    permit(drafter, 'benefit.draft', f.township.split('-')[1]!);
    const r = await startBenefitRound(
      await client(),
      cfg.TEMPORAL_TASK_QUEUE,
      {
        programmeId: f.programme,
        townshipId: f.township,
        villageIds: f.villages,
        period: f.period,
        ...(f.standard ? { standards: f.standard } : {}),
        drafter,
        ...(await provedBy(cfg, drafter)),
        noticeSeconds: f['notice-days'] * 86_400,
      },
      f['request-id'],
    ).catch(asCliRefusal);
    const s = r.status.summary;
    out(`${r.repeated ? 'already started' : 'started'} ${r.roundId} (workflow ${r.workflowId}) ${r.repeated ? '此前已启动' : '已启动'}`);
    if (s) out(roundListLine(s, r.status.excluded ?? 0));
    return;
  }
  if (sub === 'step') {
    const f = parseFlags(
      rest,
      z.object({ ...actorFlags, round: benefitRoundIdSchema, step: z.string().min(1), data: z.string().default('{}'), 'request-id': z.string().optional() }).strict(),
    );
    const req = (await stepRequest(cfg, f)) as BenefitRoundStepRequest;
    const r = await sendBenefitRoundStep(await client(), f.round, req, f['request-id']).catch(asCliRefusal);
    out(roundStepLine(f.step, r));
    return;
  }
  if (sub === 'status') {
    const id = benefitRoundIdSchema.safeParse(rest[0]);
    if (!id.success) throw inputRefusal(id.error, '<round id>');
    printStatus(out, { en: `benefit round ${id.data}`, zh: `发放批次 ${id.data}` }, await benefitRoundStatus(await client(), id.data).catch(asCliRefusal));
    return;
  }
  throw usageRefusal('tuopin benefit round');
};

/** `tuopin household account|benefits`. */
export const runHousehold = async (verb: string | undefined, argv: string[], db: Kysely<Database>, cfg: Config, out: Out): Promise<void> => {
  if (verb === 'account') {
    const f = parseFlags(
      argv,
      z
        .object({
          ...actorFlags,
          household: householdIdSchema,
          number: z.string().max(40),
          bank: z.string().trim().min(1).max(60),
          reason: z.string().trim().min(1).max(500),
          'request-id': z.string().optional(),
        })
        .strict(),
    );
    const actor = actorFrom(f);
    permit(actor, 'benefit.set-account', f.household.split('-')[1]!);
    const r = await setHouseholdAccount(
      db,
      cfg.MEMBER_KEY_SALT,
      { householdId: f.household, accountNumber: f.number, bank: f.bank, reason: f.reason, actor, now: new Date().toISOString() },
      f['request-id'],
    ).catch(asCliRefusal);
    out(`${r.duplicate ? 'already recorded' : 'recorded'}: ${f.household} is paid into ${r.masked} ${r.duplicate ? '此前已登记' : '已登记'}：补助发往 ${r.masked}`);
    return;
  }
  if (verb === 'benefits') {
    const { on: json, rest } = takeSwitch(argv, 'json');
    const id = householdIdSchema.safeParse(rest[0]);
    if (!id.success) throw inputRefusal(id.error, '<household id>');
    const l = await householdBenefits(db, id.data);
    writeRows(
      out,
      l.rows,
      [
        { key: 'programme', header: '政策', value: (r) => r.programme.zh },
        { key: 'period', header: '期间', value: (r) => r.period },
        { key: 'source', header: '资金来源', value: (r) => r.source },
        { key: 'fund', header: '资金', value: (r) => r.fundId },
        { key: 'status', header: '状态', value: (r) => (r.status === 'paid' ? '已到账' : `退回 ${r.returnCode ?? ''}`) },
        { key: 'account', header: '账户', value: (r) => r.account ?? '' },
        { key: 'rule', header: '依据', value: (r) => `${r.ruleId} ${r.policy.id}/v${r.policy.version}` },
        { key: 'amountFen', header: '金额', value: (r) => (r.status === 'paid' ? r.amountFen : 0), kind: 'money', total: true },
      ],
      { total: '合计', json },
    );
    if (!json && l.returnedFen > 0) out(`returned to the fund: ${formatYuan(l.returnedFen)} 已退回资金 ${formatYuan(l.returnedFen)}`);
    return;
  }
  throw usageRefusal('tuopin household');
};
