import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
} from '@opentelemetry/api';
import {
  CLOUDEVENTS_EVENT_ID,
  CLOUDEVENTS_EVENT_TYPE,
  DELIVERY_ATTEMPT,
  DELIVERY_DUPLICATE,
  DELIVERY_OUTCOME,
  DELIVERY_RETRY,
  ERROR_TYPE,
  MESSAGING_OPERATION_TYPE,
  MESSAGING_SYSTEM,
} from './span-attributes';
import { tracer } from './tracer';

/** What the consumer did with a delivery: applied it, recognised it as already applied, or refused it. */
export type DeliveryOutcomeName = 'processed' | 'duplicate' | 'refused';

/** The CONSUMER span of one delivered event, and the context its subscription runs in (the span active). */
export interface ConsumerSpan {
  readonly span: Span;
  readonly context: Context;
}

/** The attributes of a delivered event that the span reads; `traceparent` and `tracestate` are its extensions. */
export interface TracedEvent {
  readonly id: string;
  readonly type: string;
  readonly traceparent?: unknown;
  readonly tracestate?: unknown;
}

/**
 * Starts the span of one delivery, child of the span that appended the event (its CloudEvents distributed-tracing
 * extension: `traceparent`, `tracestate`), so one order's saga is one trace across functions. An event that could
 * not be parsed has no type nor context to continue: its span is a root named for the failure. A redelivery after a
 * failure this instance answered (`attempt` > 1, delivery-attempts.ts) is marked as a retry, in the same trace.
 */
export function startConsumerSpan(event: TracedEvent | undefined, attempt = 1): ConsumerSpan {
  const carrier: Record<string, string> = {};
  if (typeof event?.traceparent === 'string') carrier['traceparent'] = event.traceparent;
  if (typeof event?.tracestate === 'string') carrier['tracestate'] = event.tracestate;
  const parent = propagation.extract(context.active(), carrier);
  const span = tracer().startSpan(
    `${event?.type ?? 'cloudevent'} process`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        // The Knative Kafka broker delivers it; the event came through a Kafka topic.
        [MESSAGING_SYSTEM]: 'kafka',
        [MESSAGING_OPERATION_TYPE]: 'process',
        ...(event ? { [CLOUDEVENTS_EVENT_ID]: event.id, [CLOUDEVENTS_EVENT_TYPE]: event.type } : {}),
        [DELIVERY_ATTEMPT]: attempt,
        ...(attempt > 1 ? { [DELIVERY_RETRY]: true } : {}),
      },
    },
    parent,
  );
  return { span, context: trace.setSpan(parent, span) };
}

/**
 * Ends the span with the outcome and the status answered. A duplicate is a redelivery of an event handled before
 * (possibly by another instance): a retry too. A 5xx (retried by the broker) is an error.
 */
export function endConsumerSpan(span: Span, outcome: DeliveryOutcomeName, status: number): void {
  span.setAttribute(DELIVERY_OUTCOME, outcome);
  if (outcome === 'duplicate') span.setAttribute(DELIVERY_DUPLICATE, true).setAttribute(DELIVERY_RETRY, true);
  if (status >= 500) span.setAttribute(ERROR_TYPE, String(status)).setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}
