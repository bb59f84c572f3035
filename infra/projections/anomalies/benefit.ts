import { sql, type Transaction } from 'kysely';
import { BENEFIT_PROGRAMMES, type BenefitProgramme } from '../../../domain/benefit/programmes';
import type { BenefitRoundEventOf } from '../../../domain/benefit/events';
import { BENEFIT_FILE_EVENTS } from '../../../domain/benefit/file-events';
import { BENEFIT_ROUND_EVENTS } from '../../../domain/benefit/events';
import { PROJECT_EVENTS } from '../../../domain/project/events';
import { MONITORING } from '../../../domain/policy/monitoring';
import type { Database } from '../../database';
// The store's reads, not its index: the index brings the append, which counts into infra/metrics, which lists the projections.
import { readStream, readStreams } from '../../eventstore/read';
import { streamId } from '../../eventstore/stream-id';
import type { StoredEvent } from '../../eventstore/types';
import { daysFrom, isBackdated, ACCOUNT_CHANGE_WINDOW_DAYS, type BenefitAnomalyKind } from './benefit-kinds';

/** One anomaly row, as index.ts inserts it. */
export interface BenefitAnomalyRow {
  event: StoredEvent;
  anomaly_id: string;
  kind: BenefitAnomalyKind;
  county_id: string;
  project_id?: string | null;
  fund_id?: string | null;
  payment_id?: string | null;
  household_id?: string | null;
  payee_account?: string | null;
  amount_fen?: number | null;
  code?: string | null;
  detail?: Record<string, unknown>;
}

/** Steps whose business date is checked against the time they were recorded (倒签): people's steps on projects, rounds and benefit files. */
const STEP_TYPES: ReadonlySet<string> = new Set([...PROJECT_EVENTS, ...BENEFIT_ROUND_EVENTS, ...BENEFIT_FILE_EVENTS].map((d) => d.type));

/** What the benefit checks read; index.ts adds these to the projection's `canHandle`. */
export const BENEFIT_ANOMALY_EVENTS: readonly string[] = [...STEP_TYPES];

/** Document dates a fact carries of its own: a 验收 or a grading recorded long after its date is 倒签 too. */
const DOCUMENT_DAYS = ['acceptedOn', 'assessedOn', 'resultPublishedOn'] as const;

type Line = BenefitRoundEventOf<'BenefitLinesListed'>['data']['lines'][number];
interface RoundContext {
  readonly roundId: string;
  readonly programme: BenefitProgramme;
  readonly period: string;
  readonly year: number;
  readonly standards: Readonly<Record<string, number>>;
  readonly lines: ReadonlyMap<string, Line>;
}

/**
 * Rounds' headers and lines, by round id. A round pays only after its list is final (disbursing),
 * so what it holds at its first payment is what it holds at every later one: safe to keep, and the
 * same after a rebuild. Bounded: a county-wide round's lines are the largest thing kept.
 */
const rounds = new Map<string, RoundContext>();
const ROUNDS_KEPT = 8;

const roundContext = async (trx: Transaction<Database>, roundId: string, before: number): Promise<RoundContext | null> => {
  const kept = rounds.get(roundId);
  if (kept) return kept;
  const events = (await readStream(trx, streamId('benefit', roundId), { limit: 1_000_000 })).filter((e) => e.position < before);
  const header = events.find((e) => e.type === 'BenefitRoundDrafted')?.data as BenefitRoundEventOf<'BenefitRoundDrafted'>['data'] | undefined;
  if (!header) return null;
  const lines = new Map<string, Line>();
  for (const e of events) {
    if (e.type === 'BenefitLinesListed') for (const l of (e.data as BenefitRoundEventOf<'BenefitLinesListed'>['data']).lines) lines.set(l.householdId, l);
    if (e.type === 'BenefitLineAdded') {
      const l = (e.data as BenefitRoundEventOf<'BenefitLineAdded'>['data']).line;
      lines.set(l.householdId, l);
    }
    if (e.type === 'BenefitLineRemoved') lines.delete((e.data as BenefitRoundEventOf<'BenefitLineRemoved'>['data']).householdId);
  }
  const ctx: RoundContext = {
    roundId,
    programme: BENEFIT_PROGRAMMES[header.programmeId],
    period: header.period,
    year: Number(header.period.slice(0, 4)),
    standards: header.standards,
    lines,
  };
  if (events.some((e) => e.type === 'BenefitDisbursementStarted')) {
    if (rounds.size >= ROUNDS_KEPT) rounds.delete(rounds.keys().next().value!);
    rounds.set(roundId, ctx);
  }
  return ctx;
};

