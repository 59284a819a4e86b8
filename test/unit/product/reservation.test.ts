import test from 'ava';
import { OrderPlaced } from '../../../events/order-placed';
import type { StockLine } from '../../../shared/domain/product/inventory';
import {
  commitReservation,
  placeReservation,
  releaseReservation,
  type OrderReservation,
  type ProductStock,
  type ReservationState,
} from '../../../shared/domain/product/reservation';
import { AppError } from '../../../shared/errors/app-error';

const NOW = new Date('2030-01-01T09:30:00.250Z');
const AT = NOW.toISOString();
const SOURCE = '/ecom/product/reserve-inventory';
const ORDER = '00000000-0000-4000-8000-0000000000a1';
const CUSTOMER = '00000000-0000-4000-8000-0000000000c1';
const P1 = '00000000-0000-4000-8000-000000000001';
const P2 = '00000000-0000-4000-8000-000000000002';
const P3 = '00000000-0000-4000-8000-000000000003';

const stock = (onHand: number, reserved: number, fields: Partial<ProductStock> = {}): ProductStock => ({
  onHand,
  reserved,
  reorderLevel: 0,
  sellable: true,
  ...fields,
});
const stockOf = (entries: Record<string, ProductStock>) => new Map(Object.entries(entries));
const levels = (entries: Record<string, [onHand: number, reserved: number]>) =>
  new Map(Object.entries(entries).map(([id, [onHand, reserved]]) => [id, { onHand, reserved }]));

/** The order as reserve-inventory receives it: the data of com.ecom.order.placed, parsed by its schema. */
const order = (lines: StockLine[]) =>
  OrderPlaced.data.parse({ orderId: ORDER, customerId: CUSTOMER, lines, placedAt: AT });
const record = (state: ReservationState, lines: StockLine[] = []): OrderReservation => ({
  orderId: ORDER,
  state,
  lines,
});

const inventoryEvent = (type: string, subject: string, data: Record<string, unknown>) => ({
  type: `com.ecom.inventory.${type}`,
  source: SOURCE,
  subject,
  partitionKey: subject,
  time: NOW,
  data,
});
const reserved = (lines: StockLine[]) =>
  inventoryEvent('reserved', ORDER, { orderId: ORDER, lines, reservedAt: AT });
const low = (productId: string, available: number, reorderLevel: number) =>
  inventoryEvent('low', productId, { productId, available, reorderLevel, at: AT });

test('a placement reserves every line, with exactly one com.ecom.inventory.reserved event', (t) => {
  const change = placeReservation(
    order([
      { productId: P1, quantity: 3 },
      { productId: P2, quantity: 5 },
    ]),
    undefined,
    stockOf({ [P1]: stock(10, 2), [P2]: stock(8, 0), [P3]: stock(4, 0) }),
    NOW,
  );
  const lines = [
    { productId: P1, quantity: 3 },
    { productId: P2, quantity: 5 },
  ];
  t.deepEqual(change, {
    reservation: { orderId: ORDER, state: 'reserved', lines },
    levels: levels({ [P1]: [10, 5], [P2]: [8, 5] }),
    events: [reserved(lines)],
  });
});

test('a placement takes exactly the units that are available, down to 0', (t) => {
  const change = placeReservation(
    order([{ productId: P1, quantity: 4 }]),
    undefined,
    stockOf({ [P1]: stock(6, 2, { reorderLevel: 0 }) }),
    NOW,
  );
  t.deepEqual(change?.reservation, {
    orderId: ORDER,
    state: 'reserved',
    lines: [{ productId: P1, quantity: 4 }],
  });
  t.deepEqual(change?.levels, levels({ [P1]: [6, 6] }));
});

test('a placement is all or nothing: one short line reserves none, and every short line is named', (t) => {
  const change = placeReservation(
    order([
      { productId: P1, quantity: 4 },
      { productId: P2, quantity: 1 },
      { productId: P3, quantity: 2 },
    ]),
    undefined,
    // P1 has 3 available, P2 plenty, P3 is not in the store at all.
    stockOf({ [P1]: stock(5, 2), [P2]: stock(100, 0) }),
    NOW,
  );
  t.deepEqual(change, {
    reservation: { orderId: ORDER, state: 'rejected', lines: [] },
    levels: new Map(),
    events: [
      inventoryEvent('rejected', ORDER, {
        orderId: ORDER,
        shortLines: [
          { productId: P1, quantity: 4, available: 3 },
          { productId: P3, quantity: 2, available: 0 },
        ],
        rejectedAt: AT,
      }),
    ],
  });
});

