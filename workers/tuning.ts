import type { WorkerOptions } from '@temporalio/worker';

/**
 * The worker settings that decide how soon a task reaches the worker (README, "Where an approval's
 * time goes"). Every worker of ours takes them, and so do the benches' floors (bench/floor), so a
 * floor is measured under the settings it is compared with.
 *
 * - Eager activities: the activity a workflow task schedules comes back in the answer to that
 *   task's completion, when the server allows it (`system.enableActivityEagerExecution`, which
 *   infra/stack sets on the dev server), instead of through the task queue and a poller.
 */
export const workerTuning = (): Pick<WorkerOptions, 'maxEagerActivityReservationsPerWorkflowTask'> => ({
  maxEagerActivityReservationsPerWorkflowTask: 3,
});
