import path from 'node:path';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { temporalLogger } from '../infra/temporal-runtime';

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/**
 * Both task queues run the same workflow code (workflows/index.ts); bundling it once per process
 * instead of once per worker halves a worker process's start-up.
 */
export const workflowBundle = (): Promise<WorkflowBundleWithSourceMap> =>
  (bundle ??= bundleWorkflowCode({ workflowsPath: path.resolve(__dirname, '../workflows'), logger: temporalLogger }));
