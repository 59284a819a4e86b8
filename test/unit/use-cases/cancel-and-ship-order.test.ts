// cancel-order and ship-order on the in-memory order repository.
import { randomUUID } from 'node:crypto';
import test from 'ava';
import { cancelOrder } from '../../../functions/order/cancel-order/use-case';
import { deliverOrder, shipOrder } from '../../../functions/order/ship-order/use-case';
import type { OrderSagaState } from '../../../shared/domain/order/order-saga';
import type { Principal } from '../../../shared/domain/user/roles';
import { AppError } from '../../../shared/errors/app-error';
import { memoryLogger } from '../../support/memory/memory-logger';
import { memoryOrderRepository } from '../../support/memory/memory-order-repository';
import { testClock } from '../../support/memory/test-clock';
import { testOrder } from '../../support/memory/test-order';

const NOW = '2030-01-01T10:00:00.000Z';
const TOTAL = { amount: 4200, currency: 'USD' };
const CHARGE = { status: 'CAPTURED', amount: TOTAL, reference: 'ch_1' } as const;

const principal = (role: 'customer' | 'admin', userId = randomUUID()): Principal => ({
  userId,
  role,
  tokenId: randomUUID(),
  sessionId: randomUUID(),
  expiresAt: new Date('2030-01-01T11:00:00.000Z'),
});

async function withOrder(state: Partial<OrderSagaState> = {}) {
  const orders = memoryOrderRepository();
  const customer = principal('customer');
  const order = testOrder({ customerId: customer.userId, ...state });
  await orders.place(order, { paymentToken: 'tok_visa', events: [] });
  const ports = { orders, now: testClock(NOW).now, logger: memoryLogger() };
  return { orders, order, ports, customer };
}

/** The events of the steps' effects; each step's timeline entry is checked in advance-order's tests. */
const typesOf = (orders: ReturnType<typeof memoryOrderRepository>) =>
  orders.outbox.events
    .filter((event) => event.type !== 'com.ecom.order.changed')
    .map((event) => [event.type, event.source, event.data]);

for (const status of ['PENDING', 'RESERVED'] as const) {
  test(`cancel: the customer's ${status} order is CANCELLED at once, its token dropped, com.ecom.order.cancelled`, async (t) => {
    const { orders, order, ports, customer } = await withOrder({ status });
    const cancelled = await cancelOrder(ports, order.id, customer);
    t.like(cancelled, {
      status: 'CANCELLED',
      cancellation: { reason: 'CUSTOMER_REQUEST', at: new Date(NOW) },
    });
    t.deepEqual(orders.orders.get(order.id), cancelled);
    t.false(orders.chargesDue.has(order.id));
    t.deepEqual(typesOf(orders), [
      [
        'com.ecom.order.cancelled',
        '/ecom/order/cancel-order',
        { orderId: order.id, reason: 'CUSTOMER_REQUEST', cancelledAt: NOW },
      ],
    ]);
  });
}

test('cancel: a paid order is CANCELLING, and its refund is asked for; the cancellation is told once refunded', async (t) => {
  const { orders, order, ports, customer } = await withOrder({ status: 'PAID', payment: CHARGE });
  const cancelling = await cancelOrder(ports, order.id, customer);
  t.like(cancelling, { status: 'CANCELLING', cancellation: { reason: 'CUSTOMER_REQUEST' } });
  t.deepEqual(typesOf(orders), [
    [
      'com.ecom.payment.refund-requested',
      '/ecom/order/cancel-order',
      { orderId: order.id, amount: TOTAL, reference: 'ch_1', requestedAt: NOW },
    ],
  ]);
  t.like(await cancelOrder(ports, order.id, customer), { status: 'CANCELLING' }, 'asked again: as it is');
  t.is(typesOf(orders).length, 1);
});

test("cancel: an admin cancels anyone's order, as ADMIN_REQUEST", async (t) => {
  const { order, ports } = await withOrder({ status: 'RESERVED' });
  t.like(await cancelOrder(ports, order.id, principal('admin')), {
    status: 'CANCELLED',
    cancellation: { reason: 'ADMIN_REQUEST' },
  });
});

