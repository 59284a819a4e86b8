import type { PaymentLedger, PaymentRecord } from '../../../shared/domain/order/payment-ports';
import type { MemoryOrderRepository } from './memory-order-repository';

/** PaymentLedger in memory beside its orders (their charges due and outbox), with the payments it holds. */
export interface MemoryPaymentLedger extends PaymentLedger {
  readonly records: ReadonlyMap<string, PaymentRecord>;
}

const later = <T>(work: () => T): Promise<T> => Promise.resolve().then(work);

export function memoryPaymentLedger(orders: MemoryOrderRepository): MemoryPaymentLedger {
  const records = new Map<string, PaymentRecord>();
  const { chargesDue, outbox } = orders;
  return {
    records,
    find: (orderId) => later(() => records.get(orderId)),
    chargeDue: (orderId) => later(() => chargesDue.get(orderId)),
    recordCharge: (record, events, change) =>
      later(() => {
        if (records.has(record.orderId)) return 'duplicate';
        if (change && !orders.storeChange(change.next, change.from)) return 'order-moved';
        outbox.record(events);
        records.set(record.orderId, record);
        chargesDue.delete(record.orderId);
        return 'recorded';
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
