import { NativeConnection, Worker } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import type { Config } from '../infra/config';
import type { Database } from '../infra/database';
import { createProjectActivities } from '../activities/project-activities';
import { createFundActivities } from '../activities/fund-activities';
import { createPaymentActivities } from '../activities/payment-activities';
import { createPaymentStepActivities } from '../activities/payment-step';
import { createBenefitActivities } from '../activities/benefit-activities';
import { createNoticePolicyActivities } from '../activities/notice-policies';
import { createComplaintActivities } from '../activities/complaint-activities';
import { createTreasuryLedgerRail } from '../infra/payment-rail';
import { isSimulationNamespace } from '../infra/config';
import { workerActorAssertions } from './actor-assertions';
import { installTemporalRuntime } from '../infra/temporal-runtime';
import { temporalConnectionOptions } from '../infra/temporal-client';
import { workflowBundle } from './workflow-bundle';
import { stuckStepInterceptor } from '../activities/stuck-steps';
import { tracedActivities, tracedWorkflowSinks } from './traced';
import { projectWorkerTuning, workerTuning } from './tuning';

/** The Temporal worker for the project task queue: wiring only. */
export const createProjectWorker = async (cfg: Config, db: Kysely<Database>): Promise<{ worker: Worker; connection: NativeConnection }> => {
  installTemporalRuntime();
  const rail = createTreasuryLedgerRail(db, cfg);
  const actors = workerActorAssertions(cfg, db);
  const simulation = isSimulationNamespace(cfg.TUOPIN_SIMULATION_NAMESPACES, cfg.TEMPORAL_NAMESPACE);
  const connection = await NativeConnection.connect(temporalConnectionOptions(cfg));
  const funds = createFundActivities({ db, actors });
  // The built-in rail; TUOPIN_RAIL_SWITCHES makes it fail, time out or answer twice (infra/payment-rail/README.md).
  const payments = createPaymentActivities({ rail });
  const worker = await Worker.create({
    connection,
    namespace: cfg.TEMPORAL_NAMESPACE,
    taskQueue: cfg.TEMPORAL_TASK_QUEUE,
    workflowBundle: await workflowBundle(),
    activities: {
      ...createProjectActivities({ db, actors, simulation }),
      ...funds,
      ...payments,
      // A project's payment in one activity: check, rail, record.
      ...createPaymentStepActivities({ funds, payments }),
      // Benefit rounds (到户) pay households through the same rail.
      ...createBenefitActivities({ db, rail, actors }),
      // A benefit round's 公示 terms: those in force outside a simulation namespace.
      ...createNoticePolicyActivities({ simulation }),
      // Complaints (申诉、投诉举报): their escalations and answers.
      ...createComplaintActivities({ db, actors }),
    },
    // A step whose activity keeps failing is surfaced from its fifth attempt: logged, counted, and recorded in stuck_steps (GET /anomalies: step-stuck).
    interceptors: { activity: [stuckStepInterceptor({ db }), ...tracedActivities()] },
    ...tracedWorkflowSinks(),
    // On shutdown, activities and Updates under way get this long to finish before they are cancelled (README, Operating it).
    shutdownGraceTime: cfg.SHUTDOWN_GRACE_MS,
    // How soon a task reaches this worker (eager activities): workers/tuning.ts.
    ...workerTuning(),
    // Workflow tasks held at once, fewer than the SDK's default: workers/tuning.ts.
    ...projectWorkerTuning(),
    // Bounded: the process's memory grows with the workflows kept, not with those ever run (infra/config.ts).
    maxCachedWorkflows: cfg.TEMPORAL_MAX_CACHED_WORKFLOWS,
  });
  return { worker, connection };
};
