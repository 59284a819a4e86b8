// The product service's gRPC sidecar, served as its process serves it, through the typed client place-order uses:
// products and the catalogue for anyone, QuoteItems for a signed-in caller, stock for admins, and the health service.
import { randomUUID } from 'node:crypto';
import test from 'ava';
import { PRODUCT_GRPC_SERVICE } from '../../functions/product/product-grpc/function';
import type { ProductServiceDefinition } from '../../proto/generated/ecom/product/v1/ProductService';
import { createGrpcClient, type GrpcClient } from '../../shared/grpc/grpc-client';
import { loadProto } from '../../shared/grpc/load-proto';
import { startProductService, type ProductServiceUnderTest } from '../support/product-service';

let api: ProductServiceUnderTest;
let admin: string;
let customer: string;
let client: GrpcClient<ProductServiceDefinition>;

test.before(async () => {
  api = await startProductService();
  admin = await api.adminToken();
  customer = await api.customerToken();
  client = createGrpcClient<ProductServiceDefinition>({
    proto: await loadProto('product.proto'),
    service: PRODUCT_GRPC_SERVICE,
    address: api.grpcAddress('product-grpc'),
  });
});
test.after.always(async () => {
  client.close();
  await api.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function product(body: Record<string, unknown>, units = 0): Promise<{ id: string; sku: string }> {
  const created = await api.call('POST', '/v1/products', {
    token: admin,
    body: { sku: `GRPC-${randomUUID().slice(0, 8)}`, price: { amount: 1999, currency: 'USD' }, ...body },
  });
  if (created.status !== 201) throw new Error(`create: ${String(created.status)} ${await created.text()}`);
  const made = (await created.json()) as { id: string; sku: string };
  if (units > 0) {
    const restock = await api.call('POST', `/v1/products/${made.id}/inventory/adjustments`, {
      token: admin,
      body: { delta: units, reason: 'restock' },
    });
    if (restock.status !== 200) throw new Error(`restock: ${String(restock.status)}`);
  }
  return made;
}

test('QuoteItems answers each line in the order asked: price, sku, name, active, available; unknown ones not found', async (t) => {
  const mug = await product(
    { name: 'Quoted mug', status: 'active', price: { amount: 1250, currency: 'USD' } },
    7,
  );
  const draft = await product({ name: 'Quoted draft' }, 3);
  const deleted = await product({ name: 'Quoted gone', status: 'active' }, 2);
  t.is((await api.call('DELETE', `/v1/products/${deleted.id}`, { token: admin })).status, 204);
  const unknown = randomUUID();
  const answer = await client.call(
    'QuoteItems',
    {
      items: [
        { productId: draft.id, quantity: 1 },
        { productId: mug.id, quantity: 2 },
        { productId: unknown, quantity: 1 },
        { productId: deleted.id, quantity: 1 },
        { productId: mug.id, quantity: 5 },
      ],
    },
    bearer(customer),
  );
  const empty = { found: false, sku: '', name: '', unitPrice: null, active: false, available: 0 };
  t.deepEqual(answer.lines, [
    {
      productId: draft.id,
      quantity: 1,
      found: true,
      sku: draft.sku,
      name: 'Quoted draft',
      unitPrice: { amount: 1999, currency: 'USD' },
      active: false,
      available: 3,
    },
    {
      productId: mug.id,
      quantity: 2,
      found: true,
      sku: mug.sku,
      name: 'Quoted mug',
      unitPrice: { amount: 1250, currency: 'USD' },
      active: true,
      available: 7,
    },
    { productId: unknown, quantity: 1, ...empty },
    { productId: deleted.id, quantity: 1, ...empty },
    {
      productId: mug.id,
      quantity: 5,
      found: true,
      sku: mug.sku,
      name: 'Quoted mug',
      unitPrice: { amount: 1250, currency: 'USD' },
      active: true,
      available: 7,
    },
  ]);
});

test('QuoteItems needs a signed-in caller and a well-formed order', async (t) => {
  const items = [{ productId: randomUUID(), quantity: 1 }];
  t.like(await t.throwsAsync(client.call('QuoteItems', { items })), {
    kind: 'unauthenticated',
    code: 'AUTH.MISSING_TOKEN',
  });
  for (const bad of [
    [],
    [{ productId: 'not-a-uuid', quantity: 1 }],
    [{ productId: randomUUID(), quantity: 0 }],
    [{ productId: randomUUID(), quantity: 10_001 }],
  ]) {
    const error = await t.throwsAsync(client.call('QuoteItems', { items: bad }, bearer(customer)));
    t.like(error, { kind: 'invalid' }, JSON.stringify(bad));
  }
});

test('GetProduct and ListProducts answer active products to anyone, with the HTTP filters', async (t) => {
  const word = `grpc${randomUUID().replace(/-/g, '').slice(0, 8)}`;
  const active = await product({ name: `Listed ${word}`, status: 'active' });
  const draft = await product({ name: `Hidden ${word}` });
  t.like(await client.call('GetProduct', { id: active.id }), {
    id: active.id,
    name: `Listed ${word}`,
    price: { amount: 1999, currency: 'USD' },
    categoryId: '',
    imageUrl: '',
    status: 'active',
  });
  t.like(await t.throwsAsync(client.call('GetProduct', { id: draft.id })), {
    kind: 'not-found',
    code: 'PRODUCT.NOT_FOUND',
  });
  const page = await client.call('ListProducts', { q: word, sort: 'name', page: 0, pageSize: 0 });
  t.deepEqual(
    page.items.map((item) => item.id),
    [active.id],
  );
  t.like(page, { page: 1, pageSize: 20, total: 1 });
  t.like(await t.throwsAsync(client.call('ListProducts', { q: word, status: 'draft' })), {
    kind: 'forbidden',
  });
  t.like(await t.throwsAsync(client.call('ListProducts', { pageSize: 101 })), { kind: 'invalid' });
});

test('GetStock is for admins: levels for them, PERMISSION_DENIED for a customer, NOT_FOUND for no product', async (t) => {
  const stocked = await product({ name: 'Stocked', status: 'active' }, 4);
  t.deepEqual(await client.call('GetStock', { productId: stocked.id }, bearer(admin)), {
    productId: stocked.id,
    onHand: 4,
    reserved: 0,
    available: 4,
  });
  t.like(await t.throwsAsync(client.call('GetStock', { productId: stocked.id }, bearer(customer))), {
    kind: 'forbidden',
  });
  t.like(await t.throwsAsync(client.call('GetStock', { productId: randomUUID() }, bearer(admin))), {
    kind: 'not-found',
    code: 'PRODUCT.NOT_FOUND',
  });
});
