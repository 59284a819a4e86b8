import type { OncePerEvent } from '../../../shared/domain/once-per-event';
import { AppError } from '../../../shared/errors/app-error';

/** OncePerEvent for one consumer in memory, and the event ids it recorded as applied. */
export interface MemoryOncePerEvent {
  readonly once: OncePerEvent;
  /** Ids of the events whose effect completed. */
  readonly processed: ReadonlySet<string>;
}

// As processed_events.event_id (see sql-once-per-event.ts).
const MAX_EVENT_ID_LENGTH = 64;

/**
 * Idempotent consumption as sqlOncePerEvent does it: an event id is recorded when its effect succeeds; a duplicate
 * arriving while the effect runs waits for it (the SQL one waits on the row's key), then sees `duplicate`, or runs
 * the effect itself when the first attempt failed (its record was rolled back). A record without an effect is an
 * effect that does nothing.
 */
export function memoryOncePerEvent(): MemoryOncePerEvent {
  const processed = new Set<string>();
  const running = new Map<string, Promise<unknown>>();

  const once: OncePerEvent = async (eventId, effect) => {
    if (eventId.length > MAX_EVENT_ID_LENGTH) {
      throw new AppError(
        'invalid',
        'EVENT.ID_TOO_LONG',
        `An event id has at most ${MAX_EVENT_ID_LENGTH} characters.`,
      );
    }
    for (;;) {
      if (processed.has(eventId)) return 'duplicate';
      const inFlight = running.get(eventId);
      if (inFlight === undefined) break;
      await inFlight.catch(() => undefined);
    }
    const run = effect ? effect() : Promise.resolve();
    running.set(eventId, run);
    try {
      await run;
      processed.add(eventId);
      return 'processed';
    } finally {
      running.delete(eventId);
    }
  };
  return { once, processed };
}
