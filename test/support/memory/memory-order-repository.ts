import type { Order } from '../../../shared/domain/order/order';
import type { KeyedOrder, OrderRepository } from '../../../shared/domain/order/order-ports';
import { isOpen, type OrderStatus } from '../../../shared/domain/order/order-saga';
import type { DueCharge } from '../../../shared/domain/order/payment-ports';
import { memoryOutbox, type MemoryOutbox } from './memory-outbox';

/** OrderRepository in memory, with what it holds: orders, their charges due, idempotency keys, the outbox. */
export interface MemoryOrderRepository extends OrderRepository {
  readonly orders: ReadonlyMap<string, Order>;
  readonly chargesDue: Map<string, DueCharge>;
  readonly outbox: MemoryOutbox;
  /** Runs before `place` stores anything: a test makes another request take the same key there. */
  beforePlace?: () => Promise<void>;
  /** Runs before `transition` compares the status: a test moves the order there, as a concurrent step would. */
  beforeTransition?: () => Promise<void>;
  /** Stores `next` while the order's status is still `from` (the SQL adapter's compare-and-set); false otherwise. */
  storeChange(next: Order, from: OrderStatus): boolean;
}

const later = <T>(work: () => T): Promise<T> => Promise.resolve().then(work);
const keyOf = (customerId: string, key: string) => `${customerId} ${key}`;

export function memoryOrderRepository(
  options: { readonly outbox?: MemoryOutbox } = {},
): MemoryOrderRepository {
  const orders = new Map<string, Order>();
  const chargesDue = new Map<string, DueCharge>();
  const keys = new Map<string, KeyedOrder>();
  const outbox = options.outbox ?? memoryOutbox();
  const repository: MemoryOrderRepository = {
    orders,
    chargesDue,
    outbox,
    findById: (id) => later(() => orders.get(id)),
    findByKey: (customerId, key) => later(() => keys.get(keyOf(customerId, key))),
    async transition(next, from, events) {
      await repository.beforeTransition?.();
      return later(() => {
        if (!repository.storeChange(next, from)) return false;
        outbox.record(events);
        if (!isOpen(next.status)) chargesDue.delete(next.id);
        return true;
      });
    },
    storeChange(next, from) {
      if (orders.get(next.id)?.status !== from) return false;
      orders.set(next.id, next);
      return true;
    },
    openBefore: (placedBefore, limit) =>
      later(() =>
        [...orders.values()]
          .filter((order) => isOpen(order.status) && order.createdAt < placedBefore)
          .sort(
            (a, b) =>
              a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
          )
          .slice(0, limit)
          .map((order) => order.id),
      ),
    list: (filter, { page, pageSize }) =>
      later(() => {
        const found = [...orders.values()]
          .filter(
            (order) =>
              (filter.customerId === undefined || order.customerId === filter.customerId) &&
              (filter.status === undefined || order.status === filter.status) &&
              (filter.from === undefined || order.createdAt >= filter.from) &&
              (filter.to === undefined || order.createdAt < filter.to),
          )
          .sort(
            (a, b) =>
              b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
          );
        const offset = (page - 1) * pageSize;
        return { items: found.slice(offset, offset + pageSize), total: found.length };
      }),
    async place(order, placement) {
      await repository.beforePlace?.();
      return later(() => {
        const { idempotency } = placement;
        if (idempotency) {
          const existing = keys.get(keyOf(order.customerId, idempotency.key));
          if (existing) return { placed: false, existing } as const;
          keys.set(keyOf(order.customerId, idempotency.key), {
            orderId: order.id,
            requestDigest: idempotency.requestDigest,
          });
        }
        if (orders.has(order.id)) throw new Error(`order ${order.id} exists`);
        orders.set(order.id, order);
        chargesDue.set(order.id, { token: placement.paymentToken, total: order.total });
        outbox.record(placement.events);
        return { placed: true } as const;
      });
    },
  };
  return repository;
}
