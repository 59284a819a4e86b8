// The order saga end to end: the whole local stack on real MariaDB, Kafka and Cassandra, every call through the
// gateway by the client typed from docs/openapi.yaml (each answer checked against it), every event through the
// Kafka broker's Triggers (the dev broker on a topic of this file's own), and every event delivered three times at
// once to each of its consumers: each step must still happen once.
// The tests run one at a time, the 200 orders last: their events, each three times, would hold up another test's
// steps for minutes on a small machine.
import { randomUUID } from 'node:crypto';
import test from 'ava';
import { buildFunctions } from '../../dev/build';
import type { LocalStack } from '../../dev/local-stack/local-stack';
import { createLogger } from '../../shared/log/logger';
import { DEV_ADMIN_PASSWORD } from '../../functions/user/user-config';
import { apiClient, type ApiClient } from '../support/api/api-client';
import { startInfraStack, type InfraStack } from '../support/infra-stack';
import { connectTo } from '../support/sql-fixture';

const logger = createLogger('e2e', { level: 'silent' });
let infra: InfraStack;
let stack: LocalStack;
let api: ApiClient;
let admin: string;
let customer: string;
let customerAccount: { email: string; password: string };

test.before(async () => {
  await buildFunctions();
  // Every event delivered three times at once to each of its consumers.
  infra = await startInfraStack({ logger, brokerCopies: 3 });
  stack = infra.stack;
  api = apiClient(stack.gateway.url, stack.gateway.fetch);
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

/** The Authorization header of a signed-in caller. */
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** An answer as the assertions compare it: the status, and the body (the data, or the error answered instead). */
const seen = ({ response, data, error }: { response: Response; data?: unknown; error?: unknown }) => ({
  status: response.status,
  body: data ?? error,
});

async function signedIn(account: { email: string; password: string }): Promise<string> {
  const { data, error, response } = await api.POST('/v1/auth/login', { body: account });
  if (response.status !== 200 || !data)
    throw new Error(`login: ${String(response.status)} ${JSON.stringify(error)}`);
  return data.accessToken;
}

async function newAccount(): Promise<{ email: string; password: string }> {
  const account = {
    email: `e2e-${randomUUID().slice(0, 8)}@example.com`,
    password: 'an end-to-end password',
  };
  const registered = await api.POST('/v1/auth/register', { body: { ...account, name: 'Orla' } });
  if (registered.response.status !== 201) throw new Error(`register: ${String(registered.response.status)}`);
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
  const created = await api.POST('/v1/products', {
    headers: bearer(admin),
    body: {
      sku: `E2E-${randomUUID().slice(0, 8)}`,
      name: 'End-to-end kettle',
      price: { amount: 2500, currency: 'USD' },
      status: 'active',
    },
  });
  if (created.response.status !== 201 || !created.data)
    throw new Error(`product: ${String(created.response.status)}`);
  const id = created.data.id;
  const restock = await api.POST('/v1/products/{id}/inventory/adjustments', {
    params: { path: { id } },
    headers: bearer(admin),
    body: { delta: units, reason: 'restock' },
  });
  if (restock.response.status !== 200) throw new Error(`restock: ${String(restock.response.status)}`);
  return id;
}

const ADDRESS = { name: 'Orla', line1: '2 Quay St', city: 'Galway', postalCode: 'H91', country: 'IE' };

const place = (productId: string, paymentToken = 'tok_visa', token = customer) =>
  api.POST('/v1/orders', {
    headers: bearer(token),
    body: { items: [{ productId, quantity: 1 }], shippingAddress: ADDRESS, paymentToken },
  });

/** The id of the order a placing made; any other answer stops the test, saying what it was. */
function orderIdOf(placed: Awaited<ReturnType<typeof place>>): string {
  if (!placed.data)
    throw new Error(`place: ${String(placed.response.status)} ${JSON.stringify(placed.error)}`);
  return placed.data.id;
}

const orderOf = async (id: string) =>
  (await api.GET('/v1/orders/{id}', { params: { path: { id } }, headers: bearer(admin) })).data;
const levelsOf = async (productId: string) =>
  (
    await api.GET('/v1/products/{id}/inventory', {
      params: { path: { id: productId } },
      headers: bearer(admin),
    })
  ).data;
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

const settled = (order: { status: string } | undefined) =>
  order?.status === 'PAID' || order?.status === 'CANCELLED';

test.serial(
  'placed, reserved, paid, shipped, delivered: the stock leaves once, the timeline and the inbox hold every step',
  async (t) => {
    const product = await productWith(5);
    const placed = await place(product);
    t.is(placed.response.status, 201);
    const id = orderIdOf(placed);
    t.like(await eventually(() => orderOf(id), settled), { status: 'PAID', payment: { status: 'CAPTURED' } });
    const shipped = await api.POST('/v1/orders/{id}/shipment', {
      params: { path: { id } },
      headers: bearer(admin),
      body: { carrier: 'An Post', trackingNumber: 'CE123456789IE' },
    });
    t.like(seen(shipped), { status: 200, body: { status: 'SHIPPED' } });
    t.like(
      await eventually(
        () => levelsOf(product),
        (levels) => levels?.onHand === 4,
      ),
      {
        onHand: 4,
        reserved: 0,
        available: 4,
      },
    );
    t.like(
      seen(await api.POST('/v1/orders/{id}/delivery', { params: { path: { id } }, headers: bearer(admin) })),
      { status: 200, body: { status: 'DELIVERED' } },
    );
    const timeline = await eventually(
      async () =>
        (await api.GET('/v1/orders/{id}/timeline', { params: { path: { id } }, headers: bearer(customer) }))
          .data,
      (read) => (read?.items.length ?? 0) >= 5,
    );
    t.deepEqual(
      timeline?.items.map((entry) => entry.type),
      ['placed', 'stock-reserved', 'payment-captured', 'ship', 'deliver'],
    );
    const short = id.slice(0, 8).toUpperCase();
    const inbox = await eventually(
      async () =>
        (
          await api.GET('/v1/notifications', {
            params: { query: { pageSize: '100' } },
            headers: bearer(customer),
          })
        ).data,
      (read) => (read?.items.filter((item) => item.title.includes(short)).length ?? 0) >= 4,
    );
    t.deepEqual(
      inbox?.items.filter((item) => item.title.includes(short)).map((item) => item.kind),
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
  const id = orderIdOf(placed);
  t.like(await eventually(() => orderOf(id), settled), {
    status: 'CANCELLED',
    payment: { status: 'FAILED' },
    cancellation: { reason: 'PAYMENT_DECLINED' },
  });
  t.like(
    await eventually(
      () => levelsOf(product),
      (levels) => levels?.reserved === 0,
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
    t.is(placed.response.status, 201);
    const id = orderIdOf(placed);
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
        const answer = await api.POST('/v1/orders', {
          params: { header: { 'Idempotency-Key': key } },
          headers: bearer(buyer),
          body,
        });
        if (answer.response.status < 500 || attempt === 5) return answer;
        await new Promise((resolve) => setTimeout(resolve, attempt * 1000));
      }
    };
    const answers = await Promise.all(Array.from({ length: 200 }, placeOnce));
    t.true(
      answers.every((answer) => answer.response.status === 201 || answer.response.status === 200),
      `every order is taken: ${[...new Set(answers.map((answer) => answer.response.status))].join(', ')}`,
    );
    const ids = answers.map((answer) => answer.data?.id);
    t.is(new Set(ids).size, 200, 'one order per key');
    const countOf = async (status: 'PAID' | 'CANCELLED') =>
      (
        await api.GET('/v1/orders', {
          params: { query: { status, pageSize: '1' } },
          headers: bearer(buyer),
        })
      ).data?.total ?? Number.NaN;
    await eventually(
      async () => (await countOf('PAID')) + (await countOf('CANCELLED')),
      (done) => done === ids.length,
      180_000,
    );
    t.is(await countOf('PAID'), 10);
    t.is(await countOf('CANCELLED'), 190);
    const cancelled = await api.GET('/v1/orders', {
      params: { query: { status: 'CANCELLED', pageSize: '100' } },
      headers: bearer(buyer),
    });
    t.true(cancelled.data?.items.every((order) => order.cancellation?.reason === 'OUT_OF_STOCK'));
    t.like(await levelsOf(product), { onHand: 10, reserved: 10, available: 0 });
  },
);
