import { SpanKind, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import { safeOperationName } from '@sodertorn/service-kit';

/**
 * OpenTelemetry spans of the region's own calls: one per shard call (this
 * package) and one per subgraph fetch (the gateway). Only through @opentelemetry/api: without an SDK registered
 * (see docs/configuration.md, tracing) every span is a no-op. Attributes name the
 * municipality, the operation and the outcome; never variables, documents or
 * error messages, which may carry personal data.
 */
export const TRACER_NAME = '@sodertorn/shard-client';

export const SpanAttributes = {
  MUNICIPALITY_CODE: 'sodertorn.municipality_code',
  SUBGRAPH: 'sodertorn.subgraph',
  OUTCOME: 'sodertorn.outcome',
  FAILURE_KIND: 'sodertorn.failure_kind',
  ATTEMPTS: 'sodertorn.attempts',
  GRAPHQL_ERRORS: 'sodertorn.graphql_errors',
  OPERATION_NAME: 'graphql.operation.name',
  OPERATION_TYPE: 'graphql.operation.type',
} as const;

/**
 * One tracer per name, got once (as OpenTelemetry advises): `trace.getTracer` makes a new proxy
 * tracer on each call while no SDK is registered, and a fan-out makes a span per shard. A proxy
 * tracer finds the SDK's tracer once one is registered, so keeping it is safe.
 */
const tracers = new Map<string, Tracer>();
function tracerNamed(name: string): Tracer {
  let tracer = tracers.get(name);
  if (!tracer) tracers.set(name, (tracer = trace.getTracer(name)));
  return tracer;
}

/**
 * Runs `work` in an active client span named `name` (of the tracer `tracerName`);
 * `work` adds its outcome attributes. A thrown error marks the span failed, with
 * `failureKind` only.
 */
export function inClientSpan<T>(
  name: string,
  attributes: Attributes,
  work: (span: Span) => Promise<T>,
  failureKind: (error: unknown) => string,
  tracerName = TRACER_NAME,
): Promise<T> {
  return tracerNamed(tracerName).startActiveSpan(name, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.setAttribute(SpanAttributes.FAILURE_KIND, failureKind(error));
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** An operation name as the planner or a client gives it; only its shape, bounded, never a value (safeOperationName). */
export function operationNameAttribute(name: string | null | undefined): Attributes {
  const safe = safeOperationName(name);
  return safe ? { [SpanAttributes.OPERATION_NAME]: safe } : {};
}
