import { isDeepStrictEqual } from 'node:util';
import test, { type ExecutionContext } from 'ava';
import { OrderCancelled } from '../../../events/order-cancelled';
import { OrderPlaced } from '../../../events/order-placed';
import { OrderShipped } from '../../../events/order-shipped';
import {
  onOrderCancelled,
  onOrderPlaced,
  onOrderShipped,
  type ReservePorts,
} from '../../../functions/product/reserve-inventory/use-case';
import type { Handled } from '../../../shared/domain/once-per-event';
import type { StockLine } from '../../../shared/domain/product/inventory';
import type { InventoryStore } from '../../../shared/domain/product/product-ports';
import { AppError, isAppError } from '../../../shared/errors/app-error';
import { memoryInventoryStore, type MemoryStockSetup } from '../../support/memory/memory-inventory-store';
import { testClock } from '../../support/memory/test-clock';

const NOW = '2030-01-01T09:30:00.250Z';
const SOURCE = '/ecom/product/reserve-inventory';
const CUSTOMER = '00000000-0000-4000-8000-0000000000c1';
const P1 = '00000000-0000-4000-8000-000000000001';
const P2 = '00000000-0000-4000-8000-000000000002';
const P3 = '00000000-0000-4000-8000-000000000003';
const orderId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const O1 = orderId(101);
const O2 = orderId(102);
const O3 = orderId(103);
const O4 = orderId(104);

function setup(products: Record<string, MemoryStockSetup>) {
  const clock = testClock(NOW);
  const store = memoryInventoryStore();
  for (const [productId, stock] of Object.entries(products)) store.addProduct(productId, stock);
  const ports: ReservePorts = { inventory: store, now: clock.now };
  return { clock, store, ports };
}

/** The events' data as the runtime hands it over: parsed by the catalog's schemas. */
const placed = (order: string, lines: StockLine[]) =>
  OrderPlaced.data.parse({ orderId: order, customerId: CUSTOMER, lines, placedAt: NOW });
const cancelled = (order: string) =>
  OrderCancelled.data.parse({ orderId: order, reason: 'CUSTOMER_REQUEST', cancelledAt: NOW });
const shipped = (order: string) => OrderShipped.data.parse({ orderId: order, shippedAt: NOW });

const isNotReservedYet = (error: unknown) => isAppError(error) && error.code === 'INVENTORY.NOT_RESERVED_YET';

test('a placement reserves the lines, keeps the record and records com.ecom.inventory.reserved; a redelivery is a duplicate', async (t) => {
  const { store, ports } = setup({
    [P1]: { onHand: 10 },
    [P2]: { onHand: 5, reserved: 1 },
    [P3]: { onHand: 7 },
  });
  const lines = [
    { productId: P2, quantity: 2 },
    { productId: P1, quantity: 3 },
  ];
  t.is(await onOrderPlaced(ports, placed(O1, lines)), 'processed');
  t.deepEqual(await store.levels(P1), { onHand: 10, reserved: 3 });
  t.deepEqual(await store.levels(P2), { onHand: 5, reserved: 3 });
  t.deepEqual(await store.levels(P3), { onHand: 7, reserved: 0 });
  const record = {
    orderId: O1,
    state: 'reserved',
    lines: [
      { productId: P1, quantity: 3 },
      { productId: P2, quantity: 2 },
    ],
  };
  t.deepEqual([...store.reservations], [[O1, record]]);
  const events = [
    {
      id: store.outbox.events[0]?.id ?? '',
      type: 'com.ecom.inventory.reserved',
      source: SOURCE,
      subject: O1,
      partitionKey: O1,
      time: new Date(NOW),
      data: { orderId: O1, lines, reservedAt: NOW },
    },
  ];
  t.deepEqual(store.outbox.events, events);

  t.is(await onOrderPlaced(ports, placed(O1, lines)), 'duplicate');
  t.deepEqual(await store.levels(P1), { onHand: 10, reserved: 3 });
  t.deepEqual([...store.reservations], [[O1, record]]);
  t.deepEqual(store.outbox.events, events);
});

