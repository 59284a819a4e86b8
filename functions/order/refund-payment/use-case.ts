import { PaymentRefunded } from '../../../events/payment-events';
import { domainEvent } from '../../../shared/domain/domain-event';
import type { Logger } from '../../../shared/domain/logger';
import type { Handled } from '../../../shared/domain/once-per-event';
import type { PaymentGateway, PaymentLedger } from '../../../shared/domain/order/payment-ports';

export interface RefundPaymentPorts {
  readonly payments: PaymentLedger;
  readonly gateway: PaymentGateway;
  readonly now: () => Date;
  readonly logger: Logger;
}

/** The gateway key of an order's refund: one refund per order, as one charge per order. */
export const refundKey = (orderId: string) => `${orderId}:refund`;

/**
 * Gives back an order's captured charge, once: the gateway call is keyed by the order, and the refund and
 * `com.ecom.payment.refunded` are stored in one transaction. A charge refunded already, or none captured, is
 * acknowledged with nothing done. A transient gateway failure throws, so the broker delivers the request again.
 */
export async function refundPayment(ports: RefundPaymentPorts, orderId: string): Promise<Handled> {
  const payment = await ports.payments.find(orderId);
  if (payment?.status !== 'CAPTURED') {
    ports.logger.info('refund asked for no captured charge', { orderId, status: payment?.status ?? 'none' });
    return 'duplicate';
  }
  const { reference } = await ports.gateway.refund({
    idempotencyKey: refundKey(orderId),
    chargeReference: payment.reference,
    amount: payment.amount,
  });
  const at = ports.now();
  const event = domainEvent(PaymentRefunded, orderId, at, {
    orderId,
    amount: payment.amount,
    reference,
    refundedAt: at.toISOString(),
  });
  if (!(await ports.payments.recordRefund(orderId, { reference, at }, [event]))) return 'duplicate';
  ports.logger.info('charge refunded', { orderId });
  return 'processed';
}
