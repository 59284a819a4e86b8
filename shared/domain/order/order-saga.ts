import { z } from 'zod';
import type { CancellationReason } from '../../../events/order-events';
import { AppError } from '../../errors/app-error';
import type { Money } from '../product/money';

/**
 * Where an order stands. The path is PENDING -> RESERVED -> PAID -> SHIPPED -> DELIVERED; CANCELLING is a paid order
 * whose refund is under way, CANCELLED the end of every other road.
 */
export const OrderStatus = z.enum([
  'PENDING',
  'RESERVED',
  'PAID',
  'SHIPPED',
  'DELIVERED',
  'CANCELLING',
  'CANCELLED',
]);
export type OrderStatus = z.infer<typeof OrderStatus>;

export const PaymentStatus = z.enum(['AUTHORIZED', 'CAPTURED', 'FAILED', 'REFUNDED']);
export type PaymentStatus = z.infer<typeof PaymentStatus>;

export interface Payment {
  readonly status: PaymentStatus;
  readonly amount: Money;
  /** The gateway's reference of the charge; empty for a declined one. */
  readonly reference: string;
}

export interface Cancellation {
  readonly reason: CancellationReason;
  readonly at: Date;
}

/** The part of an order the saga reads and changes. */
export interface OrderSagaState {
  readonly status: OrderStatus;
  readonly total: Money;
  readonly payment?: Payment;
  /** Set when a cancellation was decided: at once, or, for a paid order, when its refund was asked for. */
  readonly cancellation?: Cancellation;
  readonly shipment?: { readonly carrier: string; readonly trackingNumber: string; readonly shippedAt: Date };
  readonly deliveredAt?: Date;
}

/** What can happen to an order: the saga's events as they reach it, and the requests of its customer and admins. */
export type OrderStep =
  | { readonly kind: 'stock-reserved' }
  | { readonly kind: 'stock-rejected' }
  | { readonly kind: 'payment-captured'; readonly amount: Money; readonly reference: string }
  | { readonly kind: 'payment-failed'; readonly declineCode: string }
  | { readonly kind: 'payment-refunded'; readonly reference: string }
  | { readonly kind: 'cancel'; readonly by: 'customer' | 'admin' }
  | { readonly kind: 'expire' }
  | { readonly kind: 'ship'; readonly carrier: string; readonly trackingNumber: string }
  | { readonly kind: 'deliver' };

/** What the saga asks the rest of the system to do after a change is stored (as events, through the outbox). */
export type OrderEffect =
  | { readonly kind: 'paid'; readonly amount: Money }
  /** Give the stock back (reserve-inventory) and tell the customer. */
  | { readonly kind: 'cancelled'; readonly reason: CancellationReason }
  /** Give back a captured charge (refund-payment). */
  | { readonly kind: 'refund'; readonly payment: Payment }
  | { readonly kind: 'shipped' }
  | { readonly kind: 'delivered' };

/**
 * The saga's decision on one step:
 * - `changed`: store `next` (a compare-and-set on the status it was decided from), append `timeline`, then `effects`;
 * - `ignored`: a late or duplicate event, acknowledged and not applied;
 * - `refused`: a request the order's status does not allow (409).
 */
export type SagaDecision =
  | {
      readonly kind: 'changed';
      readonly next: OrderSagaState;
      readonly effects: readonly OrderEffect[];
      readonly timeline: { readonly type: OrderStep['kind']; readonly detail: string };
    }
  | { readonly kind: 'ignored'; readonly why: string }
  | { readonly kind: 'refused'; readonly error: AppError };

const refused = (order: OrderSagaState, wanted: string): SagaDecision => ({
  kind: 'refused',
  error: new AppError('conflict', 'ORDER.WRONG_STATUS', `The order is ${order.status}; ${wanted}.`),
});
const ignored = (why: string): SagaDecision => ({ kind: 'ignored', why });

function cancel(order: OrderSagaState, reason: CancellationReason, at: Date, detail: string): SagaDecision {
  return {
    kind: 'changed',
    next: { ...order, status: 'CANCELLED', cancellation: { reason, at } },
    effects: [{ kind: 'cancelled', reason }],
    timeline: { type: reasonStep[reason], detail },
  };
}

const reasonStep: Record<CancellationReason, OrderStep['kind']> = {
  CUSTOMER_REQUEST: 'cancel',
  ADMIN_REQUEST: 'cancel',
  OUT_OF_STOCK: 'stock-rejected',
  PAYMENT_DECLINED: 'payment-failed',
  EXPIRED: 'expire',
};

const refundable: ReadonlySet<OrderStatus> = new Set(['CANCELLING', 'CANCELLED']);

/** An order still waiting for its stock or its charge: it can still be paid, and its payment token is kept. */
export const isOpen = (status: OrderStatus) => status === 'PENDING' || status === 'RESERVED';

/**
 * A charge that arrives for an order that will not be paid (cancelled or expired while it was being taken): the money
 * is given back, once. A charge already recorded or refunded is a duplicate.
 */
