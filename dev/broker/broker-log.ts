import type { CloudEvent } from 'cloudevents';
import type { DeadLetter } from './dead-letter';
import type { EventFilter } from './event-filter';

/**
 * What a Trigger does with each event of the log, in order. Resolving means the event reached its final outcome
 * (delivered, filtered out, or dead-lettered) and its position may be committed; rejecting (the signal aborted:
 * the broker is closing) leaves the position where it was, so the event is delivered again after a restart.
 */
export type EventHandler = (event: CloudEvent<unknown>, signal: AbortSignal) => Promise<void>;

/**
 * The broker's append-only event log and its dead letters: the Kafka topic of a Knative Kafka broker, or the
 * embedded SQLite log of the local stack. Both give each consumer group at-least-once, in-order delivery.
 */
export interface BrokerLog {
  /** Appends events durably, in order (events with the same `partitionkey` keep their order). */
  append(events: readonly CloudEvent<unknown>[]): Promise<void>;
  /**
   * Starts delivering to `handler` as consumer group `group`, one event at a time per partition, from the
   * group's committed position; a new group starts at the end of the log (as Knative initialises a Trigger's
   * offsets when it becomes ready). Resolves once the subscription is live: later appends reach it. `wanted` is
   * the Trigger's filter when the handler applies one: the log may then pass over an event it refuses without
   * decoding it (its position still advances), where the handler would have refused it anyway.
   */
  subscribe(group: string, handler: EventHandler, wanted?: EventFilter): Promise<void>;
  /**
   * Like `subscribe`, over the dead letters kept (the DLQ topic): what a KafkaSource on that topic reads. A new group
   * starts at the end (the KafkaSource's `initialOffset: latest`).
   */
  subscribeDeadLetters(group: string, handler: EventHandler): Promise<void>;
  /** Keeps a dead-letter event (see dead-letter.ts) durably. */
  keepDeadLetter(event: CloudEvent<unknown>): Promise<void>;
  /** Every dead letter kept so far, oldest first. */
  deadLetters(): Promise<DeadLetter[]>;
  /** Stops every subscription (in-flight deliveries are abandoned, not committed) and releases the log. */
  close(): Promise<void>;
}
