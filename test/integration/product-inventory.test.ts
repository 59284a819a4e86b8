// Inventory on real MariaDB, Kafka and Cassandra: an admin's adjustments, the saga's reservations (delivered by the
// dev broker from Kafka per the Triggers of knative/, and straight to the function in parallel), their replays and
// their disorder, and the stock ledger kept from the inventory events.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import { CloudEvent, HTTP } from 'cloudevents';
import type { DeliveryOutcome } from '../../dev/broker/trigger-handler';
import { OrderCancelled } from '../../events/order-cancelled';
import { OrderPlaced } from '../../events/order-placed';
import { OrderShipped } from '../../events/order-shipped';
import {
  cassandraClientOptions,
  createCassandraClient,
} from '../../shared/cassandra/create-cassandra-client';
import { CassandraEnv } from '../../shared/config/env-schemas';
import { loadConfig } from '../../shared/config/load-config';
import { kafkaEventSink } from '../../shared/messaging/kafka-event-sink';
import { testKafka } from '../support/kafka-fixture';
import { startProductService, type ProductServiceUnderTest } from '../support/product-service';
import { connectTo } from '../support/sql-fixture';
import { startTestBroker, type TestBroker } from '../support/test-broker';
import { uniqueName } from '../support/unique-name';

const keyspace = uniqueName('test_inventory');
let api: ProductServiceUnderTest;
let admin: string;
let broker: TestBroker;
/** The same service on SQLite, as the embedded local stack runs it: the reservations' SQL is written for both. */
let embedded: ProductServiceUnderTest;
let embeddedAdmin: string;
const sqliteDir = mkdtempSync(path.join(tmpdir(), 'product-inventory-'));

test.before(async () => {
  api = await startProductService({ HISTORY_BACKEND: 'cassandra', CASSANDRA_KEYSPACE: keyspace });
  admin = await api.adminToken();
  broker = await startTestBroker({ topic: api.eventsTopic, functions: [api] });
  embedded = await startProductService({ DB_DIALECT: 'sqlite', SQLITE_DIR: sqliteDir });
  embeddedAdmin = await embedded.adminToken();
});

test.after.always(async () => {
  await broker.close();
  await api.close();
  await embedded.close();
  rmSync(sqliteDir, { recursive: true, force: true });
  const cassandra = createCassandraClient(cassandraClientOptions(loadConfig(CassandraEnv)));
  await cassandra.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  await cassandra.shutdown();
});

interface Levels {
  productId: string;
  onHand: number;
  reserved: number;
  available: number;
}

const json = async <T = Record<string, unknown>>(response: Response): Promise<T> =>
  (await response.json()) as T;

/** Where a test's calls go: the service and an admin's token on it. */
interface On {
  readonly service: ProductServiceUnderTest;
  readonly token: string;
}
const onMariadb = (): On => ({ service: api, token: admin });

/** An active product with `units` on hand. */
async function productWith(units: number, reorderLevel = 0, on = onMariadb()): Promise<string> {
  const created = await on.service.call('POST', '/v1/products', {
    token: on.token,
    body: {
      sku: `INV-${randomUUID().slice(0, 8)}`,
      name: 'Stock test mug',
      price: { amount: 900, currency: 'USD' },
      status: 'active',
      reorderLevel,
    },
  });
  if (created.status !== 201) throw new Error(`create: ${String(created.status)} ${await created.text()}`);
  const { id } = await json<{ id: string }>(created);
  if (units > 0) {
    const restock = await adjustment(id, { delta: units, reason: 'restock' }, on.token, on.service);
    if (restock.status !== 200) throw new Error(`restock: ${String(restock.status)} ${await restock.text()}`);
  }
  return id;
}

const adjustment = (productId: string, body: unknown, token = admin, service = api) =>
  service.call('POST', `/v1/products/${productId}/inventory/adjustments`, { token, body });

async function levels(productId: string, on = onMariadb()): Promise<Levels> {
  return json<Levels>(
    await on.service.call('GET', `/v1/products/${productId}/inventory`, { token: on.token }),
  );
}

