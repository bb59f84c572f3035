import { AsyncLocalStorage } from 'node:async_hooks';
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type ContextManager,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor, type ReadableSpan, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';

/**
 * OpenTelemetry traces, off by default: on only where `OTEL_EXPORTER_OTLP_ENDPOINT` is configured
 * (OTLP over HTTP), or where a test passes its own exporter. When on, one trace follows a command
 * from the API's request through the Temporal client's Update, the workflow and its activities
 * (@temporalio/interceptors-opentelemetry carries the context in Temporal's headers) to the
 * store's append. When off, the global tracer is OpenTelemetry's no-op and nothing is bundled into
 * the workflows.
 */
export interface Tracing {
  readonly processor: SpanProcessor;
  readonly resource: Resource;
  readonly provider: BasicTracerProvider;
}

let active: Tracing | undefined;

/**
 * OpenTelemetry's context kept in Node's AsyncLocalStorage, so a span stays the active one across
 * awaits (what @opentelemetry/context-async-hooks does; the OTel API alone keeps none).
 */
class AsyncContext implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return this.storage.run(ctx, () => fn.apply(thisArg, args));
  }
  bind<T>(ctx: Context, target: T): T {
    if (typeof target !== 'function') return target;
    const run = (self: unknown, args: unknown[]): unknown => this.with(ctx, () => (target as (...a: unknown[]) => unknown).apply(self, args));
    return function (this: unknown, ...args: unknown[]) {
      return run(this, args);
    } as T;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.storage.disable();
    return this;
  }
}

export const tracer = (): Tracer => trace.getTracer('tuopin');

/** Tracing as started in this process, or undefined when off. */
export const tracing = (): Tracing | undefined => active;

/** Starts tracing for this process when an endpoint (or, in tests, an exporter) is given; returns whether it is on. */
export const startTracing = (service: string, opts: { readonly endpoint?: string | undefined; readonly exporter?: SpanExporter }): boolean => {
  if (active) return true;
  if (!opts.exporter && !opts.endpoint) return false;
  const resource = new Resource({ 'service.name': service });
  const processor = opts.exporter
    ? new SimpleSpanProcessor(opts.exporter)
    : new BatchSpanProcessor(new OTLPTraceExporter({ url: `${opts.endpoint!.replace(/\/$/, '')}/v1/traces` }));
  const provider = new BasicTracerProvider({ resource, spanProcessors: [processor] });
  // The request's span must stay the active one across awaits, for the Temporal client to carry it into the Update.
  provider.register({ contextManager: new AsyncContext() });
  active = { processor, resource, provider };
  return true;
};

/** Flushes and ends tracing (at shutdown, so the last spans are exported). */
export const stopTracing = async (): Promise<void> => {
  const t = active;
  active = undefined;
  await t?.provider.shutdown();
  // The globals too: a later test file in the same process starts with tracing off.
  if (t) {
    trace.disable();
    context.disable();
    propagation.disable();
  }
};

/** Runs `fn` in a span of its own (a child of the active one); a failure is recorded on the span and passed on. */
export const inSpan = <T>(name: string, attributes: Attributes, fn: () => Promise<T>): Promise<T> =>
  tracer().startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn();
    } catch (e) {
      span.recordException(e instanceof Error ? e : String(e));
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw e;
    } finally {
      span.end();
    }
  });

/** Adds attributes to the active span (a no-op when tracing is off or no span is active). */
export const spanAttributes = (attributes: Attributes): void => {
  trace.getActiveSpan()?.setAttributes(attributes);
};

/** A server span for one request, and a way to run its handling with that span active. */
export const serverSpan = (name: string, attributes: Attributes): { span: Span; run(fn: () => void): void } => {
  const span = tracer().startSpan(name, { kind: SpanKind.SERVER, attributes });
  return { span, run: (fn) => context.with(trace.setSpan(context.active(), span), fn) };
};

/** A finished span as another thread can receive it (structured-cloneable): its context as data, without its resource. */
export type SentSpan = Omit<ReadableSpan, 'spanContext' | 'resource'> & { readonly context: ReturnType<ReadableSpan['spanContext']> };

/**
 * Tracing in a thread of the process (workers/delivery-thread.ts) whose spans go to the thread that
 * started it (`send`), to be exported there with its own (`receiveSpans`): one exporter per process,
 * and a test's in-memory exporter sees the relay's and the projectors' spans as it did in one thread.
 */
export const forwardSpans = (service: string, send: (spans: SentSpan[]) => void): boolean =>
  startTracing(service, {
    exporter: {
      export: (spans, done) => {
        // Field by field: a span's fields are partly getters of its class, which a spread or a clone passes over.
        send(
          spans.map((s) => ({
            name: s.name,
            kind: s.kind,
            context: s.spanContext(),
            ...(s.parentSpanId === undefined ? {} : { parentSpanId: s.parentSpanId }),
            startTime: s.startTime,
            endTime: s.endTime,
            status: s.status,
            attributes: s.attributes,
            links: s.links,
            events: s.events,
            duration: s.duration,
            ended: s.ended,
            instrumentationLibrary: s.instrumentationLibrary,
            droppedAttributesCount: s.droppedAttributesCount,
            droppedEventsCount: s.droppedEventsCount,
            droppedLinksCount: s.droppedLinksCount,
          })),
        );
        done({ code: 0 });
      },
      shutdown: () => Promise.resolve(),
    },
  });

/** Spans another thread forwarded (`forwardSpans`), ended here as this process's own. */
export const receiveSpans = (spans: readonly SentSpan[]): void => {
  const t = active;
  if (!t) return;
  for (const { context: ctx, ...rest } of spans) t.processor.onEnd({ ...rest, spanContext: () => ctx, resource: t.resource });
};
