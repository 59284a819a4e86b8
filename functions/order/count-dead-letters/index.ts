// count-dead-letters: every dead letter of the shop in (from the dead-letter topic, by a KafkaSource), kept for
// replay, counted and logged.
import { registerDeadLetters } from '../../../shared/kit/register';
import { deadLetterCounted } from '../../../shared/metrics/dead-letter-metrics';
import { orderStores } from '../order-stores';
import { definition } from './function';
import { keepDeadLetter } from './use-case';

registerDeadLetters(definition, ({ stores }) => {
  const { deadLetters } = orderStores(stores);
  return async (letter, { logger }) => {
    const ports = { letters: await deadLetters(), count: deadLetterCounted, logger, now: () => new Date() };
    await keepDeadLetter(letter, ports);
  };
});
