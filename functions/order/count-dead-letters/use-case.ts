import type { ReceivedDeadLetter } from '../../../shared/domain/dead-letter';
import type { Logger } from '../../../shared/domain/logger';

/**
 * Counts one dead letter and logs what an operator needs to find it again and replay it: the event's id, type
 * and subject, the function that could not take it, its last status and problem code. Never the event's data,
 * nor the subscriber's whole answer: either may hold personal data.
 */
export function countDeadLetter(
  letter: ReceivedDeadLetter,
  ports: { readonly count: (letter: ReceivedDeadLetter) => void; readonly logger: Logger },
): void {
  ports.count(letter);
  ports.logger.warn('dead letter', {
    eventId: letter.id,
    eventType: letter.type,
    subject: letter.subject,
    source: letter.source,
    subscriber: letter.subscriber ?? letter.destination,
    status: letter.status,
    problemCode: letter.problemCode,
  });
}
