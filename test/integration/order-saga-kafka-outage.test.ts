// Kafka stopped while orders are placed: place-order still takes them (the order and its event are committed
// together; publishing is what waits), and once Kafka is back the outbox relay publishes what was left and the saga
// runs to the end. On a Kafka broker of this file's own, which the test stops and starts.
import test from 'ava';
import { startOrderService, type OrderServiceUnderTest } from '../support/order-service';
import { privateKafka, type PrivateKafka } from '../support/private-kafka';
import { startTestBroker, type TestBroker } from '../support/test-broker';

let kafka: PrivateKafka;
let api: OrderServiceUnderTest | undefined;
let broker: TestBroker | undefined;

test.before(async () => {
  kafka = await privateKafka();
  await kafka.start();
  // Every Kafka client of this file (the functions, the test broker, the fixtures) reads KAFKA_BROKERS.
  process.env['KAFKA_BROKERS'] = kafka.brokers.join(',');
});
test.after.always(async () => {
  await broker?.close();
  await api?.close();
  await kafka.destroy();
});

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read().catch(() => undefined);
    if ((value !== undefined && done(value)) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

test('orders placed while Kafka is down are taken, and paid once it is back and the relay has run', async (t) => {
  t.timeout(300_000);
  api = await startOrderService();
  const orders = api;
  broker = await startTestBroker({ topic: orders.eventsTopic, functions: [orders.products, orders] });
  const admin = await orders.products.adminToken();
  const customer = await orders.products.customerToken();

  const productId = await orders.products.stockedProduct(10, 4000);
  const place = async () => {
    const response = await orders.call('POST', '/v1/orders', {
      token: customer,
      body: {
        items: [{ productId, quantity: 1 }],
        shippingAddress: {
          name: 'Ines',
          line1: '3 Rua Augusta',
          city: 'Lisbon',
          postalCode: '1100',
          country: 'PT',
        },
        paymentToken: 'tok_visa',
      },
    });
    return { status: response.status, id: ((await response.json()) as { id: string }).id };
  };
  const statusOf = async (id: string) =>
    ((await (await orders.call('GET', `/v1/orders/${id}`, { token: customer })).json()) as { status: string })
      .status;

  // The saga runs while Kafka does.
  const before = await place();
  t.is(
    await eventually(
      () => statusOf(before.id),
      (status) => status === 'PAID',
    ),
    'PAID',
  );

  await kafka.stop();
  const during = await Promise.all([place(), place(), place()]);
  t.deepEqual(
    during.map((answer) => answer.status),
    [201, 201, 201],
    'taken while Kafka is down',
  );
  for (const { id } of during) t.is(await statusOf(id), 'PENDING');

  await kafka.start();
  // What the PingSource does every 5 minutes on the cluster: the relay publishes what the outage left behind.
  const relayed = await eventually(
    async () => (await fetch(orders.url('order-outbox-relay'), { method: 'POST', body: '{}' })).status,
    (status) => status === 204,
  );
  t.is(relayed, 204);
  for (const { id } of during)
    t.is(
      await eventually(
        () => statusOf(id),
        (status) => status === 'PAID',
      ),
      'PAID',
      `order ${id}`,
    );
  const levels = (await (
    await orders.products.call('GET', `/v1/products/${productId}/inventory`, { token: admin })
  ).json()) as { onHand: number; reserved: number };
  t.like(levels, { onHand: 10, reserved: 4 }, 'one unit held for each paid order');
  t.deepEqual(await broker.deadLetters(), []);
});
