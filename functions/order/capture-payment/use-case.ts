import { PaymentCaptured, PaymentFailed } from '../../../events/payment-events';
import { domainEvent } from '../../../shared/domain/domain-event';
import type { Logger } from '../../../shared/domain/logger';
import type { Handled } from '../../../shared/domain/once-per-event';
import type {
  PaymentGateway,
  PaymentLedger,
  PaymentRecord,
} from '../../../shared/domain/order/payment-ports';
import type { Money } from '../../../shared/domain/product/money';

export interface CapturePaymentPorts {
  readonly payments: PaymentLedger;
  readonly gateway: PaymentGateway;
  readonly now: () => Date;
  readonly logger: Logger;
}

/**
 * Charges a reserved order's total with the token it was placed with, once: the gateway call is keyed by the order
 * id, so a redelivered event (or a crash between the charge and its record) never charges twice, and the outcome,
 * the token's deletion and `com.ecom.payment.captured` or `.failed` are stored in one transaction. A charge already
 * recorded, or an order with no token left (cancelled before its charge), is acknowledged with nothing done. A
 * transient gateway failure throws, so the broker delivers the event again.
 */
export async function capturePayment(
  ports: CapturePaymentPorts,
  order: { readonly orderId: string; readonly total: Money },
): Promise<Handled> {
  const { orderId, total } = order;
  if (await ports.payments.find(orderId)) return 'duplicate';
  const token = await ports.payments.tokenOf(orderId);
  if (token === undefined) {
    ports.logger.info('no payment token left: the order ended before its charge', { orderId });
    return 'duplicate';
  }
  const outcome = await ports.gateway.charge({ idempotencyKey: orderId, token, amount: total });
  const at = ports.now();
  const time = at.toISOString();
  const [record, event]: [PaymentRecord, ReturnType<typeof domainEvent>] =
    outcome.kind === 'captured'
      ? [
          { orderId, status: 'CAPTURED', amount: total, reference: outcome.reference, settledAt: at },
          domainEvent(PaymentCaptured, orderId, at, {
            orderId,
            amount: total,
            reference: outcome.reference,
            capturedAt: time,
          }),
        ]
      : [
          {
            orderId,
            status: 'FAILED',
            amount: total,
            reference: '',
            declineCode: outcome.declineCode,
            settledAt: at,
          },
          domainEvent(PaymentFailed, orderId, at, {
            orderId,
            declineCode: outcome.declineCode,
            failedAt: time,
          }),
        ];
  if (!(await ports.payments.recordCharge(record, [event]))) return 'duplicate';
  ports.logger.info('charge settled', { orderId, status: record.status });
  return 'processed';
}