async function reservationStates(orderIds: readonly string[]): Promise<Record<string, string>> {
  const db = await connectTo(api.database);
  try {
    const [rows] = await db.query('SELECT order_id, state FROM order_reservations WHERE order_id IN (?)', [
      orderIds,
    ]);
    return Object.fromEntries(
      (rows as { order_id: string; state: string }[]).map((r) => [r.order_id, r.state]),
    );
  } finally {
    await db.end();
  }
}

/** An order event as the order service will publish it: one CloudEvent, keyed by the order. */
function orderEvent(
  definition: typeof OrderPlaced | typeof OrderCancelled | typeof OrderShipped,
  orderId: string,
  data: Record<string, unknown>,
) {
  return new CloudEvent({
    id: randomUUID(),
    type: definition.type,
    source: definition.source,
    subject: orderId,
    partitionkey: orderId,
    datacontenttype: 'application/json',
    data: definition.data.parse({ orderId, ...data }),
  });
}
const placed = (orderId: string, lines: { productId: string; quantity: number }[]) =>
  orderEvent(OrderPlaced, orderId, {
    customerId: randomUUID(),
    lines,
    placedAt: new Date().toISOString(),
  });
const cancelled = (orderId: string) =>
  orderEvent(OrderCancelled, orderId, { reason: 'CUSTOMER_REQUEST', cancelledAt: new Date().toISOString() });
const shipped = (orderId: string) =>
  orderEvent(OrderShipped, orderId, { shippedAt: new Date().toISOString() });

/** Delivers an event as a Knative Trigger does, straight to reserve-inventory; answers the status. */
async function deliver(event: CloudEvent<unknown>, service = api): Promise<number> {
  const message = HTTP.binary(event);
  const headers = Object.fromEntries(Object.entries(message.headers).map(([k, v]) => [k, String(v)]));
  const response = await fetch(service.url('reserve-inventory'), {
    method: 'POST',
    headers,
    body: String(message.body),
  });
  await response.arrayBuffer();
  return response.status;
}

// --- adjustments ----------------------------------------------------------------------------------------------

test('an admin restocks and writes off stock; taking on hand below what is reserved is 409 and changes nothing', async (t) => {
  const product = await productWith(0);
  t.deepEqual(await levels(product), { productId: product, onHand: 0, reserved: 0, available: 0 });
  const restock = await adjustment(product, { delta: 10, reason: 'restock', note: 'pallet 7' });
  t.is(restock.status, 200);
  t.deepEqual(await json(restock), { productId: product, onHand: 10, reserved: 0, available: 10 });
  t.is(await deliver(placed(randomUUID(), [{ productId: product, quantity: 4 }])), 204);
  const shrink = await adjustment(product, { delta: -6, reason: 'shrinkage' });
  t.deepEqual(await json(shrink), { productId: product, onHand: 4, reserved: 4, available: 0 });
  const tooMuch = await adjustment(product, { delta: -1, reason: 'correction' });
  t.is(tooMuch.status, 409);
  t.like(await json(tooMuch), { code: 'INVENTORY.BELOW_RESERVED' });
  t.deepEqual(await levels(product), { productId: product, onHand: 4, reserved: 4, available: 0 });
});

test('adjustments: a bad form is 400, an unknown product 404, a customer 403, no token 401', async (t) => {
  const product = await productWith(5);
  for (const body of [
    { delta: 0, reason: 'correction' },
    { delta: 1.5, reason: 'restock' },
    { delta: -1, reason: 'restock' },
    { delta: 1, reason: 'gift' },
    { delta: 1, reason: 'restock', onHand: 99 },
  ]) {
    t.is((await adjustment(product, body)).status, 400, JSON.stringify(body));
  }
  const unknown = await adjustment(randomUUID(), { delta: 1, reason: 'restock' });
  t.is(unknown.status, 404);
  t.like(await json(unknown), { code: 'PRODUCT.NOT_FOUND' });
  const customer = await api.customerToken();
  t.is((await adjustment(product, { delta: 1, reason: 'restock' }, customer)).status, 403);
  t.is((await api.call('GET', `/v1/products/${product}/inventory`, { token: customer })).status, 403);
  t.is((await api.call('GET', `/v1/products/${product}/inventory`)).status, 401);
  t.deepEqual(await levels(product), { productId: product, onHand: 5, reserved: 0, available: 5 });
});

