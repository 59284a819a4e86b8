import type { CancellationReason } from '../../../events/order-events';
import type { MailMessage } from '../../../shared/domain/mailer';
import type { NotificationContent } from '../../../shared/domain/notification/notification-content';
import type { Order } from '../../../shared/domain/order/order';
import { formatMoney } from '../../../shared/domain/product/money';
import { plainTextName } from './welcome-notification';

/** The order steps a customer is told of, each an inbox entry kind `order.<step>`. */
export type OrderNotice = 'placed' | 'paid' | 'shipped' | 'delivered' | 'cancelled';

/** An order as customers quote it: the start of its id, enough to tell their orders apart. */
const shortId = (order: Order) => order.id.slice(0, 8).toUpperCase();

const cancelledBecause: Record<CancellationReason, string> = {
  CUSTOMER_REQUEST: 'as you asked',
  ADMIN_REQUEST: 'by the shop',
  OUT_OF_STOCK: 'because an item ran out of stock',
  PAYMENT_DECLINED: 'because the payment was declined',
  EXPIRED: 'because it was not paid in time',
};

/** What the customer reads of one step of their order, in the inbox and in the mail. */
export function orderNotification(notice: OrderNotice, order: Order): NotificationContent {
  const id = shortId(order);
  switch (notice) {
    case 'placed':
      return {
        title: `Order ${id} received`,
        body: `We received your order ${id} for ${formatMoney(order.total)}. We will tell you once it is paid.`,
      };
    case 'paid':
      return {
        title: `Order ${id} paid`,
        body: `Your payment of ${formatMoney(order.total)} for order ${id} went through. We are getting it ready to ship.`,
      };
    case 'shipped':
      return {
        title: `Order ${id} shipped`,
        body: order.shipment
          ? `Order ${id} is on its way with ${order.shipment.carrier}, tracking number ${order.shipment.trackingNumber}.`
          : `Order ${id} is on its way.`,
      };
    case 'delivered':
      return {
        title: `Order ${id} delivered`,
        body: `Order ${id} was delivered. Thank you for shopping with us.`,
      };
    case 'cancelled': {
      const why = order.cancellation ? ` ${cancelledBecause[order.cancellation.reason]}` : '';
      const money =
        order.payment?.status === 'REFUNDED'
          ? ` Your payment of ${formatMoney(order.payment.amount)} was refunded.`
          : order.payment?.status === 'CAPTURED'
            ? ''
            : ' Nothing was charged.';
      return { title: `Order ${id} cancelled`, body: `Order ${id} was cancelled${why}.${money}` };
    }
  }
}

/** The same notice by e-mail: a fixed subject (no user text in a header), the customer's name in the body only. */
export function orderMail(
  content: NotificationContent,
  user: { readonly name: string; readonly email: string },
): MailMessage {
  return {
    to: user.email,
    subject: content.title,
    text: `Hello ${plainTextName(user.name)},\n\n${content.body}\n\nThe shop team\n`,
  };
}
