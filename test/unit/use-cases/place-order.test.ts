import { randomUUID } from 'node:crypto';
import test from 'ava';
import { placeOrder } from '../../../functions/order/place-order/use-case';
import { PlaceOrderInput, type QuotedProduct } from '../../../shared/domain/order/order';
import type { Catalog } from '../../../shared/domain/order/order-ports';
import { AppError } from '../../../shared/errors/app-error';
import { memoryOrderRepository } from '../../support/memory/memory-order-repository';
import { testClock } from '../../support/memory/test-clock';

const NOW = '2030-01-01T09:30:00.250Z';
const CUSTOMER = randomUUID();
const CALLER = { customerId: CUSTOMER, authorization: 'Bearer customer-token' };
const MUG = randomUUID();
const TEAPOT = randomUUID();
const DRAFT = randomUUID();
const EURO = randomUUID();

const quoted = (productId: string, fields: Partial<QuotedProduct> = {}): QuotedProduct => ({
  productId,
  sku: `SKU-${productId.slice(0, 4)}`,
  name: 'Thing',
  unitPrice: { amount: 1000, currency: 'USD' },
  sellable: true,
  ...fields,
});

const CATALOGUE = new Map<string, QuotedProduct>([
  [MUG, quoted(MUG, { sku: 'MUG-1', name: 'Red mug', unitPrice: { amount: 1250, currency: 'USD' } })],
  [TEAPOT, quoted(TEAPOT, { sku: 'POT-1', name: 'Teapot', unitPrice: { amount: 3999, currency: 'USD' } })],
  [DRAFT, quoted(DRAFT, { sellable: false })],
  [EURO, quoted(EURO, { unitPrice: { amount: 500, currency: 'EUR' } })],
]);

/** The catalogue port as product-grpc answers it: what it knows of the products asked for; it records the calls. */
function fakeCatalog() {
  const calls: { productIds: string[]; authorization: string }[] = [];
  const catalog: Catalog = {
    quote(items, authorization) {
      calls.push({ productIds: items.map((item) => item.productId), authorization });
      return Promise.resolve(
        new Map(
          items.flatMap((item) => {
            const known = CATALOGUE.get(item.productId);
            return known ? [[item.productId, known] as const] : [];
          }),
        ),
      );
    },
  };
  return { catalog, calls };
}

function setup() {
  const orders = memoryOrderRepository();
  const { catalog, calls } = fakeCatalog();
  const deps = { orders, catalog, now: testClock(NOW).now, maxQuantityPerLine: 20 };
  return { orders, calls, deps };
}

