import type { Transporter } from 'nodemailer';
import { AppError } from '../errors/app-error';
import { lazy } from '../runtime/lazy';
import type { ShutdownHooks } from '../runtime/shutdown';
import { MAIL_RECIPIENT_REFUSED, type Mailer, type MailMessage } from '../domain/mailer';

export interface SmtpMailerOptions {
  /** `smtp://[user:pass@]host:port` or `smtps://…`; nodemailer's URL query options are honoured. A secret. */
  readonly url: string;
  /** The `From` of every message, e.g. `shop@example.com` or `"Shop" <shop@example.com>`. */
  readonly from: string;
}

// nodemailer waits up to 2 minutes for a connection and 10 for an idle socket. A send runs while an event is being
// handled (with the transaction recording the event open), so fail within seconds and let the redelivery retry.
const TIMEOUTS = {
  connectionTimeout: 5_000,
  greetingTimeout: 5_000,
  socketTimeout: 15_000,
  dnsTimeout: 5_000,
};

/**
 * A Mailer over SMTP with nodemailer. The transport is built on the first send (nodemailer is loaded then, off the
 * cold start) and closed with the function (`hooks`, the process's by default). Not pooled: a function instance sends a mail now and then, and a connection
 * per message cannot go stale between scale-to-zero periods.
 */
export function createSmtpMailer(options: SmtpMailerOptions, hooks?: ShutdownHooks): Mailer {
  const transport = lazy(
    'smtp transport',
    async (): Promise<Transporter> => {
      const nodemailer = await import('nodemailer');
      // Messages are plain text we compose: never let a field make nodemailer read a file or fetch a URL.
      return nodemailer.createTransport({
        url: options.url,
        ...TIMEOUTS,
        disableFileAccess: true,
        disableUrlAccess: true,
      });
    },
    (opened) => {
      opened.close();
      return Promise.resolve();
    },
    hooks,
  );

  return {
    async send(message: MailMessage) {
      const opened = await transport();
      try {
        await opened.sendMail({
          from: options.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
        });
      } catch (error) {
        throw mailError(error);
      }
    },
  };
}

/** What nodemailer attaches to its errors (see its smtp-connection `_formatError`). */
interface SmtpFailure {
  readonly code?: unknown;
  readonly command?: unknown;
  readonly responseCode?: unknown;
}

/**
 * Only a 5xx answer to RCPT TO is about this message for good (the mailbox does not exist or takes no mail).
 * Everything else, including 5xx to other commands (authentication, a sender the relay refuses), is a server or
 * configuration problem that an operator can fix, so the event is retried rather than its mail dropped.
 */
function mailError(error: unknown): AppError {
  const failure: SmtpFailure = typeof error === 'object' && error !== null ? error : {};
  const permanent =
    failure.code === 'EENVELOPE' &&
    failure.command === 'RCPT TO' &&
    typeof failure.responseCode === 'number' &&
    failure.responseCode >= 500;
  if (permanent) {
    return new AppError('rule', MAIL_RECIPIENT_REFUSED, 'The mail server refuses this recipient.', [], {
      cause: error,
    });
  }
  return new AppError(
    'unavailable',
    'MAIL.UNAVAILABLE',
    'The mail server is unavailable; try again later.',
    [],
    {
      cause: error,
    },
  );
}
