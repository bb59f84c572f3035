import { sql, type Kysely } from 'kysely';
import type { Database } from '../infra/database';
import { isIdle, type AnomalyKind } from '../infra/projections/anomalies/kinds';

/** One anomaly as GET /anomalies returns it. */
export interface Anomaly {
  readonly anomalyId: string;
  readonly kind: AnomalyKind;
  readonly countyId: string;
  readonly projectId: string | null;
  readonly fundId: string | null;
  readonly allocationId: string | null;
  readonly paymentId: string | null;
  readonly householdId: string | null;
  readonly payeeAccount: string | null;
  readonly amountFen: number | null;
  /** The refusal's code and messages, for refused attempts. */
  readonly code: string | null;
  readonly zh: string | null;
  readonly en: string | null;
  /** Who acted (the refused actor, the payer, the process escalating); null for what no one event did. */
  readonly actor: { readonly userId: string; readonly role: string } | null;
  readonly stage: string | null;
  readonly detail: Record<string, unknown>;
  /** The fact's business day; for an idle allocation, the day its money last moved. */
  readonly businessDate: string;
  readonly position: number;
}

export interface AnomalyFilter {
  readonly county?: string | undefined;
  readonly kind?: AnomalyKind | undefined;
  /** `YYYY-MM-DD`: the day idleness is judged on. */
  readonly asOf: string;
}

/** The most anomalies one page may hold (GET /anomalies?limit=). */
export const ANOMALY_PAGE_MAX = 1000;

