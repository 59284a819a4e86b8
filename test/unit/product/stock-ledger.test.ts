import test from 'ava';
import {
  InventoryAdjusted,
  InventoryCommitted,
  InventoryReleased,
  InventoryReserved,
} from '../../../events/inventory-events';
import { ledgerWrites, movementView } from '../../../shared/domain/product/stock-ledger';

const TIME = new Date('2030-01-01T09:30:00.250Z');
const AT = TIME.toISOString();
const EVENT_ID = 'b6f1c2a4-5e6d-4f70-8a9b-0c1d2e3f4a5b';
const ORDER = '00000000-0000-4000-8000-0000000000a1';
const P1 = '00000000-0000-4000-8000-000000000001';
const P2 = '00000000-0000-4000-8000-000000000002';
const LINES = [
  { productId: P1, quantity: 3 },
  { productId: P2, quantity: 1 },
];

/** One entry per product, its id the event's and its time the event's. */
const write = (productId: string, kind: string, data: Record<string, unknown>) => ({
  productId,
  entry: { id: EVENT_ID, time: TIME, kind, data },
});

test('an adjustment writes one entry: the delta on hand, the reason and the note', (t) => {
  const adjusted = (note?: string) =>
    InventoryAdjusted.data.parse({
      productId: P1,
      delta: -4,
      reason: 'shrinkage',
      ...(note === undefined ? {} : { note }),
      onHand: 6,
      reserved: 2,
      adjustedAt: AT,
    });
  t.deepEqual(ledgerWrites(EVENT_ID, TIME, { kind: 'adjusted', data: adjusted('dropped a crate') }), [
    write(P1, 'adjusted', {
      onHandDelta: -4,
      reservedDelta: 0,
      reason: 'shrinkage',
      note: 'dropped a crate',
    }),
  ]);
  t.deepEqual(ledgerWrites(EVENT_ID, TIME, { kind: 'adjusted', data: adjusted() }), [
    write(P1, 'adjusted', { onHandDelta: -4, reservedDelta: 0, reason: 'shrinkage' }),
  ]);
});

test('a reservation writes an entry per product: its units reserved, on hand unchanged', (t) => {
  const data = InventoryReserved.data.parse({ orderId: ORDER, lines: LINES, reservedAt: AT });
  t.deepEqual(ledgerWrites(EVENT_ID, TIME, { kind: 'reserved', data }), [
    write(P1, 'reserved', { onHandDelta: 0, reservedDelta: 3, orderId: ORDER }),
    write(P2, 'reserved', { onHandDelta: 0, reservedDelta: 1, orderId: ORDER }),
  ]);
});

test('a release writes an entry per product: its units no longer reserved', (t) => {
  const data = InventoryReleased.data.parse({ orderId: ORDER, lines: LINES, releasedAt: AT });
  t.deepEqual(ledgerWrites(EVENT_ID, TIME, { kind: 'released', data }), [
    write(P1, 'released', { onHandDelta: 0, reservedDelta: -3, orderId: ORDER }),
    write(P2, 'released', { onHandDelta: 0, reservedDelta: -1, orderId: ORDER }),
  ]);
});

test('a commit writes an entry per product: its units leave both on hand and reserved', (t) => {
  const data = InventoryCommitted.data.parse({ orderId: ORDER, lines: LINES, committedAt: AT });
  t.deepEqual(ledgerWrites(EVENT_ID, TIME, { kind: 'committed', data }), [
    write(P1, 'committed', { onHandDelta: -3, reservedDelta: -3, orderId: ORDER }),
    write(P2, 'committed', { onHandDelta: -1, reservedDelta: -1, orderId: ORDER }),
  ]);
});

test('the view of an entry: its id, kind and time, and the movement', (t) => {
  t.deepEqual(
    movementView({
      id: EVENT_ID,
      time: TIME,
      kind: 'adjusted',
      data: { onHandDelta: 12, reservedDelta: 0, reason: 'restock', note: 'pallet 7' },
    }),
    {
      id: EVENT_ID,
      kind: 'adjusted',
      at: AT,
      onHandDelta: 12,
      reservedDelta: 0,
      reason: 'restock',
      note: 'pallet 7',
    },
  );
  t.deepEqual(
    movementView({
      id: EVENT_ID,
      time: TIME,
      kind: 'committed',
      data: { onHandDelta: -3, reservedDelta: -3, orderId: ORDER },
    }),
    { id: EVENT_ID, kind: 'committed', at: AT, onHandDelta: -3, reservedDelta: -3, orderId: ORDER },
  );
});

test('an entry this version cannot read still shows, with no movement', (t) => {
  for (const data of [
    {},
    { onHandDelta: '3', reservedDelta: 0 },
    { onHandDelta: 1.5, reservedDelta: 0 },
    { onHandDelta: 1, reservedDelta: 0, orderId: 'not-a-uuid' },
  ]) {
    t.deepEqual(
      movementView({ id: 'hand-written', time: TIME, kind: 'mystery', data }),
      { id: 'hand-written', kind: 'mystery', at: AT, onHandDelta: 0, reservedDelta: 0 },
      JSON.stringify(data),
    );
  }
});
