// What the order service's use cases rely on from OrderRepository, for any implementation: the SQL adapter
// (functions/order/sql-order-repository.ts) on MariaDB and SQLite, and the memory fake the unit tests of
// place-order, advance-order, capture-payment and order-query run on (test/support/memory/).
import { randomUUID } from 'node:crypto';
import test from 'ava';
import { orderService } from '../../functions/order/service';
import { sqlOrderRepository } from '../../functions/order/sql-order-repository';
import { sqlPaymentLedger } from '../../functions/order/sql-payment-ledger';
import type { DomainEvent, NewDomainEvent } from '../../shared/domain/domain-event';
import type { Order } from '../../shared/domain/order/order';
import type { OrderRepository } from '../../shared/domain/order/order-ports';
import type { OrderStatus } from '../../shared/domain/order/order-saga';
import type { PaymentLedger } from '../../shared/domain/order/payment-ports';
import type { Outbox } from '../../shared/kit/outbox';
import { migrateServiceDatabase } from '../../shared/kit/service-schema';
import { appendToOutbox } from '../../shared/outbox/append-to-outbox';
import { outboxModel } from '../../shared/outbox/outbox-model';
import { memoryOrderRepository } from '../support/memory/memory-order-repository';
import { memoryPaymentLedger } from '../support/memory/memory-payment-ledger';
import { sqlFixture, type Dialect } from '../support/sql-fixture';

interface OrderStore {
  readonly orders: OrderRepository;
  /** The payment ledger over the same store: capture-payment's reads and writes, which move its orders too. */
  readonly payments: PaymentLedger;
  /** The events recorded about order `subject`, in the order recorded. */
  readonly recorded: (subject: string) => Promise<DomainEvent[]>;
  readonly close: () => Promise<void>;
}

const T0 = Date.parse('2030-03-01T10:00:00.123Z');
const at = (offsetMs: number) => new Date(T0 + offsetMs);

function anOrder(overrides: Partial<Order> = {}): Order {
  return {
    id: randomUUID(),
    customerId: randomUUID(),
    status: 'PENDING',
    total: { amount: 2750, currency: 'EUR' },
    lines: [
      {
        productId: randomUUID(),
        sku: 'MUG-1',
        name: 'Mug',
        unitPrice: { amount: 1250, currency: 'EUR' },
        quantity: 2,
        lineTotal: { amount: 2500, currency: 'EUR' },
      },
      {
        productId: randomUUID(),
        sku: 'TEA-9',
        name: 'Tea',
        unitPrice: { amount: 250, currency: 'EUR' },
        quantity: 1,
        lineTotal: { amount: 250, currency: 'EUR' },
      },
    ],
    shippingAddress: {
      name: 'Ada Lovelace',
      line1: '12 St James Square',
      line2: 'Flat 3',
      city: 'London',
      postalCode: 'SW1Y 4JH',
      country: 'GB',
    },
    createdAt: at(0),
    updatedAt: at(0),
    ...overrides,
  };
}

const orderEvent = (order: Order, n: number): NewDomainEvent => ({
  id: randomUUID(),
  type: 'com.ecom.order.tested',
  source: '/ecom/order/test',
  subject: order.id,
  partitionKey: order.id,
  time: at(n),
  data: { orderId: order.id, n },
});

const place = (orders: OrderRepository, order: Order, events: readonly NewDomainEvent[] = []) =>
  orders.place(order, { paymentToken: 'tok_visa', events });

