import { randomUUID } from 'node:crypto';
import test from 'ava';
import { createProduct, CreateProductInput } from '../../../functions/product/create-product/use-case';
import { quoteItems, QuoteItemsRequest } from '../../../functions/product/product-grpc/use-case';
import { memoryInventoryStore } from '../../support/memory/memory-inventory-store';
import { memoryCatalogue } from '../../support/memory/memory-product-repository';
import { testClock } from '../../support/memory/test-clock';

function setup() {
  const { products } = memoryCatalogue();
  const inventory = memoryInventoryStore();
  const deps = { products, now: testClock('2030-01-01T09:30:00.000Z').now, currencies: ['USD', 'EUR'] };
  const add = async (fields: Record<string, unknown>, stock: { onHand: number; reserved: number }) => {
    const product = await createProduct(
      deps,
      CreateProductInput.parse({ sku: `SKU-${randomUUID().slice(0, 6)}`, name: 'Mug', ...fields }),
    );
    inventory.addProduct(product.id, stock);
    return product;
  };
  return { products, inventory, add };
}

test('every line is quoted in the order asked, repeats included, with the price and stock of now', async (t) => {
  const { products, inventory, add } = setup();
  const mug = await add(
    { price: { amount: 1250, currency: 'EUR' }, status: 'active' },
    { onHand: 9, reserved: 2 },
  );
  const draft = await add({ price: { amount: 300, currency: 'USD' } }, { onHand: 1, reserved: 0 });
  const request = QuoteItemsRequest.parse({
    items: [
      { productId: mug.id, quantity: 3 },
      { productId: draft.id, quantity: 1 },
      { productId: mug.id, quantity: 1 },
    ],
  });
  t.deepEqual(await quoteItems({ products, inventory }, request), [
    {
      productId: mug.id,
      quantity: 3,
      found: true,
      sku: mug.sku,
      name: 'Mug',
      unitPrice: { amount: 1250, currency: 'EUR' },
      active: true,
      available: 7,
    },
    {
      productId: draft.id,
      quantity: 1,
      found: true,
      sku: draft.sku,
      name: 'Mug',
      unitPrice: { amount: 300, currency: 'USD' },
      active: false,
      available: 1,
    },
    {
      productId: mug.id,
      quantity: 1,
      found: true,
      sku: mug.sku,
      name: 'Mug',
      unitPrice: { amount: 1250, currency: 'EUR' },
      active: true,
      available: 7,
    },
  ]);
});

test('a product that does not exist, or was deleted, is quoted as not found with nothing else', async (t) => {
  const { products, inventory, add } = setup();
  const gone = await add(
    { status: 'active', price: { amount: 1, currency: 'USD' } },
    { onHand: 5, reserved: 0 },
  );
  await products.remove(gone.id, new Date(), () => []);
  const unknown = randomUUID();
  const request = QuoteItemsRequest.parse({
    items: [
      { productId: unknown, quantity: 1 },
      { productId: gone.id, quantity: 2 },
    ],
  });
  const empty = { found: false, sku: '', name: '', unitPrice: null, active: false, available: 0 };
  t.deepEqual(await quoteItems({ products, inventory }, request), [
    { productId: unknown, quantity: 1, ...empty },
    { productId: gone.id, quantity: 2, ...empty },
  ]);
});

test('the request: 1 to 100 lines, each a UUID and 1 to 10,000 units', (t) => {
  const line = { productId: randomUUID(), quantity: 1 };
  t.true(QuoteItemsRequest.safeParse({ items: Array.from({ length: 100 }, () => line) }).success);
  for (const items of [
    [],
    Array.from({ length: 101 }, () => line),
    [{ productId: 'x', quantity: 1 }],
    [{ ...line, quantity: 0 }],
    [{ ...line, quantity: 10_001 }],
    [{ ...line, quantity: 1.5 }],
  ]) {
    t.false(QuoteItemsRequest.safeParse({ items }).success, JSON.stringify(items).slice(0, 60));
  }
});
