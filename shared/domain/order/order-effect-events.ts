import { OrderCancelled } from '../../../events/order-cancelled';
import { OrderChanged, OrderDelivered, OrderPaid } from '../../../events/order-events';
import { OrderShipped } from '../../../events/order-shipped';
import { RefundRequested } from '../../../events/payment-events';
import { domainEvent, type NewDomainEvent } from '../domain-event';
import type { Order } from './order';
import type { OrderEffect } from './order-saga';

/**
 * The events that carry out the saga's effects on `order` (its state after the step), each about the order and
 * keyed by it, so the order's events keep their order on Kafka. `source` is the function that decided the step.
 */
export function effectEvents(
  order: Order,
  effects: readonly OrderEffect[],
  at: Date,
  source: string,
): NewDomainEvent[] {
  const time = at.toISOString();
  const event = (definition: Parameters<typeof domainEvent>[0], data: Record<string, unknown>) =>
    domainEvent(definition, order.id, at, { orderId: order.id, ...data }, source);
  return effects.map((effect) => {
    switch (effect.kind) {
      case 'paid':
        return event(OrderPaid, { amount: effect.amount, paidAt: time });
      case 'cancelled':
        return event(OrderCancelled, { reason: effect.reason, cancelledAt: time });
      case 'refund':
        return event(RefundRequested, {
          amount: effect.payment.amount,
          reference: effect.payment.reference,
          requestedAt: time,
        });
      case 'shipped':
        return event(OrderShipped, { shippedAt: time });
      case 'delivered':
        return event(OrderDelivered, { deliveredAt: time });
    }
  });
}

/**
 * The timeline's entry of a step `order` (its state after the step) went through: `com.ecom.order.changed`, stored
 * with the change, so every step that is stored is on the timeline.
 */
export function timelineEvent(
  order: Order,
  entry: { readonly step: string; readonly detail: string },
  at: Date,
  source: string,
): NewDomainEvent {
  return domainEvent(
    OrderChanged,
    order.id,
    at,
    {
      orderId: order.id,
      step: entry.step,
      status: order.status,
      detail: entry.detail,
      changedAt: at.toISOString(),
    },
    source,
  );
}
