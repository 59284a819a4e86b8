import { randomUUID } from 'node:crypto';
import test from 'ava';
import { createProduct, CreateProductInput } from '../../../functions/product/create-product/use-case';
import { deleteProduct } from '../../../functions/product/delete-product/use-case';
import { listProducts, ProductListQuery } from '../../../functions/product/product-query/use-case';
import type { Principal } from '../../../shared/domain/user/roles';
import { AppError } from '../../../shared/errors/app-error';
import { memoryCatalogue } from '../../support/memory/memory-product-repository';
import { testClock } from '../../support/memory/test-clock';

const CREATED = '2030-01-01T08:00:00.000Z';
const DELETED = '2030-01-01T09:30:00.250Z';

const admin: Principal = {
  userId: randomUUID(),
  role: 'admin',
  tokenId: randomUUID(),
  sessionId: randomUUID(),
  expiresAt: new Date('2100-01-01T00:00:00Z'),
};

/** An active mug created at 08:00, its created event recorded; the clock then moved to 09:30. */
async function setup() {
  const clock = testClock(CREATED);
  const catalogue = memoryCatalogue();
  const deps = { products: catalogue.products, now: clock.now, currencies: ['USD'] };
  const create = (sku: string) =>
    createProduct(
      deps,
      CreateProductInput.parse({
        sku,
        name: 'Red mug',
        price: { amount: 1999, currency: 'USD' },
        status: 'active',
      }),
    );
  const mug = await create('MUG-1');
  clock.set(DELETED);
  return { clock, ...catalogue, deps, mug, create };
}

const notFound = { kind: 'not-found', code: 'PRODUCT.NOT_FOUND' } as const;

test('a deleted product is no longer found, and its row stays, marked deleted', async (t) => {
  const { products, deps, mug } = await setup();
  await deleteProduct(deps, mug.id);
  t.is(await products.findById(mug.id), undefined);
  t.deepEqual(
    [...products.products.values()],
    [{ ...mug, updatedAt: new Date(DELETED), deletedAt: new Date(DELETED) }],
  );
});

test('records exactly one com.ecom.product.deleted event with the product', async (t) => {
  const { outbox, deps, mug } = await setup();
  await deleteProduct(deps, mug.id);
  t.deepEqual(
    outbox.events.map((event) => event.type),
    ['com.ecom.product.created', 'com.ecom.product.deleted'],
  );
  t.deepEqual(outbox.events[1], {
    id: outbox.events[1]?.id ?? '',
    type: 'com.ecom.product.deleted',
    source: '/ecom/product/delete-product',
    subject: mug.id,
    partitionKey: mug.id,
    time: new Date(DELETED),
    data: { productId: mug.id, sku: 'MUG-1', deletedAt: DELETED },
  });
});

test('a second delete is PRODUCT.NOT_FOUND and records nothing', async (t) => {
  const { outbox, deps, mug, clock } = await setup();
  await deleteProduct(deps, mug.id);
  clock.advance(1000);
  t.like(await t.throwsAsync(deleteProduct(deps, mug.id), { instanceOf: AppError }), notFound);
  t.is(outbox.events.length, 2);
});

test('an unknown product is PRODUCT.NOT_FOUND and records nothing', async (t) => {
  const { products, outbox, deps, mug } = await setup();
  t.like(await t.throwsAsync(deleteProduct(deps, randomUUID()), { instanceOf: AppError }), notFound);
  t.deepEqual(await products.findById(mug.id), mug);
  t.is(outbox.events.length, 1);
});

test('a deleted product leaves every listing, even an admin’s', async (t) => {
  const { products, categories, deps, mug, create } = await setup();
  const other = await create('MUG-2');
  await deleteProduct(deps, mug.id);
  const page = await listProducts({ products, categories }, ProductListQuery.parse({ q: 'red mug' }), admin);
  t.deepEqual(
    { ...page, items: page.items.map((item) => item.id) },
    { items: [other.id], page: 1, pageSize: 20, total: 1 },
  );
});

test("a deleted product's SKU, in any case, can be given to a new product", async (t) => {
  const { products, deps, mug, create } = await setup();
  await deleteProduct(deps, mug.id);
  const again = await create('mug-1');
  t.not(again.id, mug.id);
  t.deepEqual(await products.findById(again.id), again);
  t.deepEqual(
    [...products.products.values()].map((product) => [product.sku, product.deletedAt]),
    [
      ['MUG-1', new Date(DELETED)],
      ['mug-1', null],
    ],
  );
});
