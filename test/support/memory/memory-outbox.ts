import { randomUUID } from 'node:crypto';
import type { DomainEvent, NewDomainEvent } from '../../../shared/domain/domain-event';

/** The outbox of a memory store: the events recorded with committed changes, in the order they were recorded. */
export interface MemoryOutbox {
  readonly events: readonly DomainEvent[];
  /**
   * Records events as appendToOutbox does: an id and a time are assigned when not given. Returns the stored
   * events, in the order given. An id recorded before is refused, as the outbox table's unique key does, and then
   * none of the events is recorded.
   */
  record(events: readonly NewDomainEvent[]): DomainEvent[];
}

export function memoryOutbox(): MemoryOutbox {
  const events: DomainEvent[] = [];
  return {
    events,
    record(newEvents) {
      const stored = newEvents.map((event) => ({
        ...event,
        id: event.id ?? randomUUID(),
        time: new Date((event.time ?? new Date()).getTime()),
      }));
      const ids = new Set(events.map((event) => event.id));
      for (const event of stored) {
        if (ids.has(event.id)) throw new Error(`event ${event.id} is already in the outbox`);
        ids.add(event.id);
      }
      events.push(...stored);
      return stored;
    },
  };
}
