/**
 * The fault run's own checks, beside the simulation's (sim/verify.ts): pure functions over what was
 * read from the store, JetStream and the rail, so a spec can feed them a broken record and see them
 * fail (checks.unit.spec.ts).
 */
export interface Finding {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface StoreEvent {
  readonly position: number;
  readonly eventId: string;
  readonly streamId: string;
  readonly version: number;
}

export interface StreamMessage {
  readonly seq: number;
  /** Nats-Msg-Id: the event id the relay published. */
  readonly msgId: string | null;
}

const n = (x: number) => x.toLocaleString('en-US');
const firstFew = (xs: readonly string[]) => (xs.length === 0 ? '' : `${xs.slice(0, 3).join(', ')}${xs.length > 3 ? ` (+${xs.length - 3})` : ''}`);

/**
 * No event lost or duplicated: event ids unique, each stream's versions 1..n with no gap or repeat,
 * and JetStream holds every event of the store once, in the store's order, and nothing else.
 */
export const checkEvents = (events: readonly StoreEvent[], messages: readonly StreamMessage[]): Finding[] => {
  const ids = new Map<string, number>();
  const duplicates: string[] = [];
  for (const e of events) {
    if (ids.has(e.eventId)) duplicates.push(e.eventId);
    ids.set(e.eventId, e.position);
  }
  const versions = new Map<string, number[]>();
  for (const e of events) versions.set(e.streamId, [...(versions.get(e.streamId) ?? []), e.version]);
  const gaps: string[] = [];
  for (const [stream, vs] of versions) {
    const sorted = [...vs].sort((a, b) => a - b);
    if (sorted.some((v, i) => v !== i + 1)) gaps.push(`${stream} [${sorted.slice(0, 6).join(',')}${sorted.length > 6 ? ',…' : ''}]`);
  }
  const seen = new Map<string, number>();
  const onStreamTwice: string[] = [];
  const noId: number[] = [];
  for (const m of messages) {
    if (m.msgId === null) {
      noId.push(m.seq);
      continue;
    }
    if (seen.has(m.msgId)) onStreamTwice.push(m.msgId);
    seen.set(m.msgId, m.seq);
  }
  const missing = events.filter((e) => !seen.has(e.eventId)).map((e) => `${e.eventId}@${e.position}`);
  const extra = [...seen.keys()].filter((id) => !ids.has(id));
  // The relay publishes in the store's commit order; positions are handed out before commit, so order is compared by JetStream sequence against the order the store assigned within each stream.
  const outOfStreamOrder: string[] = [];
  const lastVersion = new Map<string, number>();
  const byId = new Map(events.map((e) => [e.eventId, e]));
  for (const m of [...messages].sort((a, b) => a.seq - b.seq)) {
    const e = m.msgId ? byId.get(m.msgId) : undefined;
    if (!e) continue;
    if ((lastVersion.get(e.streamId) ?? 0) >= e.version) outOfStreamOrder.push(`${e.streamId}@${e.version}`);
    lastVersion.set(e.streamId, e.version);
  }
  return [
    {
      name: '事件唯一 store: event ids unique, stream versions contiguous',
      ok: duplicates.length === 0 && gaps.length === 0,
      detail:
        duplicates.length === 0 && gaps.length === 0
          ? `${n(events.length)} events in ${n(versions.size)} streams, each stream 1..n without gap or repeat`
          : `${duplicates.length} duplicated ids ${firstFew(duplicates)}; ${gaps.length} streams with gaps or repeats ${firstFew(gaps)}`,
    },
    {
      name: '事件无丢失无重复 store = JetStream',
      ok: missing.length === 0 && extra.length === 0 && onStreamTwice.length === 0 && noId.length === 0 && outOfStreamOrder.length === 0,
      detail:
        missing.length === 0 && extra.length === 0 && onStreamTwice.length === 0 && noId.length === 0 && outOfStreamOrder.length === 0
          ? `${n(messages.length)} messages = ${n(events.length)} events, each once, each stream in order`
          : `missing from JetStream ${missing.length} ${firstFew(missing)}; not in the store ${extra.length} ${firstFew(extra)}; on JetStream twice ${onStreamTwice.length} ${firstFew(onStreamTwice)}; without msg id ${noId.length}; out of stream order ${outOfStreamOrder.length} ${firstFew(outOfStreamOrder)}`,
    },
  ];
};

/** A transfer the rail made: its instruction's key, and what it paid. */
export interface RailPayment {
  readonly key: string;
  readonly fromAccount: string;
  readonly toAccount: string;
  readonly amountFen: number;
  /** Transfers booked for this instruction (the ledger's UNIQUE allows one). */
  readonly transfers: number;
}

/** A payment recorded in the store: on the fund's stream (FundDisbursed) or the payer's (ProjectPaymentRecorded, BenefitPaymentsRecorded). */
export interface BookedPayment {
  readonly key: string;
  readonly side: 'fund' | 'process';
  readonly streamId: string;
  readonly amountFen: number;
  /** What the payment was for, beyond its key: a project's milestone and allocation, a round's household. */
  readonly purpose: string;
}

/**
 * Every payment the rail made is recorded exactly once on each of its two streams, for its amount;
 * nothing is recorded that the rail did not pay; no instruction was transferred twice, and no
 * purpose (a project's milestone from one allocation, a household in a round) was paid under two keys.
 */
export const checkPayments = (rail: readonly RailPayment[], booked: readonly BookedPayment[]): Finding[] => {
  const paidKeys = new Map(rail.map((r) => [r.key, r]));
  const transferredTwice = rail.filter((r) => r.transfers !== 1).map((r) => `${r.key}×${r.transfers}`);
  const count = (side: BookedPayment['side']) => {
    const m = new Map<string, BookedPayment[]>();
    for (const b of booked.filter((x) => x.side === side)) m.set(b.key, [...(m.get(b.key) ?? []), b]);
    return m;
  };
  const fund = count('fund');
  const process = count('process');
  const notOnce: string[] = [];
  const wrongAmount: string[] = [];
  for (const r of rail) {
    const f = fund.get(r.key) ?? [];
    const p = process.get(r.key) ?? [];
    if (f.length !== 1 || p.length !== 1) notOnce.push(`${r.key} (fund ${f.length}, process ${p.length})`);
    if ([...f, ...p].some((b) => b.amountFen !== r.amountFen)) wrongAmount.push(r.key);
  }
  const unpaid = [...new Set(booked.map((b) => b.key))].filter((k) => !paidKeys.has(k));
  const purposes = new Map<string, string[]>();
  for (const b of booked.filter((x) => x.side === 'process')) purposes.set(b.purpose, [...new Set([...(purposes.get(b.purpose) ?? []), b.key])]);
  const paidTwice = [...purposes].filter(([, keys]) => keys.length > 1).map(([purpose, keys]) => `${purpose}: ${keys.join(' + ')}`);
  const amount = rail.reduce((s, r) => s + r.amountFen, 0);
  return [
    {
      name: '支付恰好一次 every rail payment recorded once on both streams',
      ok: notOnce.length === 0 && wrongAmount.length === 0 && unpaid.length === 0,
      detail:
        notOnce.length === 0 && wrongAmount.length === 0 && unpaid.length === 0
          ? `${n(rail.length)} payments (${(amount / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })} 元), each once on its fund's stream and once on its project's or round's`
          : `not exactly once ${notOnce.length} ${firstFew(notOnce)}; amounts differ ${wrongAmount.length} ${firstFew(wrongAmount)}; recorded but not paid ${unpaid.length} ${firstFew(unpaid)}`,
    },
    {
      name: '无重复支付 nothing paid twice',
      ok: transferredTwice.length === 0 && paidTwice.length === 0,
      detail:
        transferredTwice.length === 0 && paidTwice.length === 0
          ? `${n(rail.length)} instructions, one transfer each; ${n(purposes.size)} purposes, one key each`
          : `instructions not transferred exactly once ${transferredTwice.length} ${firstFew(transferredTwice)}; purposes paid under two keys ${paidTwice.length} ${firstFew(paidTwice)}`,
    },
  ];
};

/** Each figure of the fault run against the fault-free run of the same seed: the paths where they differ. */
export const diffFigures = (reference: unknown, faulted: unknown, at = ''): string[] => {
  if (typeof reference !== 'object' || reference === null || typeof faulted !== 'object' || faulted === null)
    return reference === faulted ? [] : [`${at || '(root)'}: ${JSON.stringify(reference)} ≠ ${JSON.stringify(faulted)}`];
  if (Array.isArray(reference) !== Array.isArray(faulted)) return [`${at}: shapes differ`];
  const keys = [...new Set([...Object.keys(reference), ...Object.keys(faulted)])];
  return keys.flatMap((k) => diffFigures((reference as Record<string, unknown>)[k], (faulted as Record<string, unknown>)[k], at ? `${at}.${k}` : k));
};
