import type { Sequelize } from 'sequelize';
import { AppError } from '../../shared/errors/app-error';
import { consumeOnce } from '../../shared/inbox/consume-once';
import type { OncePerEvent } from '../../shared/domain/once-per-event';
import { orderDatabaseUnavailable } from './unavailable';

// processed_events.event_id is a VARCHAR(64) (shared/inbox/inbox-migration.ts): MySQL would refuse a longer id
// on every redelivery, so such an event is invalid rather than a failure to retry.
const MAX_EVENT_ID_LENGTH = 64;

/**
 * OncePerEvent over the service database's `processed_events` (shared/inbox): the (consumer, event id) row is
 * inserted in a transaction that stays open while the effect runs, so a concurrent duplicate waits on its key and
 * then finds it. The database opens on first use. The effect's own errors pass through unchanged; the database's
 * become `unavailable`.
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
    let effectFailure: { readonly error: unknown } | undefined;
    try {
      const sequelize = await database();
      const outcome = await consumeOnce(sequelize, consumer, eventId, async () => {
        try {
          await effect();
        } catch (error) {
          effectFailure = { error };
          throw error;
        }
      });
      return outcome.duplicate ? 'duplicate' : 'processed';
    } catch (error) {
      if (effectFailure?.error === error) throw error;
      throw orderDatabaseUnavailable(error);
    }
  };
}
