import { NativeConnection, Worker } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import type { Config } from '../infra/config';
import type { Database } from '../infra/database';
import { createProjectActivities } from '../activities/project-activities';

/** The Temporal worker for the project task queue: wiring only. */
export const createProjectWorker = async (cfg: Config, db: Kysely<Database>, taskQueue = cfg.TEMPORAL_TASK_QUEUE): Promise<Worker> => {
  const connection = await NativeConnection.connect({ address: cfg.TEMPORAL_ADDRESS });
  return Worker.create({
    connection,
    namespace: cfg.TEMPORAL_NAMESPACE,
    taskQueue,
    workflowsPath: require.resolve('../workflows'),
    activities: createProjectActivities({ db }),
  });
};