function orderRepositoryContract(title: string, open: () => Promise<OrderStore>): void {
  const opened: Promise<OrderStore>[] = [];
  const fresh = () => {
    const store = open();
    opened.push(store);
    return store;
  };
  let shared: Promise<OrderStore> | undefined;
  const store = () => (shared ??= fresh());
  test.after.always(`${title}: drop the databases`, async () => {
    await Promise.all(opened.map(async (opening) => (await opening).close()));
  });

  test(`${title}: a placed order reads back whole by id, its events recorded with it in order`, async (t) => {
    const { orders, recorded } = await store();
    const order = anOrder();
    const events = [orderEvent(order, 1), orderEvent(order, 2)];
    t.deepEqual(await place(orders, order, events), { placed: true });
    t.deepEqual(await orders.findById(order.id), order);
    t.deepEqual(await recorded(order.id), events);
  });

  test(`${title}: a placed order's charge is due, with its token and its stored total, until the order ends`, async (t) => {
    const { orders, payments } = await store();
    const chargeDue = (orderId: string) => payments.chargeDue(orderId);
    const order = anOrder();
    await place(orders, order);
    t.deepEqual(await chargeDue(order.id), { token: 'tok_visa', total: order.total });
    const reserved: Order = { ...order, status: 'RESERVED', updatedAt: at(1) };
    t.true(await orders.transition(reserved, 'PENDING', []));
    t.deepEqual(
      await chargeDue(order.id),
      { token: 'tok_visa', total: order.total },
      'RESERVED still awaits it',
    );
    const cancellation = { reason: 'CUSTOMER_REQUEST', at: at(2) } as const;
    t.true(await orders.transition({ ...reserved, status: 'CANCELLED', cancellation }, 'RESERVED', []));
    t.is(await chargeDue(order.id), undefined, 'an ended order has nothing to charge');
    t.is(await chargeDue(randomUUID()), undefined, 'nor has an unknown one');
  });

  test(`${title}: a charge is recorded with the order change it makes, in one store: never one without the other`, async (t) => {
    const { orders, payments, recorded } = await store();
    const order = anOrder({ status: 'RESERVED' });
    await place(orders, order);
    const payment = { status: 'CAPTURED', amount: order.total, reference: 'ch_1' } as const;
    const record = { orderId: order.id, ...payment, settledAt: at(5) };
    const paid: Order = { ...order, status: 'PAID', payment, updatedAt: at(5) };
    const [captured, paidEvent] = [orderEvent(order, 5), orderEvent(order, 6)];

    const moved = await payments.recordCharge(record, [captured, paidEvent], { next: paid, from: 'PENDING' });
    t.is(moved, 'order-moved', 'decided on a status the order has left');
    t.is(await payments.find(order.id), undefined, 'the charge is not recorded without its order change');
    t.deepEqual(await payments.chargeDue(order.id), { token: 'tok_visa', total: order.total });
    t.deepEqual(await recorded(order.id), []);

    t.is(
      await payments.recordCharge(record, [captured, paidEvent], { next: paid, from: 'RESERVED' }),
      'recorded',
    );
    t.deepEqual(await orders.findById(order.id), paid);
    t.like(await payments.find(order.id), { status: 'CAPTURED', reference: 'ch_1' });
    t.is(await payments.chargeDue(order.id), undefined, 'the token went with the charge');
    t.deepEqual(await recorded(order.id), [captured, paidEvent]);

    // A concurrent delivery that decided on the same status: its order change rolls back with its record.
    const again: Order = { ...paid, updatedAt: at(9) };
    const late = orderEvent(order, 9);
    t.is(
      await payments.recordCharge({ ...record, reference: 'ch_2' }, [late], { next: again, from: 'PAID' }),
      'duplicate',
    );
    t.deepEqual(await orders.findById(order.id), paid, 'the order change rolled back');
    t.like(await payments.find(order.id), { reference: 'ch_1' });
    t.deepEqual(await recorded(order.id), [captured, paidEvent]);
    t.is(await payments.recordCharge(record, [late]), 'duplicate', 'nor is a record alone stored twice');
  });

  test(`${title}: an unknown id finds nothing, and does not transition`, async (t) => {
    const { orders, recorded } = await store();
    const ghost = anOrder();
    t.is(await orders.findById(ghost.id), undefined);
    t.false(await orders.transition({ ...ghost, status: 'RESERVED' }, 'PENDING', [orderEvent(ghost, 1)]));
    t.is(await orders.findById(ghost.id), undefined);
    t.deepEqual(await recorded(ghost.id), []);
  });

  test(`${title}: a placement's key names its order; the key again stores nothing and answers what it names`, async (t) => {
    const { orders, recorded } = await store();
    const first = anOrder();
    const idempotency = { key: `key-${randomUUID()}`, requestDigest: 'digest-1' };
    t.is(await orders.findByKey(first.customerId, idempotency.key), undefined);
    await orders.place(first, { paymentToken: 'tok_visa', idempotency, events: [orderEvent(first, 1)] });
    const named = { orderId: first.id, requestDigest: 'digest-1' };
    t.deepEqual(await orders.findByKey(first.customerId, idempotency.key), named);

    const again = anOrder({ customerId: first.customerId });
    const outcome = await orders.place(again, {
      paymentToken: 'tok_visa',
      idempotency: { key: idempotency.key, requestDigest: 'digest-2' },
      events: [orderEvent(again, 1)],
    });
    t.deepEqual(outcome, { placed: false, existing: named });
    t.is(await orders.findById(again.id), undefined);
    t.deepEqual(await recorded(again.id), []);
    t.deepEqual(
      await orders.findByKey(first.customerId, idempotency.key),
      named,
      'the key still names the first',
    );

    const someoneElse = anOrder();
    const theirs = { key: idempotency.key, requestDigest: 'digest-3' };
    t.deepEqual(
      await orders.place(someoneElse, { paymentToken: 'tok_visa', idempotency: theirs, events: [] }),
      { placed: true },
      "a key is the customer's own",
    );
    t.deepEqual(await orders.findByKey(someoneElse.customerId, idempotency.key), {
      orderId: someoneElse.id,
      requestDigest: 'digest-3',
    });
  });

  test(`${title}: of two concurrent placements with one key, one places and the other answers its order`, async (t) => {
    const { orders } = await store();
    const customerId = randomUUID();
    const [a, b] = [anOrder({ customerId }), anOrder({ customerId })];
    const idempotency = { key: `key-${randomUUID()}`, requestDigest: 'digest' };
    const outcomes = await Promise.all(
      [a, b].map((order) => orders.place(order, { paymentToken: 'tok_visa', idempotency, events: [] })),
    );
    const winner = outcomes[0]?.placed ? a : b;
    const loser = winner === a ? b : a;
    t.deepEqual(
      [...outcomes].sort((x, y) => Number(y.placed) - Number(x.placed)),
      [{ placed: true }, { placed: false, existing: { orderId: winner.id, requestDigest: 'digest' } }],
    );
    t.deepEqual(await orders.findById(winner.id), winner);
    t.is(await orders.findById(loser.id), undefined);
  });

  test(`${title}: transition is a compare-and-set on the status`, async (t) => {
    const { orders, recorded } = await store();
    const order = anOrder();
    await place(orders, order);
    const reserved: Order = { ...order, status: 'RESERVED', updatedAt: at(1000) };
    const events = [orderEvent(order, 1)];
    t.true(await orders.transition(reserved, 'PENDING', events));
    t.deepEqual(await orders.findById(order.id), reserved);
    t.deepEqual(await recorded(order.id), events);

    const cancelled: Order = {
      ...order,
      status: 'CANCELLED',
      cancellation: { reason: 'OUT_OF_STOCK', at: at(2000) },
      updatedAt: at(2000),
    };
    t.false(await orders.transition(cancelled, 'PENDING', [orderEvent(order, 2)]), 'no longer PENDING');
    t.deepEqual(await orders.findById(order.id), reserved, 'nothing stored');
    t.deepEqual(await recorded(order.id), events, 'nor recorded');
  });

  test(`${title}: every field the saga sets reads back, step by step`, async (t) => {
    const { orders } = await store();
    const order = anOrder();
    await place(orders, order);
    const payment = {
      status: 'CAPTURED',
      amount: { amount: 2750, currency: 'EUR' },
      reference: 'pay_123',
    } as const;
    const steps: [OrderStatus, Order][] = [
      ['PENDING', { ...order, status: 'RESERVED', updatedAt: at(1000) }],
      ['RESERVED', { ...order, status: 'PAID', payment, updatedAt: at(2000) }],
      [
        'PAID',
        {
          ...order,
          status: 'SHIPPED',
          payment,
          shipment: { carrier: 'DHL', trackingNumber: 'JD0123', shippedAt: at(3000) },
          updatedAt: at(3000),
        },
      ],
      [
        'SHIPPED',
        {
          ...order,
          status: 'DELIVERED',
          payment,
          shipment: { carrier: 'DHL', trackingNumber: 'JD0123', shippedAt: at(3000) },
          deliveredAt: at(4000),
          updatedAt: at(4000),
        },
      ],
    ];
    for (const [from, next] of steps) {
      t.true(await orders.transition(next, from, []), `${from} -> ${next.status}`);
      t.deepEqual(await orders.findById(order.id), next);
    }

    const other = anOrder();
    await place(orders, other);
    const cancelling: Order = {
      ...other,
      status: 'CANCELLING',
      payment: { status: 'CAPTURED', amount: other.total, reference: 'pay_456' },
      cancellation: { reason: 'CUSTOMER_REQUEST', at: at(5000) },
      updatedAt: at(5000),
    };
    t.true(await orders.transition(cancelling, 'PENDING', []));
    t.deepEqual(await orders.findById(other.id), cancelling);
    const refunded: Order = {
      ...cancelling,
      status: 'CANCELLED',
      payment: { status: 'REFUNDED', amount: other.total, reference: 'pay_456' },
      updatedAt: at(6000),
    };
    t.true(await orders.transition(refunded, 'CANCELLING', []));
    t.deepEqual(await orders.findById(other.id), refunded);
  });

  test(`${title}: of two concurrent transitions from one status, exactly one wins`, async (t) => {
    const { orders, recorded } = await store();
    const order = anOrder();
    await place(orders, order);
    const reserved: Order = { ...order, status: 'RESERVED', updatedAt: at(1000) };
    const cancelled: Order = {
      ...order,
      status: 'CANCELLED',
      cancellation: { reason: 'CUSTOMER_REQUEST', at: at(1000) },
      updatedAt: at(1000),
    };
    const [reserveEvent, cancelEvent] = [orderEvent(order, 1), orderEvent(order, 2)];
    const outcomes = await Promise.all([
      orders.transition(reserved, 'PENDING', [reserveEvent]),
      orders.transition(cancelled, 'PENDING', [cancelEvent]),
    ]);
    t.deepEqual([...outcomes].sort(), [false, true]);
    const [won, event] = outcomes[0] ? [reserved, reserveEvent] : [cancelled, cancelEvent];
    t.deepEqual(await orders.findById(order.id), won);
    t.deepEqual(await recorded(order.id), [event], "only the winner's events");
  });

  test(`${title}: list pages newest first (ties by id) with the total, narrowed by customer, status and time`, async (t) => {
    const { orders } = await fresh();
    const [ada, bob] = [randomUUID(), randomUUID()];
    const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
    const o = {
      adaOld: anOrder({ id: id(5), customerId: ada, createdAt: at(0), updatedAt: at(0) }),
      bobTieB: anOrder({
        id: id(2),
        customerId: bob,
        status: 'PAID',
        createdAt: at(1000),
        updatedAt: at(9000),
      }),
      adaTieA: anOrder({
        id: id(1),
        customerId: ada,
        status: 'PAID',
        createdAt: at(1000),
        updatedAt: at(1000),
      }),
      adaNew: anOrder({ id: id(3), customerId: ada, createdAt: at(2000), updatedAt: at(2000) }),
      bobNew: anOrder({
        id: id(4),
        customerId: bob,
        status: 'CANCELLED',
        createdAt: at(3000),
        updatedAt: at(3000),
      }),
    };
    for (const order of [o.adaTieA, o.bobNew, o.adaOld, o.bobTieB, o.adaNew]) await place(orders, order);
    const all = [o.bobNew, o.adaNew, o.adaTieA, o.bobTieB, o.adaOld];

    t.deepEqual(await orders.list({}, { page: 1, pageSize: 100 }), { items: all, total: 5 });
    t.deepEqual(await orders.list({}, { page: 1, pageSize: 2 }), { items: all.slice(0, 2), total: 5 });
    t.deepEqual(await orders.list({}, { page: 2, pageSize: 2 }), { items: all.slice(2, 4), total: 5 });
    t.deepEqual(await orders.list({}, { page: 3, pageSize: 2 }), { items: all.slice(4), total: 5 });
    t.deepEqual(await orders.list({}, { page: 4, pageSize: 2 }), { items: [], total: 5 });
    t.deepEqual(await orders.list({ customerId: ada }, { page: 1, pageSize: 10 }), {
      items: [o.adaNew, o.adaTieA, o.adaOld],
      total: 3,
    });
    t.deepEqual(await orders.list({ status: 'PAID' }, { page: 1, pageSize: 10 }), {
      items: [o.adaTieA, o.bobTieB],
      total: 2,
    });
    t.deepEqual(
      await orders.list({ from: at(1000), to: at(3000) }, { page: 1, pageSize: 10 }),
      { items: [o.adaNew, o.adaTieA, o.bobTieB], total: 3 },
      'from is inclusive, to exclusive',
    );
    t.deepEqual(
      await orders.list(
        { customerId: bob, status: 'PAID', from: at(1000), to: at(1001) },
        { page: 1, pageSize: 10 },
      ),
      { items: [o.bobTieB], total: 1 },
    );
    t.deepEqual(await orders.list({ customerId: randomUUID() }, { page: 1, pageSize: 10 }), {
      items: [],
      total: 0,
    });
  });
}

