import { createHash } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Database } from '../infra/database';
import { aggregateStream, eventIdFor, eventMetadata, handleCommand, readByRef, readStream } from '../infra/eventstore';
import type { Actor } from '../domain/shared/actor';
import type { CountyId } from '../domain/reference/counties';
import { domainError } from '../domain/shared/errors';
import {
  accountNumberSchema,
  decideFile,
  emptyFile,
  evolveFile,
  maskAccount,
  programmeOf,
  registryViewOf,
  type BenefitFileCommand,
  type BenefitFileEvent,
  type BenefitFileState,
  type BenefitRoundEventOf,
} from '../domain/benefit';
import { benefitFileStream, roundStream } from '../activities/benefit-activities';
import {
  benefitRoundIdFor,
  benefitRoundStatusQuery,
  benefitRoundStepUpdate,
  benefitRoundWorkflowId,
  type BenefitRoundInput,
  type BenefitRoundStatus,
  type BenefitRoundStepOutcome,
  type BenefitRoundStepRequest,
} from '../workflows/benefit-round.messages';
import { benefitRound } from '../workflows/benefit-round';
import { countyOf, queryStatus, sendUpdate, startOnce, type Started } from './exit-workflows';
import { UpdateRefused } from './errors';
import { receiptCodeOf } from './receipts';
import { accountKeyOf } from '../infra/personal-data/keys';

/**
 * Benefits (到户), the same for the CLI and the API: facts for a household's benefit file and its
 * 一卡通 account (direct decisions, event ids from the request), the round's process (start, each
 * person's step, status) and each household's benefit ledger read from the store.
 */

const hash = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 32);

export interface FactOutcome {
  readonly householdId: string;
  readonly type: string;
  readonly duplicate: boolean;
  readonly positions: readonly number[];
}

/** One fact on the household's benefit file; refused (UpdateRefused) when the rule says no. The request id makes a repeat a no-op. */
export const recordBenefitFact = async (db: Kysely<Database>, salt: string, command: BenefitFileCommand, requestId?: string): Promise<FactOutcome> => {
  const householdId = command.data.householdId;
  const view = registryViewOf((await readStream(db, `household-${householdId}`)).map((e) => ({ type: e.type, data: e.data })));
  const correlation = `benefitfile:${requestId ?? hash(JSON.stringify({ c: command.data, t: command.type, a: command.meta.actor, n: command.meta.now }))}`;
  const r = await handleCommand(
    db,
    benefitFileStream(householdId),
    { decide: (c: BenefitFileCommand, s: BenefitFileState) => decideFile(c, view, s), evolve: evolveFile, initialState: emptyFile },
    command,
    {
      eventId: (i) => eventIdFor(correlation, householdId, i),
      metadata: () =>
        eventMetadata({ actor: command.meta.actor, countyId: (view?.countyId ?? countyOf(householdId)) as CountyId, correlationId: correlation, at: command.meta.now }),
    },
  );
  if (!r.ok) throw new UpdateRefused(r.error);
  return { householdId, type: (r.events[0] as BenefitFileEvent | undefined)?.type ?? command.type, duplicate: r.duplicate, positions: r.appended.map((a) => a.position) };
};

/** The account number is parsed here and goes no further: the event holds its salted key and masked form. */
export const setHouseholdAccount = async (
  db: Kysely<Database>,
  salt: string,
  input: { householdId: string; accountNumber: string; bank: string; reason: string; actor: Actor; now: string },
  requestId?: string,
): Promise<FactOutcome & { masked: string }> => {
  const n = accountNumberSchema.safeParse(input.accountNumber);
  if (!n.success) throw new UpdateRefused(domainError('BENEFIT_ACCOUNT_INVALID', '一卡通账号应为12至19位数字', 'accountNumber: must be a bank account number of 12-19 digits'));
  const masked = maskAccount(n.data);
  return await recordBenefitFact(
    db,
    salt,
    {
      type: 'SetHouseholdAccount',
      data: { householdId: input.householdId, accountKey: accountKeyOf(n.data, salt), masked, bank: input.bank, reason: input.reason },
      meta: { actor: input.actor, now: input.now },
    },
    requestId,
  ).then((r) => ({ ...r, masked }));
};

