import type { MailMessage } from '../../../shared/domain/mailer';
import type { NotificationContent } from '../../../shared/domain/notification/notification-content';

/** The inbox entry kind of the welcome notification. */
export const WELCOME_KIND = 'welcome';

const BODY =
  'Your account is ready. Browse the catalogue and place your first order whenever you like; ' +
  'we will keep you posted here about every step of it.';

/**
 * A user-chosen name as plain text on one line: control characters (line breaks that could forge lines of the
 * message) and bidirectional overrides (which can make text read backwards) become spaces. Our messages are plain
 * text (the inbox entry is JSON text, the mail is text/plain), so nothing else needs escaping; whoever renders them
 * into markup escapes them there.
 */
export function plainTextName(name: string): string {
  return name.replace(/[\p{Cc}\u202A-\u202E\u2066-\u2069]/gu, ' ');
}

/** The welcome notification shown in a new customer's inbox. */
export function welcomeNotification(user: { readonly name: string }): NotificationContent {
  return { title: `Welcome, ${plainTextName(user.name)}!`, body: BODY };
}

/**
 * The welcome e-mail. The name appears in the body only: the subject is a header, and a fixed one keeps whatever a
 * user typed as their name out of it.
 */
export function welcomeMail(user: { readonly name: string; readonly email: string }): MailMessage {
  return {
    to: user.email,
    subject: 'Welcome to the shop',
    text: `Hello ${plainTextName(user.name)},\n\n${BODY}\n\nSee you soon,\nThe shop team\n`,
  };
}
