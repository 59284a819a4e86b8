import test from 'ava';
import {
  InventoryAdjusted,
  InventoryCommitted,
  InventoryReleased,
  InventoryReserved,
} from '../../../events/inventory-events';
import { recordMovements } from '../../../functions/product/record-stock-movements/use-case';
import { memoryHistoryStore } from '../../support/memory/memory-history-store';

const TIME = new Date('2030-01-01T09:30:00.250Z');
const AT = TIME.toISOString();
const ORDER = '00000000-0000-4000-8000-0000000000a1';
const P1 = '00000000-0000-4000-8000-000000000001';
const P2 = '00000000-0000-4000-8000-000000000002';
const LINES = [
  { productId: P1, quantity: 3 },
  { productId: P2, quantity: 1 },
];

/** The event as the runtime hands it over: its id and time, and its data parsed by the catalog's schema. */
const reservedEvent = (id: string) => ({
  id,
  time: TIME,
  kind: 'reserved' as const,
  data: InventoryReserved.data.parse({ orderId: ORDER, lines: LINES, reservedAt: AT }),
});

test("an event's movements are written to each product's ledger, keyed by the event's id", async (t) => {
  const ledger = memoryHistoryStore();
  t.is(await recordMovements(ledger, reservedEvent('e-reserved')), 'processed');
  t.deepEqual(await ledger.read(P1), {
    items: [
      {
        id: 'e-reserved',
        time: TIME,
        kind: 'reserved',
        data: { onHandDelta: 0, reservedDelta: 3, orderId: ORDER },
      },
    ],
  });
  t.deepEqual(await ledger.read(P2), {
    items: [
      {
        id: 'e-reserved',
        time: TIME,
        kind: 'reserved',
        data: { onHandDelta: 0, reservedDelta: 1, orderId: ORDER },
      },
    ],
  });
});

test('every kind of inventory event is written with its own deltas', async (t) => {
  const ledger = memoryHistoryStore();
  const later = (minutes: number) => new Date(TIME.getTime() + minutes * 60_000);
  await recordMovements(ledger, reservedEvent('e1'));
  await recordMovements(ledger, {
    id: 'e2',
    time: later(1),
    kind: 'released',
    data: InventoryReleased.data.parse({ orderId: ORDER, lines: LINES, releasedAt: AT }),
  });
  await recordMovements(ledger, {
    id: 'e3',
    time: later(2),
    kind: 'committed',
    data: InventoryCommitted.data.parse({ orderId: ORDER, lines: LINES, committedAt: AT }),
  });
  await recordMovements(ledger, {
    id: 'e4',
    time: later(3),
    kind: 'adjusted',
    data: InventoryAdjusted.data.parse({
      productId: P1,
      delta: 20,
      reason: 'restock',
      note: 'pallet 7',
      onHand: 27,
      reserved: 0,
      adjustedAt: AT,
    }),
  });
  const p1 = await ledger.read(P1, { order: 'oldest-first' });
  t.deepEqual(
    p1.items.map((entry) => [entry.id, entry.kind, entry.data]),
    [
      ['e1', 'reserved', { onHandDelta: 0, reservedDelta: 3, orderId: ORDER }],
      ['e2', 'released', { onHandDelta: 0, reservedDelta: -3, orderId: ORDER }],
      ['e3', 'committed', { onHandDelta: -3, reservedDelta: -3, orderId: ORDER }],
      ['e4', 'adjusted', { onHandDelta: 20, reservedDelta: 0, reason: 'restock', note: 'pallet 7' }],
    ],
  );
  t.deepEqual(
    p1.items.map((entry) => entry.time),
    [TIME, later(1), later(2), later(3)],
  );
  t.is(await ledger.count(P2), 3);
});

test('a replayed event rewrites its entries: the count is unchanged', async (t) => {
  const ledger = memoryHistoryStore();
  await recordMovements(ledger, reservedEvent('e-reserved'));
  const first = await ledger.read(P1);
  t.is(await recordMovements(ledger, reservedEvent('e-reserved')), 'processed');
  t.is(await recordMovements(ledger, reservedEvent('e-reserved')), 'processed');
  t.is(await ledger.count(P1), 1);
  t.is(await ledger.count(P2), 1);
  t.deepEqual(await ledger.read(P1), first);
  // Another event with the same movements is another entry.
  await recordMovements(ledger, reservedEvent('e-other'));
  t.is(await ledger.count(P1), 2);
});
