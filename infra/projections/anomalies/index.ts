import { sql, type Transaction } from 'kysely';
import type { FundAllocated, FundAllocationReleased, FundDisbursed } from '../../../domain/fund/events';
import type { ProjectEventOf } from '../../../domain/project';
import type { CommandRefusedData } from '../../../domain/refusal/events';
import type { Database } from '../../database';
import { streamId } from '../../eventstore/stream-id';
import type { StoredEvent } from '../../eventstore/types';
import type { Projection } from '../projection';
import { anomalyKindOfRefusal, standingAfter } from './kinds';
import { BENEFIT_ANOMALY_EVENTS, benefitAnomalies } from './benefit';
import { MONITORING } from '../../../domain/policy/monitoring';
import { isProjectPolicyInForce } from '../../../domain/project/policies';
import type { PolicyVersion } from '../../../domain/policy/table';
import { isNoticeInForce, minNoticeInForce, NOTICE_EVENTS } from '../../../domain/policy/notices';
import type { ComplaintEventOf } from '../../../domain/complaint';

/** Project events that record the rule tables they were decided under (`policy`, or `policies` on a payment). */
const DECIDED_UNDER_TABLES = ['ProjectNoticePublished', 'ProjectEnteredLibrary', 'ProjectConstructionStarted', 'ProjectPaymentRecorded', 'ProjectSettled'];

const STANDING_EVENTS = ['HouseholdRegistered', 'HouseholdExitAnnounced', 'HouseholdReturnedToPoverty'];

/**
 * Each household's standing when its payment was recorded: the last of its registration, exit and
 * return events before the payment's position, for a batch of payments in one query. Read from the
 * store, whose past does not change, so a rebuild finds the same answer.
 */
const standingsAt = async (trx: Transaction<Database>, asked: readonly { householdId: string; position: number }[]) => {
  if (asked.length === 0) return [];
  const { rows } = await sql<{ i: number; type: string | null }>`
    SELECT p.i, e.type FROM unnest(${asked.map((a) => streamId('household', a.householdId))}::text[], ${asked.map((a) => a.position)}::bigint[]) WITH ORDINALITY AS p(stream_id, pos, i)
      LEFT JOIN LATERAL (SELECT type FROM events WHERE stream_id = p.stream_id AND type = ANY(${STANDING_EVENTS}::text[]) AND position < p.pos
                          ORDER BY stream_version DESC LIMIT 1) e ON true
     ORDER BY p.i`.execute(trx);
  return rows.map((r) => standingAfter(r.type));
};

interface Row {
  event: StoredEvent;
  anomaly_id: string;
  kind: string;
  county_id: string;
  project_id?: string | null;
  fund_id?: string | null;
  allocation_id?: string | null;
  payment_id?: string | null;
  household_id?: string | null;
  payee_account?: string | null;
  amount_fen?: number | null;
  code?: string | null;
  zh?: string | null;
  en?: string | null;
  stage?: string | null;
  detail?: Record<string, unknown>;
}

/**
 * Anomalies an inspector should see, as rows (GET /anomalies adds the ones computed at query time:
 * one payee account paid for several households, from payment_ledger; idle allocations as of a day;
 * overdue stages still at the stage they were escalated in, against project_summary).
 *
 * - CommandRefused whose code is an anomaly (kinds.ts): over-allocation attempts, a settlement
 *   asked before acceptance, a payment the rail confirmed and the books refused.
 * - FundDisbursed for a household (its householdId) never registered at the time, or exited when paid
 *   for a year after the policy period (脱贫不脱政策 to 2020); benefit payments are judged by their
 *   programme's rule in benefit.ts, with the other benefit kinds and backdated steps (倒签).
 * - FundAllocated / FundAllocationReleased / FundDisbursed keep one row per allocation: the money
 *   still unpaid and the business day it last moved (allocated or paid).
 * - ProjectEscalated: the project's latest escalation (stage, level).
 * - ComplaintFiled: its payment, household or round is under an open complaint until ComplaintAnswered
 *   closes it, which removes the row (an answered complaint is the answer's record, not an anomaly).
 * - A project event decided under a rule table that is not in force (a test's or a simulation's
 *   table, or one its starter invented): `policy-not-in-force`, naming the tables; the same for a
 *   notice (公示) of an exit, a return review or a benefit round decided under a shorter notice
 *   than the one in force (domain/policy/notices.ts).
 */
/** What an open complaint flags: the subject it was filed about. */
const COMPLAINT_KIND = { payment: 'payment-under-complaint', household: 'household-under-complaint', round: 'round-under-complaint' } as const;

