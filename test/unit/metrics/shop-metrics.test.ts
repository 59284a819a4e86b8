// The shop's counters (shared/metrics/shop-metrics.ts) as the functions record them: through their stores
// (functions/order/order-metrics.ts, functions/product/inventory-metrics.ts) wrapped around the in-memory ones, driven
// by the real use cases. A change counts once it is stored; a replay, a redelivery or a late step counts nothing.
import { randomUUID } from 'node:crypto';
import test from 'ava';
import { OrderPlaced } from '../../../events/order-placed';
import { advanceOrder } from '../../../functions/order/advance-order/use-case';
import { cancelOrder } from '../../../functions/order/cancel-order/use-case';
import { capturePayment } from '../../../functions/order/capture-payment/use-case';
import { expireOrders } from '../../../functions/order/expire-orders/use-case';
import { countedOrders, countedPayments } from '../../../functions/order/order-metrics';
import { placeOrder } from '../../../functions/order/place-order/use-case';
import { countedInventory } from '../../../functions/product/inventory-metrics';
import { onOrderPlaced } from '../../../functions/product/reserve-inventory/use-case';
import { PlaceOrderInput, type Order } from '../../../shared/domain/order/order';
import type { Principal } from '../../../shared/domain/user/roles';
import { globalTestMetrics } from '../../support/global-test-metrics';
import { memoryInventoryStore } from '../../support/memory/memory-inventory-store';
import { memoryLogger } from '../../support/memory/memory-logger';
import { memoryOrderRepository } from '../../support/memory/memory-order-repository';
import { memoryPaymentGateway } from '../../support/memory/memory-payment-gateway';
import { memoryPaymentLedger } from '../../support/memory/memory-payment-ledger';
import { testClock } from '../../support/memory/test-clock';
import { testOrder } from '../../support/memory/test-order';

const NOW = '2030-01-01T10:00:00.000Z';
const MUG = randomUUID();

const telemetry = globalTestMetrics();
test.beforeEach(() => telemetry.on());
test.after.always(() => telemetry.off());

/** The points of `metric`: each one's attributes and value. */
const counted = async (metric: string) =>
  (await telemetry.points(metric)).map(({ attributes, value }) => ({ attributes, value }));

const customer = (userId: string = randomUUID()): Principal => ({
  userId,
  role: 'customer',
  tokenId: randomUUID(),
  sessionId: randomUUID(),
  expiresAt: new Date('2030-01-01T11:00:00.000Z'),
});

/**
 * An order stored as it stands in `state` with its payment token, and the ports of the steps and of its charge over
 * the counting stores.
 */
async function withOrder(state: Partial<Order> = {}, token = 'tok_visa') {
  const memory = memoryOrderRepository();
  const order = testOrder(state);
  // Stored straight into memory: the setup is not an order placed.
  await memory.place(order, { paymentToken: token, events: [] });
  const ports = {
    orders: countedOrders(memory),
    payments: countedPayments(memoryPaymentLedger(memory)),
    gateway: memoryPaymentGateway(),
    now: testClock(NOW).now,
    logger: memoryLogger(),
  };
  const reservation = { orderId: order.id, reservedAt: new Date(NOW) };
  return { order, ports, reservation };
}