test("each step answers 'processed' once, and 'duplicate' for every delivery that finds nothing to do", async (t) => {
  const { ports } = setup({ [P1]: { onHand: 10 } });
  const one = [{ productId: P1, quantity: 1 }];
  t.deepEqual(
    [
      await onOrderPlaced(ports, placed(O1, one)),
      await onOrderCancelled(ports, cancelled(O1)),
      await onOrderCancelled(ports, cancelled(O1)),
      await onOrderShipped(ports, shipped(O1)),
      await onOrderPlaced(ports, placed(O1, one)),
    ],
    ['processed', 'processed', 'duplicate', 'duplicate', 'duplicate'],
    'placed, then cancelled',
  );
  t.deepEqual(
    [
      await onOrderPlaced(ports, placed(O2, one)),
      await onOrderShipped(ports, shipped(O2)),
      await onOrderShipped(ports, shipped(O2)),
      await onOrderCancelled(ports, cancelled(O2)),
      await onOrderPlaced(ports, placed(O2, one)),
    ],
    ['processed', 'processed', 'duplicate', 'duplicate', 'duplicate'],
    'placed, then shipped',
  );
  t.deepEqual(
    [
      await onOrderCancelled(ports, cancelled(O3)),
      await onOrderCancelled(ports, cancelled(O3)),
      await onOrderPlaced(ports, placed(O3, one)),
      await onOrderShipped(ports, shipped(O3)),
    ],
    ['processed', 'duplicate', 'duplicate', 'duplicate'],
    'cancelled before it was placed',
  );
  t.deepEqual(
    [
      await onOrderPlaced(ports, placed(O4, [{ productId: P1, quantity: 11 }])),
      await onOrderPlaced(ports, placed(O4, [{ productId: P1, quantity: 11 }])),
      await onOrderCancelled(ports, cancelled(O4)),
      await onOrderShipped(ports, shipped(O4)),
    ],
    ['processed', 'duplicate', 'duplicate', 'duplicate'],
    'rejected',
  );
});

test('a cancellation releases the units, with com.ecom.inventory.released naming the lines in product order', async (t) => {
  const { store, ports, clock } = setup({ [P1]: { onHand: 10 }, [P2]: { onHand: 5 } });
  await onOrderPlaced(
    ports,
    placed(O1, [
      { productId: P2, quantity: 2 },
      { productId: P1, quantity: 3 },
    ]),
  );
  clock.advance(60_000);
  t.is(await onOrderCancelled(ports, cancelled(O1)), 'processed');
  t.deepEqual(await store.levels(P1), { onHand: 10, reserved: 0 });
  t.deepEqual(await store.levels(P2), { onHand: 5, reserved: 0 });
  t.is(store.reservations.get(O1)?.state, 'released');
  const lines = [
    { productId: P1, quantity: 3 },
    { productId: P2, quantity: 2 },
  ];
  t.deepEqual(store.outbox.events.slice(1), [
    {
      id: store.outbox.events[1]?.id ?? '',
      type: 'com.ecom.inventory.released',
      source: SOURCE,
      subject: O1,
      partitionKey: O1,
      time: clock.now(),
      data: { orderId: O1, lines, releasedAt: clock.now().toISOString() },
    },
  ]);
});

test('a shipment takes the units out of the stock, with com.ecom.inventory.committed', async (t) => {
  const { store, ports, clock } = setup({ [P1]: { onHand: 10, reserved: 1 } });
  await onOrderPlaced(ports, placed(O1, [{ productId: P1, quantity: 4 }]));
  clock.advance(60_000);
  t.is(await onOrderShipped(ports, shipped(O1)), 'processed');
  t.deepEqual(await store.levels(P1), { onHand: 6, reserved: 1 });
  t.is(store.reservations.get(O1)?.state, 'committed');
  t.deepEqual(store.outbox.events.slice(1), [
    {
      id: store.outbox.events[1]?.id ?? '',
      type: 'com.ecom.inventory.committed',
      source: SOURCE,
      subject: O1,
      partitionKey: O1,
      time: clock.now(),
      data: { orderId: O1, lines: [{ productId: P1, quantity: 4 }], committedAt: clock.now().toISOString() },
    },
  ]);
});

