/** How many failed attempts of one event an instance keeps in mind, at most: the oldest are forgotten first. */
const DEFAULT_CAPACITY = 1_000;

/**
 * Counts the attempts of each event that this instance answered with a status the broker retries. The Knative Kafka
 * broker sends no attempt count, so this is how a redelivery after a failure is told from a first delivery: its span
 * is marked as a retry, with its attempt number. It is a memory of this instance only: an attempt that lands on
 * another instance (or after a restart) reads as a first, unless the event was already handled, which the consumer
 * sees anyway (a duplicate).
 */
export class DeliveryAttempts {
  private readonly failed = new Map<string, number>();

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  /** This delivery's attempt number: 1, or one more than the failed attempts this instance answered. */
  attempt(eventId: string): number {
    return (this.failed.get(eventId) ?? 0) + 1;
  }

  /** How an attempt ended: one the broker will retry is kept in mind; any other answer ends the event's count. */
  settled(eventId: string, attempt: number, retried: boolean): void {
    this.failed.delete(eventId);
    if (!retried) return;
    this.failed.set(eventId, attempt);
    if (this.failed.size > this.capacity) {
      const oldest = this.failed.keys().next();
      if (!oldest.done) this.failed.delete(oldest.value);
    }
  }
}
