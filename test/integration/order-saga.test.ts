// The order saga across two services on real MariaDB and Kafka: place-order publishes com.ecom.order.placed, the
// dev broker delivers it per the Triggers of knative/ to the product service's reserve-inventory, and the inventory
// event it publishes back to the order service's advance-order.
import { randomUUID } from 'node:crypto';
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

/** An active product with `units` on hand. */
async function productWith(units: number): Promise<string> {
  const created = await api.products.call('POST', '/v1/products', {
    token: admin,
    body: {
      sku: `SAGA-${randomUUID().slice(0, 8)}`,
      name: 'Saga mug',
      price: { amount: 900, currency: 'USD' },
      status: 'active',
    },
  });
  const { id } = (await created.json()) as { id: string };
  const restock = await api.products.call('POST', `/v1/products/${id}/inventory/adjustments`, {
    token: admin,
    body: { delta: units, reason: 'restock' },
  });
  if (restock.status !== 200) throw new Error(`restock: ${String(restock.status)}`);
  return id;
}

async function place(productId: string, quantity: number): Promise<string> {
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
      paymentToken: 'tok_visa',
    },
  });
  if (response.status !== 201) throw new Error(`place: ${String(response.status)} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

const orderOf = async (id: string) =>
  (await (await api.call('GET', `/v1/orders/${id}`, { token: customer })).json()) as {
    status: string;
    cancellation: { reason: string } | null;
  };

const toAdvanceOrder = (outcome: DeliveryOutcome) => outcome.trigger.startsWith('advance-order');

/** Waits, one delivery to advance-order at a time (of any test's events), until the order has left PENDING. */
async function settled(id: string) {
  for (;;) {
    // Counted before the read: a delivery that lands between the two ends the wait at once.
    const seen = broker.deliveries.filter(toAdvanceOrder).length;
    const order = await orderOf(id);
    if (order.status !== 'PENDING') return order;
    await broker.waitForDeliveries(toAdvanceOrder, seen + 1, 60_000);
  }
}

const levelsOf = async (productId: string) =>
  (await (
    await api.products.call('GET', `/v1/products/${productId}/inventory`, { token: admin })
  ).json()) as { onHand: number; reserved: number; available: number };

test('an order whose stock is there becomes RESERVED, its units held by the product service', async (t) => {
  const product = await productWith(5);
  const id = await place(product, 2);
  t.like(await settled(id), { status: 'RESERVED', cancellation: null });
  t.like(await levelsOf(product), { onHand: 5, reserved: 2, available: 3 });
});

test('an order over the stock is CANCELLED as OUT_OF_STOCK, with nothing held', async (t) => {
  const product = await productWith(1);
  const id = await place(product, 2);
  t.like(await settled(id), { status: 'CANCELLED', cancellation: { reason: 'OUT_OF_STOCK' } });
  t.like(await levelsOf(product), { onHand: 1, reserved: 0, available: 1 });
});