test('a short line names 0 available when more is reserved than on hand', (t) => {
  const change = placeReservation(
    order([{ productId: P1, quantity: 1 }]),
    undefined,
    stockOf({ [P1]: stock(2, 5) }),
    NOW,
  );
  t.deepEqual(
    change?.events.map((event) => event.data.shortLines),
    [[{ productId: P1, quantity: 1, available: 0 }]],
  );
});

test('an order that names a product twice reserves the sum, checked as one line', (t) => {
  const lines = [
    { productId: P1, quantity: 2 },
    { productId: P2, quantity: 1 },
    { productId: P1, quantity: 3 },
  ];
  const enough = placeReservation(
    order(lines),
    undefined,
    stockOf({ [P1]: stock(9, 1), [P2]: stock(9, 0) }),
    NOW,
  );
  const merged = [
    { productId: P1, quantity: 5 },
    { productId: P2, quantity: 1 },
  ];
  t.deepEqual(enough, {
    reservation: { orderId: ORDER, state: 'reserved', lines: merged },
    levels: levels({ [P1]: [9, 6], [P2]: [9, 1] }),
    events: [reserved(merged)],
  });
  // 4 available: each line alone would fit, their sum does not.
  const short = placeReservation(
    order(lines),
    undefined,
    stockOf({ [P1]: stock(5, 1), [P2]: stock(9, 0) }),
    NOW,
  );
  t.deepEqual(
    short?.events.map((event) => [event.type, event.data.shortLines]),
    [['com.ecom.inventory.rejected', [{ productId: P1, quantity: 5, available: 4 }]]],
  );
  t.deepEqual(short?.levels, new Map());
});

test('an order whose lines of one product add up to more than 10,000 units is reserved when the stock has them', (t) => {
  // Each line is a valid order line (at most 10,000 units); their sum is one reserved line above that.
  const lines = [
    { productId: P1, quantity: 6000 },
    { productId: P1, quantity: 6000 },
  ];
  const change = placeReservation(order(lines), undefined, stockOf({ [P1]: stock(20_000, 0) }), NOW);
  t.deepEqual(change?.reservation, {
    orderId: ORDER,
    state: 'reserved',
    lines: [{ productId: P1, quantity: 12_000 }],
  });
  t.deepEqual(change?.levels, levels({ [P1]: [20_000, 12_000] }));
});

test('a product that is not sellable (draft, archived or deleted) counts as 0 available', (t) => {
  const change = placeReservation(
    order([
      { productId: P1, quantity: 1 },
      { productId: P2, quantity: 1 },
    ]),
    undefined,
    stockOf({ [P1]: stock(50, 0, { sellable: false }), [P2]: stock(50, 0) }),
    NOW,
  );
  t.deepEqual(change?.reservation, { orderId: ORDER, state: 'rejected', lines: [] });
  t.deepEqual(change?.levels, new Map());
  t.deepEqual(
    change?.events.map((event) => event.data.shortLines),
    [[{ productId: P1, quantity: 1, available: 0 }]],
  );
});

test('a placement does nothing when the order already has a record, whatever its state', (t) => {
  for (const state of ['reserved', 'rejected', 'released', 'committed'] as const) {
    t.is(
      placeReservation(
        order([{ productId: P1, quantity: 1 }]),
        record(state, state === 'rejected' ? [] : [{ productId: P1, quantity: 1 }]),
        stockOf({ [P1]: stock(10, 1) }),
        NOW,
      ),
      undefined,
      state,
    );
  }
});

test('a cancellation before the placement leaves a released record with no events, and the placement then does nothing', (t) => {
  const cancelled = releaseReservation(ORDER, undefined, new Map(), NOW);
  t.deepEqual(cancelled, {
    reservation: { orderId: ORDER, state: 'released', lines: [] },
    levels: new Map(),
    events: [],
  });
  t.is(
    placeReservation(
      order([{ productId: P1, quantity: 1 }]),
      cancelled?.reservation,
      stockOf({ [P1]: stock(10, 0) }),
      NOW,
    ),
    undefined,
  );
});

test("a release frees exactly the order's units and emits com.ecom.inventory.released", (t) => {
  const lines = [
    { productId: P1, quantity: 3 },
    { productId: P2, quantity: 2 },
  ];
  const change = releaseReservation(
    ORDER,
    record('reserved', lines),
    stockOf({ [P1]: stock(10, 5), [P2]: stock(4, 2), [P3]: stock(7, 7) }),
    NOW,
  );
  t.deepEqual(change, {
    reservation: { orderId: ORDER, state: 'released', lines },
    levels: levels({ [P1]: [10, 2], [P2]: [4, 0] }),
    events: [inventoryEvent('released', ORDER, { orderId: ORDER, lines, releasedAt: AT })],
  });
});

