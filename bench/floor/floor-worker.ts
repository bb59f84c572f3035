import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Config } from '../../infra/config';
import { temporalConnectionOptions } from '../../infra/temporal-client';
import { installTemporalRuntime, temporalLogger } from '../../infra/temporal-runtime';
import { workerTuning } from '../../workers/tuning';
import { floorActivities } from './activities';

export interface FloorWorker {
  readonly taskQueue: string;
  stop(): Promise<void>;
}

/**
 * A worker of the floors' own (bench/floor/workflow.ts, no-op activities) on a task queue of its own
 * named after `label`, under the product's worker settings (workers/tuning.ts) and `extra`: a floor is
 * measured under the settings of what it is compared with.
 */
export const startFloorWorker = async (cfg: Config, label: string, extra: Partial<WorkerOptions> = {}): Promise<FloorWorker> => {
  installTemporalRuntime();
  const taskQueue = `${label}-${randomBytes(4).toString('hex')}`;
  const connection = await NativeConnection.connect(temporalConnectionOptions(cfg));
  const worker = await Worker.create({
    connection,
    namespace: cfg.TEMPORAL_NAMESPACE,
    taskQueue,
    workflowBundle: await bundleWorkflowCode({ workflowsPath: path.join(__dirname, 'workflow.ts'), logger: temporalLogger }),
    activities: floorActivities,
    ...workerTuning(),
    ...extra,
  });
  const running = worker.run();
  return {
    taskQueue,
    stop: async () => {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
};
