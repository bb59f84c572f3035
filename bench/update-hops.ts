import { temporal } from '@temporalio/proto';
import { percentile } from './stats';

/**
 * Where an Update's time goes, read from its workflow's history: each hop between the events an
 * Update leaves (the workflow task that took it, queued and run; any regular activity it scheduled,
 * queued and run; the task that completed it), and what the caller saw beyond them (its round trip
 * to the server). The p50 of each hop over many Updates.
 */
type Event = temporal.api.history.v1.IHistoryEvent;
const E = temporal.api.enums.v1.EventType;

const ms = (e: Event): number => {
  const t = e.eventTime!;
  return Number(t.seconds ?? 0) * 1000 + (t.nanos ?? 0) / 1e6;
};
const typeOf = (e: Event): number => (typeof e.eventType === 'number' ? e.eventType : (E[e.eventType as unknown as keyof typeof E] as number));

export const HOPS = [
  'taking task queued (scheduled → started)',
  'taking task run (workflow code, any local activity)',
  'activity task queued (scheduled → started)',
  'activity run (started → completed)',
  'completing task (activity done → Update completed)',
  'outside the tasks (caller ↔ server)',
] as const;
export type Hop = (typeof HOPS)[number];

/**
 * Adds the hops of each Update in `history` to `into`. `seen` are the caller's round trips of the
 * workflow's Updates in the order it sent them (one at a time, all accepted), matched to the
 * acceptances in the history's order.
 */
export const addUpdateHops = (history: { events?: Event[] | null }, seen: readonly number[], into: Map<Hop, number[]>): void => {
  const events = history.events ?? [];
  let nth = 0;
  for (let i = 0; i < events.length; i++) {
    if (typeOf(events[i]!) !== E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED) continue;
    // The task that took it: the last one scheduled before the acceptance.
    let j = i;
    while (j > 0 && typeOf(events[j]!) !== E.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED) j--;
    const started = events.slice(j, i).find((e) => typeOf(e) === E.EVENT_TYPE_WORKFLOW_TASK_STARTED);
    const completed = events.slice(j, i).find((e) => typeOf(e) === E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
    if (!started || !completed) continue;
    const hop = Object.fromEntries(HOPS.map((h) => [h, 0])) as Record<Hop, number>;
    hop[HOPS[0]] = ms(started) - ms(events[j]!);
    hop[HOPS[1]] = ms(completed) - ms(started);
    let lastDone = ms(events[i]!);
    const scheduled = new Map<number, number>();
    let k = i + 1;
    for (; k < events.length && typeOf(events[k]!) !== E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED; k++) {
      const e = events[k]!;
      const t = typeOf(e);
      if (t === E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) scheduled.set(Number(e.eventId), ms(e));
      else if (t === E.EVENT_TYPE_ACTIVITY_TASK_STARTED) {
        const s = scheduled.get(Number(e.activityTaskStartedEventAttributes!.scheduledEventId));
        if (s !== undefined) hop[HOPS[2]] += ms(e) - s;
        lastDone = ms(e);
      } else if (t === E.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
        hop[HOPS[3]] += ms(e) - lastDone;
        lastDone = ms(e);
      }
    }
    if (k >= events.length) continue;
    if (scheduled.size > 0) hop[HOPS[4]] = ms(events[k]!) - lastDone;
    const inHistory = ms(events[k]!) - ms(events[j]!);
    const caller = seen[nth++];
    if (caller !== undefined) hop[HOPS[5]] = Math.max(0, caller - inHistory);
    for (const h of HOPS) into.set(h, [...(into.get(h) ?? []), hop[h]]);
  }
};

export const hopLines = (hops: Map<Hop, number[]>): string[] =>
  HOPS.filter((h) => (hops.get(h) ?? []).some((x) => x > 0)).map((h) => {
    const s = [...(hops.get(h) ?? [])].sort((a, b) => a - b);
    const mean = s.reduce((a, b) => a + b, 0) / Math.max(1, s.length);
    return `  ${h.padEnd(52)} p50 ${percentile(s, 50).toFixed(0).padStart(5)} ms  p95 ${percentile(s, 95).toFixed(0).padStart(5)} ms  mean ${mean.toFixed(0).padStart(5)} ms`;
  });

/**
 * The workflow task after each completed activity (the one that answers an Update awaiting it): activity
 * done → task scheduled, scheduled → started (its queue) and started → completed (the worker's run).
 */
export const secondTask = (history: { events?: Event[] | null }): { sched: number[]; queued: number[]; run: number[] } => {
  const ev = history.events ?? [];
  const out = { sched: [] as number[], queued: [] as number[], run: [] as number[] };
  for (let i = 0; i < ev.length; i++) {
    if (typeOf(ev[i]!) !== E.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) continue;
    const s = ev.slice(i + 1).find((e) => typeOf(e) === E.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
    const st = ev.slice(i + 1).find((e) => typeOf(e) === E.EVENT_TYPE_WORKFLOW_TASK_STARTED);
    const c = ev.slice(i + 1).find((e) => typeOf(e) === E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
    if (!s || !st || !c) continue;
    out.sched.push(ms(s) - ms(ev[i]!));
    out.queued.push(ms(st) - ms(s));
    out.run.push(ms(c) - ms(st));
  }
  return out;
};
