// The order service's gRPC sidecar, served as its process serves it, through the typed client: an order to its
// customer or an admin (as GET /v1/orders/{id} answers it), and the lists of GET /v1/orders with their rules.
import { randomUUID } from 'node:crypto';
import test from 'ava';
import { ORDER_GRPC_SERVICE } from '../../functions/order/order-grpc/function';
import type { OrderServiceDefinition } from '../../proto/generated/ecom/order/v1/OrderService';
import { createGrpcClient, type GrpcClient } from '../../shared/grpc/grpc-client';
import { loadProto } from '../../shared/grpc/load-proto';
import { startOrderService, type OrderServiceUnderTest } from '../support/order-service';

let api: OrderServiceUnderTest;
let admin: string;
let mug: { id: string; sku: string };
let client: GrpcClient<OrderServiceDefinition>;

test.before(async () => {
  api = await startOrderService();
  admin = await api.products.adminToken();
  const created = await api.products.call('POST', '/v1/products', {
    token: admin,
    body: {
      sku: `OGRPC-${randomUUID().slice(0, 8)}`,
      name: 'gRPC mug',
      status: 'active',
      price: { amount: 1250, currency: 'USD' },
    },
  });
  if (created.status !== 201) throw new Error(`product: ${String(created.status)} ${await created.text()}`);
  mug = (await created.json()) as { id: string; sku: string };
  client = createGrpcClient<OrderServiceDefinition>({
    proto: await loadProto('order.proto'),
    service: ORDER_GRPC_SERVICE,
    address: api.grpcAddress('order-grpc'),
  });
});
test.after.always(async () => {
  client.close();
  await api.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const subjectOf = (token: string) =>
  (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { sub: string }).sub;

const ADDRESS = { name: 'Ada', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' };

/** Places an order as the customer of `token` over HTTP; its id. */
async function placedBy(token: string, quantity = 2): Promise<string> {
  const response = await api.call('POST', '/v1/orders', {
    token,
    body: { items: [{ productId: mug.id, quantity }], shippingAddress: ADDRESS, paymentToken: 'tok_visa' },
  });
  if (response.status !== 201) throw new Error(`place: ${String(response.status)} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

/** The HTTP answer of an order as the proto's message decodes: empty strings for the fields proto3 cannot leave out. */
function asMessage(order: { shippingAddress: Record<string, unknown> } & Record<string, unknown>) {
  return { ...order, shippingAddress: { line2: '', region: '', ...order.shippingAddress } };
}

test('GetOrder answers its customer the order exactly as GET /v1/orders/{id} does', async (t) => {
  const ada = await api.products.customerToken();
  const id = await placedBy(ada);
  const http = await api.call('GET', `/v1/orders/${id}`, { token: ada });
  t.is(http.status, 200);
  const expected = asMessage((await http.json()) as { shippingAddress: Record<string, unknown> });
  const answer = await client.call('GetOrder', { id }, bearer(ada));
  t.deepEqual(answer, expected);
  t.like(answer, {
    id,
    customerId: subjectOf(ada),
    status: 'PENDING',
    total: { amount: 2500, currency: 'USD' },
    payment: null,
    shipment: null,
    cancellation: null,
  });
  t.deepEqual(answer.items, [
    {
      productId: mug.id,
      sku: mug.sku,
      name: 'gRPC mug',
      unitPrice: { amount: 1250, currency: 'USD' },
      quantity: 2,
      lineTotal: { amount: 2500, currency: 'USD' },
    },
  ]);
});

test('GetOrder: another customer and an unknown id get the same NOT_FOUND; an admin gets the order', async (t) => {
  const ada = await api.products.customerToken();
  const bob = await api.products.customerToken();
  const id = await placedBy(ada);
  t.like(await client.call('GetOrder', { id }, bearer(admin)), { id, customerId: subjectOf(ada) });
  const foreign = await t.throwsAsync(client.call('GetOrder', { id }, bearer(bob)));
  const unknown = await t.throwsAsync(client.call('GetOrder', { id: randomUUID() }, bearer(bob)));
  t.like(foreign, { kind: 'not-found', code: 'ORDER.NOT_FOUND' });
  t.like(unknown, { kind: 'not-found', code: 'ORDER.NOT_FOUND' });
  t.is(foreign.message, unknown.message, 'nothing tells an existing order from an unknown one');
  t.like(await t.throwsAsync(client.call('GetOrder', { id: randomUUID() }, bearer(admin))), {
    kind: 'not-found',
  });
});

test('GetOrder needs a signed-in caller and a UUID', async (t) => {
  const ada = await api.products.customerToken();
  const id = await placedBy(ada);
  t.like(await t.throwsAsync(client.call('GetOrder', { id })), {
    kind: 'unauthenticated',
    code: 'AUTH.MISSING_TOKEN',
  });
  for (const bad of ['not-a-uuid', '']) {
    t.like(await t.throwsAsync(client.call('GetOrder', { id: bad }, bearer(ada))), { kind: 'invalid' }, bad);
  }
});

test("ListOrders gives a customer only their own, newest first; naming another customer's is PERMISSION_DENIED", async (t) => {
  const ada = await api.products.customerToken();
  const bob = await api.products.customerToken();
  const first = await placedBy(ada);
  const second = await placedBy(ada, 1);
  await placedBy(bob);
  const own = await client.call('ListOrders', {}, bearer(ada));
  t.deepEqual(
    own.items.map((item) => item.id),
    [second, first],
  );
  t.like(own, { page: 1, pageSize: 20, total: 2 });
  t.true(own.items.every((item) => item.customerId === subjectOf(ada)));
  t.is((await client.call('ListOrders', { userId: subjectOf(ada) }, bearer(ada))).total, 2);
  t.like(await t.throwsAsync(client.call('ListOrders', { userId: subjectOf(bob) }, bearer(ada))), {
    kind: 'forbidden',
  });
  t.is((await client.call('ListOrders', { status: 'SHIPPED' }, bearer(ada))).total, 0);
  t.like(await t.throwsAsync(client.call('ListOrders', {})), { kind: 'unauthenticated' });
});

test("ListOrders gives an admin anyone's, filtered by customer, status and time, a page at a time", async (t) => {
  const ada = await api.products.customerToken();
  const bob = await api.products.customerToken();
  const placed = [await placedBy(ada), await placedBy(ada), await placedBy(ada)];
  const bobs = await placedBy(bob);
  const newestFirst = [...placed].reverse();

  const first = await client.call('ListOrders', { userId: subjectOf(ada), pageSize: 2 }, bearer(admin));
  t.like(first, { page: 1, pageSize: 2, total: 3 });
  const second = await client.call(
    'ListOrders',
    { userId: subjectOf(ada), page: 2, pageSize: 2 },
    bearer(admin),
  );
  t.like(second, { page: 2, pageSize: 2, total: 3 });
  t.deepEqual(
    [...first.items, ...second.items].map((item) => item.id),
    newestFirst,
  );
  const past = await client.call(
    'ListOrders',
    { userId: subjectOf(ada), page: 3, pageSize: 2 },
    bearer(admin),
  );
  t.deepEqual(past.items, []);
  t.is(past.total, 3);

  const bobsPending = await client.call(
    'ListOrders',
    { userId: subjectOf(bob), status: 'PENDING' },
    bearer(admin),
  );
  t.deepEqual(
    bobsPending.items.map((item) => item.id),
    [bobs],
  );
  t.is(
    (await client.call('ListOrders', { userId: subjectOf(bob), status: 'CANCELLED' }, bearer(admin))).total,
    0,
  );
  t.is((await client.call('ListOrders', { status: 'PENDING', pageSize: 1 }, bearer(admin))).items.length, 1);
  const later = new Date(Date.now() + 60_000).toISOString();
  t.is((await client.call('ListOrders', { userId: subjectOf(ada), from: later }, bearer(admin))).total, 0);
  t.is((await client.call('ListOrders', { userId: subjectOf(ada), to: later }, bearer(admin))).total, 3);

  for (const bad of [{ status: 'LOST' }, { userId: 'nobody' }, { from: 'yesterday' }, { pageSize: 101 }]) {
    t.like(
      await t.throwsAsync(client.call('ListOrders', bad, bearer(admin))),
      { kind: 'invalid' },
      JSON.stringify(bad),
    );
  }
});
