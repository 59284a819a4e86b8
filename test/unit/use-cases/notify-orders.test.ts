// notify's order notifications on the in-memory stores: the customer of the order, told once per event.
import { randomUUID } from 'node:crypto';
import test from 'ava';
import { orderNotification } from '../../../functions/order/notify/order-notifications';
import { notifyOrderStep } from '../../../functions/order/notify/use-case';
import type { Order } from '../../../shared/domain/order/order';
import { memoryHistoryStore } from '../../support/memory/memory-history-store';
import { memoryLogger } from '../../support/memory/memory-logger';
import { memoryMailer } from '../../support/memory/memory-mailer';
import { memoryOncePerEvent } from '../../support/memory/memory-once-per-event';
import { memoryOrderRepository } from '../../support/memory/memory-order-repository';
import { testOrder } from '../../support/memory/test-order';

const AT = '2030-01-01T10:00:00.000Z';

async function setup(state: Partial<Order> = {}) {
  const orders = memoryOrderRepository();
  const order = testOrder({ total: { amount: 6499, currency: 'USD' }, ...state });
  await orders.place(order, { paymentToken: 'tok_visa', events: [] });
  const inbox = memoryHistoryStore();
  const mailer = memoryMailer();
  const { once, processed } = memoryOncePerEvent();
  const directory = new Map([
    [order.customerId, { email: 'ada@example.com', name: 'Ada\nBcc: x@evil.example' }],
  ]);
  const ports = {
    contactOf: (id: string) => Promise.resolve(directory.get(id)),
    inbox,
    mailer,
    once,
    logger: memoryLogger(),
    orders,
  };
  return { order, orders, inbox, mailer, processed, ports };
}

const short = (order: Order) => order.id.slice(0, 8).toUpperCase();

test("an order's step reaches its customer: an inbox entry keyed by the event, and one e-mail per event", async (t) => {
  const { order, inbox, mailer, ports } = await setup();
  const event = { id: randomUUID(), orderId: order.id, at: new Date(AT) };
  t.is(await notifyOrderStep(ports, event, 'placed'), 'processed');
  t.is(await notifyOrderStep(ports, event, 'placed'), 'duplicate', 'a redelivery');
  const id = short(order);
  t.deepEqual(await inbox.read(order.customerId), {
    items: [
      {
        id: event.id,
        time: new Date(AT),
        kind: 'order.placed',
        data: {
          title: `Order ${id} received`,
          body: `We received your order ${id} for 64.99 USD. We will tell you once it is paid.`,
        },
      },
    ],
  });
  t.deepEqual(mailer.sent, [
    {
      to: 'ada@example.com',
      subject: `Order ${id} received`,
      text: `Hello Ada Bcc: x@evil.example,\n\nWe received your order ${id} for 64.99 USD. We will tell you once it is paid.\n\nThe shop team\n`,
    },
  ]);
});

test('an event about an order this service does not hold notifies nobody, and is done', async (t) => {
  const { order, inbox, mailer, processed, ports } = await setup();
  const event = { id: randomUUID(), orderId: randomUUID(), at: new Date(AT) };
  t.is(await notifyOrderStep(ports, event, 'paid'), 'processed');
  t.deepEqual(await inbox.read(order.customerId), { items: [] });
  t.deepEqual(mailer.sent, []);
  t.true(processed.has(event.id));
});

test("without a mail server an order's step reaches the inbox with no call to the user service", async (t) => {
  const { order, inbox, processed, ports } = await setup();
  let asked = 0;
  const inboxOnly = {
    ...ports,
    mailer: undefined,
    contactOf: () => {
      asked += 1;
      return Promise.reject(new Error('the user service is not needed'));
    },
  };
  const event = { id: randomUUID(), orderId: order.id, at: new Date(AT) };
  t.is(await notifyOrderStep(inboxOnly, event, 'paid'), 'processed');
  t.is(await notifyOrderStep(inboxOnly, event, 'paid'), 'duplicate', 'a redelivery');
  t.like((await inbox.read(order.customerId)).items, [
    { id: event.id, kind: 'order.paid', data: orderNotification('paid', order) },
  ]);
  t.true(processed.has(event.id));
  t.is(asked, 0);
});

test('each step says what happened: paid, shipped with its tracking, delivered', (t) => {
  const paid = testOrder({ status: 'PAID', total: { amount: 1000, currency: 'EUR' } });
  t.regex(orderNotification('paid', paid).body, /payment of 10\.00 EUR/);
  const shipped = testOrder({
    status: 'SHIPPED',
    shipment: { carrier: 'DHL', trackingNumber: 'JD0001', shippedAt: new Date(AT) },
  });
  t.regex(orderNotification('shipped', shipped).body, /on its way with DHL, tracking number JD0001\.$/);
  t.regex(orderNotification('delivered', shipped).title, /delivered$/);
});

test('a cancellation says why, and whether money was refunded or nothing was charged', (t) => {
  const at = new Date(AT);
  const declined = testOrder({
    status: 'CANCELLED',
    cancellation: { reason: 'PAYMENT_DECLINED', at },
    payment: { status: 'FAILED', amount: { amount: 4200, currency: 'USD' }, reference: '' },
  });
  t.is(
    orderNotification('cancelled', declined).body,
    `Order ${short(declined)} was cancelled because the payment was declined. Nothing was charged.`,
  );
  const refunded = testOrder({
    status: 'CANCELLED',
    cancellation: { reason: 'CUSTOMER_REQUEST', at },
    payment: { status: 'REFUNDED', amount: { amount: 4200, currency: 'USD' }, reference: 'ch_1' },
  });
  t.is(
    orderNotification('cancelled', refunded).body,
    `Order ${short(refunded)} was cancelled as you asked. Your payment of 42.00 USD was refunded.`,
  );
  const expired = testOrder({ status: 'CANCELLED', cancellation: { reason: 'EXPIRED', at } });
  t.regex(
    orderNotification('cancelled', expired).body,
    /because it was not paid in time\. Nothing was charged\.$/,
  );
});
