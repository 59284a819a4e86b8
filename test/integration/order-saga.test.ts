// The order saga across two services on real MariaDB and Kafka: place-order publishes com.ecom.order.placed, the
// dev broker delivers it per the Triggers of knative/ to the product service's reserve-inventory, and the inventory
// event it publishes back to the order service's advance-order and capture-payment.
import test from 'ava';
import type { DeliveryOutcome } from '../../dev/broker/trigger-handler';
import { startOrderService, type OrderServiceUnderTest } from '../support/order-service';
import { startTestBroker, type TestBroker } from '../support/test-broker';

let api: OrderServiceUnderTest;
let broker: TestBroker;
let admin: string;
let customer: string;
test.before(async () => {
  api = await startOrderService();
  broker = await startTestBroker({ topic: api.eventsTopic, functions: [api.products, api] });
  admin = await api.products.adminToken();
  customer = await api.products.customerToken();
});
test.after.always(async () => {
  await broker.close();
  await api.close();
});

async function place(productId: string, quantity: number, paymentToken = 'tok_visa'): Promise<string> {
  const response = await api.call('POST', '/v1/orders', {
    token: customer,
    body: {
      items: [{ productId, quantity }],
      shippingAddress: {
        name: 'Ada',
        line1: '1 Main St',
        city: 'Berlin',
        postalCode: '10115',
        country: 'DE',
      },
      paymentToken,
    },
  });
  if (response.status !== 201) throw new Error(`place: ${String(response.status)} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

const orderOf = async (id: string) =>
  (await (await api.call('GET', `/v1/orders/${id}`, { token: customer })).json()) as {
    status: string;
    payment: { status: string; amount: { amount: number }; reference: string } | null;
    cancellation: { reason: string } | null;
  };

/** A delivery to one of the order service's functions that move an order by the saga's events. */
const toOrderSaga = (outcome: DeliveryOutcome) =>
  outcome.trigger.startsWith('advance-order') || outcome.trigger.startsWith('capture-payment');

const ENDS = new Set(['PAID', 'CANCELLED']);

/**
 * Waits, one delivery to advance-order or capture-payment at a time (of any test's events), until the order is PAID
 * or CANCELLED.
 */
async function settled(id: string) {
  for (;;) {
    // Counted before the read: a delivery that lands between the two ends the wait at once.
    const seen = broker.deliveries.filter(toOrderSaga).length;
    const order = await orderOf(id);
    if (ENDS.has(order.status)) return order;
    await broker.waitForDeliveries(toOrderSaga, seen + 1, 60_000);
  }
}

/** What the order database keeps of an order's payment: its record, and whether the token is still there. */
async function paymentRowsOf(id: string) {
  const { sequelize } = await api.stores('place-order').database();
  const [payments] = await sequelize.query('SELECT status FROM payments WHERE order_id = ?', {
    replacements: [id],
  });
  const [tokens] = await sequelize.query('SELECT order_id FROM order_payment_tokens WHERE order_id = ?', {
    replacements: [id],
  });
  const [charges] = await sequelize.query(
    "SELECT outcome FROM simulated_gateway_calls WHERE idempotency_key = ? AND kind = 'charge'",
    { replacements: [id] },
  );
  return { payments, tokenKept: tokens.length > 0, gatewayCharges: charges };
}

const levelsOf = async (productId: string) =>
  (await (
    await api.products.call('GET', `/v1/products/${productId}/inventory`, { token: admin })
  ).json()) as { onHand: number; reserved: number; available: number };

test('tok_visa: reserved, then charged once, PAID; the units stay held until shipping, the token is gone', async (t) => {
  const product = await api.products.stockedProduct(5);
  const id = await place(product, 2);
  const order = await settled(id);
  t.like(order, {
    status: 'PAID',
    payment: { status: 'CAPTURED', amount: { amount: 1800 } },
    cancellation: null,
  });
  t.regex(order.payment?.reference ?? '', /^ch_sim_/);
  t.like(await levelsOf(product), { onHand: 5, reserved: 2, available: 3 });
  t.deepEqual(await paymentRowsOf(id), {
    payments: [{ status: 'CAPTURED' }],
    tokenKept: false,
    gatewayCharges: [{ outcome: 'captured' }],
  });
});

test('an order over the stock is CANCELLED as OUT_OF_STOCK, with nothing held and nothing charged', async (t) => {
  const product = await api.products.stockedProduct(1);
  const id = await place(product, 2);
  t.like(await settled(id), { status: 'CANCELLED', payment: null, cancellation: { reason: 'OUT_OF_STOCK' } });
  t.like(await levelsOf(product), { onHand: 1, reserved: 0, available: 1 });
  t.deepEqual(await paymentRowsOf(id), { payments: [], tokenKept: false, gatewayCharges: [] });
});

test('a declined card: CANCELLED as PAYMENT_DECLINED, the payment FAILED, the stock released', async (t) => {
  const product = await api.products.stockedProduct(3);
  const id = await place(product, 2, 'tok_chargeDeclined');
  t.like(await settled(id), {
    status: 'CANCELLED',
    payment: { status: 'FAILED' },
    cancellation: { reason: 'PAYMENT_DECLINED' },
  });
  // The release follows order.cancelled to reserve-inventory: read again after each such delivery.
  const toRelease = (delivery: DeliveryOutcome) =>
    delivery.trigger.startsWith('reserve-inventory') && delivery.eventType === 'com.ecom.order.cancelled';
  for (;;) {
    const seen = broker.deliveries.filter(toRelease).length;
    if ((await levelsOf(product)).reserved === 0) break;
    await broker.waitForDeliveries(toRelease, seen + 1, 60_000);
  }
  t.like(await levelsOf(product), { onHand: 3, reserved: 0, available: 3 });
  t.deepEqual(await paymentRowsOf(id), {
    payments: [{ status: 'FAILED' }],
    tokenKept: false,
    gatewayCharges: [{ outcome: 'declined' }],
  });
});

test('tok_processingError: the first charge fails with a 5xx, the broker delivers it again, and it is PAID', async (t) => {
  const product = await api.products.stockedProduct(2);
  const id = await place(product, 1, 'tok_processingError');
  t.like(await settled(id), { status: 'PAID', payment: { status: 'CAPTURED' } });
  // Only this test's charge fails on its first attempt.
  const retried = broker.deliveries.filter(
    (delivery) => delivery.trigger.startsWith('capture-payment') && delivery.attempts > 1,
  );
  t.like(retried, [{ eventType: 'com.ecom.inventory.reserved', delivered: true }]);
  t.deepEqual((await paymentRowsOf(id)).gatewayCharges, [{ outcome: 'captured' }]);
});

/** Waits, one delivery to `trigger` at a time, until `done` holds of what `read` gives. */
async function afterDeliveries<T>(trigger: string, read: () => Promise<T>, done: (value: T) => boolean) {
  const to = (delivery: DeliveryOutcome) => delivery.trigger.startsWith(trigger);
  for (;;) {
    const seen = broker.deliveries.filter(to).length;
    const value = await read();
    if (done(value)) return value;
    await broker.waitForDeliveries(to, seen + 1, 60_000);
  }
}

test('cancelled after payment: 202 CANCELLING, refunded once, then CANCELLED with the stock released', async (t) => {
  const product = await api.products.stockedProduct(4);
  const id = await place(product, 3);
  t.like(await settled(id), { status: 'PAID' });
  const response = await api.call('POST', `/v1/orders/${id}/cancel`, { token: customer });
  t.is(response.status, 202);
  t.like(await response.json(), { status: 'CANCELLING', cancellation: { reason: 'CUSTOMER_REQUEST' } });
  const order = await afterDeliveries(
    'advance-order',
    () => orderOf(id),
    (o) => o.status === 'CANCELLED',
  );
  t.like(order, { payment: { status: 'REFUNDED' }, cancellation: { reason: 'CUSTOMER_REQUEST' } });
  const levels = await afterDeliveries(
    'reserve-inventory',
    () => levelsOf(product),
    (l) => l.reserved === 0,
  );
  t.like(levels, { onHand: 4, available: 4 });
  t.like((await paymentRowsOf(id)).payments, [{ status: 'REFUNDED' }]);
  const again = await api.call('POST', `/v1/orders/${id}/cancel`, { token: customer });
  t.is(again.status, 200, 'a cancelled order is answered as it is');
});

test('shipped by an admin: SHIPPED, the units leave the stock; then DELIVERED; a shipped order cannot be cancelled', async (t) => {
  const product = await api.products.stockedProduct(5);
  const id = await place(product, 2);
  t.like(await settled(id), { status: 'PAID' });
  const early = await api.call('POST', `/v1/orders/${id}/delivery`, { token: admin });
  t.is(early.status, 409, 'not shipped yet');
  const denied = await api.call('POST', `/v1/orders/${id}/shipment`, {
    token: customer,
    body: { carrier: 'DHL', trackingNumber: 'JD014600006281230704' },
  });
  t.is(denied.status, 403);
  const shipped = await api.call('POST', `/v1/orders/${id}/shipment`, {
    token: admin,
    body: { carrier: 'DHL', trackingNumber: 'JD014600006281230704' },
  });
  t.is(shipped.status, 200);
  t.like(await shipped.json(), {
    status: 'SHIPPED',
    shipment: { carrier: 'DHL', trackingNumber: 'JD014600006281230704', deliveredAt: null },
  });
  const levels = await afterDeliveries(
    'reserve-inventory',
    () => levelsOf(product),
    (l) => l.onHand === 3,
  );
  t.like(levels, { onHand: 3, reserved: 0, available: 3 });
  const cancel = await api.call('POST', `/v1/orders/${id}/cancel`, { token: customer });
  t.is(cancel.status, 409);
  t.like(await cancel.json(), { code: 'ORDER.WRONG_STATUS' });
  const delivered = await api.call('POST', `/v1/orders/${id}/delivery`, { token: admin });
  t.is(delivered.status, 200);
  t.like(await delivered.json(), { status: 'DELIVERED' });
  t.like(await orderOf(id), { status: 'DELIVERED' });

  // Every step is on the timeline, oldest first, written from com.ecom.order.changed moments after each.
  const timelineOf = async () =>
    (await (await api.call('GET', `/v1/orders/${id}/timeline`, { token: customer })).json()) as {
      items: { at: string; type: string; status: string; detail: string }[];
    };
  const timeline = await afterDeliveries(
    'record-order-timeline',
    timelineOf,
    (read) => read.items.length >= 5,
  );
  t.deepEqual(
    timeline.items.map((entry) => [entry.type, entry.status]),
    [
      ['placed', 'PENDING'],
      ['stock-reserved', 'RESERVED'],
      ['payment-captured', 'PAID'],
      ['ship', 'SHIPPED'],
      ['deliver', 'DELIVERED'],
    ],
  );
  t.is(timeline.items[3]?.detail, 'shipped with DHL, tracking JD014600006281230704');
  const times = timeline.items.map((entry) => Date.parse(entry.at));
  t.deepEqual(
    [...times].sort((a, b) => a - b),
    times,
    'oldest first',
  );

  // And the customer was told of each step, in their inbox (no SMTP here), newest first.
  const inboxOf = async () =>
    (await (await api.call('GET', '/v1/notifications?pageSize=100', { token: customer })).json()) as {
      items: { kind: string; title: string }[];
    };
  const short = id.slice(0, 8).toUpperCase();
  const mine = (read: Awaited<ReturnType<typeof inboxOf>>) =>
    read.items.filter((item) => item.title.includes(short)).map((item) => item.kind);
  const told = await afterDeliveries('notify', inboxOf, (read) => mine(read).length >= 4);
  t.deepEqual(mine(told), ['order.delivered', 'order.shipped', 'order.paid', 'order.placed']);
  const stranger = await api.call('GET', `/v1/orders/${id}/timeline`, {
    token: await api.products.customerToken(),
  });
  t.is(stranger.status, 404);
});
