import type { NewDomainEvent } from '../domain-event';
import type { Money } from '../product/money';
import type { Order } from './order';
import type { OrderStatus } from './order-saga';

/** What the gateway answered a charge: the money taken, or a decline that no retry will change. */
export type ChargeOutcome =
  | { readonly kind: 'captured'; readonly reference: string }
  | { readonly kind: 'declined'; readonly declineCode: string };

/**
 * The payment gateway. Both calls are idempotent by `idempotencyKey`, as real gateways' are: a repeat answers what
 * the first call did and moves no money. A transient failure (the gateway down, a 5xx) throws, so the event that
 * asked is delivered again.
 */
export interface PaymentGateway {
  charge(request: {
    readonly idempotencyKey: string;
    readonly token: string;
    readonly amount: Money;
  }): Promise<ChargeOutcome>;
  refund(request: {
    readonly idempotencyKey: string;
    readonly chargeReference: string;
    readonly amount: Money;
  }): Promise<{ readonly reference: string }>;
}

/** One order's payment as this service recorded it: the charge's outcome, then its refund. */
export interface PaymentRecord {
  readonly orderId: string;
  readonly status: 'CAPTURED' | 'FAILED' | 'REFUNDED';
  readonly amount: Money;
  /** The charge's reference; empty for a declined one. */
  readonly reference: string;
  readonly declineCode?: string;
  readonly refundReference?: string;
  readonly settledAt: Date;
  readonly refundedAt?: Date;
}

/** What an order's charge takes, kept from its placement until the charge settles. */
export interface DueCharge {
  readonly token: string;
  readonly total: Money;
}

/** What a settled charge makes of its order: `next`, stored only while the order's status is still `from`. */
export interface OrderChange {
  readonly next: Order;
  readonly from: OrderStatus;
}

/** What became of a charge's record: stored, one there already, or not stored because its order moved meanwhile. */
export type ChargeRecorded = 'recorded' | 'duplicate' | 'order-moved';

/** The payments of the order service: one record per order, and the payment token until the charge settles. */
export interface PaymentLedger {
  find(orderId: string): Promise<PaymentRecord | undefined>;
  /**
   * What the order's charge takes: its payment token and the order's total. None once the charge settled, or the
   * order ended before it (cancelled, expired), or for an order this service does not hold.
   */
  chargeDue(orderId: string): Promise<DueCharge | undefined>;
  /**
   * Records a charge's outcome, deletes the token and appends `events` to the outbox, in one transaction, with what
   * the charge does to its order (`change`, a compare-and-set on its status) when it does anything. Nothing is
   * stored when the order's charge is recorded already (`duplicate`: a concurrent delivery of the same event), nor
   * when another step moved the order first (`order-moved`: decide again on what it left).
   */
  recordCharge(
    record: PaymentRecord,
    events: readonly NewDomainEvent[],
    change?: OrderChange,
  ): Promise<ChargeRecorded>;
  /**
   * Marks the order's captured charge REFUNDED with `events`, in one transaction. False, storing nothing, when it is
   * not CAPTURED any more (refunded by a concurrent delivery).
   */
  recordRefund(
    orderId: string,
    refund: { readonly reference: string; readonly at: Date },
    events: readonly NewDomainEvent[],
  ): Promise<boolean>;
}