export interface StartRound {
  readonly programmeId: string;
  readonly townshipId: string;
  readonly villageIds: readonly string[];
  readonly period: string;
  readonly standards?: Readonly<Record<string, number>>;
  readonly drafter: Actor;
  /** The drafter's signed token (infra/tokens/actor-assertion.ts): the API's bearer token, or the CLI's. */
  readonly assertion?: string | undefined;
  readonly noticeSeconds: number;
  readonly minNoticeSeconds?: number;
  readonly batchSize?: number;
}

export type StartedRound = Started & { readonly roundId: string; readonly status: BenefitRoundStatus };

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts the round (one per programme × township × period: its id says which) and waits for its
 * first step, the list drawn up from the store: a refused draft (an empty list, a person listed
 * twice…) is answered as a refusal, and the round records nothing.
 */
export const startBenefitRound = async (client: Client, taskQueue: string, r: StartRound, requestId?: string): Promise<StartedRound> => {
  const roundId = benefitRoundIdFor(r.programmeId, r.townshipId, r.period);
  const workflowId = benefitRoundWorkflowId(roundId);
  const input: BenefitRoundInput = {
    roundId,
    programmeId: r.programmeId,
    countyId: countyOf(r.townshipId) as CountyId,
    townshipId: r.townshipId,
    villageIds: r.villageIds,
    period: r.period,
    ...(r.standards ? { standards: r.standards } : {}),
    drafter: r.drafter,
    ...(r.assertion !== undefined ? { assertion: r.assertion } : {}),
    noticeSeconds: r.noticeSeconds,
    ...(r.minNoticeSeconds !== undefined ? { rules: { noticeMinSeconds: r.minNoticeSeconds } } : {}),
    ...(r.batchSize ? { batchSize: r.batchSize } : {}),
    correlationId: workflowId,
  };
  const started = await startOnce(client, benefitRound, { taskQueue, workflowId, args: [input] }, requestId);
  const h = client.workflow.getHandle(workflowId);
  for (let i = 0; ; i++) {
    const s = await h.query(benefitRoundStatusQuery);
    if (s.phase === 'refused' && s.error) throw new UpdateRefused(s.error);
    if (s.phase !== 'drafting') return { ...started, roundId, status: s };
    if (i > 600) throw new Error(`round ${roundId}: the list was not drawn up within 60 s`);
    await pause(100);
  }
};

export const sendBenefitRoundStep = (client: Client, roundId: string, request: BenefitRoundStepRequest, requestId?: string): Promise<BenefitRoundStepOutcome> =>
  sendUpdate(client, benefitRoundWorkflowId(roundId), benefitRoundStepUpdate, request, requestId);

export const benefitRoundStatus = (client: Client, roundId: string): Promise<BenefitRoundStatus | null> =>
  queryStatus(client, benefitRoundWorkflowId(roundId), benefitRoundStatusQuery);

export interface BenefitLedgerRow {
  readonly roundId: string;
  readonly programmeId: string;
  readonly programme: { readonly zh: string; readonly en: string };
  readonly period: string;
  readonly year: number;
  readonly fundId: string;
  readonly source: string;
  readonly paymentId: string;
  readonly status: 'paid' | 'returned';
  readonly amountFen: number;
  /** What the list said: the rule, the policy version and the facts it used. */
  readonly ruleId: string;
  readonly policy: { readonly id: string; readonly version: number };
  readonly beneficiaries: number;
  /** The account it went to, masked; the rail's code for a returned one. */
  readonly account: string | null;
  readonly returnCode: string | null;
  /** For a paid row of a round whose receipts are published: the household's receipt code. */
  readonly receiptCode: string | null;
  readonly recordedAt: string;
  readonly position: number;
}

export interface BenefitLedger {
  readonly householdId: string;
  readonly rows: readonly BenefitLedgerRow[];
  readonly paidFen: number;
  readonly returnedFen: number;
}