orderRepositoryContract('memory', () => {
  const orders = memoryOrderRepository();
  return Promise.resolve({
    orders,
    payments: memoryPaymentLedger(orders),
    recorded: (subject) => Promise.resolve(orders.outbox.events.filter((event) => event.subject === subject)),
    close: () => Promise.resolve(),
  });
});

/** The SQL adapter on a fresh order service database, migrated by the kit, with the kit's outbox table. */
async function openSql(dialect: Dialect): Promise<OrderStore> {
  const fixture = await sqlFixture(dialect, 'test_order_repository');
  const { sequelize } = fixture;
  await migrateServiceDatabase(orderService, fixture.target, sequelize);
  const outbox: Outbox = { append: (transaction, events) => appendToOutbox(sequelize, transaction, events) };
  const OutboxRow = outboxModel(sequelize);
  return {
    orders: sqlOrderRepository({ sequelize, outbox }),
    payments: sqlPaymentLedger({ sequelize, outbox }),
    async recorded(subject) {
      const rows = await OutboxRow.findAll({ where: { subject }, order: [['seq', 'ASC']] });
      return rows.map((row) => row.toEvent());
    },
    close: () => fixture.drop(),
  };
}

orderRepositoryContract('sqlite', () => openSql('sqlite'));
orderRepositoryContract('mariadb', () => openSql('mysql'));
