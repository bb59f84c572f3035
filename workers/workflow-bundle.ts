import path from 'node:path';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { temporalLogger } from '../infra/temporal-runtime';
import { tracing } from '../infra/tracing';

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/**
 * Both task queues run the same workflow code (workflows/index.ts); bundling it once per process
 * instead of once per worker halves a worker process's start-up.
 */
export const workflowBundle = (): Promise<WorkflowBundleWithSourceMap> =>
  (bundle ??= bundleWorkflowCode({
    workflowsPath: path.resolve(__dirname, '../workflows'),
    logger: temporalLogger,
    // Tracing on: the workflow's spans (its run, each Update, each activity it starts), exported through the worker's sink.
    ...(tracing() ? { workflowInterceptorModules: [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')] } : {}),
  }));
