import { randomUUID } from 'node:crypto';
import test from 'ava';
import { advanceOrder } from '../../../functions/order/advance-order/use-case';
import { TRANSITION_ATTEMPTS } from '../../../shared/domain/order/apply-step';
import type { Order } from '../../../shared/domain/order/order';
import type { OrderSagaState } from '../../../shared/domain/order/order-saga';
import { AppError } from '../../../shared/errors/app-error';
import { memoryLogger } from '../../support/memory/memory-logger';
import { memoryOrderRepository } from '../../support/memory/memory-order-repository';
import { testClock } from '../../support/memory/test-clock';
import { testOrder } from '../../support/memory/test-order';

const NOW = '2030-01-01T10:00:00.000Z';
const TOTAL = { amount: 4200, currency: 'USD' };
const CHARGE = { status: 'CAPTURED', amount: TOTAL, reference: 'ch_1' } as const;

async function withOrder(state: Partial<OrderSagaState> = {}) {
  const orders = memoryOrderRepository();
  const order = testOrder(state);
  await orders.place(order, { paymentToken: 'tok_visa', events: [] });
  const ports = { orders, now: testClock(NOW).now, logger: memoryLogger() };
  return { orders, order, ports };
}

/** The events of the saga's effects: the timeline's entries (com.ecom.order.changed) have a test of their own. */
const eventsOf = (orders: ReturnType<typeof memoryOrderRepository>) =>
  orders.outbox.events
    .filter((event) => event.type !== 'com.ecom.order.changed')
    .map((event) => ({
      type: event.type,
      source: event.source,
      subject: event.subject,
      data: event.data,
    }));

test('stock rejected, delivered again: acknowledged, one cancellation and one timeline entry', async (t) => {
  const { orders, order, ports } = await withOrder();
  t.is(await advanceOrder(ports, order.id, { kind: 'stock-rejected' }), 'processed');
  t.is(await advanceOrder(ports, order.id, { kind: 'stock-rejected' }), 'duplicate', 'a redelivery');
  t.deepEqual(
    orders.outbox.events.map((event) => event.type),
    ['com.ecom.order.cancelled', 'com.ecom.order.changed'],
  );
  t.false(orders.chargesDue.has(order.id), 'no charge is due for a cancelled order');
});

test('every step stored writes its timeline entry with it: the step, the status it left, the detail', async (t) => {
  const { orders, order, ports } = await withOrder({
    status: 'CANCELLING',
    payment: CHARGE,
    cancellation: { reason: 'CUSTOMER_REQUEST', at: new Date(NOW) },
  });
  await advanceOrder(ports, order.id, { kind: 'payment-refunded', reference: 're_1' });
  await advanceOrder(ports, order.id, { kind: 'payment-refunded', reference: 're_1' });
  const entries = orders.outbox.events.filter((event) => event.type === 'com.ecom.order.changed');
  t.deepEqual(
    entries.map((event) => [event.source, event.subject, event.data]),
    [
      [
        '/ecom/order/advance-order',
        order.id,
        {
          orderId: order.id,
          step: 'payment-refunded',
          status: 'CANCELLED',
          detail: 'refunded, reference re_1',
          changedAt: NOW,
        },
      ],
    ],
    'an ignored redelivery adds no entry',
  );
});

test('stock rejected: CANCELLED as OUT_OF_STOCK, and com.ecom.order.cancelled with the reason', async (t) => {
  const { orders, order, ports } = await withOrder();
  await advanceOrder(ports, order.id, { kind: 'stock-rejected' });
  t.like(orders.orders.get(order.id), { status: 'CANCELLED', cancellation: { reason: 'OUT_OF_STOCK' } });
  t.deepEqual(
    eventsOf(orders).map((event) => [event.type, event.data]),
    [['com.ecom.order.cancelled', { orderId: order.id, reason: 'OUT_OF_STOCK', cancelledAt: NOW }]],
  );
});

test("a paid order's refund: CANCELLED, the payment REFUNDED, and the cancellation told then", async (t) => {
  const { orders, order, ports } = await withOrder({
    status: 'CANCELLING',
    payment: CHARGE,
    cancellation: { reason: 'CUSTOMER_REQUEST', at: new Date(NOW) },
  });
  await advanceOrder(ports, order.id, { kind: 'payment-refunded', reference: 're_1' });
  t.like(orders.orders.get(order.id), { status: 'CANCELLED', payment: { status: 'REFUNDED' } });
  t.deepEqual(
    eventsOf(orders).map((event) => [event.type, event.data]),
    [['com.ecom.order.cancelled', { orderId: order.id, reason: 'CUSTOMER_REQUEST', cancelledAt: NOW }]],
  );
});

test('an event about an order this service does not hold is acknowledged and changes nothing', async (t) => {
  const { orders, ports } = await withOrder();
  t.is(await advanceOrder(ports, randomUUID(), { kind: 'stock-rejected' }), 'duplicate');
  t.is(orders.outbox.events.length, 0);
});

test('when another step moves the order first, the step is decided again on what it finds', async (t) => {
  const { orders, order, ports } = await withOrder();
  // capture-payment pays the order between this step's read and its write.
  orders.beforeTransition = async () => {
    orders.beforeTransition = undefined;
    const current = orders.orders.get(order.id) as Order;
    await orders.transition({ ...current, status: 'PAID', payment: CHARGE }, 'PENDING', []);
  };
  t.is(await advanceOrder(ports, order.id, { kind: 'stock-rejected' }), 'duplicate', 'a late rejection');
  t.like(orders.orders.get(order.id), { status: 'PAID' });
  t.is(orders.outbox.events.length, 0, 'not cancelled');
});

test(`an order that keeps changing under a step is answered unavailable after ${String(TRANSITION_ATTEMPTS)} tries, so the event comes again`, async (t) => {
  const { orders, order, ports } = await withOrder();
  let moved = 0;
  // Before each of the step's writes another step flips the order between PENDING and RESERVED, so the status the
  // step read is never the one it finds.
  const flip = async () => {
    moved += 1;
    const current = orders.orders.get(order.id) as Order;
    orders.beforeTransition = undefined;
    const other = current.status === 'PENDING' ? 'RESERVED' : 'PENDING';
    await orders.transition({ ...current, status: other }, current.status, []);
    orders.beforeTransition = flip;
  };
  orders.beforeTransition = flip;
  const error = await t.throwsAsync(advanceOrder(ports, order.id, { kind: 'expire' }), {
    instanceOf: AppError,
  });
  t.is(error.kind, 'unavailable');
  t.is(moved, TRANSITION_ATTEMPTS);
  t.is(orders.outbox.events.length, 0);
});