/** Everything paid (or returned) to a household by benefit rounds, by programme, period and source fund, from the store. */
export const householdBenefits = async (db: Kysely<Database>, householdId: string): Promise<BenefitLedger> => {
  const touching = await readByRef(db, 'household', householdId);
  const file = touching.filter((e) => e.streamId === benefitFileStream(householdId));
  const masks = new Map<string, string>();
  for (const e of file) if (e.type === 'HouseholdAccountSet') masks.set((e.data as { accountKey: string }).accountKey, (e.data as { masked: string }).masked);
  const rounds = new Map<
    string,
    {
      header: BenefitRoundEventOf<'BenefitRoundDrafted'>['data'];
      lines: Map<string, { ruleId: string; policy: { id: string; version: number }; beneficiaries: number }>;
      source: string;
      fundId: string | null;
      published: boolean;
    }
  >();
  const roundOf = async (roundId: string) => {
    let r = rounds.get(roundId);
    if (!r) {
      const a = await aggregateStream(db, roundStream(roundId), { evolve: (s: null, _e: unknown) => s, initialState: () => null });
      const header = a.events.find((e) => e.type === 'BenefitRoundDrafted')!.data as BenefitRoundEventOf<'BenefitRoundDrafted'>['data'];
      const lines = new Map<string, { ruleId: string; policy: { id: string; version: number }; beneficiaries: number }>();
      let fundId: string | null = null;
      let source = '';
      let published = false;
      for (const e of a.events) {
        if (e.type === 'BenefitLinesListed')
          for (const l of (e.data as BenefitRoundEventOf<'BenefitLinesListed'>['data']).lines)
            lines.set(l.householdId, { ruleId: l.ruleId, policy: l.policy, beneficiaries: l.beneficiaries.length });
        if (e.type === 'BenefitLineAdded') {
          const l = (e.data as BenefitRoundEventOf<'BenefitLineAdded'>['data']).line;
          lines.set(l.householdId, { ruleId: l.ruleId, policy: l.policy, beneficiaries: l.beneficiaries.length });
        }
        if (e.type === 'BenefitReceiptsPublished') published = true;
        if (e.type === 'BenefitDisbursementStarted') {
          fundId = (e.data as BenefitRoundEventOf<'BenefitDisbursementStarted'>['data']).fundId;
          source = (e.data as BenefitRoundEventOf<'BenefitDisbursementStarted'>['data']).source;
        }
      }
      r = { header, lines, source, fundId, published };
      rounds.set(roundId, r);
    }
    return r;
  };
  const rows: BenefitLedgerRow[] = [];
  for (const e of touching) {
    if (e.type !== 'BenefitPaymentsRecorded' && e.type !== 'BenefitPaymentsReturned') continue;
    const d = e.data as BenefitRoundEventOf<'BenefitPaymentsRecorded'>['data'] & BenefitRoundEventOf<'BenefitPaymentsReturned'>['data'];
    const r = await roundOf(d.roundId);
    const line = r.lines.get(householdId);
    const p = programmeOf(r.header.programmeId);
    const base = {
      roundId: d.roundId,
      programmeId: r.header.programmeId,
      programme: { zh: p?.zh ?? r.header.programmeId, en: p?.en ?? r.header.programmeId },
      period: r.header.period,
      year: Number(r.header.period.slice(0, 4)),
      fundId: d.fundId,
      source: r.source,
      ruleId: line?.ruleId ?? '',
      policy: line?.policy ?? r.header.policy,
      beneficiaries: line?.beneficiaries ?? 0,
      recordedAt: e.recordedAt,
      position: e.position,
    };
    if (e.type === 'BenefitPaymentsRecorded') {
      for (const x of d.payments.filter((x) => x.householdId === householdId)) {
        const receiptCode = r.published ? receiptCodeOf(d.roundId, householdId, x.accountKey, x.paymentId) : null;
        rows.push({ ...base, paymentId: x.paymentId, status: 'paid', amountFen: x.amount, account: masks.get(x.accountKey) ?? null, returnCode: null, receiptCode });
      }
    } else {
      for (const x of d.returned.filter((x) => x.householdId === householdId))
        rows.push({ ...base, paymentId: x.paymentId, status: 'returned', amountFen: x.amount, account: null, returnCode: x.code, receiptCode: null });
    }
  }
  return {
    householdId,
    rows,
    paidFen: rows.filter((r) => r.status === 'paid').reduce((n, r) => n + r.amountFen, 0),
    returnedFen: rows.filter((r) => r.status === 'returned').reduce((n, r) => n + r.amountFen, 0),
  };
};
