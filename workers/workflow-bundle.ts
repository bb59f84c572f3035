import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { config } from '../infra/config';
import { temporalLogger } from '../infra/temporal-runtime';
import { tracing } from '../infra/tracing';

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

const build = (): Promise<WorkflowBundleWithSourceMap> =>
  bundleWorkflowCode({
    workflowsPath: path.resolve(__dirname, '../workflows'),
    logger: temporalLogger,
    // Evaluated once per worker sandbox and shared by every run it keeps, not once per run: zod, the
    // domain and the messages (workflows/shared-modules.ts says which and why they are safe to share).
    preloadModules: [path.resolve(__dirname, '../workflows/shared-modules.ts')],
    // Tracing on: the workflow's spans (its run, each Update, each activity it starts), exported through the worker's sink.
    ...(tracing() ? { workflowInterceptorModules: [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')] } : {}),
  });

/**
 * Both task queues run the same workflow code (workflows/index.ts); bundling it once per process
 * instead of once per worker halves a worker process's start-up. With TUOPIN_WORKFLOW_BUNDLE the
 * process loads a bundle built beforehand (writeWorkflowBundle) and bundles nothing: what a
 * supervisor that restarts workers often (npm run chaos) wants.
 */
export const workflowBundle = (): Promise<WorkflowBundleWithSourceMap> => {
  const prebuilt = config().TUOPIN_WORKFLOW_BUNDLE;
  return (bundle ??= prebuilt ? Promise.resolve(JSON.parse(readFileSync(prebuilt, 'utf8')) as WorkflowBundleWithSourceMap) : build());
};

/** Bundles the workflow code once and writes it where TUOPIN_WORKFLOW_BUNDLE can name it. */
export const writeWorkflowBundle = async (file: string): Promise<void> => {
  const b = await build();
  writeFileSync(file, JSON.stringify({ code: b.code, sourceMap: b.sourceMap }));
};