test('a shipment before its placement is 503 INVENTORY.NOT_RESERVED_YET and stores nothing; delivered again later, it commits', async (t) => {
  const { store, ports } = setup({ [P1]: { onHand: 10 } });
  const error = await t.throwsAsync(onOrderShipped(ports, shipped(O1)), { instanceOf: AppError });
  t.like(error, { kind: 'unavailable', code: 'INVENTORY.NOT_RESERVED_YET' });
  t.is(store.reservations.size, 0);
  t.deepEqual(store.outbox.events, []);
  t.deepEqual(await store.levels(P1), { onHand: 10, reserved: 0 });

  await onOrderPlaced(ports, placed(O1, [{ productId: P1, quantity: 2 }]));
  t.is(await onOrderShipped(ports, shipped(O1)), 'processed');
  t.deepEqual(await store.levels(P1), { onHand: 8, reserved: 0 });
});

test('a product that is deleted, not active or unknown is short with 0 available, and nothing is reserved', async (t) => {
  const { store, ports } = setup({ [P1]: { onHand: 10 }, [P2]: { onHand: 10 }, [P3]: { onHand: 10 } });
  store.remove(P1);
  store.setSellable(P2, false);
  const unknown = orderId(999);
  const lines = [P1, P2, P3, unknown].map((productId) => ({ productId, quantity: 1 }));
  t.is(await onOrderPlaced(ports, placed(O1, lines)), 'processed');
  t.deepEqual(
    store.outbox.events.map((event) => [event.type, event.data.shortLines]),
    [
      [
        'com.ecom.inventory.rejected',
        [P1, P2, unknown].map((productId) => ({ productId, quantity: 1, available: 0 })),
      ],
    ],
  );
  t.deepEqual(store.reservations.get(O1), { orderId: O1, state: 'rejected', lines: [] });
  t.deepEqual(await store.levels(P3), { onHand: 10, reserved: 0 });

  // Sellable again, the same product is reserved for another order.
  store.setSellable(P2, true);
  t.is(await onOrderPlaced(ports, placed(O2, [{ productId: P2, quantity: 1 }])), 'processed');
  t.deepEqual(await store.levels(P2), { onHand: 10, reserved: 1 });
});

test('the lines of a product deleted after the placement are still released and committed: its row stays', async (t) => {
  const { store, ports } = setup({ [P1]: { onHand: 10 }, [P2]: { onHand: 10 } });
  await onOrderPlaced(
    ports,
    placed(O1, [
      { productId: P1, quantity: 2 },
      { productId: P2, quantity: 1 },
    ]),
  );
  await onOrderPlaced(ports, placed(O2, [{ productId: P1, quantity: 3 }]));
  store.remove(P1);
  t.is(await onOrderCancelled(ports, cancelled(O1)), 'processed');
  t.like(store.rows.get(P1), { onHand: 10, reserved: 3 });
  t.deepEqual(await store.levels(P2), { onHand: 10, reserved: 0 });
  t.is(await onOrderShipped(ports, shipped(O2)), 'processed');
  t.like(store.rows.get(P1), { onHand: 7, reserved: 0 });
  t.is(await store.levels(P1), undefined);
  t.deepEqual(
    store.outbox.events.map((event) => event.type),
    [
      'com.ecom.inventory.reserved',
      'com.ecom.inventory.reserved',
      'com.ecom.inventory.released',
      'com.ecom.inventory.committed',
    ],
  );
});

// --- every delivery order ---------------------------------------------------------------------------------------

type Step = 'placed' | 'cancelled' | 'shipped';

/** Every distinct order of the steps, each `copies` times (the broker's redeliveries): 6!/(3!)^2 = 20 for two steps thrice, 6!/(2!)^3 = 90 for three steps twice. */
function arrangements(steps: readonly Step[], copies: number): Step[][] {
  const left = new Map(steps.map((step) => [step, copies]));
  const out: Step[][] = [];
  const walk = (prefix: Step[]) => {
    if (prefix.length === steps.length * copies) out.push(prefix);
    for (const step of steps) {
      const n = left.get(step) ?? 0;
      if (n === 0) continue;
      left.set(step, n - 1);
      walk([...prefix, step]);
      left.set(step, n);
    }
  };
  walk([]);
  return out;
}

