import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  trace,
  type Context,
  type Link,
  type Span,
} from '@opentelemetry/api';
import type { DomainEvent, EventSink, NewDomainEvent } from '../domain/domain-event';
import { markFailed } from '../tracing/failed-span';
import { tracer } from '../tracing/tracer';

// Spans through the global API: with tracing off (no provider, no propagator registered) they are no-ops and no
// event is stamped.

/** An event's W3C trace context, as the CloudEvents distributed-tracing extension carries it. */
type TraceContext = Pick<DomainEvent, 'traceparent' | 'tracestate'>;

/** The trace context of `ctx` as the registered propagator writes it; empty when tracing is off. */
function injected(ctx: Context): TraceContext {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  const { traceparent, tracestate } = carrier;
  if (!traceparent) return {};
  return tracestate ? { traceparent, tracestate } : { traceparent };
}

/** An event stamped with `stamp`, unless it already carries a trace context of its own (which is kept). */
function stamped(event: NewDomainEvent, stamp: TraceContext): NewDomainEvent {
  if (event.traceparent || !stamp.traceparent) return event;
  // A tracestate without its traceparent means nothing: it is replaced with the stamp's (or dropped).
  const result: { -readonly [K in keyof NewDomainEvent]: NewDomainEvent[K] } = { ...event, ...stamp };
  if (!stamp.tracestate) delete result.tracestate;
  return result;
}

/**
 * Runs `append` (the outbox inserts) inside an `outbox append` span (PRODUCER: it creates the messages) and hands
 * it the events stamped with that span's trace context, so each event's consumer span is a child of this one
 * (the CloudEvents distributed-tracing extension). An event that already has a `traceparent` keeps it. The span
 * says which types and how many events, never their data.
 */
export function inAppendSpan<T>(
  events: readonly NewDomainEvent[],
  append: (stampedEvents: readonly NewDomainEvent[]) => Promise<T>,
): Promise<T> {
  const attributes = {
    'messaging.operation.type': 'create',
    'messaging.batch.message_count': events.length,
    'ecom.event.types': [...new Set(events.map((event) => event.type))],
  };
  return tracer().startActiveSpan('outbox append', { kind: SpanKind.PRODUCER, attributes }, async (span) => {
    try {
      const stamp = injected(context.active());
      return await append(events.map((event) => stamped(event, stamp)));
    } catch (error) {
      markFailed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Starts the `<type> publish` spans (PRODUCER) of events about to be sent: one per type and trace context, each a
 * child of the context the events carry, so the publishing shows in the trace that appended them (an event with
 * none is a child of the active span). A span parented elsewhere links to the active span (a relay run's own).
 */
function startPublishSpans(events: readonly DomainEvent[]): Span[] {
  const groups = new Map<string, DomainEvent[]>();
  for (const event of events) {
    const key = `${event.type} ${event.traceparent ?? ''} ${event.tracestate ?? ''}`;
    const group = groups.get(key);
    if (group) group.push(event);
    else groups.set(key, [event]);
  }
  const active = context.active();
  const activeSpan = trace.getSpanContext(active);
  const links: Link[] = activeSpan && trace.isSpanContextValid(activeSpan) ? [{ context: activeSpan }] : [];
  return [...groups.values()].map((group) => {
    const [first] = group as [DomainEvent, ...DomainEvent[]];
    const { traceparent, tracestate } = first;
    const parent = traceparent
      ? propagation.extract(ROOT_CONTEXT, { traceparent, ...(tracestate ? { tracestate } : {}) })
      : active;
    return tracer().startSpan(
      `${first.type} publish`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.operation.type': 'send',
          'messaging.batch.message_count': group.length,
          'cloudevents.event_type': first.type,
          ...(group.length === 1 ? { 'cloudevents.event_id': first.id } : {}),
        },
        ...(traceparent ? { links } : {}),
      },
      parent,
    );
  });
}

/** `sink.publish(events)` inside their publish spans ({@link startPublishSpans}), which end when the sink answers. */
export async function publishTraced(sink: EventSink, events: readonly DomainEvent[]): Promise<void> {
  const spans = startPublishSpans(events);
  try {
    await sink.publish(events);
  } catch (error) {
    for (const span of spans) markFailed(span, error);
    throw error;
  } finally {
    for (const span of spans) span.end();
  }
}
