import { sql, type Kysely } from 'kysely';
import type { Database } from '../infra/database';
import { connectNats, jetstreamManager } from '../infra/nats';
import type { BookedPayment, RailPayment, StoreEvent, StreamMessage } from './checks';

/** What the fault run's checks read: the store's events, JetStream's messages, the rail's payments and the books'. */
export const storeEvents = async (db: Kysely<Database>): Promise<StoreEvent[]> => {
  const { rows } = await sql<{ position: string; event_id: string; stream_id: string; version: string }>`
    SELECT position::text, event_id, stream_id, stream_version::text AS version FROM events ORDER BY position`.execute(db);
  return rows.map((r) => ({ position: Number(r.position), eventId: r.event_id, streamId: r.stream_id, version: Number(r.version) }));
};

export const streamMessages = async (natsUrl: string, stream: string): Promise<StreamMessage[]> => {
  const nc = await connectNats(natsUrl, 'tuopin-chaos-check');
  try {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(stream);
    const out: StreamMessage[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
      const m = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
      if (m) out.push({ seq, msgId: m.header?.get('Nats-Msg-Id') || null });
    }
    return out;
  } finally {
    await nc.close();
  }
};

export const railPayments = async (db: Kysely<Database>): Promise<RailPayment[]> => {
  const { rows } = await sql<{ key: string; from_account: string; to_account: string; amount: string; transfers: string }>`
    SELECT i.idempotency_key AS key, i.from_account, i.to_account, i.amount_fen::text AS amount,
           (SELECT count(*) FROM rail_transfers t WHERE t.instruction_id = i.instruction_id AND t.kind = 'payment')::text AS transfers
      FROM rail_instructions i WHERE i.state = 'confirmed'`.execute(db);
  return rows.map((r) => ({ key: r.key, fromAccount: r.from_account, toAccount: r.to_account, amountFen: Number(r.amount), transfers: Number(r.transfers) }));
};

export const bookedPayments = async (db: Kysely<Database>): Promise<BookedPayment[]> => {
  const { rows } = await sql<{ type: string; stream_id: string; data: Record<string, unknown> }>`
    SELECT type, stream_id, data FROM events WHERE type IN ('FundDisbursed', 'ProjectPaymentRecorded', 'BenefitPaymentsRecorded') ORDER BY position`.execute(db);
  return rows.flatMap((r): BookedPayment[] => {
    const d = r.data as Record<string, string | number | undefined> & { payments?: { paymentId: string; amount: number; householdId: string }[] };
    if (r.type === 'FundDisbursed') return [{ key: String(d.paymentId), side: 'fund', streamId: r.stream_id, amountFen: Number(d.amount), purpose: '' }];
    if (r.type === 'ProjectPaymentRecorded')
      return [
        {
          key: String(d.paymentId),
          side: 'process',
          streamId: r.stream_id,
          amountFen: Number(d.amount),
          purpose: `${r.stream_id} ${d.milestone} ${d.milestoneId ?? ''} ${d.allocationId}`,
        },
      ];
    return (d.payments ?? []).map((p) => ({ key: p.paymentId, side: 'process' as const, streamId: r.stream_id, amountFen: p.amount, purpose: `${r.stream_id} ${p.householdId}` }));
  });
};

/** Confirmations the rail delivered more than once (the confirmTwice switch). */
export const doubleConfirmations = async (db: Kysely<Database>): Promise<number> => {
  const { rows } = await sql<{ c: string }>`SELECT count(*)::text AS c FROM rail_confirmations WHERE delivery > 1`.execute(db);
  return Number(rows[0]!.c);
};

/** Payments the rail rejected with `code` whose key matches `pattern` (has a standing fail*1 switch been used?). */
export const rejectedMatching = async (db: Kysely<Database>, code: string, pattern: RegExp): Promise<boolean> => {
  const { rows } = await sql<{ key: string }>`SELECT idempotency_key AS key FROM rail_instructions WHERE state = 'rejected' AND reject_code = ${code}`.execute(db);
  return rows.some((r) => pattern.test(r.key));
};
