import type { DueCharge, PaymentLedger, PaymentRecord } from '../../../shared/domain/order/payment-ports';
import { memoryOutbox, type MemoryOutbox } from './memory-outbox';

/** PaymentLedger in memory, with what it holds: the payments, and the charges due (place-order's, in the SQL store). */
export interface MemoryPaymentLedger extends PaymentLedger {
  readonly records: ReadonlyMap<string, PaymentRecord>;
  readonly chargesDue: Map<string, DueCharge>;
  readonly outbox: MemoryOutbox;
}

const later = <T>(work: () => T): Promise<T> => Promise.resolve().then(work);

export function memoryPaymentLedger(options: { readonly outbox?: MemoryOutbox } = {}): MemoryPaymentLedger {
  const records = new Map<string, PaymentRecord>();
  const chargesDue = new Map<string, DueCharge>();
  const outbox = options.outbox ?? memoryOutbox();
  return {
    records,
    chargesDue,
    outbox,
    find: (orderId) => later(() => records.get(orderId)),
    chargeDue: (orderId) => later(() => chargesDue.get(orderId)),
    recordCharge: (record, events) =>
      later(() => {
        if (records.has(record.orderId)) return false;
        outbox.record(events);
        records.set(record.orderId, record);
        chargesDue.delete(record.orderId);
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
