import { PaymentCaptured, PaymentFailed } from '../../../events/payment-events';
import { domainEvent } from '../../../shared/domain/domain-event';
import type { Logger } from '../../../shared/domain/logger';
import type { Handled } from '../../../shared/domain/once-per-event';
import type {
  PaymentGateway,
  PaymentLedger,
  PaymentRecord,
} from '../../../shared/domain/order/payment-ports';

export interface CapturePaymentPorts {
  readonly payments: PaymentLedger;
  readonly gateway: PaymentGateway;
  readonly now: () => Date;
  readonly logger: Logger;
}

/**
 * Charges an order whose stock was reserved, once: its total as this service stored it at placement (never an amount
 * from the event), with the token it was placed with. The gateway call is keyed by the order id, so a redelivered
 * event (or a crash between the charge and its record) never charges twice, and the outcome, the token's deletion
 * and `com.ecom.payment.captured` or `.failed` are stored in one transaction. A charge already recorded, or an order
 * with no charge due (ended before it, or unknown here), is acknowledged with nothing done. A transient gateway
 * failure throws, so the broker delivers the event again.
 */
export async function capturePayment(ports: CapturePaymentPorts, orderId: string): Promise<Handled> {
  // A settled charge took the token with it (recordCharge): no charge is due for it any more.
  const due = await ports.payments.chargeDue(orderId);
  if (due === undefined) {
    ports.logger.info('no charge due: charged already, ended before its charge, or not held here', {
      orderId,
    });
    return 'duplicate';
  }
  const { token, total } = due;
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
