import { authorizeStep } from './authorize';
import type { CountyId } from '../reference/counties';
import type { Role } from '../shared/actor';
import type { DomainError } from '../shared/errors';
import type { Fen } from '../shared/money';
import { accept, refuse, type Decision } from '../shared/result';
import type {
  ApproveBenefitRound,
  BenefitRoundCommand,
  CloseBenefitRound,
  DraftBenefitRound,
  PostBenefitNotice,
  RecordBenefitPayments,
  RecordBenefitReturns,
  ReviewBenefitRound,
  RuleOnBenefitObjection,
  StartBenefitDisbursement,
} from './commands';
import { benefitPaymentId } from './commands';
import { assessHousehold, resolveStandards, type BenefitLine } from './eligibility';
import { benefitErrors as err } from './errors';
import type { BenefitRoundEvent } from './events';
import { BENEFIT_POLICY, periodKindOf, programmeOf } from './programmes';
import type { BenefitRoundStep } from '../names/benefit';
import { reconciled, unsettled, type BenefitRoundState, type RoundBooks, type RoundStage } from './state';

type D = Decision<BenefitRoundEvent>;
type Open = Extract<BenefitRoundState, { roundId: string }>;

export interface BenefitRules {
  /** 公示 of at least 7 days; test namespaces pass seconds. */
  readonly noticeMinSeconds: number;
}
export const DEFAULT_BENEFIT_RULES: BenefitRules = { noticeMinSeconds: 7 * 86_400 };

/** Lines per BenefitLinesListed event. */
export const LINES_PER_EVENT = 500;

/** Who may take each step (the workflow checks the same before it asks). */
export const BENEFIT_STEP_ROLES = {
  draft: ['township-official', 'county-official'],
  notice: ['township-official', 'work-team', 'county-official'],
  objection: ['township-official', 'county-official'],
  review: ['township-official'],
  approve: ['county-official'],
  disburse: ['county-finance'],
} as const satisfies Record<string, readonly Role[]>;

const stamp = (c: BenefitRoundCommand) => ({ roundId: c.data.roundId, by: c.meta.actor.userId, at: c.meta.now });
const allowed = (c: BenefitRoundCommand, roles: readonly Role[], countyId: string): DomainError | undefined => authorizeStep(c.meta, roles, countyId as CountyId);

/** Each person who may not also take this step, by what they did. */
const separate = (c: BenefitRoundCommand, step: BenefitRoundStep, earlier: readonly (readonly [BenefitRoundStep, string | null])[]): DomainError | undefined => {
  for (const [what, who] of earlier) if (who !== null && who === c.meta.actor.userId) return err.sameActor(step, what);
  return undefined;
};

const memberKeys = (l: BenefitLine): string[] => l.beneficiaries.flatMap((b) => (b.memberKey === null ? [] : [b.memberKey]));

/** Who a line pays, as the paid-twice rule counts them: its members, or the household for a per-household benefit. */
export const personKeysOf = (l: Pick<BenefitLine, 'householdId' | 'beneficiaries'>): string[] =>
  l.beneficiaries.map((b) => (b.memberKey === null ? `household:${l.householdId}` : b.memberKey));

/** One person once per programme and period: someone on another round of the same programme and period may not be listed again. */
const onAnotherRound = (l: BenefitLine, elsewhere: Readonly<Record<string, string>> | undefined): DomainError | undefined => {
  if (!elsewhere) return undefined;
  for (const k of personKeysOf(l)) if (Object.hasOwn(elsewhere, k)) return err.listedElsewhere(k, l.householdId, elsewhere[k]!);
  return undefined;
};

