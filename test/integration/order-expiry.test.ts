// The expiry sweep on real MariaDB and Kafka: orders that waited too long for stock or payment are CANCELLED as
// EXPIRED, with com.ecom.order.cancelled (which releases their stock); the rest are left alone.
import { randomUUID } from 'node:crypto';
import test from 'ava';
import { fromKafkaRecord } from '../../shared/messaging/cloud-event-kafka';
import { readRecords, testKafka } from '../support/kafka-fixture';
import { startOrderService, type OrderServiceUnderTest } from '../support/order-service';

let api: OrderServiceUnderTest;
let customer: string;
let productId: string;
test.before(async () => {
  // No broker: nothing moves an order but this test and the sweep.
  api = await startOrderService({ ORDER_PAYMENT_WINDOW_MINUTES: '30' });
  const admin = await api.products.adminToken();
  customer = await api.products.customerToken();
  const created = await api.products.call('POST', '/v1/products', {
    token: admin,
    body: {
      sku: `EXP-${randomUUID().slice(0, 8)}`,
      name: 'Expiring mug',
      price: { amount: 500, currency: 'USD' },
      status: 'active',
    },
  });
  productId = ((await created.json()) as { id: string }).id;
});
test.after.always(async () => {
  await api.close();
});

async function place(): Promise<string> {
  const response = await api.call('POST', '/v1/orders', {
    token: customer,
    body: {
      items: [{ productId, quantity: 1 }],
      shippingAddress: {
        name: 'Ada',
        line1: '1 Main St',
        city: 'Berlin',
        postalCode: '10115',
        country: 'DE',
      },
      paymentToken: 'tok_visa',
    },
  });
  if (response.status !== 201) throw new Error(`place: ${String(response.status)} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

/** Sets an order's status and moves its placement `minutesAgo` into the past, as time and the saga would. */
async function age(id: string, status: string, minutesAgo: number) {
  const { sequelize } = await api.stores('place-order').database();
  await sequelize.query('UPDATE orders SET status = ?, created_at = ? WHERE id = ?', {
    replacements: [status, new Date(Date.now() - minutesAgo * 60_000), id],
  });
}

const sweep = async () => (await fetch(api.url('expire-orders'), { method: 'POST', body: '{}' })).status;

const orderOf = async (id: string) =>
  (await (await api.call('GET', `/v1/orders/${id}`, { token: customer })).json()) as {
    status: string;
    cancellation: { reason: string } | null;
  };

test('orders PENDING or RESERVED past the window are CANCELLED as EXPIRED, once; paid and recent ones stay', async (t) => {
  const [stalePending, staleReserved, stalePaid, recent] = [
    await place(),
    await place(),
    await place(),
    await place(),
  ];
  await age(stalePending, 'PENDING', 31);
  await age(staleReserved, 'RESERVED', 45);
  await age(stalePaid, 'PAID', 120);
  await age(recent, 'RESERVED', 29);

  t.is(await sweep(), 204);
  t.like(await orderOf(stalePending), { status: 'CANCELLED', cancellation: { reason: 'EXPIRED' } });
  t.like(await orderOf(staleReserved), { status: 'CANCELLED', cancellation: { reason: 'EXPIRED' } });
  t.like(await orderOf(stalePaid), { status: 'PAID', cancellation: null });
  t.like(await orderOf(recent), { status: 'RESERVED', cancellation: null });

  const { sequelize } = await api.stores('place-order').database();
  const [tokens] = await sequelize.query('SELECT order_id FROM order_payment_tokens WHERE order_id IN (?)', {
    replacements: [[stalePending, staleReserved]],
  });
  t.deepEqual(tokens, [], 'an expired order keeps no payment token');

  const expired = new Set([stalePending, staleReserved]);
  const records = await readRecords(testKafka(api.products.users.kafkaBrokers), api.eventsTopic, {
    until: (read) =>
      read.filter((r) => expired.has(String(r.key)) && fromKafkaRecord(r).type === 'com.ecom.order.cancelled')
        .length >= 2,
  });
  const cancelled = records
    .map((record) => fromKafkaRecord(record))
    .filter((event) => event.type === 'com.ecom.order.cancelled' && expired.has(event.subject ?? ''));
  t.deepEqual(
    cancelled.map((event) => [event.source, (event.data as { reason: string }).reason]),
    [
      ['/ecom/order/expire-orders', 'EXPIRED'],
      ['/ecom/order/expire-orders', 'EXPIRED'],
    ],
  );

  t.is(await sweep(), 204, 'a second run');
  const [outbox] = await sequelize.query(
    "SELECT COUNT(*) AS n FROM outbox_events WHERE type = 'com.ecom.order.cancelled' AND subject IN (?)",
    { replacements: [[stalePending, staleReserved]] },
  );
  t.is(Number((outbox as { n: number }[])[0]?.n), 2, 'nothing more was emitted');
});
