import test from 'ava';
import { EXPIRY_BATCH, expireOrders } from '../../../functions/order/expire-orders/use-case';
import type { Order } from '../../../shared/domain/order/order';
import type { OrderStatus } from '../../../shared/domain/order/order-saga';
import { memoryLogger } from '../../support/memory/memory-logger';
import { memoryOrderRepository } from '../../support/memory/memory-order-repository';
import { testClock } from '../../support/memory/test-clock';
import { testOrder } from '../../support/memory/test-order';

const NOW = new Date('2030-01-01T10:00:00.000Z');
const WINDOW = 30;

async function seed(
  orders: ReturnType<typeof memoryOrderRepository>,
  status: OrderStatus,
  minutesAgo: number,
) {
  const placedAt = new Date(NOW.getTime() - minutesAgo * 60_000);
  const order = testOrder({ status }, placedAt);
  await orders.place(order, { paymentToken: 'tok_visa', events: [] });
  return order.id;
}

const portsOf = (orders: ReturnType<typeof memoryOrderRepository>) => ({
  orders,
  now: testClock(NOW).now,
  logger: memoryLogger(),
});

test('open orders older than the window are CANCELLED as EXPIRED with com.ecom.order.cancelled; others stay', async (t) => {
  const orders = memoryOrderRepository();
  const pending = await seed(orders, 'PENDING', WINDOW + 1);
  const reserved = await seed(orders, 'RESERVED', WINDOW * 3);
  const paid = await seed(orders, 'PAID', WINDOW * 3);
  const fresh = await seed(orders, 'PENDING', WINDOW - 1);
  t.is(await expireOrders(portsOf(orders), WINDOW), 2);
  for (const id of [pending, reserved]) {
    t.like(orders.orders.get(id), { status: 'CANCELLED', cancellation: { reason: 'EXPIRED', at: NOW } });
  }
  t.is(orders.orders.get(paid)?.status, 'PAID');
  t.is(orders.orders.get(fresh)?.status, 'PENDING');
  t.deepEqual(
    orders.outbox.events
      .filter((event) => event.type !== 'com.ecom.order.changed')
      .map((event) => [event.type, event.source, event.subject]),
    [
      ['com.ecom.order.cancelled', '/ecom/order/expire-orders', reserved],
      ['com.ecom.order.cancelled', '/ecom/order/expire-orders', pending],
    ],
    'oldest first',
  );
  t.is(await expireOrders(portsOf(orders), WINDOW), 0, 'a second run finds nothing');
});

test('more than a batch is expired in one run', async (t) => {
  const orders = memoryOrderRepository();
  for (let i = 0; i < EXPIRY_BATCH * 2 + 5; i++) await seed(orders, 'PENDING', WINDOW + 1 + i);
  t.is(await expireOrders(portsOf(orders), WINDOW), EXPIRY_BATCH * 2 + 5);
  t.true([...orders.orders.values()].every((order) => order.status === 'CANCELLED'));
});

test('an order paid between the sweep reading it and cancelling it stays paid', async (t) => {
  const orders = memoryOrderRepository();
  const id = await seed(orders, 'RESERVED', WINDOW + 5);
  orders.beforeTransition = async () => {
    orders.beforeTransition = undefined;
    const current = orders.orders.get(id) as Order;
    const payment = { status: 'CAPTURED', amount: current.total, reference: 'ch_1' } as const;
    await orders.transition({ ...current, status: 'PAID', payment }, 'RESERVED', []);
  };
  t.is(await expireOrders(portsOf(orders), WINDOW), 0);
  t.is(orders.orders.get(id)?.status, 'PAID');
  t.is(orders.outbox.events.length, 0);
});
