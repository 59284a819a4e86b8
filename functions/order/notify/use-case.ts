import type { UserRegisteredData } from '../../../events/user-registered';
import { isAppError } from '../../../shared/errors/app-error';
import type { HistoryStore } from '../../../shared/domain/history-store';
import type { Logger } from '../../../shared/domain/logger';
import { MAIL_RECIPIENT_REFUSED, type Mailer } from '../../../shared/domain/mailer';
import type { Handled, OncePerEvent } from '../../../shared/domain/once-per-event';
import { WELCOME_KIND, welcomeMail, welcomeNotification } from './welcome-notification';

/** A user's address and name as the user service holds them. */
export interface Contact {
  readonly email: string;
  readonly name: string;
}

export interface NotifyPorts {
  /** Looks a user up in the user service: undefined for an id it does not know. */
  readonly contactOf: (userId: string) => Promise<Contact | undefined>;
  readonly inbox: HistoryStore;
  /** Absent when no mail server is configured: the inbox is the only channel then. */
  readonly mailer: Mailer | undefined;
  readonly once: OncePerEvent;
  readonly logger: Logger;
}

/**
 * Welcomes a new customer, under the address and name the user service holds for the event's user id: an event
 * cannot make the shop mail an address of its choosing, and one about a user the service does not know (a forged
 * or stray event) notifies nobody.
 *
 * Welcomes them with a `welcome` entry in their inbox (stream = user id, entry id = event id) and a welcome
 * e-mail, once per event.
 *
 * The inbox write is idempotent by itself: the entry is keyed by the event id and the registration time (not the
 * delivery's), so every delivery of the event writes the same entry, and it needs no guard. Keeping it outside
 * `once` also keeps the guard's transaction short and free of other writes (on SQLite a second writer would wait
 * for that transaction's lock). The e-mail cannot be taken back: it is the effect `once` guards, so a replayed or
 * concurrent duplicate does not send it again, and a failed send leaves the event unrecorded for the redelivery.
 * Delivery is still at-least-once at one edge: if recording the event fails after the mail server accepted the
 * mail, the redelivered event sends it again. A mailbox the server refuses for good does not fail the event (the
 * inbox entry stays; retrying cannot help).
 */
export async function notifyUserRegistered(
  ports: NotifyPorts,
  event: { readonly id: string; readonly data: UserRegisteredData },
): Promise<Handled> {
  const { userId, registeredAt } = event.data;
  const contact = await ports.contactOf(userId);
  if (!contact) {
    ports.logger.warn('the event names a user the user service does not know; nobody notified', { userId });
    return ports.once(event.id, () => Promise.resolve());
  }
  await ports.inbox.append(userId, {
    id: event.id,
    time: new Date(registeredAt),
    kind: WELCOME_KIND,
    data: welcomeNotification(contact),
  });
  const { mailer } = ports;
  if (!mailer) return ports.once(event.id, () => Promise.resolve());
  return ports.once(event.id, async () => {
    try {
      await mailer.send(welcomeMail(contact));
    } catch (error) {
      if (!isAppError(error) || error.code !== MAIL_RECIPIENT_REFUSED) throw error;
      ports.logger.warn('the mail server refuses the new user address; welcome e-mail not sent', {
        userId,
      });
    }
  });
}
