import type { HttpFunction } from '@google-cloud/functions-framework';
import { AppError } from '../errors/app-error';
import type { Logger } from '../log/logger';
import { scheduledHandler } from '../runtime/scheduled-handler';

/**
 * The handler of a service's outbox relay function. A PingSource POSTs a CloudEvent to it on a schedule; each
 * call publishes what the outbox still holds (events left behind by a crash or a Kafka outage). A failed publish
 * answers 503, so the PingSource delivery is retried and the failure shows in the logs; the events stay put.
 * Once the outbox is published, each call also deletes the rows the service database keeps for a time only
 * (`deleteExpired`, kit/retention.ts); a database that fails it answers 5xx through the one error mapping.
 */
export function relayHandler(
  relay: () => Promise<number>,
  deleteExpired: () => Promise<Record<string, number>>,
  logger: Logger,
): HttpFunction {
  return scheduledHandler(async () => {
    try {
      const published = await relay();
      if (published > 0) logger.info('outbox relayed', { published });
    } catch (error) {
      throw new AppError('unavailable', 'OUTBOX.PUBLISH_FAILED', 'Publishing the outbox failed.', [], {
        cause: error,
      });
    }
    const deleted = await deleteExpired();
    if (Object.values(deleted).some((count) => count > 0)) logger.info('expired rows deleted', { deleted });
  }, logger);
}
