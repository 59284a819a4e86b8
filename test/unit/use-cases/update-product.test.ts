import { randomUUID } from 'node:crypto';
import test from 'ava';
import { updateProduct, UpdateProductInput } from '../../../functions/product/update-product/use-case';
import type { Product } from '../../../shared/domain/product/product';
import { AppError } from '../../../shared/errors/app-error';
import { memoryCatalogue } from '../../support/memory/memory-product-repository';
import { testClock } from '../../support/memory/test-clock';

const CREATED = new Date('2030-01-01T08:00:00.000Z');
const NOW = '2030-01-01T09:30:00.250Z';

/** A stored active mug (created at 08:00, no events recorded) and a teapot, in a category; the clock at 09:30. */
async function setup() {
  const clock = testClock(NOW);
  const catalogue = memoryCatalogue();
  const kitchen = randomUUID();
  await catalogue.categories.insert({
    id: kitchen,
    name: 'Kitchen',
    parentId: null,
    createdAt: CREATED,
    updatedAt: CREATED,
  });
  const mug: Product = {
    id: randomUUID(),
    sku: 'MUG-1',
    name: 'Red mug',
    description: 'A red mug.',
    price: { amount: 1999, currency: 'USD' },
    categoryId: kitchen,
    imageUrl: 'https://img.example.com/mug.png',
    status: 'active',
    reorderLevel: 5,
    createdAt: CREATED,
    updatedAt: CREATED,
  };
  const teapot: Product = { ...mug, id: randomUUID(), sku: 'POT-1', name: 'Teapot' };
  await catalogue.products.insert(mug, []);
  await catalogue.products.insert(teapot, []);
  const deps = { products: catalogue.products, now: clock.now, currencies: ['USD', 'EUR'] };
  return { clock, ...catalogue, deps, mug, teapot, kitchen };
}

/** The body as the handler hands it over, parsed by the route's schema. */
const change = (fields: Record<string, unknown>) => UpdateProductInput.parse(fields);

test('a new price is stored and recorded as exactly one com.ecom.product.price-changed with both prices', async (t) => {
  const { products, outbox, deps, mug, clock } = await setup();
  const updated = await updateProduct(deps, mug.id, change({ price: { amount: 2499, currency: 'USD' } }));
  const expected = { ...mug, price: { amount: 2499, currency: 'USD' }, updatedAt: clock.now() };
  t.deepEqual(updated, expected);
  t.deepEqual(await products.findById(mug.id), expected);
  t.deepEqual(outbox.events, [
    {
      id: outbox.events[0]?.id ?? '',
      type: 'com.ecom.product.price-changed',
      source: '/ecom/product/update-product',
      subject: mug.id,
      partitionKey: mug.id,
      time: new Date(NOW),
      data: {
        productId: mug.id,
        sku: 'MUG-1',
        previousPrice: { amount: 1999, currency: 'USD' },
        price: { amount: 2499, currency: 'USD' },
        changedAt: NOW,
      },
    },
  ]);
});

test('a new currency with the same amount is a price change too', async (t) => {
  const { outbox, deps, mug } = await setup();
  await updateProduct(deps, mug.id, change({ price: { amount: 1999, currency: 'EUR' } }));
  t.deepEqual(
    outbox.events.map((event) => [event.type, event.data['previousPrice'], event.data['price']]),
    [
      [
        'com.ecom.product.price-changed',
        { amount: 1999, currency: 'USD' },
        { amount: 1999, currency: 'EUR' },
      ],
    ],
  );
});

test('a rename, or any change but the price, is stored and records no event', async (t) => {
  const { products, outbox, deps, mug, clock } = await setup();
  const updated = await updateProduct(
    deps,
    mug.id,
    change({
      name: '  Blue mug ',
      description: 'Now blue.',
      imageUrl: null,
      categoryId: null,
      status: 'archived',
      reorderLevel: 0,
    }),
  );
  const expected = {
    ...mug,
    name: 'Blue mug',
    description: 'Now blue.',
    imageUrl: null,
    categoryId: null,
    status: 'archived',
    reorderLevel: 0,
    updatedAt: clock.now(),
  } as const;
  t.deepEqual(updated, expected);
  t.deepEqual(await products.findById(mug.id), expected);
  t.deepEqual(outbox.events, []);
});

test('the same price given again records no event', async (t) => {
  const { outbox, deps, mug, clock } = await setup();
  const updated = await updateProduct(
    deps,
    mug.id,
    change({ price: { amount: 1999, currency: 'USD' }, name: 'Mug' }),
  );
  t.deepEqual(updated, { ...mug, name: 'Mug', updatedAt: clock.now() });
  t.deepEqual(outbox.events, []);
});

