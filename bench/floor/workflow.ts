import { condition, defineUpdate, proxyActivities, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { FloorActivities } from './activities';

/**
 * The benches' floors (bench/floor/update-floor.ts): a workflow that only answers Updates, on a task
 * queue of its own. `accepted` returns at once: the floor an accepted step is measured against.
 * `refused` is turned away by its validator (nothing is written: a lower floor than any accepted
 * step can reach). `local` and `activity` await a no-op local or regular activity, to show what
 * each kind of round trip costs on the same server in the same run. Not in the product's bundle.
 */
export const acceptedUpdate = defineUpdate<number, [number]>('accepted');
export const refusedUpdate = defineUpdate<number, [number]>('refused');
export const localUpdate = defineUpdate<number, [number]>('local');
export const activityUpdate = defineUpdate<number, [number]>('activity');

const { noop } = proxyActivities<FloorActivities>({ startToCloseTimeout: '10 seconds' });
const { noop: localNoop } = proxyLocalActivities<FloorActivities>({ startToCloseTimeout: '10 seconds' });

/** Runs until the bench terminates it. */
export async function updateFloor(): Promise<void> {
  setHandler(acceptedUpdate, (n) => Promise.resolve(n));
  setHandler(refusedUpdate, (n) => Promise.resolve(n), {
    validator: (_n: number) => {
      throw new Error('refused by the validator');
    },
  });
  setHandler(localUpdate, (n) => localNoop(n));
  setHandler(activityUpdate, (n) => noop(n));
  await condition(() => false);
}