/** An anomaly's place in the listing's order (position, then id), as the next page's `after`. */
export const anomalyCursor = (a: Pick<Anomaly, 'position' | 'anomalyId'>): string => Buffer.from(`${a.position}\n${a.anomalyId}`).toString('base64url');
const fromCursor = (cursor: string): { position: number; anomalyId: string } | null => {
  const [p, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('\n');
  const position = Number(p);
  return Number.isSafeInteger(position) && rest.length > 0 ? { position, anomalyId: rest.join('\n') } : null;
};
const byPlace = (x: Pick<Anomaly, 'position' | 'anomalyId'>, y: Pick<Anomaly, 'position' | 'anomalyId'>): number =>
  x.position - y.position || (x.anomalyId < y.anomalyId ? -1 : x.anomalyId > y.anomalyId ? 1 : 0);

/**
 * One page of the listing: at most `limit` anomalies after the cursor. The read model's rows are
 * read in batches from the cursor on (keyset on position, id) until the page is full, since the
 * day asked and another read model drop some of them; the shared payee accounts are few and
 * computed whole, then merged in order.
 */
export const listAnomaliesPage = async (
  db: Kysely<Database>,
  f: AnomalyFilter,
  page: { readonly limit: number; readonly after?: string | undefined },
): Promise<{ items: Anomaly[]; next: string | null }> => {
  const after = page.after === undefined ? null : fromCursor(page.after);
  const past = (a: Pick<Anomaly, 'position' | 'anomalyId'>) => after === null || byPlace(a, after) > 0;
  const items: Anomaly[] = [];
  let from = after;
  for (;;) {
    const batch = await anomalyRows(db, f, { after: from, limit: page.limit + 1 });
    items.push(...batch.items);
    if (items.length > page.limit || batch.exhausted) break;
    from = batch.last;
  }
  if (wants(f, 'shared-payee-account')) items.push(...(await sharedPayees(db, f)).filter(past));
  if (wants(f, 'step-stuck')) items.push(...(await stuckSteps(db, f, { after, limit: page.limit + 1 })));
  items.sort(byPlace);
  const shown = items.slice(0, page.limit);
  return { items: shown, next: items.length > page.limit ? anomalyCursor(shown.at(-1)!) : null };
};

const wants = (f: AnomalyFilter, kind: AnomalyKind) => f.kind === undefined || f.kind === kind;

/**
 * Rows of the anomalies read model, with what only the question's day decides (idle allocations),
 * what another read model holds (whether an escalated project is still at that stage) and what is
 * a relation between payments (one payee account for several households, from payment_ledger).
 */
export const listAnomalies = async (db: Kysely<Database>, f: AnomalyFilter): Promise<Anomaly[]> => {
  const { items } = await anomalyRows(db, f, { after: null, limit: null });
  if (wants(f, 'shared-payee-account')) items.push(...(await sharedPayees(db, f)));
  return items.sort(byPlace);
};

/** The read model's rows in (position, id) order after `after`, up to `limit` rows read, filtered by what only the day and the project decide. */
const anomalyRows = async (
  db: Kysely<Database>,
  f: AnomalyFilter,
  page: { readonly after: { position: number; anomalyId: string } | null; readonly limit: number | null },
): Promise<{ items: Anomaly[]; exhausted: boolean; last: { position: number; anomalyId: string } | null }> => {
  let q = db
    .selectFrom('anomalies as a')
    .leftJoin('project_summary as p', 'p.project_id', 'a.project_id')
    .select([
      'a.anomaly_id',
      'a.kind',
      'a.county_id',
      'a.project_id',
      'a.fund_id',
      'a.allocation_id',
      'a.payment_id',
      'a.household_id',
      'a.payee_account',
      'a.amount_fen',
      'a.code',
      'a.zh',
      'a.en',
      'a.actor_user_id',
      'a.actor_role',
      'a.stage',
      'a.detail',
      sql<string>`a.business_date::text`.as('business_date'),
      'a.position',
      'p.stage as current_stage',
    ]);
  if (f.county) q = q.where('a.county_id', '=', f.county);
  if (f.kind) q = q.where('a.kind', '=', f.kind);
  const after = page.after;
  if (after) q = q.where(sql<boolean>`(a.position, a.anomaly_id COLLATE "C") > (${after.position}::bigint, ${after.anomalyId} COLLATE "C")`);
  let ordered = q.orderBy('a.position').orderBy(sql`a.anomaly_id COLLATE "C"`);
  if (page.limit !== null) ordered = ordered.limit(page.limit);
  const rows = await ordered.execute();
  const lastRow = rows.at(-1);
  const last = lastRow ? { position: Number(lastRow.position), anomalyId: lastRow.anomaly_id } : null;
  const exhausted = page.limit === null || rows.length < page.limit;
  const items: Anomaly[] = [];
  for (const r of rows) {
    const amountFen = r.amount_fen === null ? null : Number(r.amount_fen);
    // An allocation row is an anomaly only once idle as of the day asked; an escalation only while the project is still at that stage.
    if (r.kind === 'idle-allocation' && !isIdle(amountFen ?? 0, r.business_date, f.asOf)) continue;
    if (r.kind === 'overdue-stage' && r.current_stage !== r.stage) continue;
    items.push({
      anomalyId: r.anomaly_id,
      kind: r.kind as AnomalyKind,
      countyId: r.county_id,
      projectId: r.project_id,
      fundId: r.fund_id,
      allocationId: r.allocation_id,
      paymentId: r.payment_id,
      householdId: r.household_id,
      payeeAccount: r.payee_account,
      amountFen,
      code: r.code,
      zh: r.zh,
      en: r.en,
      actor: r.kind === 'idle-allocation' ? null : { userId: r.actor_user_id, role: r.actor_role },
      stage: r.stage,
      detail: r.detail,
      businessDate: r.business_date,
      position: Number(r.position),
    });
  }
  return { items, exhausted, last };
};

const STUCK_TEXT = {
  retrying: (n: number, type: string) => ({ zh: `步骤 ${type} 第 ${n} 次尝试仍失败，仍在重试`, en: `step ${type} still failing at attempt ${n}, still retried` }),
  failed: (n: number, type: string) => ({
    zh: `步骤 ${type} 尝试 ${n} 次后失败，流程停在此步，须人工处理`,
    en: `step ${type} failed after ${n} attempts: the process stopped there and needs a person`,
  }),
  recovered: (n: number, type: string) => ({ zh: `步骤 ${type} 曾反复失败，第 ${n} 次尝试后完成`, en: `step ${type} kept failing, then succeeded at attempt ${n}` }),
} as const;

/**
 * Steps whose activity kept failing, from the worker's `stuck_steps` (activities/stuck-steps.ts),
 * not from the store: the append such a step keeps trying is exactly what may not go in. Each is
 * placed at the store's head when it was first seen stuck; read in the listing's keyset order.
 * Left out of reports at a position (services/report.ts): they are the operation's, not the books'.
 */
const stuckSteps = async (
  db: Kysely<Database>,
  f: AnomalyFilter,
  page: { readonly after: { position: number; anomalyId: string } | null; readonly limit: number },
): Promise<Anomaly[]> => {
  const id = sql<string>`('step-stuck:' || s.workflow_id || ':' || s.run_id || ':' || s.activity_id)`;
  let q = db
    .selectFrom('stuck_steps as s')
    .select([
      id.as('anomaly_id'),
      's.workflow_id',
      's.run_id',
      's.activity_id',
      's.activity_type',
      's.county_id',
      's.project_id',
      's.fund_id',
      's.household_id',
      's.state',
      's.attempts',
      's.max_attempts',
      's.error_type',
      's.error_message',
      sql<string>`s.first_at::text`.as('first_at'),
      sql<string>`s.last_at::text`.as('last_at'),
      sql<string>`((s.first_at AT TIME ZONE 'Asia/Shanghai')::date)::text`.as('day'),
      's.position',
    ]);
  if (f.county) q = q.where('s.county_id', '=', f.county);
  if (page.after) q = q.where(sql<boolean>`(s.position, ${id} COLLATE "C") > (${page.after.position}::bigint, ${page.after.anomalyId} COLLATE "C")`);
  const rows = await q
    .orderBy('s.position')
    .orderBy(sql`${id} COLLATE "C"`)
    .limit(page.limit)
    .execute();
  return rows.map((r) => ({
    anomalyId: r.anomaly_id,
    kind: 'step-stuck' as const,
    countyId: r.county_id ?? '',
    projectId: r.project_id,
    fundId: r.fund_id,
    allocationId: null,
    paymentId: null,
    householdId: r.household_id,
    payeeAccount: null,
    amountFen: null,
    code: r.error_type,
    ...STUCK_TEXT[r.state](r.attempts, r.activity_type),
    actor: null,
    stage: r.state,
    detail: {
      workflowId: r.workflow_id,
      runId: r.run_id,
      activityId: r.activity_id,
      activityType: r.activity_type,
      state: r.state,
      attempts: r.attempts,
      maxAttempts: r.max_attempts,
      error: r.error_message,
      firstAt: r.first_at,
      lastAt: r.last_at,
    },
    businessDate: r.day,
    position: Number(r.position),
  }));
};

/** One payee account paid for several households: a relation between payments, from payment_ledger. */
const sharedPayees = async (db: Kysely<Database>, f: AnomalyFilter): Promise<Anomaly[]> => {
  const items: Anomaly[] = [];
  {
    let s = db
      .selectFrom('payment_ledger')
      .select([
        'county_id',
        'payee_account',
        sql<string[]>`array_agg(DISTINCT household_id ORDER BY household_id)`.as('households'),
        sql<string[]>`array_agg(payment_id ORDER BY position)`.as('payments'),
        sql<string>`sum(amount_fen)`.as('fen'),
        sql<string>`max(business_date)::text`.as('last_date'),
        sql<string>`max(position)`.as('last_position'),
      ])
      .where('household_id', 'is not', null)
      .groupBy(['county_id', 'payee_account'])
      .having(sql<boolean>`count(DISTINCT household_id) > 1`);
    if (f.county) s = s.where('county_id', '=', f.county);
    for (const r of await s.execute()) {
      items.push({
        anomalyId: `shared-payee:${r.county_id}:${r.payee_account}`,
        kind: 'shared-payee-account',
        countyId: r.county_id,
        projectId: null,
        fundId: null,
        allocationId: null,
        paymentId: null,
        householdId: null,
        payeeAccount: r.payee_account,
        amountFen: Number(r.fen),
        code: null,
        zh: null,
        en: null,
        actor: null,
        stage: null,
        detail: { households: r.households, payments: r.payments },
        businessDate: r.last_date,
        position: Number(r.last_position),
      });
    }
  }
  return items;
};