test('a price change with a new SKU records the new SKU', async (t) => {
  const { outbox, deps, mug } = await setup();
  await updateProduct(deps, mug.id, change({ sku: 'MUG-2', price: { amount: 999, currency: 'USD' } }));
  t.deepEqual(
    outbox.events.map((event) => event.data),
    [
      {
        productId: mug.id,
        sku: 'MUG-2',
        previousPrice: { amount: 1999, currency: 'USD' },
        price: { amount: 999, currency: 'USD' },
        changedAt: NOW,
      },
    ],
  );
});

test('each price change records the price it replaced', async (t) => {
  const { outbox, deps, mug, clock } = await setup();
  await updateProduct(deps, mug.id, change({ price: { amount: 2000, currency: 'USD' } }));
  clock.advance(60_000);
  await updateProduct(deps, mug.id, change({ name: 'Mug' }));
  clock.advance(60_000);
  await updateProduct(deps, mug.id, change({ price: { amount: 2100, currency: 'USD' } }));
  t.deepEqual(
    outbox.events.map((event) => [event.data['previousPrice'], event.data['price'], event.data['changedAt']]),
    [
      [{ amount: 1999, currency: 'USD' }, { amount: 2000, currency: 'USD' }, NOW],
      [{ amount: 2000, currency: 'USD' }, { amount: 2100, currency: 'USD' }, '2030-01-01T09:32:00.250Z'],
    ],
  );
});

test('an unknown or deleted product is PRODUCT.NOT_FOUND and nothing is recorded', async (t) => {
  const { products, outbox, deps, mug, clock } = await setup();
  await products.remove(mug.id, clock.now(), () => []);
  for (const id of [randomUUID(), mug.id]) {
    const error = await t.throwsAsync(
      updateProduct(deps, id, change({ price: { amount: 1, currency: 'USD' } })),
      { instanceOf: AppError },
    );
    t.like(error, { kind: 'not-found', code: 'PRODUCT.NOT_FOUND' }, id);
  }
  t.deepEqual(outbox.events, []);
  t.is(products.products.get(mug.id)?.price.amount, 1999);
});

test('a price in a currency the store does not sell in is PRODUCT.CURRENCY_NOT_ACCEPTED and changes nothing', async (t) => {
  const { products, outbox, deps, mug } = await setup();
  const error = await t.throwsAsync(
    updateProduct(deps, mug.id, change({ name: 'Mug', price: { amount: 1999, currency: 'GBP' } })),
    { instanceOf: AppError },
  );
  t.like(error, { kind: 'invalid', code: 'PRODUCT.CURRENCY_NOT_ACCEPTED' });
  t.deepEqual(await products.findById(mug.id), mug);
  t.deepEqual(outbox.events, []);
});

test("another product's SKU, in any case, is PRODUCT.SKU_TAKEN: nothing changes and the price change is not recorded", async (t) => {
  const { products, outbox, deps, mug } = await setup();
  for (const sku of ['POT-1', 'pot-1']) {
    const error = await t.throwsAsync(
      updateProduct(deps, mug.id, change({ sku, price: { amount: 1, currency: 'USD' } })),
      { instanceOf: AppError },
    );
    t.like(error, { kind: 'conflict', code: 'PRODUCT.SKU_TAKEN' }, sku);
  }
  t.deepEqual(await products.findById(mug.id), mug);
  t.deepEqual(outbox.events, []);
});

test("a product's own SKU in another case, or a deleted product's SKU, may be taken", async (t) => {
  const { products, deps, mug, teapot, clock } = await setup();
  t.is((await updateProduct(deps, mug.id, change({ sku: 'mug-1' }))).sku, 'mug-1');
  await products.remove(teapot.id, clock.now(), () => []);
  t.is((await updateProduct(deps, mug.id, change({ sku: 'Pot-1' }))).sku, 'Pot-1');
  t.is((await products.findById(mug.id))?.sku, 'Pot-1');
});

test('a move to a category that does not exist is CATEGORY.NOT_FOUND and changes nothing', async (t) => {
  const { products, outbox, deps, mug } = await setup();
  const error = await t.throwsAsync(updateProduct(deps, mug.id, change({ categoryId: randomUUID() })), {
    instanceOf: AppError,
  });
  t.like(error, { kind: 'invalid', code: 'CATEGORY.NOT_FOUND' });
  t.deepEqual(await products.findById(mug.id), mug);
  t.deepEqual(outbox.events, []);
});

test('the body must name something to change, and nothing unknown', (t) => {
  for (const fields of [
    {},
    { id: randomUUID() },
    { updatedAt: NOW },
    { price: { amount: 1 } },
    { status: 'gone' },
  ]) {
    t.false(UpdateProductInput.safeParse(fields).success, JSON.stringify(fields));
  }
});
