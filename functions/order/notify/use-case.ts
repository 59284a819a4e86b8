import type { UserRegisteredData } from '../../../events/user-registered';
import { isAppError } from '../../../shared/errors/app-error';
import type { HistoryStore } from '../../../shared/domain/history-store';
import type { Logger } from '../../../shared/domain/logger';
import { MAIL_RECIPIENT_REFUSED, type MailMessage, type Mailer } from '../../../shared/domain/mailer';
import type { Handled, OncePerEvent } from '../../../shared/domain/once-per-event';
import type { NotificationContent } from '../../../shared/domain/notification/notification-content';
import type { OrderRepository } from '../../../shared/domain/order/order-ports';
import { orderMail, orderNotification, type OrderNotice } from './order-notifications';
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

/** One notification to one user: its inbox entry and its e-mail, both made from the user's contact. */
export interface Notification {
  /** The inbox entry kind, e.g. `welcome`, `order.shipped`. */
  readonly kind: string;
  /** When it happened: the event's own time, so every delivery writes the same entry. */
  readonly time: Date;
  /** The inbox entry: made from the user's contact when it names them (the welcome), else as it is. */
  readonly content: NotificationContent | ((contact: Contact) => NotificationContent);
  readonly mail: (contact: Contact) => MailMessage;
}

/**
 * Notifies a user under the address and name the user service holds for their id: an event cannot make the shop
 * mail an address of its choosing, and one about a user the service does not know (a forged or stray event)
 * notifies nobody. An entry in their inbox (stream = user id, entry id = event id) and an e-mail, once per event.
 * The user service is asked only when the notification needs the contact: for an e-mail, or for an entry that names
 * the user. An entry that does not, with no mail server set, is written without asking (an order's notices: their
 * user is the order's customer as this service holds it, never one an event names).
 *
 * The inbox write is idempotent by itself: the entry is keyed by the event id and the event's time (not the
 * delivery's), so every delivery of the event writes the same entry, and it needs no guard. Keeping it outside
 * `once` also keeps the guard's transaction short and free of other writes (on SQLite a second writer would wait
 * for that transaction's lock). The e-mail cannot be taken back: it is the effect `once` guards, so a replayed or
 * concurrent duplicate does not send it again, and a failed send leaves the event unrecorded for the redelivery.
 * Delivery is still at-least-once at one edge: if recording the event fails after the mail server accepted the
 * mail, the redelivered event sends it again. A mailbox the server refuses for good does not fail the event (the
 * inbox entry stays; retrying cannot help).
 */
export async function notifyUser(
  ports: NotifyPorts,
  eventId: string,
  userId: string,
  notification: Notification,
): Promise<Handled> {
  const { mailer } = ports;
  const entry = (data: NotificationContent) =>
    ports.inbox.append(userId, { id: eventId, time: notification.time, kind: notification.kind, data });
  const { content } = notification;
  if (!mailer && typeof content !== 'function') {
    await entry(content);
    // Nothing to guard: the event is only recorded, so that a redelivery is still reported as a duplicate.
    return ports.once(eventId);
  }
  const contact = await ports.contactOf(userId);
  if (!contact) {
    ports.logger.warn('the event names a user the user service does not know; nobody notified', { userId });
    return ports.once(eventId);
  }
  await entry(typeof content === 'function' ? content(contact) : content);
  if (!mailer) return ports.once(eventId);
  return ports.once(eventId, async () => {
    try {
      await mailer.send(notification.mail(contact));
    } catch (error) {
      if (!isAppError(error) || error.code !== MAIL_RECIPIENT_REFUSED) throw error;
      ports.logger.warn("the mail server refuses the user's address; e-mail not sent", {
        userId,
        kind: notification.kind,
      });
    }
  });
}

/** Welcomes a new customer: a `welcome` entry and a welcome e-mail. */
export async function notifyUserRegistered(
  ports: NotifyPorts,
  event: { readonly id: string; readonly data: UserRegisteredData },
): Promise<Handled> {
  return notifyUser(ports, event.id, event.data.userId, {
    kind: WELCOME_KIND,
    time: new Date(event.data.registeredAt),
    content: welcomeNotification,
    mail: welcomeMail,
  });
}

/**
 * Tells a customer of a step of their order (`order.placed`, `.paid`, `.shipped`, `.delivered`, `.cancelled`): the
 * order is read here, for its customer and what the message says; an event about an order this service does not
 * hold notifies nobody.
 */
export async function notifyOrderStep(
  ports: NotifyPorts & { readonly orders: OrderRepository },
  event: { readonly id: string; readonly orderId: string; readonly at: Date },
  notice: OrderNotice,
): Promise<Handled> {
  const order = await ports.orders.findById(event.orderId);
  if (!order) {
    ports.logger.warn('the event names an order this service does not hold; nobody notified', {
      orderId: event.orderId,
    });
    return ports.once(event.id);
  }
  const content = orderNotification(notice, order);
  return notifyUser(ports, event.id, order.customerId, {
    kind: `order.${notice}`,
    time: event.at,
    content,
    mail: (contact) => orderMail(content, contact),
  });
}
