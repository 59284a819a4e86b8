// The order saga end to end: the whole local stack on real MariaDB, Kafka and Cassandra, every call through the
// gateway, every event through the Kafka broker's Triggers (the dev broker on a topic of this file's own), and
// every event delivered three times at once to each of its consumers: each step must still happen once.
// The tests run one at a time, the 200 orders last: their events, each three times, would hold up another test's
// steps for minutes on a small machine.
import { randomUUID } from 'node:crypto';
import test from 'ava';
import { buildFunctions } from '../../dev/build';
import type { LocalStack } from '../../dev/local-stack/local-stack';
import { createLogger } from '../../shared/log/logger';
import { DEV_ADMIN_PASSWORD } from '../../functions/user/user-config';
import { startInfraStack, type InfraStack } from '../support/infra-stack';
import { connectTo } from '../support/sql-fixture';

const logger = createLogger('e2e', { level: 'silent' });
let infra: InfraStack;
let stack: LocalStack;
let admin: string;
let customer: string;
let customerAccount: { email: string; password: string };

test.before(async () => {
  await buildFunctions();
  // Every event delivered three times at once to each of its consumers.
  infra = await startInfraStack({ logger, brokerCopies: 3 });
  stack = infra.stack;
  customerAccount = await newAccount();
});

// Signed in afresh for each test: an access token lives 5 minutes, less than this file takes on a busy machine.
test.beforeEach(async () => {
  admin = await signedIn({ email: 'admin@shop.local', password: DEV_ADMIN_PASSWORD });
  customer = await signedIn(customerAccount);
});

test.after.always(async () => {
  await infra.remove();
});