function refundLateCharge(order: OrderSagaState, step: Extract<OrderStep, { kind: 'payment-captured' }>) {
  if (order.payment?.status === 'CAPTURED' || order.payment?.status === 'REFUNDED') {
    return ignored('the charge is already recorded');
  }
  const payment: Payment = { status: 'CAPTURED', amount: step.amount, reference: step.reference };
  return {
    kind: 'changed',
    next: { ...order, payment },
    effects: [{ kind: 'refund', payment }],
    timeline: {
      type: step.kind,
      detail: `charged ${step.reference} after the order was ${order.status}; refunding`,
    },
  } satisfies SagaDecision;
}

/** The saga: what `step` does to `order` at `at`. Pure; every (status, step) pair has one answer. */
export function decide(order: OrderSagaState, step: OrderStep, at: Date): SagaDecision {
  switch (step.kind) {
    case 'stock-reserved':
      // capture-payment stores it with the charge's own step (apply-step.ts, planSteps), or alone while the charge
      // fails transiently: a redelivery finds the order past it here.
      if (order.status !== 'PENDING') return ignored(`stock reserved for a ${order.status} order`);
      return {
        kind: 'changed',
        next: { ...order, status: 'RESERVED' },
        effects: [],
        timeline: { type: step.kind, detail: 'stock reserved for every line' },
      };

    case 'stock-rejected':
      if (order.status !== 'PENDING') return ignored(`stock rejected for a ${order.status} order`);
      return cancel(order, 'OUT_OF_STOCK', at, 'a line is out of stock; nothing was reserved');

    // A charge is only taken once the stock is reserved, and capture-payment stores the reservation before it; on
    // a PENDING order it pays the order all the same.
    case 'payment-captured':
      if (!isOpen(order.status)) {
        if (order.status === 'PAID' || order.status === 'SHIPPED' || order.status === 'DELIVERED') {
          return ignored('the order is paid already');
        }
        return refundLateCharge(order, step);
      }
      return {
        kind: 'changed',
        next: {
          ...order,
          status: 'PAID',
          payment: { status: 'CAPTURED', amount: step.amount, reference: step.reference },
        },
        effects: [{ kind: 'paid', amount: step.amount }],
        timeline: { type: step.kind, detail: `charged, reference ${step.reference}` },
      };

    case 'payment-failed':
      if (!isOpen(order.status)) return ignored(`a declined charge for a ${order.status} order`);
      return cancel(
        { ...order, payment: { status: 'FAILED', amount: order.total, reference: '' } },
        'PAYMENT_DECLINED',
        at,
        `the charge was declined (${step.declineCode})`,
      );

    case 'payment-refunded':
      // Only what the saga asked for is refunded: a cancelling order's charge, or a late one's.
      if (order.payment?.status !== 'CAPTURED' || !refundable.has(order.status)) {
        return ignored(`no refund was asked for a ${order.status} order`);
      }
      return {
        kind: 'changed',
        next: {
          ...order,
          status: order.status === 'CANCELLING' ? 'CANCELLED' : order.status,
          payment: { ...order.payment, status: 'REFUNDED' },
        },
        // A paid order's cancellation is told once its money is back; a late charge's order was cancelled before.
        effects:
          order.status === 'CANCELLING' && order.cancellation
            ? [{ kind: 'cancelled', reason: order.cancellation.reason }]
            : [],
        timeline: { type: step.kind, detail: `refunded, reference ${step.reference}` },
      };

    case 'cancel': {
      const reason = step.by === 'customer' ? 'CUSTOMER_REQUEST' : 'ADMIN_REQUEST';
      if (isOpen(order.status)) return cancel(order, reason, at, `cancelled at the ${step.by}'s request`);
      if (order.status === 'PAID' && order.payment) {
        return {
          kind: 'changed',
          next: { ...order, status: 'CANCELLING', cancellation: { reason, at } },
          effects: [{ kind: 'refund', payment: order.payment }],
          timeline: {
            type: step.kind,
            detail: `cancelling at the ${step.by}'s request; refunding the charge`,
          },
        };
      }
      if (order.status === 'CANCELLING' || order.status === 'CANCELLED') return ignored('already cancelled');
      return refused(order, 'a shipped order cannot be cancelled');
    }

    case 'expire':
      if (!isOpen(order.status)) return ignored(`a ${order.status} order does not expire`);
      return cancel(order, 'EXPIRED', at, 'not paid in time');

    case 'ship':
      if (order.status !== 'PAID') return refused(order, 'only a PAID order can be shipped');
      return {
        kind: 'changed',
        next: {
          ...order,
          status: 'SHIPPED',
          shipment: { carrier: step.carrier, trackingNumber: step.trackingNumber, shippedAt: at },
        },
        effects: [{ kind: 'shipped' }],
        timeline: {
          type: step.kind,
          detail: `shipped with ${step.carrier}, tracking ${step.trackingNumber}`,
        },
      };

    case 'deliver':
      if (order.status !== 'SHIPPED') return refused(order, 'only a SHIPPED order can be delivered');
      return {
        kind: 'changed',
        next: { ...order, status: 'DELIVERED', deliveredAt: at },
        effects: [{ kind: 'delivered' }],
        timeline: { type: step.kind, detail: 'delivered' },
      };
  }
}
