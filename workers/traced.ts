import { OpenTelemetryActivityInboundInterceptor, makeWorkflowExporter } from '@temporalio/interceptors-opentelemetry/lib/worker';
import type { ActivityInterceptorsFactory, InjectedSinks } from '@temporalio/worker';
import { tracing } from '../infra/tracing';

/** With tracing on: each activity runs in a span, a child of the workflow's that started it (from Temporal's headers). */
export const tracedActivities = (): ActivityInterceptorsFactory[] => (tracing() ? [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx) })] : []);

/** With tracing on: the sink the workflow interceptors (workers/workflow-bundle.ts) export their spans through. */
export const tracedWorkflowSinks = (): { sinks?: InjectedSinks<Record<string, never>> } => {
  const t = tracing();
  return t ? { sinks: { exporter: makeWorkflowExporter(t.processor, t.resource) } as unknown as InjectedSinks<Record<string, never>> } : {};
};
