import { randomUUID } from 'node:crypto';
import type { Order } from '../../../shared/domain/order/order';

/** An order for use-case tests: PENDING, 42.00 USD, no lines, placed at `placedAt`; `state` overrides any field. */
export function testOrder(
  state: Partial<Order> = {},
  placedAt = new Date('2030-01-01T09:00:00.000Z'),
): Order {
  return {
    id: randomUUID(),
    customerId: randomUUID(),
    status: 'PENDING',
    total: { amount: 4200, currency: 'USD' },
    lines: [],
    shippingAddress: { name: 'Ada', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
    createdAt: placedAt,
    updatedAt: placedAt,
    ...state,
  };
}
