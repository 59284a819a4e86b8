// The order timeline: record-order-timeline writes each com.ecom.order.changed, order-query reads them oldest first.
import { randomUUID } from 'node:crypto';
import test from 'ava';
import { orderTimeline } from '../../../functions/order/order-query/use-case';
import { recordTimelineStep } from '../../../functions/order/record-order-timeline/use-case';
import type { Principal } from '../../../shared/domain/user/roles';
import { AppError } from '../../../shared/errors/app-error';
import { memoryHistoryStore } from '../../support/memory/memory-history-store';
import { memoryOrderRepository } from '../../support/memory/memory-order-repository';
import { testOrder } from '../../support/memory/test-order';

const principal = (userId: string, role: Principal['role']): Principal => ({
  userId,
  role,
  tokenId: randomUUID(),
  sessionId: randomUUID(),
  expiresAt: new Date('2030-01-01T11:00:00.000Z'),
});

async function setup() {
  const orders = memoryOrderRepository();
  const timeline = memoryHistoryStore();
  const order = testOrder();
  await orders.place(order, { paymentToken: 'tok_visa', events: [] });
  const step = (id: string, step: string, status: string, changedAt: string) =>
    recordTimelineStep(timeline, {
      id,
      data: { orderId: order.id, step, status, detail: `${step} detail`, changedAt },
    });
  return { orders, timeline, order, step, ports: { orders, timeline } };
}

test('the steps read back oldest first, whatever order they were recorded in, each {at, type, status, detail}', async (t) => {
  const { order, step, ports } = await setup();
  const [placed, reserved, paid] = [randomUUID(), randomUUID(), randomUUID()];
  await step(paid, 'payment-captured', 'PAID', '2030-01-01T09:00:02.000Z');
  await step(placed, 'placed', 'PENDING', '2030-01-01T09:00:00.000Z');
  await step(reserved, 'stock-reserved', 'RESERVED', '2030-01-01T09:00:01.000Z');
  await step(reserved, 'stock-reserved', 'RESERVED', '2030-01-01T09:00:01.000Z');
  const read = await orderTimeline(ports, order.id, principal(order.customerId, 'customer'));
  t.deepEqual(read, {
    orderId: order.id,
    items: [
      { at: '2030-01-01T09:00:00.000Z', type: 'placed', status: 'PENDING', detail: 'placed detail' },
      {
        at: '2030-01-01T09:00:01.000Z',
        type: 'stock-reserved',
        status: 'RESERVED',
        detail: 'stock-reserved detail',
      },
      {
        at: '2030-01-01T09:00:02.000Z',
        type: 'payment-captured',
        status: 'PAID',
        detail: 'payment-captured detail',
      },
    ],
  });
});

test('an admin reads any timeline; another customer and an unknown order get 404', async (t) => {
  const { order, step, ports } = await setup();
  await step(randomUUID(), 'placed', 'PENDING', '2030-01-01T09:00:00.000Z');
  t.is((await orderTimeline(ports, order.id, principal(randomUUID(), 'admin'))).items.length, 1);
  for (const [id, caller] of [
    [order.id, principal(randomUUID(), 'customer')],
    [randomUUID(), principal(order.customerId, 'customer')],
  ] as const) {
    const error = await t.throwsAsync(orderTimeline(ports, id, caller), { instanceOf: AppError });
    t.like(error, { kind: 'not-found', code: 'ORDER.NOT_FOUND' });
  }
});