export const anomalies: Projection = {
  name: 'anomalies',
  table: 'anomalies',
  canHandle: [
    ...new Set([
      'CommandRefused',
      'FundAllocated',
      'FundAllocationReleased',
      'FundDisbursed',
      'ProjectEscalated',
      'ComplaintFiled',
      'ComplaintAnswered',
      ...DECIDED_UNDER_TABLES,
      ...Object.keys(NOTICE_EVENTS),
      ...BENEFIT_ANOMALY_EVENTS,
    ]),
  ],

  async apply(trx: Transaction<Database>, table: string, events: readonly StoredEvent[]): Promise<void> {
    const t = sql.table(table);
    // Rows by id, the later event winning (an escalation replaces the project's last); inserted in one statement.
    const rows = new Map<string, Row>();
    const put = (r: Row) => rows.set(r.anomaly_id, r);
    /** Per allocation: what left it in this batch, and the last payment's day (the day it last moved). */
    const moved = new Map<string, { out: number; paidOn?: string; position: number }>();
    const move = (id: string, amount: number, position: number, paidOn?: string) => {
      const m = moved.get(id) ?? { out: 0, position };
      m.out += amount;
      m.position = position;
      if (paidOn) m.paidOn = paidOn;
      moved.set(id, m);
    };
    const toHouseholds: { event: StoredEvent; data: FundDisbursed['data']; householdId: string }[] = [];
    const county = (e: StoredEvent) => e.metadata.countyId ?? '_';
    const answered = new Set<string>();
    for (const e of events) {
      if (DECIDED_UNDER_TABLES.includes(e.type)) {
        const d = e.data as { projectId: string; policy?: PolicyVersion; policies?: PolicyVersion[] };
        const notInForce = [...(d.policy ? [d.policy] : []), ...(d.policies ?? [])].filter((p) => !isProjectPolicyInForce(p));
        if (notInForce.length > 0) {
          put({
            event: e,
            anomaly_id: `policy:${e.eventId}`,
            kind: 'policy-not-in-force',
            county_id: county(e),
            project_id: d.projectId,
            detail: { eventType: e.type, policies: notInForce.map((p) => `${p.id}@${p.version}`) },
          });
        }
      }
      // An exit's, a return review's or a benefit round's 公示 decided under a shorter notice than the one in force.
      const noticeKind = NOTICE_EVENTS[e.type];
      if (noticeKind) {
        const d = e.data as { minimumSeconds: number; householdId?: string; villageId?: string; countyId?: string; roundId?: string };
        if (!isNoticeInForce(noticeKind, d.minimumSeconds)) {
          put({
            event: e,
            anomaly_id: `policy:${e.eventId}`,
            kind: 'policy-not-in-force',
            county_id: county(e),
            household_id: d.householdId ?? null,
            detail: {
              eventType: e.type,
              policies: [`${noticeKind}-notice@${d.minimumSeconds}s`],
              inForce: `${noticeKind}-notice@${minNoticeInForce(noticeKind)}s`,
              ...(d.villageId ? { villageId: d.villageId } : {}),
              ...(d.roundId ? { roundId: d.roundId } : {}),
            },
          });
        }
      }
      switch (e.type) {
        case 'CommandRefused': {
          const d = e.data as CommandRefusedData;
          const kind = anomalyKindOfRefusal(d.code);
          if (!kind) break;
          put({
            event: e,
            anomaly_id: `refusal:${e.eventId}`,
            kind,
            county_id: d.countyId,
            project_id: d.projectId,
            fund_id: d.fundId ?? null,
            allocation_id: d.allocationId ?? null,
            amount_fen: d.amount ?? null,
            payee_account: d.payee ?? null,
            household_id: d.householdId ?? null,
            code: d.code,
            zh: d.zh,
            en: d.en,
            detail: {
              commandType: d.commandType,
              ...(d.ruleCode ? { ruleCode: d.ruleCode } : {}),
              ...(d.milestone ? { milestone: d.milestone } : {}),
              ...(d.requestId ? { requestId: d.requestId } : {}),
            },
          });
          break;
        }
        case 'FundAllocated': {
          const d = e.data as FundAllocated['data'];
          put({
            event: e,
            anomaly_id: `idle:${d.fundId}:${d.allocationId}`,
            kind: 'idle-allocation',
            county_id: county(e),
            project_id: d.projectId,
            fund_id: d.fundId,
            allocation_id: d.allocationId,
            amount_fen: d.amount,
          });
          break;
        }
        case 'FundAllocationReleased': {
          const d = e.data as FundAllocationReleased['data'];
          // Released money is back in the fund, not idle on the allocation; the day it last moved stays.
          move(`idle:${d.fundId}:${d.allocationId}`, d.amount, e.position);
          break;
        }
        case 'FundDisbursed': {
          const d = e.data as FundDisbursed['data'];
          move(`idle:${d.fundId}:${d.allocationId}`, d.amount, e.position, e.metadata.businessDate);
          if (d.householdId !== undefined && d.milestone !== 'benefit') toHouseholds.push({ event: e, data: d, householdId: d.householdId });
          break;
        }
        case 'ComplaintFiled': {
          const d = e.data as ComplaintEventOf<'ComplaintFiled'>['data'];
          answered.delete(`complaint:${d.complaintId}`);
          put({
            event: e,
            anomaly_id: `complaint:${d.complaintId}`,
            kind: COMPLAINT_KIND[d.subject.kind],
            county_id: d.countyId,
            project_id: d.roundId,
            payment_id: d.paymentId,
            household_id: d.householdId,
            detail: { complaintId: d.complaintId, category: d.category, channel: d.channel, answerBy: d.answerBy },
          });
          break;
        }
        case 'ComplaintAnswered': {
          const d = e.data as ComplaintEventOf<'ComplaintAnswered'>['data'];
          rows.delete(`complaint:${d.complaintId}`);
          answered.add(`complaint:${d.complaintId}`);
          break;
        }
        case 'ProjectEscalated': {
          const d = e.data as ProjectEventOf<'ProjectEscalated'>['data'];
          put({
            event: e,
            anomaly_id: `overdue:${d.projectId}`,
            kind: 'overdue-stage',
            county_id: county(e),
            project_id: d.projectId,
            stage: d.stage,
            detail: { level: d.level, deadlineKind: d.deadlineKind },
          });
          break;
        }
      }
    }
    const standings = await standingsAt(
      trx,
      toHouseholds.map((p) => ({ householdId: p.householdId, position: p.event.position })),
    );
    toHouseholds.forEach(({ event, data: d, householdId }, i) => {
      const standing = standings[i]!;
      if (standing === 'registered') return;
      // 脱贫不脱政策: an exited household keeps its support to the end of the policy period.
      if (standing === 'exited' && Number(event.metadata.businessDate.slice(0, 4)) <= MONITORING.policiesContinueUntilYear.value) return;
      put({
        event,
        anomaly_id: `household:${d.paymentId}`,
        kind: standing === 'exited' ? 'payment-to-exited-household' : 'payment-to-unregistered-household',
        county_id: county(event),
        project_id: d.projectId,
        fund_id: d.fundId,
        allocation_id: d.allocationId,
        payment_id: d.paymentId,
        household_id: householdId,
        payee_account: d.payee,
        amount_fen: d.amount,
        detail: { milestone: d.milestone },
      });
    });
    for (const r of await benefitAnomalies(trx, events)) put(r);
    if (rows.size > 0) {
      const rs = [...rows.values()];
      const col = <T>(f: (r: Row) => T) => rs.map(f);
      await sql`
        INSERT INTO ${t} (anomaly_id, kind, county_id, project_id, fund_id, allocation_id, payment_id, household_id, payee_account, amount_fen, code, zh, en,
                          actor_user_id, actor_role, stage, detail, business_date, recorded_at, position)
        SELECT * FROM unnest(${col((r) => r.anomaly_id)}::text[], ${col((r) => r.kind)}::text[], ${col((r) => r.county_id)}::text[], ${col((r) => r.project_id ?? null)}::text[],
                             ${col((r) => r.fund_id ?? null)}::text[], ${col((r) => r.allocation_id ?? null)}::text[], ${col((r) => r.payment_id ?? null)}::text[],
                             ${col((r) => r.household_id ?? null)}::text[], ${col((r) => r.payee_account ?? null)}::text[], ${col((r) => r.amount_fen ?? null)}::bigint[],
                             ${col((r) => r.code ?? null)}::text[], ${col((r) => r.zh ?? null)}::text[], ${col((r) => r.en ?? null)}::text[],
                             ${col((r) => r.event.metadata.actor.userId)}::text[], ${col((r) => r.event.metadata.actor.role)}::text[], ${col((r) => r.stage ?? null)}::text[],
                             ${col((r) => JSON.stringify(r.detail ?? {}))}::jsonb[], ${col((r) => r.event.metadata.businessDate)}::date[],
                             ${col((r) => r.event.recordedAt)}::timestamptz[], ${col((r) => r.event.position)}::bigint[])
        ON CONFLICT (anomaly_id) DO UPDATE SET kind = excluded.kind, stage = excluded.stage, detail = excluded.detail, actor_user_id = excluded.actor_user_id,
          actor_role = excluded.actor_role, business_date = excluded.business_date, recorded_at = excluded.recorded_at, position = excluded.position
        WHERE ${t}.position < excluded.position`.execute(trx);
    }
    if (answered.size > 0) await sql`DELETE FROM ${t} WHERE anomaly_id = ANY(${[...answered]}::text[])`.execute(trx);
    if (moved.size > 0) {
      // After the inserts: an allocation made and paid in the same batch exists by now.
      const ms = [...moved.entries()];
      await sql`
        UPDATE ${t} SET amount_fen = amount_fen - m.out, business_date = coalesce(m.paid_on, ${t}.business_date), position = m.position
          FROM unnest(${ms.map(([id]) => id)}::text[], ${ms.map(([, m]) => m.out)}::bigint[], ${ms.map(([, m]) => m.paidOn ?? null)}::date[], ${ms.map(([, m]) => m.position)}::bigint[])
            AS m(anomaly_id, out, paid_on, position)
         WHERE ${t}.anomaly_id = m.anomaly_id`.execute(trx);
    }
  },
};
