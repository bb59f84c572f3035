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

/**
 * The project worker's workflow tasks held at once: 10, not the SDK's 40. Its workflows run on one
 * thread (reuseV8Context), so tasks held beyond what that thread keeps busy only wait there, inside
 * their 10 s start-to-close; a new project's first task (the workflow built, then two local
 * activities) then timed out and ran again from its history, which loaded the thread more. Held
 * back, a task waits on the server's queue instead, where no timeout runs. Measured side by side
 * (README, "where a whole project's CPU goes"): the hot-fund lane at load 25–30 finished every
 * project with 10, and lost 186 of 192 to Update timeouts at 32 and 64 in flight with 40; workflow
 * tasks over 5 s, 103 against 1,052.
 */
export const projectWorkerTuning = (): Pick<WorkerOptions, 'maxConcurrentWorkflowTaskExecutions'> => ({
  maxConcurrentWorkflowTaskExecutions: 10,
});
