// The order service's HTTP API on real MariaDB and Kafka: placing orders, priced by a real product service's gRPC
// sidecar (QuoteItems), and reading them; its callers signed in by a real user service.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import test from 'ava';
import { SESSION_CACHE_MS } from '../../shared/auth/cached-session-lookup';
import { IDEMPOTENCY_KEY_DAYS } from '../../functions/order/service';
import { fromKafkaRecord } from '../../shared/messaging/cloud-event-kafka';
import { readRecords, testKafka } from '../support/kafka-fixture';
import { startOrderService, type OrderServiceUnderTest } from '../support/order-service';
import { connectTo } from '../support/sql-fixture';

let api: OrderServiceUnderTest;
let admin: string;
let customer: string;
let mug: { id: string; sku: string };
let teapot: { id: string; sku: string };
let draft: { id: string };
test.before(async () => {
  api = await startOrderService();
  admin = await api.products.adminToken();
  customer = await api.products.customerToken();
  mug = await product({ name: 'Red mug', price: { amount: 1250, currency: 'USD' } });
  teapot = await product({ name: 'Teapot', price: { amount: 3999, currency: 'USD' } });
  draft = await product({ name: 'Draft', status: 'draft' });
});
test.after.always(async () => {
  await api.close();
});

async function product(fields: Record<string, unknown>): Promise<{ id: string; sku: string }> {
  const response = await api.products.call('POST', '/v1/products', {
    token: admin,
    body: {
      sku: `ORD-${randomUUID().slice(0, 8)}`,
      status: 'active',
      price: { amount: 100, currency: 'USD' },
      ...fields,
    },
  });
  if (response.status !== 201)
    throw new Error(`product: ${String(response.status)} ${await response.text()}`);
  return (await response.json()) as { id: string; sku: string };
}