/** The header (programme, period) of other rounds, by round id: only what the paid-twice check reads. */
const roundHeader = async (trx: Transaction<Database>, roundId: string): Promise<{ programmeId: string; period: string } | null> => {
  const kept = rounds.get(roundId);
  if (kept) return { programmeId: kept.programme.id, period: kept.period };
  const { rows } = await sql<{ programme_id: string; period: string }>`
    SELECT data->>'programmeId' AS programme_id, data->>'period' AS period FROM events WHERE stream_id = ${streamId('benefit', roundId)} AND type = 'BenefitRoundDrafted'`.execute(
    trx,
  );
  return rows[0] ? { programmeId: rows[0].programme_id, period: rows[0].period } : null;
};

/** What a household's register and benefit file said just before a payment's position. */
interface HouseholdAt {
  standing: 'unregistered' | 'registered' | 'exited' | 'removed';
  exitYear: number | null;
  removedMembers: Set<string>;
  accountChanges: { accountKey: string; at: string }[];
  acceptedOn: string | null;
}

const householdAt = (events: readonly StoredEvent[], before: number): HouseholdAt => {
  const h: HouseholdAt = { standing: 'unregistered', exitYear: null, removedMembers: new Set(), accountChanges: [], acceptedOn: null };
  for (const e of events) {
    if (e.position >= before) break;
    const d = e.data as Record<string, unknown>;
    switch (e.type) {
      case 'HouseholdRegistered':
        h.standing = 'registered';
        break;
      case 'HouseholdExitAnnounced':
        h.standing = 'exited';
        h.exitYear = d.year as number;
        break;
      case 'HouseholdReturnedToPoverty':
        h.standing = 'registered';
        h.exitYear = null;
        break;
      case 'HouseholdRemovedFromRegister':
        h.standing = 'removed';
        break;
      case 'HouseholdMemberRemoved':
        if (typeof d.memberKey === 'string') h.removedMembers.add(d.memberKey);
        break;
      case 'HouseholdAccountSet':
        if (d.previousAccountKey !== null) h.accountChanges.push({ accountKey: d.accountKey as string, at: d.at as string });
        break;
      case 'HousingRenovationAccepted':
        h.acceptedOn = d.acceptedOn as string;
        break;
    }
  }
  return h;
};

/** Each beneficiary's amount against the programme's bound for its tier: above a cap, below a floor. */
const boundBreaches = (ctx: RoundContext, line: Line): { kind: 'benefit-above-cap' | 'benefit-below-floor'; limit: number; amount: number; memberKey: string | null }[] => {
  const a = ctx.programme.amount;
  const out: { kind: 'benefit-above-cap' | 'benefit-below-floor'; limit: number; amount: number; memberKey: string | null }[] = [];
  for (const b of line.beneficiaries) {
    const tier =
      a.kind === 'per-person-tiered' ? String(b.facts.schoolLevel ?? b.facts.support ?? '') : a.kind === 'per-household-by-grade' ? String(b.facts.housingGrade ?? '') : 'default';
    if (a.kind === 'per-person') {
      if ((a.bound === 'cap' || a.bound === 'exact') && b.amount > a.standard.value)
        out.push({ kind: 'benefit-above-cap', limit: a.standard.value, amount: b.amount, memberKey: b.memberKey });
      if ((a.bound === 'floor' || a.bound === 'exact') && b.amount < a.standard.value)
        out.push({ kind: 'benefit-below-floor', limit: a.standard.value, amount: b.amount, memberKey: b.memberKey });
    } else if (a.kind === 'per-person-tiered') {
      const floor = a.tiers[tier]?.value;
      if (floor !== undefined && b.amount < floor) out.push({ kind: 'benefit-below-floor', limit: floor, amount: b.amount, memberKey: b.memberKey });
    } else if (a.kind === 'per-household-by-grade') {
      const cap = tier === 'C' || tier === 'D' ? a.caps[tier].value : undefined;
      if (cap !== undefined && b.amount > cap) out.push({ kind: 'benefit-above-cap', limit: cap, amount: b.amount, memberKey: b.memberKey });
    } else {
      const cap = Math.floor((a.maxPrincipal.value * a.maxRateBp) / 10_000);
      if (b.amount > cap) out.push({ kind: 'benefit-above-cap', limit: cap, amount: b.amount, memberKey: b.memberKey });
    }
  }
  return out;
};

