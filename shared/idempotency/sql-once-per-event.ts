import type { Sequelize } from 'sequelize';
import { AppError } from '../errors/app-error';
import type { OncePerEvent } from '../domain/once-per-event';
import { consumeOnce, recordConsumed } from './consume-once';

// processed_events.event_id is a VARCHAR(64) (processed-events-migration.ts): MySQL would refuse a longer id on
// every redelivery, so such an event is invalid rather than a failure to retry.
const MAX_EVENT_ID_LENGTH = 64;

/**
 * OncePerEvent over the service database's `processed_events`: the (consumer, event id) row is inserted in a
 * transaction that stays open while the effect runs, so a concurrent duplicate waits on its key and then finds it.
 * Without an effect the row is inserted alone, in autocommit.
 * The database opens on first use. Errors pass through: the runtime answers a store that cannot be reached as the
 * service being unavailable (retried).
 */
export function sqlOncePerEvent(database: () => Promise<Sequelize>, consumer: string): OncePerEvent {
  return async (eventId, effect) => {
    if (eventId.length > MAX_EVENT_ID_LENGTH) {
      throw new AppError(
        'invalid',
        'EVENT.ID_TOO_LONG',
        `An event id has at most ${MAX_EVENT_ID_LENGTH} characters.`,
      );
    }
    const sequelize = await database();
    const duplicate = effect
      ? (await consumeOnce(sequelize, consumer, eventId, effect)).duplicate
      : await recordConsumed(sequelize, consumer, eventId);
    return duplicate ? 'duplicate' : 'processed';
  };
}