const draft = (c: DraftBenefitRound, s: BenefitRoundState, _rules: BenefitRules): D => {
  const d = c.data;
  const denied = allowed(c, BENEFIT_STEP_ROLES.draft, d.countyId);
  if (denied) return refuse(denied);
  if (s.stage !== 'none') return refuse(err.roundExists());
  const p = programmeOf(d.programmeId);
  if (!p) return refuse(err.programmeUnknown(d.programmeId));
  if (periodKindOf(d.period) !== p.period) return refuse(err.periodKind(d.period, p.period));
  const standards = resolveStandards(p, d.standards);
  if (!standards.ok) return refuse(standards.error);
  const std = standards.standards;
  const villages = new Set(d.villageIds);
  const lines: BenefitLine[] = [];
  const excluded: { householdId: string; code: string }[] = [];
  const seen = new Set<string>();
  const whose = new Map<string, string>();
  for (const h of d.households) {
    if (seen.has(h.householdId)) continue;
    seen.add(h.householdId);
    if (!villages.has(h.villageId)) {
      excluded.push({ householdId: h.householdId, code: err.outOfTownship(h.householdId).code });
      continue;
    }
    const a = assessHousehold(p, h, d.period, std, d.countyId);
    if (!a.ok) {
      excluded.push({ householdId: h.householdId, code: a.error.code });
      continue;
    }
    const twice = onAnotherRound(a.line, d.listedElsewhere);
    if (twice) return refuse(twice);
    for (const k of memberKeys(a.line)) {
      const other = whose.get(k);
      if (other !== undefined) return refuse(err.personTwice(k, [other, h.householdId]));
      whose.set(k, h.householdId);
    }
    lines.push(a.line);
  }
  if (lines.length === 0) return refuse(err.listEmpty());
  const listTotal = lines.reduce((n, l) => n + l.amount, 0) as Fen;
  const events: BenefitRoundEvent[] = [
    {
      type: 'BenefitRoundDrafted',
      data: {
        ...stamp(c),
        programmeId: p.id as never,
        countyId: d.countyId as CountyId,
        townshipId: d.townshipId,
        villageIds: [...d.villageIds],
        period: d.period,
        standards: std,
        policy: BENEFIT_POLICY,
        lineCount: lines.length,
        listTotal,
        excluded,
      },
    },
  ];
  for (let i = 0; i < lines.length; i += LINES_PER_EVENT) {
    events.push({ type: 'BenefitLinesListed', data: { ...stamp(c), chunk: i / LINES_PER_EVENT, lines: lines.slice(i, i + LINES_PER_EVENT) as never } });
  }
  return accept(...events);
};

const atStage = (s: Open, stages: readonly RoundStage[], action: BenefitRoundStep): DomainError | undefined =>
  stages.includes(s.stage) ? undefined : err.wrongStage(s.stage, action);

const postNotice = (c: PostBenefitNotice, s: Open, rules: BenefitRules): D => {
  const bad = atStage(s, ['drafted'], 'post-notice') ?? allowed(c, BENEFIT_STEP_ROLES.notice, s.countyId);
  if (bad) return refuse(bad);
  const seconds = Math.floor((Date.parse(c.data.endsAt) - Date.parse(c.meta.now)) / 1000);
  if (seconds < rules.noticeMinSeconds) return refuse(err.noticeTooShort(seconds, rules.noticeMinSeconds));
  return accept({ type: 'BenefitNoticePosted', data: { ...stamp(c), endsAt: c.data.endsAt, minimumSeconds: rules.noticeMinSeconds } });
};

const objection = (c: RuleOnBenefitObjection, s: Open): D => {
  const d = c.data;
  const bad = atStage(s, ['in-notice'], 'rule-objection') ?? allowed(c, BENEFIT_STEP_ROLES.objection, s.countyId);
  if (bad) return refuse(bad);
  if (s.noticeEndsAt !== null && Date.parse(c.meta.now) >= Date.parse(s.noticeEndsAt)) return refuse(err.noticeOver(s.noticeEndsAt));
  if (s.objections.has(d.objectionId)) return refuse(err.objectionExists(d.objectionId));
  const line = s.lines.get(d.householdId);
  const base = { ...stamp(c), objectionId: d.objectionId, reason: d.reason };
  switch (d.outcome) {
    case 'dismiss':
      return accept({ type: 'BenefitObjectionDismissed', data: { ...base, householdId: d.householdId } });
    case 'remove':
      if (!line || line.status !== 'listed') return refuse(err.notListed(d.householdId));
      return accept({ type: 'BenefitLineRemoved', data: { ...base, householdId: d.householdId, amount: line.amount } });
    case 'add': {
      if (line && line.status === 'listed') return refuse(err.householdTwice(d.householdId));
      if (!d.facts) return refuse(err.notInRegistry(d.householdId));
      if (!s.villageIds.includes(d.facts.villageId)) return refuse(err.outOfTownship(d.householdId));
      const p = programmeOf(s.programmeId)!;
      const a = assessHousehold(p, d.facts, s.period, s.standards, s.countyId);
      if (!a.ok) return refuse(a.error);
      const twice = onAnotherRound(a.line, d.listedElsewhere);
      if (twice) return refuse(twice);
      const listed = new Map<string, string>();
      for (const l of s.lines.values()) if (l.status === 'listed') for (const k of memberKeys(l)) listed.set(k, l.householdId);
      for (const k of memberKeys(a.line)) if (listed.has(k)) return refuse(err.personTwice(k, [listed.get(k)!, d.householdId]));
      return accept({ type: 'BenefitLineAdded', data: { ...base, line: a.line as never } });
    }
  }
};

