import { NativeConnection, Worker } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import type { Config } from '../infra/config';
import type { Database } from '../infra/database';
import { createHouseholdActivities } from '../activities/household-activities';
import { createExitActivities } from '../activities/exit-activities';
import { createNoticePolicyActivities } from '../activities/notice-policies';
import { isSimulationNamespace } from '../infra/config';
import { createIdentificationActivities } from '../activities/identification-activities';
import { installTemporalRuntime } from '../infra/temporal-runtime';
import { temporalConnectionOptions } from '../infra/temporal-client';
import { workflowBundle } from './workflow-bundle';
import { workerActorAssertions } from './actor-assertions';
import { stuckStepInterceptor } from '../activities/stuck-steps';
import { tracedActivities, tracedWorkflowSinks } from './traced';
import { workerTuning } from './tuning';

/** The Temporal worker for the exit task queue (identification and exit rounds, village and county exits, return reviews): wiring only. */
export const createExitWorker = async (cfg: Config, db: Kysely<Database>): Promise<{ worker: Worker; connection: NativeConnection }> => {
  installTemporalRuntime();
  const actors = workerActorAssertions(cfg, db);
  const connection = await NativeConnection.connect(temporalConnectionOptions(cfg));
  const worker = await Worker.create({
    connection,
    namespace: cfg.TEMPORAL_NAMESPACE,
    taskQueue: cfg.TEMPORAL_EXIT_TASK_QUEUE,
    workflowBundle: await workflowBundle(),
    activities: {
      ...createHouseholdActivities({ db, actors }),
      ...createExitActivities({ db, actors }),
      ...createIdentificationActivities({ db, actors }),
      ...createNoticePolicyActivities({ simulation: isSimulationNamespace(cfg.TUOPIN_SIMULATION_NAMESPACES, cfg.TEMPORAL_NAMESPACE) }),
    },
    // A step whose activity keeps failing is surfaced from its fifth attempt: logged, counted, and recorded in stuck_steps (GET /anomalies: step-stuck).
    interceptors: { activity: [stuckStepInterceptor({ db }), ...tracedActivities()] },
    ...tracedWorkflowSinks(),
    // On shutdown, activities and Updates under way get this long to finish before they are cancelled (README, Operating it).
    shutdownGraceTime: cfg.SHUTDOWN_GRACE_MS,
    // How soon a task reaches this worker (eager activities): workers/tuning.ts.
    ...workerTuning(),
    // Bounded: the process's memory grows with the workflows kept, not with those ever run (infra/config.ts).
    maxCachedWorkflows: cfg.TEMPORAL_MAX_CACHED_WORKFLOWS,
  });
  return { worker, connection };
};
