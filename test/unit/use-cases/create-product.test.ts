import { randomUUID } from 'node:crypto';
import test from 'ava';
import { createProduct, CreateProductInput } from '../../../functions/product/create-product/use-case';
import { AppError } from '../../../shared/errors/app-error';
import { memoryCatalogue } from '../../support/memory/memory-product-repository';
import { testClock } from '../../support/memory/test-clock';

const NOW = '2030-01-01T09:30:00.250Z';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function setup() {
  const clock = testClock(NOW);
  const catalogue = memoryCatalogue();
  const deps = { products: catalogue.products, now: clock.now, currencies: ['USD', 'EUR'] };
  return { clock, ...catalogue, deps };
}

/** The body as the handler hands it over: parsed (so trimmed and defaulted) by the route's schema. */
const body = (fields: Record<string, unknown> = {}) =>
  CreateProductInput.parse({
    sku: 'MUG-1',
    name: 'Red mug',
    price: { amount: 1999, currency: 'USD' },
    ...fields,
  });

test('creates a draft with the defaults, stored with no stock', async (t) => {
  const { products, deps, clock } = setup();
  const product = await createProduct(
    deps,
    body({ sku: ' mug-1 ', name: '  Red mug ', price: { amount: 1999, currency: 'USD' } }),
  );
  t.regex(product.id, UUID);
  const expected = {
    id: product.id,
    sku: 'mug-1',
    name: 'Red mug',
    description: '',
    price: { amount: 1999, currency: 'USD' },
    categoryId: null,
    imageUrl: null,
    status: 'draft',
    reorderLevel: 0,
    createdAt: clock.now(),
    updatedAt: clock.now(),
  } as const;
  t.deepEqual(product, expected);
  t.deepEqual([...products.products.values()], [{ ...expected, deletedAt: null }]);
  t.deepEqual(await products.findById(product.id), expected);
  t.deepEqual([...products.stock], [[product.id, { onHand: 0, reserved: 0 }]]);
});

test('records exactly one com.ecom.product.created event with the new product', async (t) => {
  const { outbox, deps } = setup();
  const product = await createProduct(deps, body({ status: 'active' }));
  t.deepEqual(outbox.events, [
    {
      id: outbox.events[0]?.id ?? '',
      type: 'com.ecom.product.created',
      source: '/ecom/product/create-product',
      subject: product.id,
      partitionKey: product.id,
      time: new Date(NOW),
      data: {
        productId: product.id,
        sku: 'MUG-1',
        name: 'Red mug',
        price: { amount: 1999, currency: 'USD' },
        categoryId: null,
        status: 'active',
        createdAt: NOW,
      },
    },
  ]);
});

test('creates a product with every field given, in an existing category', async (t) => {
  const { products, categories, outbox, deps, clock } = setup();
  const categoryId = randomUUID();
  await categories.insert({
    id: categoryId,
    name: 'Mugs',
    parentId: null,
    createdAt: clock.now(),
    updatedAt: clock.now(),
  });
  const product = await createProduct(
    deps,
    body({
      sku: 'TEA.POT_2',
      name: 'Teapot',
      description: 'A pot\nfor tea.',
      price: { amount: 0, currency: 'EUR' },
      categoryId,
      imageUrl: 'https://img.example.com/teapot.png',
      status: 'archived',
      reorderLevel: 7,
    }),
  );
  const expected = {
    id: product.id,
    sku: 'TEA.POT_2',
    name: 'Teapot',
    description: 'A pot\nfor tea.',
    price: { amount: 0, currency: 'EUR' },
    categoryId,
    imageUrl: 'https://img.example.com/teapot.png',
    status: 'archived',
    reorderLevel: 7,
    createdAt: clock.now(),
    updatedAt: clock.now(),
  } as const;
  t.deepEqual(product, expected);
  t.deepEqual(await products.findById(product.id), expected);
  t.deepEqual(
    outbox.events.map((event) => event.data),
    [
      {
        productId: product.id,
        sku: 'TEA.POT_2',
        name: 'Teapot',
        price: { amount: 0, currency: 'EUR' },
        categoryId,
        status: 'archived',
        createdAt: NOW,
      },
    ],
  );
});

test('a price in a currency the store does not sell in is PRODUCT.CURRENCY_NOT_ACCEPTED, and nothing is stored', async (t) => {
  const { products, outbox, deps } = setup();
  for (const currency of ['GBP', 'JPY']) {
    const error = await t.throwsAsync(createProduct(deps, body({ price: { amount: 100, currency } })), {
      instanceOf: AppError,
    });
    t.like(error, { kind: 'invalid', code: 'PRODUCT.CURRENCY_NOT_ACCEPTED' }, currency);
  }
  t.is(products.products.size, 0);
  t.deepEqual(outbox.events, []);
});

test('a SKU another product has, in any case, is PRODUCT.SKU_TAKEN, and nothing is stored or recorded', async (t) => {
  const { products, outbox, deps } = setup();
  const first = await createProduct(deps, body({ sku: 'Mug-1' }));
  for (const sku of ['Mug-1', 'MUG-1', 'mug-1', ' mUg-1 ']) {
    const error = await t.throwsAsync(createProduct(deps, body({ sku, name: 'Another mug' })), {
      instanceOf: AppError,
    });
    t.like(error, { kind: 'conflict', code: 'PRODUCT.SKU_TAKEN' }, sku);
  }
  t.deepEqual([...products.products.keys()], [first.id]);
  t.deepEqual(
    outbox.events.map((event) => event.subject),
    [first.id],
  );
});

test('SKUs that differ by more than case are distinct', async (t) => {
  const { products, deps } = setup();
  for (const sku of ['MUG-1', 'MUG-10', 'MUG.1', 'MUG_1', 'MUG1']) await createProduct(deps, body({ sku }));
  t.deepEqual(
    [...products.products.values()].map((product) => product.sku),
    ['MUG-1', 'MUG-10', 'MUG.1', 'MUG_1', 'MUG1'],
  );
});

test('a category that does not exist is CATEGORY.NOT_FOUND (400), and nothing is stored', async (t) => {
  const { products, outbox, deps } = setup();
  const error = await t.throwsAsync(createProduct(deps, body({ categoryId: randomUUID() })), {
    instanceOf: AppError,
  });
  t.like(error, { kind: 'invalid', code: 'CATEGORY.NOT_FOUND' });
  t.deepEqual(error.fields, [{ field: 'categoryId', message: 'names no category' }]);
  t.is(products.products.size, 0);
  t.deepEqual(outbox.events, []);
});

test('the body may not choose the id, the dates or anything unknown, nor a bad status or price', (t) => {
  for (const extra of [
    { id: randomUUID() },
    { createdAt: NOW },
    { stock: 5 },
    { status: 'deleted' },
    { price: { amount: 19.99, currency: 'USD' } },
    { price: { amount: 1999, currency: 'usd' } },
    { imageUrl: 'ftp://img.example.com/a.png' },
    { name: '   ' },
    { sku: '-MUG' },
  ]) {
    t.false(CreateProductInput.safeParse({ ...body(), ...extra }).success, JSON.stringify(extra));
  }
});