const listed = (s: RoundBooks) => [...s.lines.values()].filter((l) => l.status === 'listed');

const review = (c: ReviewBenefitRound, s: Open): D => {
  const bad = atStage(s, ['in-notice'], 'review') ?? allowed(c, BENEFIT_STEP_ROLES.review, s.countyId) ?? separate(c, 'township-review', [['draft', s.drafter]]);
  if (bad) return refuse(bad);
  if (s.noticeEndsAt !== null && Date.parse(c.meta.now) < Date.parse(s.noticeEndsAt)) return refuse(err.noticeRunning(s.noticeEndsAt));
  const n = listed(s).length;
  if (c.data.approved && n === 0) return refuse(err.listEmpty());
  return accept({ type: 'BenefitRoundReviewed', data: { ...stamp(c), approved: c.data.approved, note: c.data.note, lineCount: n, listTotal: s.listTotal } });
};

const approve = (c: ApproveBenefitRound, s: Open): D => {
  const bad =
    atStage(s, ['township-reviewed'], 'approve') ??
    allowed(c, BENEFIT_STEP_ROLES.approve, s.countyId) ??
    separate(c, 'county-approval', [
      ['draft', s.drafter],
      ['township-review', s.reviewer],
    ]);
  if (bad) return refuse(bad);
  return accept({ type: 'BenefitRoundApproved', data: { ...stamp(c), approved: c.data.approved, note: c.data.note, lineCount: listed(s).length, listTotal: s.listTotal } });
};

const startDisbursement = (c: StartBenefitDisbursement, s: Open): D => {
  const d = c.data;
  const bad =
    atStage(s, ['approved'], 'start-paying') ??
    allowed(c, BENEFIT_STEP_ROLES.disburse, s.countyId) ??
    separate(c, 'payment', [
      ['draft', s.drafter],
      ['township-review', s.reviewer],
      ['county-approval', s.approver],
    ]);
  if (bad) return refuse(bad);
  const p = programmeOf(s.programmeId)!;
  if (d.fund.countyId !== s.countyId) return refuse(err.fundOutOfCounty());
  if (!p.sources.includes(d.fund.source)) return refuse(err.fundNotAllowed(d.fund.source, p.sources));
  if (!d.fund.earmark.includes(p.category)) return refuse(err.fundNotEarmarked(p.category));
  return accept({
    type: 'BenefitDisbursementStarted',
    data: { ...stamp(c), fundId: d.fundId as never, source: d.fund.source, allocationId: d.allocationId, listTotal: s.listTotal },
  });
};

/** A batch is all or nothing; items already settled under the same payment id are retries and drop out. */
const settleItems = <T extends { householdId: string; paymentId: string; amount: Fen }>(s: Open, items: readonly T[], as: 'paid' | 'returned'): T[] | DomainError => {
  const fresh: T[] = [];
  const inBatch = new Set<string>();
  for (const i of items) {
    const l = s.lines.get(i.householdId);
    if (!l || l.status === 'removed') return err.notListed(i.householdId);
    if (i.paymentId !== benefitPaymentId(s.roundId, i.householdId)) return err.notListed(i.householdId);
    if (l.status !== 'listed') {
      if (l.status === as && l.paymentId === i.paymentId) continue;
      return err.alreadySettled(i.householdId);
    }
    if (inBatch.has(i.householdId)) return err.alreadySettled(i.householdId);
    if (i.amount !== l.amount) return err.amountMismatch(i.householdId, i.amount, l.amount);
    inBatch.add(i.householdId);
    fresh.push(i);
  }
  return fresh;
};