// --- reservations ---------------------------------------------------------------------------------------------

test('50 orders delivered at once for the last 10 units: exactly 10 reserved, the rest rejected, none below 0', async (t) => {
  const product = await productWith(10);
  const orders = Array.from({ length: 50 }, () => randomUUID());
  const statuses = await Promise.all(
    orders.map((id) => deliver(placed(id, [{ productId: product, quantity: 1 }]))),
  );
  t.deepEqual(new Set(statuses), new Set([204]));
  t.deepEqual(await levels(product), { productId: product, onHand: 10, reserved: 10, available: 0 });
  const states = Object.values(await reservationStates(orders));
  t.is(states.filter((state) => state === 'reserved').length, 10);
  t.is(states.filter((state) => state === 'rejected').length, 40);
});

test('50 orders through Kafka and the Trigger compete for the last 10 units: exactly 10 reserved', async (t) => {
  const product = await productWith(10);
  const orders = Array.from({ length: 50 }, () => randomUUID());
  const sink = kafkaEventSink(testKafka(), api.eventsTopic);
  t.teardown(() => sink.close());
  const events = orders.map((orderId) => placed(orderId, [{ productId: product, quantity: 1 }]));
  await sink.publish(
    events.map((event) => ({
      id: event.id,
      type: event.type,
      source: event.source,
      subject: event.subject ?? '',
      partitionKey: event.subject ?? '',
      time: new Date(),
      data: event.data as Record<string, unknown>,
    })),
  );
  const ids = new Set(events.map((event) => event.id));
  const mine = (outcome: DeliveryOutcome) =>
    outcome.trigger.startsWith('reserve-inventory') && ids.has(outcome.eventId);
  const outcomes = await broker.waitForDeliveries(mine, 50, 60_000);
  t.true(outcomes.every((outcome) => outcome.delivered && outcome.status === 204));
  t.deepEqual(await levels(product), { productId: product, onHand: 10, reserved: 10, available: 0 });
  const states = Object.values(await reservationStates(orders));
  t.is(states.filter((state) => state === 'reserved').length, 10);
  t.is(states.filter((state) => state === 'rejected').length, 40);
});

test('an order is all or nothing: one short line reserves none of its lines', async (t) => {
  const plenty = await productWith(100);
  const scarce = await productWith(1);
  const order = randomUUID();
  t.is(
    await deliver(
      placed(order, [
        { productId: plenty, quantity: 5 },
        { productId: scarce, quantity: 2 },
      ]),
    ),
    204,
  );
  t.deepEqual(await reservationStates([order]), { [order]: 'rejected' });
  t.like(await levels(plenty), { reserved: 0, available: 100 });
  t.like(await levels(scarce), { reserved: 0, available: 1 });
});

test('every saga event delivered three times, a cancellation before its placement included: the levels are right', async (t) => {
  const product = await productWith(20);
  const [kept, shippedOrder, cancelledFirst] = [randomUUID(), randomUUID(), randomUUID()];
  const line = (quantity: number) => [{ productId: product, quantity }];
  const thrice = async (event: CloudEvent<unknown>) => {
    for (let n = 0; n < 3; n++) t.is(await deliver(event), 204);
  };
  await thrice(cancelled(cancelledFirst)); // before its placement
  await thrice(placed(cancelledFirst, line(5)));
  await thrice(placed(kept, line(3)));
  await thrice(placed(shippedOrder, line(4)));
  await thrice(shipped(shippedOrder));
  await thrice(cancelled(shippedOrder)); // too late: shipped
  t.deepEqual(await reservationStates([kept, shippedOrder, cancelledFirst]), {
    [kept]: 'reserved',
    [shippedOrder]: 'committed',
    [cancelledFirst]: 'released',
  });
  t.deepEqual(await levels(product), { productId: product, onHand: 16, reserved: 3, available: 13 });
  await thrice(cancelled(kept));
  t.deepEqual(await levels(product), { productId: product, onHand: 16, reserved: 0, available: 16 });
});

