import { allHandlersFinished, condition, defineUpdate, patched, proxyActivities, proxyLocalActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import { TuopinCategory, TuopinCounty, TuopinCountyName, TuopinFiscalYear, TuopinStage } from '../../workflows/search-attributes';
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

export const floorStepUpdate = defineUpdate<number, [number]>('floorStep');
export const floorFundUpdate = defineUpdate<number, [number]>('floorFund');

/**
 * A whole project's Temporal work and nothing else (bench/floor/project-floor.ts): the shape of
 * `projectLifecycle` (docs/performance.md, "what a project is") with every activity a no-op. Its
 * start upserts the county's four attributes, marks one patch and runs two local activities (the
 * tables, the proposal's append) and shows the stage; each step Update runs one local activity (the
 * step's append) and shows the stage; each fund Update (allocations and payments) awaits one
 * activity. It ends after `steps` steps and `funds` fund Updates.
 */
export async function projectFloor(n: { steps: number; funds: number }): Promise<number> {
  let steps = 0;
  let funds = 0;
  const stage = (i: number) => upsertSearchAttributes([{ key: TuopinStage, value: `floor-${i}` }]);
  setHandler(floorStepUpdate, async (i) => {
    await localNoop(i);
    stage(i);
    steps += 1;
    return i;
  });
  setHandler(floorFundUpdate, async (i) => {
    await noop(i);
    funds += 1;
    return i;
  });
  upsertSearchAttributes([
    { key: TuopinCounty, value: 'floor' },
    { key: TuopinCategory, value: 'floor' },
    { key: TuopinFiscalYear, value: 2016 },
    { key: TuopinCountyName, value: 'floor' },
  ]);
  patched('project-floor');
  await localNoop(0);
  await localNoop(0);
  stage(0);
  await condition(() => steps >= n.steps && funds >= n.funds);
  await condition(allHandlersFinished);
  return steps + funds;
}