const body = (fields: Record<string, unknown> = {}) =>
  PlaceOrderInput.parse({
    items: [
      { productId: MUG, quantity: 2 },
      { productId: TEAPOT, quantity: 1 },
    ],
    shippingAddress: { name: 'Ada', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
    paymentToken: 'tok_visa',
    ...fields,
  });

test('prices the lines from the catalogue, stores the order PENDING with its event, and keeps the token', async (t) => {
  const { orders, calls, deps } = setup();
  const { order, replayed } = await placeOrder(deps, body(), CALLER);
  t.false(replayed);
  t.like(order, {
    customerId: CUSTOMER,
    status: 'PENDING',
    total: { amount: 2 * 1250 + 3999, currency: 'USD' },
    createdAt: new Date(NOW),
  });
  t.deepEqual(order.lines, [
    {
      productId: MUG,
      sku: 'MUG-1',
      name: 'Red mug',
      unitPrice: { amount: 1250, currency: 'USD' },
      quantity: 2,
      lineTotal: { amount: 2500, currency: 'USD' },
    },
    {
      productId: TEAPOT,
      sku: 'POT-1',
      name: 'Teapot',
      unitPrice: { amount: 3999, currency: 'USD' },
      quantity: 1,
      lineTotal: { amount: 3999, currency: 'USD' },
    },
  ]);
  t.deepEqual(calls, [{ productIds: [MUG, TEAPOT], authorization: 'Bearer customer-token' }]);
  t.deepEqual(orders.orders.get(order.id), order);
  t.deepEqual(orders.chargesDue.get(order.id), { token: 'tok_visa', total: order.total });
  t.is(orders.outbox.events.length, 2);
  t.like(orders.outbox.events[1], {
    type: 'com.ecom.order.changed',
    source: '/ecom/order/place-order',
    subject: order.id,
    data: {
      orderId: order.id,
      step: 'placed',
      status: 'PENDING',
      detail: 'placed: 2 line(s), 64.99 USD',
      changedAt: NOW,
    },
  });
  t.like(orders.outbox.events[0], {
    type: 'com.ecom.order.placed',
    subject: order.id,
    partitionKey: order.id,
    data: {
      orderId: order.id,
      customerId: CUSTOMER,
      lines: [
        { productId: MUG, quantity: 2 },
        { productId: TEAPOT, quantity: 1 },
      ],
      placedAt: NOW,
    },
  });
  t.false(JSON.stringify(orders.outbox.events).includes('tok_visa'), 'the token is in no event');
});

/** Asserts that placing `input` fails with `code` and `fields`, and that nothing was stored or emitted. */
async function refused(
  t: import('ava').ExecutionContext,
  input: ReturnType<typeof body>,
  expected: { kind: string; code: string; fields?: string[] },
) {
  const { orders, deps } = setup();
  const error = await t.throwsAsync(placeOrder(deps, input, CALLER), { instanceOf: AppError });
  t.like(error, { kind: expected.kind, code: expected.code });
  if (expected.fields)
    t.deepEqual(
      error.fields.map((issue) => issue.field),
      expected.fields,
    );
  t.is(orders.orders.size, 0);
  t.is(orders.outbox.events.length, 0);
}

test('an unknown or inactive product is 422 ORDER.PRODUCT_UNAVAILABLE naming its lines, and nothing is made', async (t) => {
  await refused(
    t,
    body({
      items: [
        { productId: MUG, quantity: 1 },
        { productId: randomUUID(), quantity: 1 },
        { productId: DRAFT, quantity: 1 },
      ],
    }),
    {
      kind: 'rule',
      code: 'ORDER.PRODUCT_UNAVAILABLE',
      fields: ['items.1.productId', 'items.2.productId'],
    },
  );
});

test('a line over the per-line maximum is 400, and nothing is made', async (t) => {
  await refused(t, body({ items: [{ productId: MUG, quantity: 21 }] }), {
    kind: 'invalid',
    code: 'REQUEST.INVALID',
    fields: ['items.0.quantity'],
  });
});

test('a product on two lines is 400, and nothing is made', async (t) => {
  await refused(
    t,
    body({
      items: [
        { productId: MUG, quantity: 1 },
        { productId: MUG, quantity: 2 },
      ],
    }),
    {
      kind: 'invalid',
      code: 'REQUEST.INVALID',
      fields: ['items.1.productId'],
    },
  );
});

test('products in two currencies are 422 ORDER.MIXED_CURRENCIES, and nothing is made', async (t) => {
  await refused(
    t,
    body({
      items: [
        { productId: MUG, quantity: 1 },
        { productId: EURO, quantity: 1 },
      ],
    }),
    {
      kind: 'rule',
      code: 'ORDER.MIXED_CURRENCIES',
    },
  );
});

test('the body refuses a client price, an empty order, a bad quantity and a bad address', (t) => {
  const invalid = (fields: Record<string, unknown>) =>
    !PlaceOrderInput.safeParse({ ...body(), ...fields }).success;
  t.true(invalid({ items: [{ productId: MUG, quantity: 1, unitPrice: { amount: 1, currency: 'USD' } }] }));
  t.true(invalid({ items: [] }));
  for (const quantity of [0, -1, 1.5, '2'])
    t.true(invalid({ items: [{ productId: MUG, quantity }] }), String(quantity));
  t.true(
    invalid({ shippingAddress: { name: 'Ada', line1: '1 Main St', city: 'Berlin', postalCode: '10115' } }),
  );
  t.true(invalid({ shippingAddress: { ...body().shippingAddress, country: 'Germany' } }));
  t.true(invalid({ shippingAddress: { ...body().shippingAddress, city: '   ' } }));
  t.true(invalid({ total: { amount: 1, currency: 'USD' } }));
  t.true(invalid({ paymentToken: '' }));
});

test('the same key with the same body answers the same order and makes no second one', async (t) => {
  const { orders, calls, deps } = setup();
  const first = await placeOrder(deps, body(), CALLER, 'key-1');
  const again = await placeOrder(deps, body(), CALLER, 'key-1');
  t.true(again.replayed);
  t.deepEqual(again.order, first.order);
  t.is(orders.orders.size, 1);
  t.is(orders.outbox.events.length, 2, "the first placement's event and timeline entry only");
  t.is(calls.length, 1, 'a replay asks the catalogue nothing');
});

test('the same key with another body is 409 ORDER.IDEMPOTENCY_KEY_REUSED; keys are per customer', async (t) => {
  const { orders, deps } = setup();
  await placeOrder(deps, body(), CALLER, 'key-1');
  await t.throwsAsync(placeOrder(deps, body({ paymentToken: 'tok_other' }), CALLER, 'key-1'), {
    instanceOf: AppError,
    code: 'ORDER.IDEMPOTENCY_KEY_REUSED',
  });
  const someoneElse = { customerId: randomUUID(), authorization: 'Bearer other' };
  t.false((await placeOrder(deps, body(), someoneElse, 'key-1')).replayed);
  t.is(orders.orders.size, 2);
});

test('two requests with one key at once make one order; the second answers it', async (t) => {
  const { orders, deps } = setup();
  // Both read "no such key" before either stores: the store's unique key decides.
  let arrived = 0;
  let release: () => void = () => undefined;
  const bothIn = new Promise<void>((resolve) => {
    release = resolve;
  });
  orders.beforePlace = async () => {
    arrived += 1;
    if (arrived === 2) release();
    await bothIn;
  };
  const [a, b] = await Promise.all([
    placeOrder(deps, body(), CALLER, 'k'),
    placeOrder(deps, body(), CALLER, 'k'),
  ]);
  t.is(orders.orders.size, 1);
  t.is(a.order.id, b.order.id);
  t.deepEqual([a.replayed, b.replayed].sort(), [false, true]);
});