type Paid = BenefitRoundEventOf<'BenefitPaymentsRecorded'>['data']['payments'][number];

/** Earlier payments to these households by other rounds, found through the store's household refs. */
const otherPayments = async (trx: Transaction<Database>, householdIds: readonly string[], before: number, roundId: string) => {
  if (householdIds.length === 0) return [];
  const { rows } = await sql<{ stream_id: string; position: string; payments: { householdId: string; paymentId: string }[] }>`
    SELECT DISTINCT e.stream_id, e.position, e.data->'payments' AS payments
      FROM refs r JOIN events e ON e.position = r.position
     WHERE r.kind = 'household' AND r.ref_id = ANY(${[...householdIds]}::text[]) AND e.type = 'BenefitPaymentsRecorded'
       AND e.position < ${before} AND e.stream_id <> ${streamId('benefit', roundId)}`.execute(trx);
  const wanted = new Set(householdIds);
  return rows.flatMap((r) =>
    r.payments.filter((p) => wanted.has(p.householdId)).map((p) => ({ roundId: r.stream_id.slice('benefit-'.length), householdId: p.householdId, paymentId: p.paymentId })),
  );
};

/**
 * The anomalies of benefit payments and of backdated steps, for one batch of events (in commit
 * order). A payment to an exited household is normal while its programme continues (脱贫不脱政策);
 * only a programme that stops at exit, or a payment for a year after the policy period, is flagged.
 */