const LINES = [
  { productId: P1, quantity: 3 },
  { productId: P2, quantity: 2 },
];
/** 9 and 4 available: the order takes P2 to its reorder level of 2, so it emits exactly one inventory.low. */
const STOCK = { [P1]: { onHand: 10, reserved: 1 }, [P2]: { onHand: 4, reorderLevel: 2 } };

/**
 * Delivers the steps of one order in the given order, as the broker does: a delivery answered 503 (a shipment before
 * its placement) comes again after the others. Answers what each delivery finally answered.
 */
async function deliver(ports: ReservePorts, order: string, steps: readonly Step[]): Promise<Handled[]> {
  // A redelivery carries the same data: each event is parsed once.
  const data = { placed: placed(order, LINES), cancelled: cancelled(order), shipped: shipped(order) };
  const handle: Record<Step, () => Promise<Handled>> = {
    placed: () => onOrderPlaced(ports, data.placed),
    cancelled: () => onOrderCancelled(ports, data.cancelled),
    shipped: () => onOrderShipped(ports, data.shipped),
  };
  const queue = [...steps];
  const answers: Handled[] = [];
  let deliveries = 0;
  for (let step = queue.shift(); step !== undefined; step = queue.shift()) {
    if ((deliveries += 1) > 100) throw new Error(`${steps.join(',')} never settles`);
    try {
      answers.push(await handle[step]());
    } catch (error) {
      if (!isNotReservedYet(error)) throw error;
      queue.push(step);
    }
  }
  return answers;
}

/**
 * What the saga promises, whatever the order of deliveries: a cancellation delivered before the placement keeps the
 * order from ever reserving; otherwise the placement reserves, and the first of the cancellation or a shipment
 * delivered after it settles the reservation (a shipment before the placement is only taken once reserved).
 */
function expectedOutcome(steps: readonly Step[]): 'never reserved' | 'released' | 'committed' {
  const placedAt = steps.indexOf('placed');
  const cancelledAt = steps.includes('cancelled') ? steps.indexOf('cancelled') : Infinity;
  if (cancelledAt < placedAt) return 'never reserved';
  const shippedAfter = steps.findIndex((step, index) => step === 'shipped' && index > placedAt);
  return cancelledAt < (shippedAfter === -1 ? Infinity : shippedAfter) ? 'released' : 'committed';
}

const OUTCOMES = {
  'never reserved': {
    state: 'released',
    lines: [],
    events: [],
    levels: [
      { onHand: 10, reserved: 1 },
      { onHand: 4, reserved: 0 },
    ],
  },
  released: {
    state: 'released',
    lines: LINES,
    events: ['com.ecom.inventory.reserved', 'com.ecom.inventory.low', 'com.ecom.inventory.released'],
    levels: [
      { onHand: 10, reserved: 1 },
      { onHand: 4, reserved: 0 },
    ],
  },
  committed: {
    state: 'committed',
    lines: LINES,
    events: ['com.ecom.inventory.reserved', 'com.ecom.inventory.low', 'com.ecom.inventory.committed'],
    levels: [
      { onHand: 7, reserved: 1 },
      { onHand: 2, reserved: 0 },
    ],
  },
} as const;

