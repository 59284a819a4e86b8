import type { DeadLetterStore, ReceivedDeadLetter } from '../../../shared/domain/dead-letter';
import type { Logger } from '../../../shared/domain/logger';

/**
 * Keeps one dead letter (once per event and subscriber, for replay-dead-letters to publish again), then counts it
 * and logs what an operator needs to find it: the event's id, type and subject, the function that could not take
 * it, its last status and problem code. Never the event's data, nor the subscriber's whole answer, in the log:
 * either may hold personal data. Kept first: a letter that could not be kept is refused, and the KafkaSource
 * delivers it again, to be counted then.
 */
export async function keepDeadLetter(
  letter: ReceivedDeadLetter,
  ports: {
    readonly letters: DeadLetterStore;
    readonly count: (letter: ReceivedDeadLetter) => void;
    readonly logger: Logger;
    readonly now: () => Date;
  },
): Promise<void> {
  await ports.letters.keep(letter, ports.now());
  ports.count(letter);
  ports.logger.warn('dead letter', {
    eventId: letter.id,
    eventType: letter.type,
    subject: letter.subject,
    source: letter.source,
    subscriber: letter.subscriber ?? letter.destination,
    status: letter.status,
    problemCode: letter.problemCode,
    replayable: letter.event !== undefined,
  });
}
