import { temporal } from '@temporalio/proto';
import { percentile } from './stats';

/**
 * Where an Update's time goes, read from its workflow's history: each hop between the events an
 * Update leaves (the workflow task that accepted it, the activity it scheduled, the queue waits, the
 * workflow task that completed it). Sums over many Updates give the p50 of each hop.
 */
type Event = temporal.api.history.v1.IHistoryEvent;
const E = temporal.api.enums.v1.EventType;
const T = {
  WFT_SCHEDULED: E.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
  ACT_SCHEDULED: E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
  ACT_STARTED: E.EVENT_TYPE_ACTIVITY_TASK_STARTED,
  ACT_COMPLETED: E.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
  UPDATE_ACCEPTED: E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
  UPDATE_COMPLETED: E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED,
} as const;

const ms = (e: Event): number => {
  const t = e.eventTime!;
  return Number(t.seconds ?? 0) * 1000 + (t.nanos ?? 0) / 1e6;
};
const typeOf = (e: Event): number => (typeof e.eventType === 'number' ? e.eventType : E[e.eventType as unknown as keyof typeof E] as number);

export const HOPS = [
  'accept (validator task: scheduled → completed)',
  'activity queue (scheduled → started)',
  'activity run (started → completed)',
  'between activities (completed → next scheduled)',
  'completing task (activity done → Update completed)',
] as const;
export type Hop = (typeof HOPS)[number];

/** Adds each Update's hops in `history` to `into` (ms per hop, one entry per Update; activity hops summed over its activities). */
export const addUpdateHops = (history: { events?: Event[] | null }, into: Map<Hop, number[]>): void => {
  const events = history.events ?? [];
  for (let i = 0; i < events.length; i++) {
    if (typeOf(events[i]!) !== T.UPDATE_ACCEPTED) continue;
    // The accepting workflow task: the last WFT_SCHEDULED before the acceptance.
    let j = i;
    while (j > 0 && typeOf(events[j]!) !== T.WFT_SCHEDULED) j--;
    const hop: Record<Hop, number> = Object.fromEntries(HOPS.map((h) => [h, 0])) as Record<Hop, number>;
    hop[HOPS[0]] = ms(events[i]!) - ms(events[j]!);
    let lastDone = ms(events[i]!);
    let k = i + 1;
    const scheduled = new Map<number, number>();
    for (; k < events.length && typeOf(events[k]!) !== T.UPDATE_COMPLETED; k++) {
      const e = events[k]!;
      const t = typeOf(e);
      if (t === T.ACT_SCHEDULED) {
        scheduled.set(Number(e.eventId), ms(e));
        hop[HOPS[3]] += ms(e) - lastDone;
      } else if (t === T.ACT_STARTED) {
        const s = scheduled.get(Number(e.activityTaskStartedEventAttributes!.scheduledEventId));
        if (s !== undefined) hop[HOPS[1]] += ms(e) - s;
        lastDone = ms(e);
      } else if (t === T.ACT_COMPLETED) {
        hop[HOPS[2]] += ms(e) - lastDone;
        lastDone = ms(e);
      }
    }
    if (k >= events.length) continue;
    hop[HOPS[4]] = ms(events[k]!) - lastDone;
    // The first activity's scheduling belongs to the accepting task (0 ms apart).
    for (const h of HOPS) into.set(h, [...(into.get(h) ?? []), hop[h]]);
  }
};

export const hopLines = (hops: Map<Hop, number[]>): string[] =>
  HOPS.map((h) => {
    const s = [...(hops.get(h) ?? [])].sort((a, b) => a - b);
    return `  ${h.padEnd(52)} p50 ${percentile(s, 50).toFixed(0).padStart(5)} ms  p95 ${percentile(s, 95).toFixed(0).padStart(5)} ms  mean ${(s.reduce((a, b) => a + b, 0) / Math.max(1, s.length)).toFixed(0).padStart(5)} ms`;
  });
