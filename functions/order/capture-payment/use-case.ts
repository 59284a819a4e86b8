import { PaymentCaptured, PaymentFailed } from '../../../events/payment-events';
import { domainEvent, type NewDomainEvent } from '../../../shared/domain/domain-event';
import type { Handled } from '../../../shared/domain/once-per-event';
import {
  applyStep,
  busy,
  planSteps,
  TRANSITION_ATTEMPTS,
  type StepPorts,
  type TimedStep,
} from '../../../shared/domain/order/apply-step';
import type { OrderStep } from '../../../shared/domain/order/order-saga';
import type {
  ChargeOutcome,
  DueCharge,
  PaymentGateway,
  PaymentLedger,
  PaymentRecord,
} from '../../../shared/domain/order/payment-ports';

/** The source of the events this function emits. */
export const CAPTURE_PAYMENT_SOURCE = '/ecom/order/capture-payment';

export interface CapturePaymentPorts extends StepPorts {
  readonly payments: PaymentLedger;
  readonly gateway: PaymentGateway;
}

/** The reservation an order's charge follows: the order's id, and when its stock was reserved. */
export interface Reservation {
  readonly orderId: string;
  readonly reservedAt: Date;
}

/**
 * Takes an order whose stock was reserved on to its charge's outcome: the saga's only consumer of the reservation.
 * Charges it once, with its total as this service stored it at placement (never an amount from the event) and the
 * token it was placed with, keyed by the order id, so a redelivered event (or a crash between the charge and its
 * record) never charges twice. The record, the token's deletion, `com.ecom.payment.captured` or `.failed` and what
 * the saga makes of the order (RESERVED, then PAID, or CANCELLED as PAYMENT_DECLINED; a refund for an order that
 * ended meanwhile) are stored in one transaction, so an order is never charged without its status saying so. A
 * charge already recorded, or an order with no charge due (ended before it, or unknown here), is acknowledged with
 * nothing done. A transient gateway failure stores the reservation's step alone (the order is RESERVED while its
 * charge waits) and throws, so the broker delivers the event again.
 */
export async function capturePayment(ports: CapturePaymentPorts, reservation: Reservation): Promise<Handled> {
  const { orderId } = reservation;
  // A settled charge took the token with it (recordCharge): no charge is due for it any more.
  const due = await ports.payments.chargeDue(orderId);
  if (due === undefined) {
    ports.logger.info('no charge due: charged already, ended before its charge, or not held here', {
      orderId,
    });
    return 'duplicate';
  }
  // The reservation is stamped with its own time, but never after the charge's (another service's clock), so the
  // timeline holds it first.
  const reservedAt = new Date(Math.min(reservation.reservedAt.getTime(), ports.now().getTime() - 1));
  const reserved: TimedStep = { step: { kind: 'stock-reserved' }, at: reservedAt };
  // The order is read while the gateway charges, not after: what is stored is conditional on the status this read
  // found, and a step that moved the order meanwhile makes the next attempt read it again.
  const [outcome, readDuringCharge] = await Promise.all([
    chargeOrHold(ports, orderId, due, reserved),
    ports.orders.findById(orderId),
  ]);
  const at = ports.now();
  const { record, event, step } = settlement(orderId, due, outcome, at);
  const steps: TimedStep[] = [reserved, { step, at }];
  for (let attempt = 1; attempt <= TRANSITION_ATTEMPTS; attempt++) {
    const order = attempt === 1 ? readDuringCharge : await ports.orders.findById(orderId);
    const plan = order && planSteps(order, steps, CAPTURE_PAYMENT_SOURCE);
    const stored =
      order && plan?.kind === 'changed'
        ? await ports.payments.recordCharge(record, [event, ...plan.events], {
            next: plan.next,
            from: order.status,
          })
        : await ports.payments.recordCharge(record, [event]);
    if (stored === 'duplicate') return 'duplicate';
    if (stored === 'recorded') {
      ports.logger.info('charge settled', { orderId, status: record.status });
      return 'processed';
    }
  }
  throw busy(orderId, 'its charge');
}

/**
 * The gateway's answer to the order's charge. When it fails transiently the order is stored RESERVED first (its
 * stock is, whatever the charge's fate), then the failure is thrown for the broker to deliver the event again.
 */
async function chargeOrHold(
  ports: CapturePaymentPorts,
  orderId: string,
  due: DueCharge,
  reserved: TimedStep,
): Promise<ChargeOutcome> {
  try {
    return await ports.gateway.charge({ idempotencyKey: orderId, token: due.token, amount: due.total });
  } catch (error) {
    const hold = { ...ports, now: () => reserved.at };
    await applyStep(hold, orderId, reserved.step, CAPTURE_PAYMENT_SOURCE).catch((stepError: unknown) => {
      ports.logger.warn('the reservation was not stored; the redelivery stores it', {
        orderId,
        error: stepError,
      });
    });
    throw error;
  }
}

/** A charge's outcome as the ledger records it, the event that tells it, and the saga's step for its order. */
function settlement(
  orderId: string,
  due: DueCharge,
  outcome: ChargeOutcome,
  at: Date,
): { record: PaymentRecord; event: NewDomainEvent; step: OrderStep } {
  const time = at.toISOString();
  const { total } = due;
  if (outcome.kind === 'captured') {
    const { reference } = outcome;
    return {
      record: { orderId, status: 'CAPTURED', amount: total, reference, settledAt: at },
      event: domainEvent(PaymentCaptured, orderId, at, {
        orderId,
        amount: total,
        reference,
        capturedAt: time,
      }),
      step: { kind: 'payment-captured', amount: total, reference },
    };
  }
  const { declineCode } = outcome;
  return {
    record: { orderId, status: 'FAILED', amount: total, reference: '', declineCode, settledAt: at },
    event: domainEvent(PaymentFailed, orderId, at, { orderId, declineCode, failedAt: time }),
    step: { kind: 'payment-failed', declineCode },
  };
}
