/**
 * A CloudEvent as our services emit it: the attributes ARCHITECTURE.md fixes for every event
 * (`type` com.ecom.<aggregate>.<past-tense>, `source` /ecom/<service>/<function>, `subject` the aggregate id,
 * the `partitionkey` extension) and JSON data. Driver-free, so domain code can build events.
 */
export interface DomainEvent {
  /** Unique per event and stable across re-publication: consumers deduplicate on it. */
  readonly id: string;
  readonly type: string;
  readonly source: string;
  readonly subject: string;
  /** Kafka message key: events with the same key keep their order (one partition). */
  readonly partitionKey: string;
  readonly time: Date;
  readonly data: Readonly<Record<string, unknown>>;
  /**
   * W3C trace context of the work that appended the event (the outbox's `outbox append` span, or one the producer
   * set), carried as the CloudEvents distributed-tracing extension `traceparent`: a consumer's span is its child.
   */
  readonly traceparent?: string;
  /** The W3C `tracestate` beside {@link traceparent} (vendor entries, up to 512 characters), when there is one. */
  readonly tracestate?: string;
}

/** What a producer states; the outbox assigns `id` and `time` when not given. */
export type NewDomainEvent = Omit<DomainEvent, 'id' | 'time'> & {
  readonly id?: string;
  readonly time?: Date;
};

/** Port: something that delivers events downstream (Kafka, or the broker ingress K_SINK). */
export interface EventSink {
  /** Resolves once every event is durably accepted, in the given order per partition key; throws otherwise. */
  publish(events: readonly DomainEvent[]): Promise<void>;
  close(): Promise<void>;
}

/** An event of `definition` about `subject` (its partition key too), its data validated against the definition's schema. */
export const domainEvent = (
  definition: { type: string; source: string; data: { parse(value: unknown): unknown } },
  subject: string,
  time: Date,
  data: Record<string, unknown>,
  source = definition.source,
): NewDomainEvent => ({
  type: definition.type,
  source,
  subject,
  partitionKey: subject,
  time,
  data: definition.data.parse(data) as Record<string, unknown>,
});