test.serial('an order placed counts once: its Idempotency-Key replayed counts nothing', async (t) => {
  const orders = countedOrders(memoryOrderRepository());
  const catalog = {
    quote: () =>
      Promise.resolve(
        new Map([
          [
            MUG,
            {
              productId: MUG,
              sku: 'MUG-1',
              name: 'Mug',
              unitPrice: { amount: 1250, currency: 'USD' },
              sellable: true,
            },
          ],
        ]),
      ),
  };
  const deps = { orders, catalog, now: testClock(NOW).now, maxQuantityPerLine: 20 };
  const input = PlaceOrderInput.parse({
    items: [{ productId: MUG, quantity: 1 }],
    shippingAddress: { name: 'Ada', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
    paymentToken: 'tok_visa',
  });
  const caller = { customerId: randomUUID(), authorization: 'Bearer token' };
  t.false((await placeOrder(deps, input, caller, 'key-1')).replayed);
  t.true((await placeOrder(deps, input, caller, 'key-1')).replayed);
  await placeOrder(deps, input, caller);
  t.deepEqual(await counted('ecom.orders.placed'), [{ attributes: {}, value: 2 }]);
});

test.serial(
  'a customer cancelling counts CUSTOMER_REQUEST once; cancelling again counts nothing',
  async (t) => {
    const { order, ports } = await withOrder({ status: 'RESERVED' });
    const owner = customer(order.customerId);
    t.is((await cancelOrder(ports, order.id, owner)).status, 'CANCELLED');
    t.is((await cancelOrder(ports, order.id, owner)).status, 'CANCELLED');
    t.deepEqual(await counted('ecom.orders.cancelled'), [
      { attributes: { 'ecom.order.cancel_reason': 'CUSTOMER_REQUEST' }, value: 1 },
    ]);
  },
);

test.serial(
  'a paid order counts once; cancelled, it counts when its refund is back, for its reason',
  async (t) => {
    const { order, ports, reservation } = await withOrder({ status: 'RESERVED' });
    t.is(await capturePayment(ports, reservation), 'processed');
    t.is(await capturePayment(ports, reservation), 'duplicate', 'a redelivery');
    t.deepEqual(await counted('ecom.orders.paid'), [{ attributes: {}, value: 1 }]);

    t.is((await cancelOrder(ports, order.id, customer(order.customerId))).status, 'CANCELLING');
    t.deepEqual(await counted('ecom.orders.cancelled'), [], 'not yet: its refund is under way');
    t.is(await advanceOrder(ports, order.id, { kind: 'payment-refunded', reference: 're_1' }), 'processed');
    t.deepEqual(await counted('ecom.orders.cancelled'), [
      { attributes: { 'ecom.order.cancel_reason': 'CUSTOMER_REQUEST' }, value: 1 },
    ]);
  },
);

test.serial('the saga and the expiry count their own reasons', async (t) => {
  const declined = await withOrder({ status: 'RESERVED' }, 'tok_chargeDeclined');
  await capturePayment(declined.ports, declined.reservation);
  const short = await withOrder({ status: 'PENDING' });
  await advanceOrder(short.ports, short.order.id, { kind: 'stock-rejected' });
  await advanceOrder(short.ports, short.order.id, { kind: 'stock-rejected' });
  const stale = await withOrder({ status: 'PENDING' });
  t.is(await expireOrders(stale.ports, 30), 1);
  t.deepEqual(
    (await counted('ecom.orders.cancelled')).sort((a, b) =>
      String(a.attributes['ecom.order.cancel_reason']).localeCompare(
        String(b.attributes['ecom.order.cancel_reason']),
      ),
    ),
    [
      { attributes: { 'ecom.order.cancel_reason': 'EXPIRED' }, value: 1 },
      { attributes: { 'ecom.order.cancel_reason': 'OUT_OF_STOCK' }, value: 1 },
      { attributes: { 'ecom.order.cancel_reason': 'PAYMENT_DECLINED' }, value: 1 },
    ],
  );
});

test.serial('a declined charge counts by its code once; a captured one is no decline', async (t) => {
  const charge = async (token: string) => {
    const { ports, reservation } = await withOrder({ status: 'RESERVED' }, token);
    t.is(await capturePayment(ports, reservation), 'processed');
    t.is(await capturePayment(ports, reservation), 'duplicate');
  };
  await charge('tok_chargeDeclined');
  await charge('tok_visa');
  t.deepEqual(await counted('ecom.payments.declined'), [
    { attributes: { 'ecom.payment.decline_code': 'card_declined' }, value: 1 },
  ]);
});

test.serial('a reservation rejected counts once; one made counts nothing', async (t) => {
  const store = memoryInventoryStore();
  store.addProduct(MUG, { onHand: 1 });
  const ports = { inventory: countedInventory(store), now: testClock(NOW).now };
  const placed = (quantity: number) =>
    OrderPlaced.data.parse({
      orderId: randomUUID(),
      customerId: randomUUID(),
      lines: [{ productId: MUG, quantity }],
      placedAt: NOW,
    });
  const tooMany = placed(5);
  t.is(await onOrderPlaced(ports, tooMany), 'processed');
  t.is(await onOrderPlaced(ports, tooMany), 'duplicate', 'a redelivery');
  t.is(await onOrderPlaced(ports, placed(1)), 'processed');
  t.deepEqual(await counted('ecom.inventory.reservations_rejected'), [{ attributes: {}, value: 1 }]);
});