test("a release or a commit of a deleted product's line still moves its units", (t) => {
  const lines = [{ productId: P1, quantity: 2 }];
  const deleted = stockOf({ [P1]: stock(6, 2, { sellable: false }) });
  t.deepEqual(
    releaseReservation(ORDER, record('reserved', lines), deleted, NOW)?.levels,
    levels({ [P1]: [6, 0] }),
  );
  t.deepEqual(
    commitReservation(ORDER, record('reserved', lines), deleted, NOW)?.levels,
    levels({ [P1]: [4, 0] }),
  );
});

test('a release or a commit of a rejected, released or committed order does nothing', (t) => {
  const stockNow = stockOf({ [P1]: stock(10, 3) });
  for (const current of [
    record('rejected'),
    record('released'),
    record('released', [{ productId: P1, quantity: 3 }]),
    record('committed', [{ productId: P1, quantity: 3 }]),
  ]) {
    const label = `${current.state} ${JSON.stringify(current.lines)}`;
    t.is(releaseReservation(ORDER, current, stockNow, NOW), undefined, label);
    t.is(commitReservation(ORDER, current, stockNow, NOW), undefined, label);
  }
});

test('a commit takes the units out of both on hand and reserved, and emits com.ecom.inventory.committed', (t) => {
  const lines = [
    { productId: P1, quantity: 3 },
    { productId: P2, quantity: 2 },
  ];
  const change = commitReservation(
    ORDER,
    record('reserved', lines),
    stockOf({ [P1]: stock(10, 5, { reorderLevel: 8 }), [P2]: stock(4, 2) }),
    NOW,
  );
  t.deepEqual(change, {
    reservation: { orderId: ORDER, state: 'committed', lines },
    levels: levels({ [P1]: [7, 2], [P2]: [2, 0] }),
    events: [inventoryEvent('committed', ORDER, { orderId: ORDER, lines, committedAt: AT })],
  });
});

test('a commit of an order with no record yet is 503 INVENTORY.NOT_RESERVED_YET, to be delivered again', (t) => {
  const error = t.throws(() => commitReservation(ORDER, undefined, stockOf({ [P1]: stock(10, 0) }), NOW), {
    instanceOf: AppError,
  });
  t.like(error, { kind: 'unavailable', code: 'INVENTORY.NOT_RESERVED_YET', retryAfterSeconds: 5 });
});

test('com.ecom.inventory.low follows the reserved event when available falls to or below the reorder level from above', (t) => {
  const lines = [
    { productId: P1, quantity: 5 },
    { productId: P2, quantity: 4 },
    { productId: P3, quantity: 1 },
  ];
  const change = placeReservation(
    order(lines),
    undefined,
    stockOf({
      // 10 available -> 5, exactly the level.
      [P1]: stock(10, 0, { reorderLevel: 5 }),
      // 6 -> 2, below the level of 3.
      [P2]: stock(8, 2, { reorderLevel: 3 }),
      // 9 -> 8, still above 7.
      [P3]: stock(9, 0, { reorderLevel: 7 }),
    }),
    NOW,
  );
  t.deepEqual(change?.events, [reserved(lines), low(P1, 5, 5), low(P2, 2, 3)]);
});

test('no com.ecom.inventory.low when available was already at or below the reorder level', (t) => {
  for (const before of [stock(5, 0, { reorderLevel: 5 }), stock(4, 0, { reorderLevel: 5 })]) {
    const change = placeReservation(
      order([{ productId: P1, quantity: 2 }]),
      undefined,
      stockOf({ [P1]: before }),
      NOW,
    );
    t.deepEqual(
      change?.events.map((event) => event.type),
      ['com.ecom.inventory.reserved'],
      JSON.stringify(before),
    );
  }
});

test('no com.ecom.inventory.low on a release or a commit, even at or below the reorder level', (t) => {
  const lines = [{ productId: P1, quantity: 2 }];
  const below = stockOf({ [P1]: stock(3, 2, { reorderLevel: 5 }) });
  t.deepEqual(
    releaseReservation(ORDER, record('reserved', lines), below, NOW)?.events.map((event) => event.type),
    ['com.ecom.inventory.released'],
  );
  t.deepEqual(
    commitReservation(ORDER, record('reserved', lines), below, NOW)?.events.map((event) => event.type),
    ['com.ecom.inventory.committed'],
  );
});
