import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTracing, stopTracing } from './tracing';
import { startTestStack, type TestStack } from '../test/support/stack';
import { startTestApi, type TestApi } from '../test/support/api';
import { startProject, TOWNSHIP } from '../test/support/project-walk';
import { until } from '../test/support/until';

jest.setTimeout(180_000);

/**
 * One approval through the API, traced with an in-memory exporter: the request's span, the
 * client's Update, the workflow's handling of it, the activity it runs and the store's append
 * are one trace, each span the child of the one before.
 */
describe('traces (OpenTelemetry)', () => {
  const exporter = new InMemorySpanExporter();
  let stack: TestStack;
  let api: TestApi;
  beforeAll(async () => {
    // Before the stack: its worker bundles the workflow interceptors and its client carries spans only when tracing is on.
    expect(startTracing('tuopin-test', { exporter })).toBe(true);
    stack = await startTestStack('trace');
    api = await startTestApi(stack);
  });
  afterAll(async () => {
    await api?.app.close();
    await stack?.stop();
    await stopTracing();
  });

  it("link an approval's request, Update, workflow, activity and append in one trace", async () => {
    const h = await startProject(stack);
    const projectId = h.workflowId.replace(/^project-/, '');
    exporter.reset();
    const r = await api.app.inject({
      method: 'POST',
      url: `/projects/${projectId}/steps`,
      headers: await api.bearer(TOWNSHIP),
      payload: { type: 'ApproveAtTownship', data: { opinion: '同意' } },
    });
    expect(r.statusCode).toBe(200);
    const spans = await until('the request’s and the append’s spans', () => exporter.getFinishedSpans(), {
      ok: (done) => done.some((s) => s.name === 'POST /projects/:id/steps') && done.some((s) => s.name === 'tuopin.append'),
      intervalMs: 100,
    });
    const request = spans.find((s) => s.name === 'POST /projects/:id/steps');
    expect(request).toBeDefined();
    const trace = spans.filter((s) => s.spanContext().traceId === request!.spanContext().traceId);
    const byId = new Map(trace.map((s) => [s.spanContext().spanId, s]));
    const chainOf = (s: ReadableSpan): string[] => {
      const names: string[] = [];
      for (let at: ReadableSpan | undefined = s; at; at = at.parentSpanId ? byId.get(at.parentSpanId) : undefined) names.unshift(at.name);
      return names;
    };
    const append = trace.find((s) => s.name === 'tuopin.append' && chainOf(s)[0] === request!.name);
    expect(append && chainOf(append)).toEqual([
      'POST /projects/:id/steps',
      'StartWorkflowUpdate:projectStep',
      'HandleUpdate:projectStep',
      'StartActivity:appendProjectEvents',
      'RunActivity:appendProjectEvents',
      'tuopin.append',
    ]);
  });
});
