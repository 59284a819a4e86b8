import type { Logger } from '../../shared/log/logger';
import type { EventHandler } from './broker-log';
import { realSleep, type Sleep } from './delivery';
import type { KafkaSourceConfig } from './trigger-config';
import {
  deliverAndReport,
  destinationUrl,
  type DeliveryOutcome,
  type SubscriberResolver,
} from './trigger-handler';

/**
 * What a KafkaSource does with each record of its topic (here: the dead letters): delivers it to its sink with its
 * retries. A final failure is logged and the record left behind, as Knative's source does without a dead-letter
 * sink: the record itself stays in the topic, and a source reading dead letters must never write one (it would
 * read it back).
 */
export function sourceHandler(
  source: KafkaSourceConfig,
  deps: {
    subscribers: SubscriberResolver;
    logger: Logger;
    onDelivery?: ((outcome: DeliveryOutcome) => void) | undefined;
    sleep?: Sleep | undefined;
  },
): EventHandler {
  const logger = deps.logger.child({ source: `${source.namespace}/${source.name}` });
  const target = () => destinationUrl(source.sink, deps.subscribers);
  return async (event, signal) => {
    const { result, fields } = await deliverAndReport(source.name, event, target, source.delivery, {
      onDelivery: deps.onDelivery,
      sleep: deps.sleep ?? realSleep,
      signal,
    });
    if (result.delivered) logger.debug('record delivered', fields);
    else
      logger.warn('record not delivered after its retries; it stays in the topic', {
        ...fields,
        error: result.error,
      });
  };
}
