import { randomUUID } from 'node:crypto';
import test from 'ava';
import { getOrder, listOrders, OrderListQuery } from '../../../functions/order/order-query/use-case';
import type { Order } from '../../../shared/domain/order/order';
import type { OrderStatus } from '../../../shared/domain/order/order-saga';
import type { Principal } from '../../../shared/domain/user/roles';
import { AppError } from '../../../shared/errors/app-error';
import { memoryOrderRepository } from '../../support/memory/memory-order-repository';

const ADA = randomUUID();
const BOB = randomUUID();
const principal = (userId: string, role: Principal['role']): Principal => ({
  userId,
  role,
  tokenId: randomUUID(),
  sessionId: randomUUID(),
  expiresAt: new Date('2030-01-01T01:00:00Z'),
});
const asCustomer = (userId: string) => principal(userId, 'customer');
const ADMIN = principal(randomUUID(), 'admin');

function anOrder(customerId: string, minute: number, status: OrderStatus = 'PENDING'): Order {
  const at = new Date(Date.UTC(2030, 0, 1, 0, minute));
  return {
    id: randomUUID(),
    customerId,
    status,
    total: { amount: 1000, currency: 'USD' },
    lines: [
      {
        productId: randomUUID(),
        sku: 'MUG-1',
        name: 'Mug',
        unitPrice: { amount: 500, currency: 'USD' },
        quantity: 2,
        lineTotal: { amount: 1000, currency: 'USD' },
      },
    ],
    shippingAddress: { name: 'Ada', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
    createdAt: at,
    updatedAt: at,
  };
}

async function shop() {
  const orders = memoryOrderRepository();
  const placed = [
    anOrder(ADA, 1),
    anOrder(BOB, 2, 'PAID'),
    anOrder(ADA, 3, 'CANCELLED'),
    anOrder(ADA, 4, 'PAID'),
    anOrder(BOB, 5),
  ];
  for (const order of placed) await orders.place(order, { paymentToken: 'tok_visa', events: [] });
  return { orders, placed };
}

const ids = (page: { items: readonly { id: string }[] }) => page.items.map((item) => item.id);
const query = (fields: Record<string, string> = {}) => OrderListQuery.parse(fields);

test('a customer lists their own orders only, newest first, with the total of their own', async (t) => {
  const { orders, placed } = await shop();
  const page = await listOrders(orders, query({ pageSize: '2' }), asCustomer(ADA));
  t.deepEqual(ids(page), [placed[3]?.id, placed[2]?.id]);
  t.like(page, { page: 1, pageSize: 2, total: 3 });
  t.deepEqual(ids(await listOrders(orders, query({ status: 'PAID' }), asCustomer(ADA))), [placed[3]?.id]);
});

test("a customer asking for another customer's orders is 403; for their own id it is their list", async (t) => {
  const { orders } = await shop();
  await t.throwsAsync(listOrders(orders, query({ userId: BOB }), asCustomer(ADA)), {
    instanceOf: AppError,
    code: 'AUTH.FORBIDDEN',
  });
  t.is((await listOrders(orders, query({ userId: ADA }), asCustomer(ADA))).total, 3);
});

test('an admin lists every order, or one customer, by status and placement time', async (t) => {
  const { orders, placed } = await shop();
  t.is((await listOrders(orders, query(), ADMIN)).total, 5);
  t.deepEqual(ids(await listOrders(orders, query({ userId: BOB }), ADMIN)), [placed[4]?.id, placed[1]?.id]);
  t.deepEqual(ids(await listOrders(orders, query({ status: 'PAID' }), ADMIN)), [
    placed[3]?.id,
    placed[1]?.id,
  ]);
  const window = query({ from: '2030-01-01T00:02:00Z', to: '2030-01-01T00:04:00Z' });
  t.deepEqual(
    ids(await listOrders(orders, window, ADMIN)),
    [placed[2]?.id, placed[1]?.id],
    'from included, to not',
  );
});

test('an order is shown to its customer and to admins; to anyone else it is 404, as an unknown one', async (t) => {
  const { orders, placed } = await shop();
  const adas = placed[0] as Order;
  t.like(await getOrder(orders, adas.id, asCustomer(ADA)), { id: adas.id, status: 'PENDING', payment: null });
  t.like(await getOrder(orders, adas.id, ADMIN), { id: adas.id });
  for (const attempt of [getOrder(orders, adas.id, asCustomer(BOB)), getOrder(orders, randomUUID(), ADMIN)]) {
    await t.throwsAsync(attempt, { instanceOf: AppError, code: 'ORDER.NOT_FOUND' });
  }
});