/** Delivers every order of the steps, each on a fresh store, and answers the outcomes seen and the mismatches. */
async function checkEveryOrder(t: ExecutionContext, steps: readonly Step[], copies: number, count: number) {
  const all = arrangements(steps, copies);
  t.is(all.length, count);
  const seen = new Set<string>();
  const wrong: { sequence: string; actual: unknown; expected: unknown }[] = [];
  for (const sequence of all) {
    const { store, ports } = setup(STOCK);
    const answers = await deliver(ports, O1, sequence);
    const outcome = expectedOutcome(sequence);
    seen.add(outcome);
    const settled = outcome === 'never reserved' ? 1 : 2;
    const actual = {
      processed: answers.filter((answer) => answer === 'processed').length,
      duplicates: answers.filter((answer) => answer === 'duplicate').length,
      state: store.reservations.get(O1)?.state,
      lines: store.reservations.get(O1)?.lines,
      events: store.outbox.events.map((event) => event.type),
      levels: [await store.levels(P1), await store.levels(P2)],
    };
    const { state, lines, events, levels } = OUTCOMES[outcome];
    const expected = {
      processed: settled,
      duplicates: sequence.length - settled,
      state,
      lines,
      events,
      levels,
    };
    // One assertion for all of them (ava's diff of each would take seconds); a mismatch shows both sides.
    if (!isDeepStrictEqual(actual, expected))
      wrong.push({ sequence: `${sequence.join(',')}: ${outcome}`, actual, expected });
  }
  t.deepEqual(wrong, []);
  return seen;
}

test('placed and cancelled, each delivered three times, in every order (20): the right levels, each event once', async (t) => {
  const seen = await checkEveryOrder(t, ['placed', 'cancelled'], 3, 20);
  t.deepEqual([...seen].sort(), ['never reserved', 'released']);
});

test('placed and shipped, each delivered three times, in every order (20): the right levels, each event once', async (t) => {
  const seen = await checkEveryOrder(t, ['placed', 'shipped'], 3, 20);
  t.deepEqual([...seen], ['committed']);
});

test('placed, cancelled and shipped, each delivered twice, in every order (90): the one that settles first wins, each event once', async (t) => {
  const seen = await checkEveryOrder(t, ['placed', 'cancelled', 'shipped'], 2, 90);
  t.deepEqual([...seen].sort(), ['committed', 'never reserved', 'released']);
});

// --- competing orders -------------------------------------------------------------------------------------------

test('25 orders placed at once for the last 10 units: exactly 10 reserved, available never below 0, the rest rejected', async (t) => {
  const { store, clock } = setup({ [P1]: { onHand: 50, reserved: 40, reorderLevel: 3 } });
  const orders = Array.from({ length: 25 }, (_, n) => orderId(n + 1));
  // Watches the store from outside: how many placements were under way when each was decided, and the available
  // stock each decision saw (every state the product went through, but the last).
  let started = 0;
  const underWay: number[] = [];
  const availableSeen: number[] = [];
  const watched: InventoryStore = {
    ...store,
    changeForOrder: (order, productIds, decide) => {
      started += 1;
      return store.changeForOrder(order, productIds, (current, stock) => {
        underWay.push(started);
        const level = stock.get(P1);
        if (level) availableSeen.push(level.onHand - level.reserved);
        return decide(current, stock);
      });
    },
  };
  const ports = { inventory: watched, now: clock.now };

  const answers = await Promise.all(
    orders.map((order) => onOrderPlaced(ports, placed(order, [{ productId: P1, quantity: 1 }]))),
  );

  t.deepEqual(
    underWay,
    Array<number>(25).fill(25),
    'every placement was under way before the first was decided',
  );
  t.deepEqual(answers, Array<Handled>(25).fill('processed'));
  t.is(availableSeen.length, 25);
  t.is(Math.min(...availableSeen), 0);
  t.deepEqual(await store.levels(P1), { onHand: 50, reserved: 50 });
  const states = orders.map((order) => store.reservations.get(order)?.state);
  t.is(states.filter((state) => state === 'reserved').length, 10);
  t.is(states.filter((state) => state === 'rejected').length, 15);
  const byType = (type: string) =>
    store.outbox.events.filter((event) => event.type === `com.ecom.inventory.${type}`);
  t.deepEqual(
    byType('reserved').map((event) => event.data.lines),
    Array.from({ length: 10 }, () => [{ productId: P1, quantity: 1 }]),
  );
  t.deepEqual(
    byType('rejected').map((event) => event.data.shortLines),
    Array.from({ length: 15 }, () => [{ productId: P1, quantity: 1, available: 0 }]),
  );
  t.deepEqual(
    byType('low').map((event) => event.data),
    [{ productId: P1, available: 3, reorderLevel: 3, at: NOW }],
  );
  t.is(store.outbox.events.length, 26);
});
