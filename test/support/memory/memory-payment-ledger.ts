import type { PaymentLedger, PaymentRecord } from '../../../shared/domain/order/payment-ports';
import { memoryOutbox, type MemoryOutbox } from './memory-outbox';

/** PaymentLedger in memory, with what it holds; the payment tokens are the order repository's (place-order's). */
export interface MemoryPaymentLedger extends PaymentLedger {
  readonly records: ReadonlyMap<string, PaymentRecord>;
  readonly paymentTokens: Map<string, string>;
  readonly outbox: MemoryOutbox;
}

const later = <T>(work: () => T): Promise<T> => Promise.resolve().then(work);

export function memoryPaymentLedger(
  options: { readonly paymentTokens?: Map<string, string>; readonly outbox?: MemoryOutbox } = {},
): MemoryPaymentLedger {
  const records = new Map<string, PaymentRecord>();
  const paymentTokens = options.paymentTokens ?? new Map<string, string>();
  const outbox = options.outbox ?? memoryOutbox();
  return {
    records,
    paymentTokens,
    outbox,
    find: (orderId) => later(() => records.get(orderId)),
    tokenOf: (orderId) => later(() => paymentTokens.get(orderId)),
    recordCharge: (record, events) =>
      later(() => {
        if (records.has(record.orderId)) return false;
        outbox.record(events);
        records.set(record.orderId, record);
        paymentTokens.delete(record.orderId);
        return true;
      }),
    recordRefund: (orderId, refund, events) =>
      later(() => {
        const record = records.get(orderId);
        if (record?.status !== 'CAPTURED') return false;
        outbox.record(events);
        records.set(orderId, {
          ...record,
          status: 'REFUNDED',
          refundReference: refund.reference,
          refundedAt: refund.at,
        });
        return true;
      }),
  };
}
