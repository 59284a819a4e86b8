/**
 * The mail port: what a use case needs to send an e-mail. Driver-free, so use cases that mail stay testable with
 * an in-memory mailer; the SMTP adapter is in smtp-mailer.ts.
 */

/** One plain-text e-mail to one recipient; the sender is the adapter's configured `from`. */
export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/**
 * Sends e-mail. Resolves once the mail server accepted the message. Fails with an AppError:
 * - kind `unavailable` (code `MAIL.UNAVAILABLE`) when the server cannot be reached, times out or defers the
 *   message (SMTP 4xx): sending again later may work;
 * - kind `rule` (code {@link MAIL_RECIPIENT_REFUSED}) when the server refuses the recipient for good (SMTP 5xx to
 *   RCPT TO, e.g. no such mailbox): sending again will not help.
 */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/** The code of a permanent refusal of the recipient: the address does not take mail. */
export const MAIL_RECIPIENT_REFUSED = 'MAIL.RECIPIENT_REFUSED';