const recordPayments = (c: RecordBenefitPayments, s: Open): D => {
  const bad = atStage(s, ['disbursing'], 'record-payments') ?? allowed(c, BENEFIT_STEP_ROLES.disburse, s.countyId);
  if (bad) return refuse(bad);
  const fresh = settleItems(s, c.data.payments, 'paid');
  if (!Array.isArray(fresh)) return refuse(fresh);
  if (fresh.length === 0) return accept();
  return accept({ type: 'BenefitPaymentsRecorded', data: { ...stamp(c), fundId: s.fundId as never, batch: c.data.batch, payments: fresh as never } });
};

const recordReturns = (c: RecordBenefitReturns, s: Open): D => {
  const bad = atStage(s, ['disbursing'], 'record-returns') ?? allowed(c, BENEFIT_STEP_ROLES.disburse, s.countyId);
  if (bad) return refuse(bad);
  const fresh = settleItems(s, c.data.returned, 'returned');
  if (!Array.isArray(fresh)) return refuse(fresh);
  if (fresh.length === 0) return accept();
  return accept({ type: 'BenefitPaymentsReturned', data: { ...stamp(c), fundId: s.fundId as never, batch: c.data.batch, returned: fresh as never } });
};

const close = (c: CloseBenefitRound, s: Open): D => {
  const bad = atStage(s, ['disbursing'], 'close') ?? allowed(c, BENEFIT_STEP_ROLES.disburse, s.countyId);
  if (bad) return refuse(bad);
  const open = unsettled(s);
  if (open > 0) return refuse(err.unsettled(open));
  if (!reconciled(s)) return refuse(err.notReconciled(s.listTotal, s.paid, s.returned));
  const lines = [...s.lines.values()];
  const paidCount = lines.filter((l) => l.status === 'paid').length;
  const r = c.data.receipts;
  if (r && r.leafCount !== paidCount) return refuse(err.receiptsMismatch(r.leafCount, paidCount));
  return accept(
    {
      type: 'BenefitRoundClosed',
      data: {
        ...stamp(c),
        listTotal: s.listTotal,
        paid: s.paid,
        returned: s.returned,
        paidCount,
        returnedCount: lines.filter((l) => l.status === 'returned').length,
        fundId: s.fundId as never,
      },
    },
    ...(r ? [{ type: 'BenefitReceiptsPublished' as const, data: { ...stamp(c), root: r.root, leafCount: r.leafCount, paid: s.paid, algorithm: r.algorithm } }] : []),
  );
};

/** Which step each command takes, for a refusal on a closed or rejected round. */
const STEP_OF: Record<Exclude<BenefitRoundCommand['type'], 'DraftBenefitRound'>, BenefitRoundStep> = {
  PostBenefitNotice: 'post-notice',
  RuleOnBenefitObjection: 'rule-objection',
  ReviewBenefitRound: 'review',
  ApproveBenefitRound: 'approve',
  StartBenefitDisbursement: 'start-paying',
  RecordBenefitPayments: 'record-payments',
  RecordBenefitReturns: 'record-returns',
  CloseBenefitRound: 'close',
};

/** Access and stage first, then separation of duties, then the command's own rules. */
export const decide = (command: BenefitRoundCommand, state: BenefitRoundState, rules: BenefitRules = DEFAULT_BENEFIT_RULES): D => {
  if (command.type === 'DraftBenefitRound') return draft(command, state, rules);
  if (state.stage === 'none') return refuse(err.roundNotFound());
  if (state.stage === 'closed' || state.stage === 'rejected') return refuse(err.wrongStage(state.stage, STEP_OF[command.type]));
  switch (command.type) {
    case 'PostBenefitNotice':
      return postNotice(command, state, rules);
    case 'RuleOnBenefitObjection':
      return objection(command, state);
    case 'ReviewBenefitRound':
      return review(command, state);
    case 'ApproveBenefitRound':
      return approve(command, state);
    case 'StartBenefitDisbursement':
      return startDisbursement(command, state);
    case 'RecordBenefitPayments':
      return recordPayments(command, state);
    case 'RecordBenefitReturns':
      return recordReturns(command, state);
    case 'CloseBenefitRound':
      return close(command, state);
    default: {
      const _never: never = command;
      return _never;
    }
  }
};