export const benefitAnomalies = async (trx: Transaction<Database>, events: readonly StoredEvent[]): Promise<BenefitAnomalyRow[]> => {
  const out: BenefitAnomalyRow[] = [];
  const county = (e: StoredEvent) => e.metadata.countyId ?? '_';
  const paidEvents = events.filter((e) => e.type === 'BenefitPaymentsRecorded');
  const households = [...new Set(paidEvents.flatMap((e) => (e.data as BenefitRoundEventOf<'BenefitPaymentsRecorded'>['data']).payments.map((p) => p.householdId)))];
  const histories = new Map<string, StoredEvent[]>();
  if (households.length > 0) {
    const streams = households.flatMap((id) => [streamId('household', id), streamId('benefitfile', id)]);
    for (const e of await readStreams(trx, streams)) {
      const id = e.streamId.slice(e.streamId.indexOf('-') + 1);
      const list = histories.get(id) ?? [];
      list.push(e);
      histories.set(id, list);
    }
    for (const list of histories.values()) list.sort((a, b) => a.position - b.position);
  }
  const until = MONITORING.policiesContinueUntilYear.value;

  for (const e of events) {
    if (STEP_TYPES.has(e.type)) {
      const d = e.data as Record<string, unknown>;
      const recordedAt = e.recordedAt;
      const claimed = [
        { field: 'businessDate', day: e.metadata.businessDate },
        ...DOCUMENT_DAYS.flatMap((f) => (typeof d[f] === 'string' ? [{ field: f, day: d[f] as string }] : [])),
      ];
      const late = claimed.find((c) => isBackdated(c.day, recordedAt));
      if (late) {
        out.push({
          event: e,
          anomaly_id: `backdated:${e.eventId}`,
          kind: 'backdated-step',
          county_id: county(e),
          project_id: typeof d.projectId === 'string' ? d.projectId : typeof d.roundId === 'string' ? d.roundId : null,
          household_id: typeof d.householdId === 'string' ? d.householdId : null,
          detail: { type: e.type, field: late.field, day: late.day, recordedAt, days: daysFrom(`${late.day}T00:00:00+08:00`, recordedAt) },
        });
      }
    }
    if (e.type === 'BenefitPaymentsReturned') {
      const d = e.data as BenefitRoundEventOf<'BenefitPaymentsReturned'>['data'];
      for (const r of d.returned) {
        out.push({
          event: e,
          anomaly_id: `returned:${r.paymentId}`,
          kind: 'benefit-payment-returned',
          county_id: county(e),
          project_id: d.roundId,
          fund_id: d.fundId,
          payment_id: r.paymentId,
          household_id: r.householdId,
          amount_fen: r.amount,
          code: r.code,
          detail: { reason: r.reason, attempts: r.attempts },
        });
      }
    }
    if (e.type !== 'BenefitPaymentsRecorded') continue;
    const d = e.data as BenefitRoundEventOf<'BenefitPaymentsRecorded'>['data'];
    const ctx = await roundContext(trx, d.roundId, e.position);
    if (!ctx) continue;
    const flag = (p: Paid, kind: BenefitAnomalyKind, detail: Record<string, unknown>, suffix = '') =>
      out.push({
        event: e,
        anomaly_id: `${kind}:${p.paymentId}${suffix}`,
        kind,
        county_id: county(e),
        project_id: d.roundId,
        fund_id: d.fundId,
        payment_id: p.paymentId,
        household_id: p.householdId,
        payee_account: p.accountKey,
        amount_fen: p.amount,
        detail: { programmeId: ctx.programme.id, period: ctx.period, ...detail },
      });
    const earlier = new Map<string, { roundId: string; paymentId: string }[]>();
    for (const o of await otherPayments(
      trx,
      d.payments.map((p) => p.householdId),
      e.position,
      d.roundId,
    )) {
      const h = await roundHeader(trx, o.roundId);
      if (!h || h.programmeId !== ctx.programme.id || h.period !== ctx.period) continue;
      earlier.set(o.householdId, [...(earlier.get(o.householdId) ?? []), { roundId: o.roundId, paymentId: o.paymentId }]);
    }
    for (const p of d.payments) {
      const h = householdAt(histories.get(p.householdId) ?? [], e.position);
      const line = ctx.lines.get(p.householdId);
      if (h.standing === 'removed') flag(p, 'benefit-to-removed-household', {});
      if (h.standing === 'exited' && h.exitYear !== null && ctx.year > h.exitYear) {
        const stops = ctx.programme.afterExit === 'stops';
        const ended = ctx.year > until && ctx.programme.eligibility !== 'extreme-poverty-supported';
        if (stops || ended) flag(p, 'benefit-after-exit-stopped', { exitYear: h.exitYear, afterExit: ctx.programme.afterExit, policiesUntil: until });
      }
      const removed = (line?.beneficiaries ?? []).filter((b) => b.memberKey !== null && h.removedMembers.has(b.memberKey));
      if (removed.length > 0) flag(p, 'benefit-to-removed-member', { memberKeys: removed.map((b) => b.memberKey) });
      const twice = earlier.get(p.householdId);
      if (twice) flag(p, 'benefit-person-paid-twice', { memberKeys: (line?.beneficiaries ?? []).map((b) => b.memberKey), earlier: twice });
      if (line)
        for (const [i, b] of boundBreaches(ctx, line).entries()) flag(p, b.kind, { memberKey: b.memberKey, beneficiaryFen: b.amount, limitFen: b.limit }, i === 0 ? '' : `:${i}`);
      if (ctx.programme.eligibility === 'dangerous-house-accepted' && (h.acceptedOn === null || h.acceptedOn > e.metadata.businessDate))
        flag(p, 'housing-subsidy-before-acceptance', { acceptedOn: h.acceptedOn, paidOn: e.metadata.businessDate });
      const change = h.accountChanges.filter((c) => c.accountKey === p.accountKey).at(-1);
      const paidAt = (e.data as { at: string }).at;
      if (change && daysFrom(change.at, paidAt) <= ACCOUNT_CHANGE_WINDOW_DAYS)
        flag(p, 'payment-soon-after-account-change', { changedAt: change.at, paidAt, windowDays: ACCOUNT_CHANGE_WINDOW_DAYS });
    }
  }
  return out;
};