test("cancel: another customer's order, or an unknown one, does not exist (404) and is not touched", async (t) => {
  const { orders, order, ports } = await withOrder({ status: 'RESERVED' });
  for (const id of [order.id, randomUUID()]) {
    const error = await t.throwsAsync(cancelOrder(ports, id, principal('customer')), {
      instanceOf: AppError,
    });
    t.like(error, { kind: 'not-found', code: 'ORDER.NOT_FOUND' });
  }
  t.is(orders.orders.get(order.id)?.status, 'RESERVED');
  t.is(orders.outbox.events.length, 0);
});

for (const status of ['SHIPPED', 'DELIVERED'] as const) {
  test(`cancel: a ${status} order is 409 ORDER.WRONG_STATUS and stays ${status}`, async (t) => {
    const { orders, order, ports, customer } = await withOrder({ status, payment: CHARGE });
    const error = await t.throwsAsync(cancelOrder(ports, order.id, customer), { instanceOf: AppError });
    t.like(error, { kind: 'conflict', code: 'ORDER.WRONG_STATUS' });
    t.is(orders.orders.get(order.id)?.status, status);
    t.is(orders.outbox.events.length, 0);
  });
}

test('cancel: a cancelled order is answered as it is, with nothing emitted', async (t) => {
  const cancellation = { reason: 'EXPIRED', at: new Date('2030-01-01T09:30:00.000Z') } as const;
  const { orders, order, ports, customer } = await withOrder({ status: 'CANCELLED', cancellation });
  t.like(await cancelOrder(ports, order.id, customer), { status: 'CANCELLED', cancellation });
  t.is(orders.outbox.events.length, 0);
});

test('ship: a PAID order is SHIPPED with its carrier and tracking, and com.ecom.order.shipped', async (t) => {
  const { orders, order, ports } = await withOrder({ status: 'PAID', payment: CHARGE });
  const shipped = await shipOrder(ports, order.id, { carrier: 'DHL', trackingNumber: 'JD0001' });
  t.like(shipped, {
    status: 'SHIPPED',
    shipment: { carrier: 'DHL', trackingNumber: 'JD0001', shippedAt: new Date(NOW) },
  });
  t.deepEqual(typesOf(orders), [
    ['com.ecom.order.shipped', '/ecom/order/ship-order', { orderId: order.id, shippedAt: NOW }],
  ]);
  const delivered = await deliverOrder(ports, order.id);
  t.like(delivered, { status: 'DELIVERED', deliveredAt: new Date(NOW) });
  t.deepEqual(typesOf(orders)[1], [
    'com.ecom.order.delivered',
    '/ecom/order/ship-order',
    { orderId: order.id, deliveredAt: NOW },
  ]);
});

for (const status of ['PENDING', 'RESERVED', 'SHIPPED', 'CANCELLING', 'CANCELLED'] as const) {
  test(`ship: a ${status} order is 409 and unchanged`, async (t) => {
    const { orders, order, ports } = await withOrder({ status });
    const error = await t.throwsAsync(shipOrder(ports, order.id, { carrier: 'DHL', trackingNumber: 'X1' }), {
      instanceOf: AppError,
    });
    t.like(error, { kind: 'conflict', code: 'ORDER.WRONG_STATUS' });
    t.is(orders.orders.get(order.id)?.status, status);
    t.is(orders.outbox.events.length, 0);
  });
}

for (const status of ['PENDING', 'PAID', 'DELIVERED', 'CANCELLED'] as const) {
  test(`deliver: a ${status} order is 409 and unchanged`, async (t) => {
    const { orders, order, ports } = await withOrder({ status });
    await t.throwsAsync(deliverOrder(ports, order.id), { instanceOf: AppError, message: /SHIPPED/ });
    t.is(orders.orders.get(order.id)?.status, status);
  });
}

test('ship and deliver an unknown order: 404', async (t) => {
  const { ports } = await withOrder();
  for (const attempt of [
    shipOrder(ports, randomUUID(), { carrier: 'DHL', trackingNumber: 'X1' }),
    deliverOrder(ports, randomUUID()),
  ]) {
    t.like(await t.throwsAsync(attempt, { instanceOf: AppError }), { code: 'ORDER.NOT_FOUND' });
  }
});
