import { MAIL_RECIPIENT_REFUSED, type Mailer, type MailMessage } from '../../../shared/domain/mailer';
import { AppError } from '../../../shared/errors/app-error';

/** A Mailer that keeps what it accepted, and fails recipients when told to, as the SMTP mailer reports failures. */
export interface MemoryMailer extends Mailer {
  /** The messages the "server" accepted, in order. */
  readonly sent: readonly MailMessage[];
  /** Every message given to `send`, accepted or not, in order. */
  readonly attempts: readonly MailMessage[];
  /** The next `times` sends to `recipient` fail with AppError('unavailable', 'MAIL.UNAVAILABLE'): a 4xx, a timeout. */
  failTemporarily(recipient: string, times?: number): void;
  /** Every send to `recipient` fails with AppError('rule', MAIL_RECIPIENT_REFUSED): a 5xx to RCPT TO. */
  refuse(recipient: string): void;
}

export function memoryMailer(): MemoryMailer {
  const sent: MailMessage[] = [];
  const attempts: MailMessage[] = [];
  const temporaryFailures = new Map<string, number>();
  const refused = new Set<string>();

  return {
    sent,
    attempts,
    failTemporarily(recipient, times = 1) {
      temporaryFailures.set(recipient, times);
    },
    refuse(recipient) {
      refused.add(recipient);
    },
    send(message) {
      return Promise.resolve().then(() => {
        attempts.push({ ...message });
        if (refused.has(message.to)) {
          throw new AppError('rule', MAIL_RECIPIENT_REFUSED, 'The mail server refuses this recipient.');
        }
        const failures = temporaryFailures.get(message.to) ?? 0;
        if (failures > 0) {
          temporaryFailures.set(message.to, failures - 1);
          throw new AppError(
            'unavailable',
            'MAIL.UNAVAILABLE',
            'The mail server is unavailable; try again later.',
          );
        }
        sent.push({ ...message });
      });
    },
  };
}
