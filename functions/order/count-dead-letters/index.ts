// count-dead-letters: every dead letter of the shop in (from the dead-letter topic, by a KafkaSource), counted and logged.
import { registerDeadLetters } from '../../../shared/kit/register';
import { deadLetterCounted } from '../../../shared/metrics/dead-letter-metrics';
import { definition } from './function';
import { countDeadLetter } from './use-case';

registerDeadLetters(definition, () => (letter, { logger }) => {
  countDeadLetter(letter, { count: deadLetterCounted, logger });
  return Promise.resolve();
});