test('on SQLite too: two-line orders reserve, reject, ship and release, each delivered twice, and the levels are right', async (t) => {
  const on = { service: embedded, token: embeddedAdmin };
  const [mugs, cups] = [await productWith(10, 0, on), await productWith(4, 0, on)];
  const [kept, short, shippedOrder] = [randomUUID(), randomUUID(), randomUUID()];
  const twice = async (event: CloudEvent<unknown>) => {
    for (let n = 0; n < 2; n++) t.is(await deliver(event, embedded), 204);
  };
  const lines = (mugUnits: number, cupUnits: number) => [
    { productId: cups, quantity: cupUnits },
    { productId: mugs, quantity: mugUnits },
  ];
  await twice(placed(kept, lines(3, 1)));
  await twice(placed(short, lines(1, 4))); // one cup short: neither line is held
  await twice(placed(shippedOrder, lines(2, 2)));
  t.like(await levels(mugs, on), { onHand: 10, reserved: 5, available: 5 });
  t.like(await levels(cups, on), { onHand: 4, reserved: 3, available: 1 });
  await twice(shipped(shippedOrder));
  await twice(cancelled(kept));
  t.deepEqual(await levels(mugs, on), { productId: mugs, onHand: 8, reserved: 0, available: 8 });
  t.deepEqual(await levels(cups, on), { productId: cups, onHand: 2, reserved: 0, available: 2 });
});

test('a shipment before its placement is answered 503, so the broker brings it again once the order is reserved', async (t) => {
  const product = await productWith(5);
  const order = randomUUID();
  t.is(await deliver(shipped(order)), 503);
  t.is(await deliver(placed(order, [{ productId: product, quantity: 2 }])), 204);
  t.is(await deliver(shipped(order)), 204);
  t.deepEqual(await levels(product), { productId: product, onHand: 3, reserved: 0, available: 3 });
});

// --- the ledger -----------------------------------------------------------------------------------------------

test('the stock ledger shows every movement newest first, from the inventory events', async (t) => {
  const product = await productWith(10);
  const order = randomUUID();
  t.is(await deliver(placed(order, [{ productId: product, quantity: 2 }])), 204);
  t.is(await deliver(shipped(order)), 204);
  // restock, reserved, committed: their events go out through the outbox, and the Trigger brings them to the
  // ledger; the ledger is read until all three arrived (or the test's time is up).
  type LedgerPage = { items: { kind: string; onHandDelta: number; reservedDelta: number }[]; total: number };
  const read = async () =>
    json<LedgerPage>(await api.call('GET', `/v1/products/${product}/inventory/movements`, { token: admin }));
  const toLedger = (outcome: DeliveryOutcome) => outcome.trigger.startsWith('record-stock-movements');
  // Each round counts the deliveries to the ledger (of any test's events), reads, and waits for one more than it
  // counted: counted before the read, so a delivery that lands between the two ends the wait at once.
  let seen = broker.deliveries.filter(toLedger).length;
  let page = await read();
  while (page.total < 3) {
    await broker.waitForDeliveries(toLedger, seen + 1, 60_000);
    seen = broker.deliveries.filter(toLedger).length;
    page = await read();
  }
  t.is(page.total, 3);
  t.deepEqual(
    page.items.map(({ kind, onHandDelta, reservedDelta }) => ({ kind, onHandDelta, reservedDelta })),
    [
      { kind: 'committed', onHandDelta: -2, reservedDelta: -2 },
      { kind: 'reserved', onHandDelta: 0, reservedDelta: 2 },
      { kind: 'adjusted', onHandDelta: 10, reservedDelta: 0 },
    ],
  );
});
