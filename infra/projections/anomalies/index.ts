import { sql, type Kysely, type Transaction } from 'kysely';
import type { FundAllocated, FundAllocationReleased, FundDisbursed } from '../../../domain/fund/events';
import type { ProjectEventOf } from '../../../domain/project';
import type { CommandRefusedData } from '../../../domain/refusal/events';
import { payeeParts } from '../../../domain/payment/payee';
import type { Database } from '../../database';
import { streamId } from '../../eventstore/stream-id';
import type { StoredEvent } from '../../eventstore/types';
import type { Projection } from '../projection';
import { anomalyKindOfRefusal, standingAfter } from './kinds';

const STANDING_EVENTS = ['HouseholdRegistered', 'HouseholdExitAnnounced', 'HouseholdReturnedToPoverty'];

/**
 * The household's standing when the payment was recorded: the last of its registration, exit and
 * return events before the payment's position. Read from the store, whose past does not change, so
 * a rebuild finds the same answer.
 */
const standingAt = async (trx: Transaction<Database>, householdId: string, position: number) => {
  const { rows } = await sql<{ type: string }>`
    SELECT type FROM events WHERE stream_id = ${streamId('household', householdId)} AND type = ANY(${STANDING_EVENTS}::text[]) AND position < ${position}
     ORDER BY stream_version DESC LIMIT 1`.execute(trx);
  return standingAfter(rows[0]?.type ?? null);
};

interface Row {
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
 * - FundDisbursed to a household payee that was exited or never registered at the time.
 * - FundAllocated / FundAllocationReleased / FundDisbursed keep one row per allocation: the money
 *   still unpaid and the business day it last moved (allocated or paid).
 * - ProjectEscalated: the project's latest escalation (stage, level).
 */
export const anomalies: Projection = {
  name: 'anomalies',
  table: 'anomalies',
  canHandle: ['CommandRefused', 'FundAllocated', 'FundAllocationReleased', 'FundDisbursed', 'ProjectEscalated'],

  async createTable(db: Kysely<Database>, table: string): Promise<void> {
    await sql`
      CREATE TABLE ${sql.table(table)} (
        anomaly_id text PRIMARY KEY,
        kind text NOT NULL,
        county_id text NOT NULL,
        project_id text,
        fund_id text,
        allocation_id text,
        payment_id text,
        household_id text,
        payee_account text,
        amount_fen bigint,
        code text,
        zh text,
        en text,
        actor_user_id text NOT NULL,
        actor_role text NOT NULL,
        stage text,
        detail jsonb NOT NULL DEFAULT '{}',
        business_date date NOT NULL,
        recorded_at timestamptz NOT NULL,
        position bigint NOT NULL
      )`.execute(db);
    await sql`CREATE INDEX ${sql.id(`${table}_county_kind`)} ON ${sql.table(table)} (county_id, kind, position)`.execute(db);
  },

  async apply(trx: Transaction<Database>, table: string, events: readonly StoredEvent[]): Promise<void> {
    const t = sql.table(table);
    const insert = async (e: StoredEvent, r: Row) => {
      await sql`
        INSERT INTO ${t} (anomaly_id, kind, county_id, project_id, fund_id, allocation_id, payment_id, household_id, payee_account, amount_fen, code, zh, en,
                          actor_user_id, actor_role, stage, detail, business_date, recorded_at, position)
        VALUES (${r.anomaly_id}, ${r.kind}, ${r.county_id}, ${r.project_id ?? null}, ${r.fund_id ?? null}, ${r.allocation_id ?? null}, ${r.payment_id ?? null},
                ${r.household_id ?? null}, ${r.payee_account ?? null}, ${r.amount_fen ?? null}, ${r.code ?? null}, ${r.zh ?? null}, ${r.en ?? null},
                ${e.metadata.actor.userId}, ${e.metadata.actor.role}, ${r.stage ?? null}, ${JSON.stringify(r.detail ?? {})}::jsonb,
                ${e.metadata.businessDate}::date, ${e.recordedAt}::timestamptz, ${e.position})
        ON CONFLICT (anomaly_id) DO UPDATE SET kind = excluded.kind, stage = excluded.stage, detail = excluded.detail, actor_user_id = excluded.actor_user_id,
          actor_role = excluded.actor_role, business_date = excluded.business_date, recorded_at = excluded.recorded_at, position = excluded.position
        WHERE ${t}.position < excluded.position`.execute(trx);
    };
    const county = (e: StoredEvent) => e.metadata.countyId ?? '_';
    // Events one at a time, in commit order: an allocation's row is created, paid down and released in the order it happened.
    for (const e of events) {
      switch (e.type) {
        case 'CommandRefused': {
          const d = e.data as CommandRefusedData;
          const kind = anomalyKindOfRefusal(d.code);
          if (!kind) break;
          await insert(e, {
            anomaly_id: `refusal:${e.eventId}`,
            kind,
            county_id: d.countyId,
            project_id: d.projectId,
            fund_id: d.fundId ?? null,
            allocation_id: d.allocationId ?? null,
            amount_fen: d.amount ?? null,
            ...(d.payee ? { payee_account: payeeParts(d.payee).account, household_id: payeeParts(d.payee).householdId } : {}),
            code: d.code,
            zh: d.zh,
            en: d.en,
            detail: { commandType: d.commandType, ...(d.ruleCode ? { ruleCode: d.ruleCode } : {}), ...(d.milestone ? { milestone: d.milestone } : {}), ...(d.requestId ? { requestId: d.requestId } : {}) },
          });
          break;
        }
        case 'FundAllocated': {
          const d = e.data as FundAllocated['data'];
          await insert(e, { anomaly_id: `idle:${d.fundId}:${d.allocationId}`, kind: 'idle-allocation', county_id: county(e), project_id: d.projectId, fund_id: d.fundId, allocation_id: d.allocationId, amount_fen: d.amount });
          break;
        }
        case 'FundAllocationReleased': {
          const d = e.data as FundAllocationReleased['data'];
          // Released money is back in the fund, not idle on the allocation; the day it last moved stays.
          await sql`UPDATE ${t} SET amount_fen = amount_fen - ${d.amount}, position = ${e.position} WHERE anomaly_id = ${`idle:${d.fundId}:${d.allocationId}`}`.execute(trx);
          break;
        }
        case 'FundDisbursed': {
          const d = e.data as FundDisbursed['data'];
          await sql`UPDATE ${t} SET amount_fen = amount_fen - ${d.amount}, business_date = ${e.metadata.businessDate}::date, position = ${e.position}
                     WHERE anomaly_id = ${`idle:${d.fundId}:${d.allocationId}`}`.execute(trx);
          const payee = payeeParts(d.payee);
          if (!payee.householdId) break;
          const standing = await standingAt(trx, payee.householdId, e.position);
          if (standing === 'registered') break;
          await insert(e, {
            anomaly_id: `household:${d.paymentId}`,
            kind: standing === 'exited' ? 'payment-to-exited-household' : 'payment-to-unregistered-household',
            county_id: county(e),
            project_id: d.projectId,
            fund_id: d.fundId,
            allocation_id: d.allocationId,
            payment_id: d.paymentId,
            household_id: payee.householdId,
            payee_account: payee.account,
            amount_fen: d.amount,
            detail: { milestone: d.milestone },
          });
          break;
        }
        case 'ProjectEscalated': {
          const d = e.data as ProjectEventOf<'ProjectEscalated'>['data'];
          await insert(e, {
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
  },
};