async function call(
  method: string,
  route: string,
  options: { body?: unknown; token?: string; idempotencyKey?: string } = {},
) {
  const response = await stack.gateway.fetch(`${stack.gateway.url}${route}`, {
    method,
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> };
}

async function signedIn(account: { email: string; password: string }): Promise<string> {
  const answer = await call('POST', '/v1/auth/login', { body: account });
  if (answer.status !== 200)
    throw new Error(`login: ${String(answer.status)} ${JSON.stringify(answer.body)}`);
  return answer.body['accessToken'] as string;
}

async function newAccount(): Promise<{ email: string; password: string }> {
  const account = {
    email: `e2e-${randomUUID().slice(0, 8)}@example.com`,
    password: 'an end-to-end password',
  };
  const registered = await call('POST', '/v1/auth/register', { body: { ...account, name: 'Orla' } });
  if (registered.status !== 201) throw new Error(`register: ${String(registered.status)}`);
  return account;
}

async function newCustomer(): Promise<string> {
  return signedIn(await newAccount());
}

/** Reads until `done` holds, or the time is up (then the caller's assertion says what was found). */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** An active product with `units` on hand. */
async function productWith(units: number): Promise<string> {
  const created = await call('POST', '/v1/products', {
    token: admin,
    body: {
      sku: `E2E-${randomUUID().slice(0, 8)}`,
      name: 'End-to-end kettle',
      price: { amount: 2500, currency: 'USD' },
      status: 'active',
    },
  });
  if (created.status !== 201) throw new Error(`product: ${String(created.status)}`);
  const id = created.body['id'] as string;
  const restock = await call('POST', `/v1/products/${id}/inventory/adjustments`, {
    token: admin,
    body: { delta: units, reason: 'restock' },
  });
  if (restock.status !== 200) throw new Error(`restock: ${String(restock.status)}`);
  return id;
}

const ADDRESS = { name: 'Orla', line1: '2 Quay St', city: 'Galway', postalCode: 'H91', country: 'IE' };

const place = (productId: string, paymentToken = 'tok_visa', token = customer) =>
  call('POST', '/v1/orders', {
    token,
    body: { items: [{ productId, quantity: 1 }], shippingAddress: ADDRESS, paymentToken },
  });

const orderOf = async (id: string) => (await call('GET', `/v1/orders/${id}`, { token: admin })).body;
const levelsOf = async (productId: string) =>
  (await call('GET', `/v1/products/${productId}/inventory`, { token: admin })).body;
/** Rows of `table` in a service's database about one order (its events in the outbox, its records). */
async function rowsAbout(service: 'order' | 'product', sql: string, orderId: string): Promise<unknown[]> {
  const db = await connectTo(infra.databases[service]);
  try {
    const [rows] = await db.query(sql, [orderId]);
    return rows as unknown[];
  } finally {
    await db.end();
  }
}

const settled = (order: Record<string, unknown>) =>
  order['status'] === 'PAID' || order['status'] === 'CANCELLED';

test.serial(
  'placed, reserved, paid, shipped, delivered: the stock leaves once, the timeline and the inbox hold every step',
  async (t) => {
    const product = await productWith(5);
    const placed = await place(product);
    t.is(placed.status, 201);
    const id = placed.body['id'] as string;
    t.like(await eventually(() => orderOf(id), settled), { status: 'PAID', payment: { status: 'CAPTURED' } });
    const shipped = await call('POST', `/v1/orders/${id}/shipment`, {
      token: admin,
      body: { carrier: 'An Post', trackingNumber: 'CE123456789IE' },
    });
    t.like(shipped, { status: 200, body: { status: 'SHIPPED' } });
    t.like(
      await eventually(
        () => levelsOf(product),
        (levels) => levels['onHand'] === 4,
      ),
      {
        onHand: 4,
        reserved: 0,
        available: 4,
      },
    );
    t.like(await call('POST', `/v1/orders/${id}/delivery`, { token: admin }), {
      status: 200,
      body: { status: 'DELIVERED' },
    });
    const timeline = await eventually(
      async () => (await call('GET', `/v1/orders/${id}/timeline`, { token: customer })).body,
      (read) => (read['items'] as unknown[]).length >= 5,
    );
    t.deepEqual(
      (timeline['items'] as { type: string }[]).map((entry) => entry.type),
      ['placed', 'stock-reserved', 'payment-captured', 'ship', 'deliver'],
    );
    const short = id.slice(0, 8).toUpperCase();
    const inbox = await eventually(
      async () => (await call('GET', '/v1/notifications?pageSize=100', { token: customer })).body,
      (read) =>
        (read['items'] as { title: string }[]).filter((item) => item.title.includes(short)).length >= 4,
    );
    t.deepEqual(
      (inbox['items'] as { kind: string; title: string }[])
        .filter((item) => item.title.includes(short))
        .map((item) => item.kind),
      ['order.delivered', 'order.shipped', 'order.paid', 'order.placed'],
      'one notification per step, though each event came three times',
    );

    // Each event came three times; each step happened once: one charge, one reservation, one of each event.
    const emitted = await rowsAbout(
      'order',
      'SELECT type, COUNT(*) AS n FROM outbox_events WHERE subject = ? GROUP BY type ORDER BY type',
      id,
    );
    t.deepEqual(
      (emitted as { type: string; n: number | string }[]).map((row) => [row.type, Number(row.n)]),
      [
        ['com.ecom.order.changed', 5],
        ['com.ecom.order.delivered', 1],
        ['com.ecom.order.paid', 1],
        ['com.ecom.order.placed', 1],
        ['com.ecom.order.reserved', 1],
        ['com.ecom.order.shipped', 1],
        ['com.ecom.payment.captured', 1],
      ],
    );
    t.is((await rowsAbout('order', 'SELECT * FROM payments WHERE order_id = ?', id)).length, 1, 'one charge');
    const inventoryEvents = await rowsAbout(
      'product',
      'SELECT type FROM outbox_events WHERE subject = ? ORDER BY seq',
      id,
    );
    t.deepEqual(
      (inventoryEvents as { type: string }[]).map((row) => row.type),
      ['com.ecom.inventory.reserved', 'com.ecom.inventory.committed'],
      'one reservation, committed once',
    );
  },
);

test.serial('a declined card: CANCELLED as PAYMENT_DECLINED, and the reserved unit is back', async (t) => {
  const product = await productWith(2);
  const placed = await place(product, 'tok_chargeDeclined');
  const id = placed.body['id'] as string;
  t.like(await eventually(() => orderOf(id), settled), {
    status: 'CANCELLED',
    payment: { status: 'FAILED' },
    cancellation: { reason: 'PAYMENT_DECLINED' },
  });
  t.like(
    await eventually(
      () => levelsOf(product),
      (levels) => levels['reserved'] === 0,
    ),
    {
      onHand: 2,
      reserved: 0,
    },
  );
});

test.serial(
  'capture-payment killed mid-consume, after the charge and inside its transaction: started again, the redelivery completes it with one charge',
  async (t) => {
    t.timeout(180_000);
    const product = await productWith(1);
    const capturePayment = stack.functions.find((fn) => fn.definition.name === 'capture-payment');
    if (!capturePayment) throw new Error('no capture-payment in the stack');
    const killedPid = capturePayment.pid();
    // Holding the order's payment token row stops capture-payment half-way through recording its charge: after the
    // gateway charged and the payment row is inserted, before the token is deleted and the event stored.
    const locker = await connectTo(infra.databases.order);
    const placed = await place(product);
    t.is(placed.status, 201);
    const id = placed.body['id'] as string;
    await locker.query('START TRANSACTION');
    const [locked] = await locker.query(
      'SELECT order_id FROM order_payment_tokens WHERE order_id = ? FOR UPDATE',
      [id],
    );
    t.is((locked as unknown[]).length, 1, 'the token was locked before capture-payment reached it');
    const waiting = await eventually(
      async () => {
        const [rows] = await locker.query(
          "SELECT trx_id FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT' AND trx_query LIKE ?",
          [`%order_payment_tokens%${id}%`],
        );
        return (rows as unknown[]).length;
      },
      (count) => count > 0,
    );
    t.true(waiting > 0, 'capture-payment is inside its transaction, waiting');
    t.is(
      (await rowsAbout('order', 'SELECT * FROM simulated_gateway_calls WHERE idempotency_key = ?', id))
        .length,
      1,
    );

    if (killedPid === undefined) throw new Error('capture-payment has no process');
    process.kill(killedPid, 'SIGKILL');
    await locker.query('ROLLBACK');
    await locker.end();

    t.like(await eventually(() => orderOf(id), settled), { status: 'PAID', payment: { status: 'CAPTURED' } });
    t.not(capturePayment.pid(), killedPid, 'a new process serves it');
    const gatewayCalls = await rowsAbout(
      'order',
      'SELECT reference FROM simulated_gateway_calls WHERE idempotency_key = ?',
      id,
    );
    const payments = await rowsAbout('order', 'SELECT reference FROM payments WHERE order_id = ?', id);
    t.is(gatewayCalls.length, 1, 'charged once');
    t.deepEqual(
      payments,
      gatewayCalls,
      'one payment, recorded with the charge the gateway made before the kill',
    );
    t.deepEqual(
      await rowsAbout('order', 'SELECT order_id FROM order_payment_tokens WHERE order_id = ?', id),
      [],
    );
    const captured = await rowsAbout(
      'order',
      "SELECT id FROM outbox_events WHERE subject = ? AND type = 'com.ecom.payment.captured'",
      id,
    );
    t.is(captured.length, 1, 'one com.ecom.payment.captured');
  },
);

test.serial(
  '200 orders at once for the last 10 units: exactly 10 paid, 190 cancelled as OUT_OF_STOCK, and the stock adds up',
  async (t) => {
    t.timeout(240_000);
    const product = await productWith(10);
    const buyer = await newCustomer();
    // As a careful client places them: each with its own Idempotency-Key, sent again with the same key after a 5xx
    // (200 at once on one small instance: some wait for a database connection past the pool's 10 s and answer 503).
    const placeOnce = async () => {
      const key = randomUUID();
      for (let attempt = 1; ; attempt++) {
        const body = {
          items: [{ productId: product, quantity: 1 }],
          shippingAddress: ADDRESS,
          paymentToken: 'tok_visa',
        };
        const answer = await call('POST', '/v1/orders', { token: buyer, body, idempotencyKey: key });
        if (answer.status < 500 || attempt === 5) return answer;
        await new Promise((resolve) => setTimeout(resolve, attempt * 1000));
      }
    };
    const answers = await Promise.all(Array.from({ length: 200 }, placeOnce));
    t.true(
      answers.every((answer) => answer.status === 201 || answer.status === 200),
      `every order is taken: ${[...new Set(answers.map((answer) => answer.status))].join(', ')}`,
    );
    const ids = answers.map((answer) => answer.body['id'] as string);
    t.is(new Set(ids).size, 200, 'one order per key');
    const countOf = async (status: string) =>
      (await call('GET', `/v1/orders?status=${status}&pageSize=1`, { token: buyer })).body['total'] as number;
    await eventually(
      async () => (await countOf('PAID')) + (await countOf('CANCELLED')),
      (done) => done === ids.length,
      180_000,
    );
    t.is(await countOf('PAID'), 10);
    t.is(await countOf('CANCELLED'), 190);
    const cancelled = await call('GET', '/v1/orders?status=CANCELLED&pageSize=100', { token: buyer });
    t.true(
      (cancelled.body['items'] as { cancellation: { reason: string } }[]).every(
        (order) => order.cancellation.reason === 'OUT_OF_STOCK',
      ),
    );
    t.like(await levelsOf(product), { onHand: 10, reserved: 10, available: 0 });
  },
);