const ADDRESS = { name: 'Ada', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' };
const order = (fields: Record<string, unknown> = {}) => ({
  items: [
    { productId: mug.id, quantity: 2 },
    { productId: teapot.id, quantity: 1 },
  ],
  shippingAddress: ADDRESS,
  paymentToken: 'tok_visa',
  ...fields,
});

/** The orders stored for the customer whose token is `token`'s, counted in the database. */
async function ordersOf(customerId: string): Promise<number> {
  const db = await connectTo(api.database);
  try {
    const [rows] = await db.query('SELECT COUNT(*) AS n FROM orders WHERE customer_id = ?', [customerId]);
    return Number((rows as { n: number }[])[0]?.n);
  } finally {
    await db.end();
  }
}

const subjectOf = (token: string) =>
  (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { sub: string }).sub;

test('a customer places an order: 201, priced by the catalogue, PENDING, and com.ecom.order.placed on Kafka', async (t) => {
  const response = await api.call('POST', '/v1/orders', { token: customer, body: order() });
  t.is(response.status, 201);
  const placed = (await response.json()) as Record<string, unknown> & { id: string };
  t.is(response.headers.get('location'), `/v1/orders/${placed.id}`);
  t.like(placed, {
    status: 'PENDING',
    customerId: subjectOf(customer),
    total: { amount: 2 * 1250 + 3999, currency: 'USD' },
    shippingAddress: ADDRESS,
    payment: null,
    shipment: null,
    cancellation: null,
  });
  t.deepEqual(placed['items'], [
    {
      productId: mug.id,
      sku: mug.sku,
      name: 'Red mug',
      unitPrice: { amount: 1250, currency: 'USD' },
      quantity: 2,
      lineTotal: { amount: 2500, currency: 'USD' },
    },
    {
      productId: teapot.id,
      sku: teapot.sku,
      name: 'Teapot',
      unitPrice: { amount: 3999, currency: 'USD' },
      quantity: 1,
      lineTotal: { amount: 3999, currency: 'USD' },
    },
  ]);

  const records = await readRecords(testKafka(api.products.users.kafkaBrokers), api.eventsTopic, {
    until: (read) => read.some((record) => record.key === placed.id),
  });
  const event = records.map((record) => fromKafkaRecord(record)).find((e) => e.subject === placed.id);
  t.like(event, {
    type: 'com.ecom.order.placed',
    source: '/ecom/order/place-order',
    data: {
      orderId: placed.id,
      customerId: subjectOf(customer),
      lines: [
        { productId: mug.id, quantity: 2 },
        { productId: teapot.id, quantity: 1 },
      ],
    },
  });
  t.false(JSON.stringify(records.map((record) => record.value?.toString())).includes('tok_visa'));
});

test('a price from the client, an unknown or a draft product, an empty order are refused and nothing is made', async (t) => {
  const shopper = await api.products.customerToken();
  const refused = async (body: unknown, status: number, code: string) => {
    const response = await api.call('POST', '/v1/orders', { token: shopper, body });
    t.is(response.status, status, JSON.stringify(body));
    t.like(await response.json(), { code });
  };
  await refused(
    order({ items: [{ productId: mug.id, quantity: 1, unitPrice: { amount: 1, currency: 'USD' } }] }),
    400,
    'REQUEST.INVALID',
  );
  await refused(order({ items: [] }), 400, 'REQUEST.INVALID');
  await refused(
    order({ items: [{ productId: randomUUID(), quantity: 1 }] }),
    422,
    'ORDER.PRODUCT_UNAVAILABLE',
  );
  await refused(order({ items: [{ productId: draft.id, quantity: 1 }] }), 422, 'ORDER.PRODUCT_UNAVAILABLE');
  await refused(order({ items: [{ productId: mug.id, quantity: 101 }] }), 400, 'REQUEST.INVALID');
  await refused(order({ shippingAddress: { ...ADDRESS, country: 'Germany' } }), 400, 'REQUEST.INVALID');
  t.is(await ordersOf(subjectOf(shopper)), 0);
});

test('an order needs a signed-in caller', async (t) => {
  const response = await api.call('POST', '/v1/orders', { body: order() });
  t.is(response.status, 401);
});

test('an Idempotency-Key makes a retry answer the same order; another body with it is 409', async (t) => {
  const shopper = await api.products.customerToken();
  const key = randomUUID();
  const send = (body: unknown) =>
    api.call('POST', '/v1/orders', { token: shopper, body, headers: { 'idempotency-key': key } });
  const first = await send(order());
  t.is(first.status, 201);
  const again = await send(order());
  t.is(again.status, 200);
  t.is(((await again.json()) as { id: string }).id, ((await first.json()) as { id: string }).id);
  const other = await send(order({ paymentToken: 'tok_chargeDeclined' }));
  t.is(other.status, 409);
  t.like(await other.json(), { code: 'ORDER.IDEMPOTENCY_KEY_REUSED' });
  t.is(await ordersOf(subjectOf(shopper)), 1);
});

test('an Idempotency-Key is kept a week: then the outbox relay deletes it, and the key places a new order', async (t) => {
  const shopper = await api.products.customerToken();
  const key = randomUUID();
  const send = () =>
    api.call('POST', '/v1/orders', { token: shopper, body: order(), headers: { 'idempotency-key': key } });
  const first = await send();
  t.is(first.status, 201);
  const relay = () => fetch(api.url('order-outbox-relay'), { method: 'POST', body: '{}' });
  t.is((await relay()).status, 204);
  t.is((await send()).status, 200, 'a key of today is kept');

  const db = await connectTo(api.database);
  try {
    await db.query(
      'UPDATE order_idempotency_keys SET created_at = created_at - INTERVAL ? DAY WHERE idempotency_key = ?',
      [IDEMPOTENCY_KEY_DAYS + 1, key],
    );
  } finally {
    await db.end();
  }
  t.is((await relay()).status, 204);
  const again = await send();
  t.is(again.status, 201);
  t.not(((await again.json()) as { id: string }).id, ((await first.json()) as { id: string }).id);
  t.is(await ordersOf(subjectOf(shopper)), 2);
});

test('four requests with one Idempotency-Key, sent together, make one order, and all answer it', async (t) => {
  const shopper = await api.products.customerToken();
  const key = randomUUID();
  const send = () =>
    api.call('POST', '/v1/orders', { token: shopper, body: order(), headers: { 'idempotency-key': key } });
  const answers = await Promise.all([send(), send(), send(), send()]);
  const ids = await Promise.all(answers.map(async (answer) => ((await answer.json()) as { id: string }).id));
  t.deepEqual(answers.map((answer) => answer.status).sort(), [200, 200, 200, 201]);
  t.is(new Set(ids).size, 1);
  t.is(await ordersOf(subjectOf(shopper)), 1);
});

test('a bad Idempotency-Key is 400', async (t) => {
  const response = await api.call('POST', '/v1/orders', {
    token: customer,
    body: order(),
    headers: { 'idempotency-key': 'x'.repeat(101) },
  });
  t.is(response.status, 400);
  t.like(await response.json(), { code: 'REQUEST.INVALID', errors: [{ field: 'Idempotency-Key' }] });
});

// --- reading orders ---------------------------------------------------------------------------------------------

async function placedBy(token: string): Promise<string> {
  const response = await api.call('POST', '/v1/orders', { token, body: order() });
  if (response.status !== 201) throw new Error(`place: ${String(response.status)} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

test('an order is shown to its customer and to admins; to another customer it is 404, as an unknown id', async (t) => {
  const ada = await api.products.customerToken();
  const bob = await api.products.customerToken();
  const id = await placedBy(ada);
  const own = await api.call('GET', `/v1/orders/${id}`, { token: ada });
  t.is(own.status, 200);
  t.like(await own.json(), { id, status: 'PENDING', customerId: subjectOf(ada), shippingAddress: ADDRESS });
  t.is((await api.call('GET', `/v1/orders/${id}`, { token: admin })).status, 200);
  const foreign = await api.call('GET', `/v1/orders/${id}`, { token: bob });
  const unknown = await api.call('GET', `/v1/orders/${randomUUID()}`, { token: bob });
  t.is(foreign.status, 404);
  t.deepEqual(
    await foreign.json(),
    await unknown.json(),
    'nothing tells an existing order from an unknown one',
  );
  t.is((await api.call('GET', '/v1/orders/not-a-uuid', { token: ada })).status, 400);
  t.is((await api.call('GET', `/v1/orders/${id}`)).status, 401);
});

test("a customer lists their own orders, newest first; another's are 403; an admin lists anyone's", async (t) => {
  const ada = await api.products.customerToken();
  const bob = await api.products.customerToken();
  const first = await placedBy(ada);
  const second = await placedBy(ada);
  await placedBy(bob);
  const list = async (token: string, query = '') => {
    const response = await api.call('GET', `/v1/orders${query}`, { token });
    return {
      status: response.status,
      body: (await response.json()) as { items: { id: string }[]; total: number },
    };
  };
  const own = await list(ada);
  t.is(own.status, 200);
  t.deepEqual(
    own.body.items.map((item) => item.id),
    [second, first],
  );
  t.is(own.body.total, 2);
  t.is((await list(ada, `?userId=${subjectOf(bob)}`)).status, 403);
  const bobs = await list(admin, `?userId=${subjectOf(bob)}`);
  t.is(bobs.body.total, 1);
  t.is((await list(admin, '?status=PENDING&pageSize=1')).body.items.length, 1);
  t.is((await list(ada, '?status=SHIPPED')).body.total, 0);
});

test("an admin demoted or logged out no longer reads other customers' orders once the short cache has passed; a customer still reads their own", async (t) => {
  const { users } = api.products;
  /** A customer made admin, signed in after the promotion: their token claims the admin role. */
  const deputy = async () => {
    const account = { email: `${randomUUID()}@example.com`, password: 'a long enough password', name: 'D' };
    const registered = await users.call('POST', '/v1/auth/register', { body: account });
    const { id } = (await registered.json()) as { id: string };
    const promoted = await users.call('PUT', `/v1/users/${id}/role`, {
      body: { role: 'admin' },
      token: admin,
    });
    if (promoted.status !== 200) throw new Error(`promote: ${String(promoted.status)}`);
    const { email, password } = account;
    const signedIn = await users.call('POST', '/v1/auth/login', { body: { email, password } });
    if (signedIn.status !== 200)
      throw new Error(`login: ${String(signedIn.status)} ${await signedIn.text()}`);
    return { id, ...((await signedIn.json()) as { accessToken: string; refreshToken: string }) };
  };
  const ada = await api.products.customerToken();
  const order = await placedBy(ada);
  const [demoted, loggedOut] = await Promise.all([deputy(), deputy()]);
  const reads = async (token: string) => {
    const list = await api.call('GET', `/v1/orders?userId=${subjectOf(ada)}`, { token });
    const all = await api.call('GET', '/v1/orders', { token });
    const one = await api.call('GET', `/v1/orders/${order}`, { token });
    return {
      list: list.status,
      listed: list.ok ? ((await list.json()) as { total: number }).total : undefined,
      all: all.status,
      allIds: all.ok
        ? ((await all.json()) as { items: { id: string }[] }).items.map((item) => item.id)
        : undefined,
      one: one.status,
      oneCode: one.ok ? undefined : ((await one.json()) as { code: string }).code,
    };
  };
  for (const admin of [demoted, loggedOut]) {
    t.like(
      await reads(admin.accessToken),
      { list: 200, listed: 1, all: 200, one: 200 },
      "admins read anyone's",
    );
  }

  const demotion = await users.call('PUT', `/v1/users/${demoted.id}/role`, {
    body: { role: 'customer' },
    token: admin,
  });
  t.is(demotion.status, 200);
  const logout = await users.call('POST', '/v1/auth/logout', {
    body: { refreshToken: loggedOut.refreshToken },
    token: loggedOut.accessToken,
  });
  t.is(logout.status, 204);
  await sleep(SESSION_CACHE_MS + 200);

  // Their tokens still claim admin for up to 5 minutes; the role and session now decide.
  t.like(
    await reads(demoted.accessToken),
    { list: 403, all: 200, allIds: [], one: 404 },
    'a demoted admin is a customer: their own orders only',
  );
  t.like(
    await reads(loggedOut.accessToken),
    { list: 401, all: 401, one: 401, oneCode: 'AUTH.SESSION_ENDED' },
    'a logged-out admin is refused',
  );
  t.like(
    await reads(ada),
    { list: 200, listed: 1, all: 200, allIds: [order], one: 200 },
    'the customer reads their own',
  );
  t.like(await reads(admin), { list: 200, listed: 1, one: 200 }, "an admin still reads anyone's");
});
