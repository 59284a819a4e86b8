import test from 'ava';
import {
  adjustStock,
  stockLevels,
  stockMovements,
} from '../../../functions/product/adjust-inventory/use-case';
import type { HistoryStore } from '../../../shared/domain/history-store';
import { PageQuery } from '../../../shared/domain/pagination';
import { AdjustmentInput } from '../../../shared/domain/product/inventory';
import { AppError } from '../../../shared/errors/app-error';
import { memoryHistoryStore } from '../../support/memory/memory-history-store';
import { memoryInventoryStore, type MemoryStockSetup } from '../../support/memory/memory-inventory-store';
import { testClock } from '../../support/memory/test-clock';

const NOW = '2030-01-01T09:30:00.250Z';
const SOURCE = '/ecom/product/adjust-inventory';
const P1 = '00000000-0000-4000-8000-000000000001';
const P2 = '00000000-0000-4000-8000-000000000002';
const UNKNOWN = '00000000-0000-4000-8000-000000000999';

function setup(products: Record<string, MemoryStockSetup> = {}) {
  const clock = testClock(NOW);
  const inventory = memoryInventoryStore();
  for (const [productId, stock] of Object.entries(products)) inventory.addProduct(productId, stock);
  const ledger = memoryHistoryStore();
  return { clock, inventory, ledger, deps: { inventory, now: clock.now } };
}

/** The body as the handler hands it over: parsed (trimmed, checked) by the route's schema. */
const body = (fields: Record<string, unknown>) => AdjustmentInput.parse(fields);

const adjusted = (id: string, data: Record<string, unknown>) => ({
  id,
  type: 'com.ecom.inventory.adjusted',
  source: SOURCE,
  subject: P1,
  partitionKey: P1,
  time: new Date(NOW),
  data: { productId: P1, ...data, adjustedAt: NOW },
});

test('a restock answers the new levels, stores them and records exactly one com.ecom.inventory.adjusted', async (t) => {
  const { inventory, deps } = setup({ [P1]: { onHand: 5, reserved: 2 }, [P2]: { onHand: 9 } });
  t.deepEqual(await adjustStock(deps, P1, body({ delta: 10, reason: 'restock', note: ' pallet 7 ' })), {
    productId: P1,
    onHand: 15,
    reserved: 2,
    available: 13,
  });
  t.deepEqual(await inventory.levels(P1), { onHand: 15, reserved: 2 });
  t.deepEqual(await inventory.levels(P2), { onHand: 9, reserved: 0 });
  t.deepEqual(inventory.outbox.events, [
    adjusted(inventory.outbox.events[0]?.id ?? '', {
      delta: 10,
      reason: 'restock',
      note: 'pallet 7',
      onHand: 15,
      reserved: 2,
    }),
  ]);
});

test('an adjustment without a note records none', async (t) => {
  const { inventory, deps } = setup({ [P1]: { onHand: 5, reserved: 2 } });
  t.deepEqual(await adjustStock(deps, P1, body({ delta: -2, reason: 'correction' })), {
    productId: P1,
    onHand: 3,
    reserved: 2,
    available: 1,
  });
  t.deepEqual(inventory.outbox.events, [
    adjusted(inventory.outbox.events[0]?.id ?? '', {
      delta: -2,
      reason: 'correction',
      onHand: 3,
      reserved: 2,
    }),
  ]);
});

test('a product that is not for sale (a draft, archived) is stocked all the same', async (t) => {
  const { inventory, deps } = setup({ [P1]: { sellable: false } });
  t.deepEqual(await adjustStock(deps, P1, body({ delta: 40, reason: 'restock' })), {
    productId: P1,
    onHand: 40,
    reserved: 0,
    available: 40,
  });
  t.deepEqual(await inventory.levels(P1), { onHand: 40, reserved: 0 });
});

test('a fall of available stock to the reorder level or below also records com.ecom.inventory.low', async (t) => {
  const { inventory, deps } = setup({ [P1]: { onHand: 10, reserved: 2, reorderLevel: 5 } });
  // 8 available -> 5, exactly the level.
  await adjustStock(deps, P1, body({ delta: -3, reason: 'shrinkage', note: 'dropped a crate' }));
  t.deepEqual(inventory.outbox.events, [
    adjusted(inventory.outbox.events[0]?.id ?? '', {
      delta: -3,
      reason: 'shrinkage',
      note: 'dropped a crate',
      onHand: 7,
      reserved: 2,
    }),
    {
      id: inventory.outbox.events[1]?.id ?? '',
      type: 'com.ecom.inventory.low',
      source: SOURCE,
      subject: P1,
      partitionKey: P1,
      time: new Date(NOW),
      data: { productId: P1, available: 5, reorderLevel: 5, at: NOW },
    },
  ]);
});

test('no com.ecom.inventory.low when available was already at or below the level, nor when it rises', async (t) => {
  const { inventory, deps } = setup({ [P1]: { onHand: 10, reserved: 2, reorderLevel: 5 } });
  await adjustStock(deps, P1, body({ delta: -4, reason: 'shrinkage' })); // 8 -> 4: the one fall
  await adjustStock(deps, P1, body({ delta: -1, reason: 'shrinkage' })); // 4 -> 3
  await adjustStock(deps, P1, body({ delta: 1, reason: 'return' })); // 3 -> 4
  await adjustStock(deps, P1, body({ delta: 6, reason: 'restock' })); // 4 -> 10
  t.deepEqual(
    inventory.outbox.events.map((event) => [event.type, event.data.onHand]),
    [
      ['com.ecom.inventory.adjusted', 6],
      ['com.ecom.inventory.low', undefined],
      ['com.ecom.inventory.adjusted', 5],
      ['com.ecom.inventory.adjusted', 6],
      ['com.ecom.inventory.adjusted', 12],
    ],
  );
  t.deepEqual(inventory.outbox.events[1]?.data, { productId: P1, available: 4, reorderLevel: 5, at: NOW });
});

test('taking on hand below what is reserved is 409 INVENTORY.BELOW_RESERVED, stores nothing and records nothing', async (t) => {
  const { inventory, deps } = setup({ [P1]: { onHand: 10, reserved: 4, reorderLevel: 8 } });
  const error = await t.throwsAsync(adjustStock(deps, P1, body({ delta: -7, reason: 'shrinkage' })), {
    instanceOf: AppError,
  });
  t.like(error, { kind: 'conflict', code: 'INVENTORY.BELOW_RESERVED' });
  t.deepEqual(error.fields, [{ field: 'delta', message: 'must be at least -6' }]);
  t.deepEqual(await inventory.levels(P1), { onHand: 10, reserved: 4 });
  t.deepEqual(inventory.outbox.events, []);

  // Exactly what is free may go.
  t.deepEqual(await adjustStock(deps, P1, body({ delta: -6, reason: 'shrinkage' })), {
    productId: P1,
    onHand: 4,
    reserved: 4,
    available: 0,
  });
});

test('an unknown or deleted product is 404 PRODUCT.NOT_FOUND, and nothing is recorded', async (t) => {
  const { inventory, deps } = setup({ [P1]: { onHand: 10 } });
  inventory.remove(P1);
  for (const productId of [P1, UNKNOWN]) {
    const error = await t.throwsAsync(adjustStock(deps, productId, body({ delta: 1, reason: 'restock' })), {
      instanceOf: AppError,
    });
    t.like(error, { kind: 'not-found', code: 'PRODUCT.NOT_FOUND' }, productId);
  }
  t.like(inventory.rows.get(P1), { onHand: 10, reserved: 0 });
  t.deepEqual(inventory.outbox.events, []);
});

test('stockLevels answers on hand, reserved and available; 404 for an unknown or deleted product', async (t) => {
  const { inventory } = setup({ [P1]: { onHand: 12, reserved: 5 }, [P2]: { onHand: 3 } });
  t.deepEqual(await stockLevels(inventory, P1), { productId: P1, onHand: 12, reserved: 5, available: 7 });
  inventory.remove(P2);
  for (const productId of [P2, UNKNOWN]) {
    const error = await t.throwsAsync(stockLevels(inventory, productId), { instanceOf: AppError });
    t.like(error, { kind: 'not-found', code: 'PRODUCT.NOT_FOUND' }, productId);
  }
});

// --- the ledger -------------------------------------------------------------------------------------------------

/** 25 restocks of P1, one a minute from NOW, their ids m01..m25 (the newest last), and one of P2. */
async function withLedger() {
  const stores = setup({ [P1]: { onHand: 100 }, [P2]: { onHand: 1 } });
  for (let n = 1; n <= 25; n += 1) {
    await stores.ledger.append(P1, {
      id: `m${String(n).padStart(2, '0')}`,
      time: new Date(Date.parse(NOW) + n * 60_000),
      kind: 'adjusted',
      data: { onHandDelta: n, reservedDelta: 0, reason: 'restock' },
    });
  }
  await stores.ledger.append(P2, {
    id: 'other',
    time: new Date(NOW),
    kind: 'adjusted',
    data: { onHandDelta: 1, reservedDelta: 0, reason: 'restock' },
  });
  return stores;
}
const movement = (n: number) => ({
  id: `m${String(n).padStart(2, '0')}`,
  kind: 'adjusted',
  at: new Date(Date.parse(NOW) + n * 60_000).toISOString(),
  onHandDelta: n,
  reservedDelta: 0,
  reason: 'restock',
});
const range = (from: number, to: number) =>
  Array.from({ length: from - to + 1 }, (_, index) => movement(from - index));

test('stockMovements pages the ledger newest first, with the total', async (t) => {
  const { inventory, ledger } = await withLedger();
  const page = (query: Record<string, string>) =>
    stockMovements({ inventory, ledger }, P1, PageQuery.parse(query));
  t.deepEqual(await page({ pageSize: '10' }), { items: range(25, 16), page: 1, pageSize: 10, total: 25 });
  t.deepEqual(await page({ page: '2', pageSize: '10' }), {
    items: range(15, 6),
    page: 2,
    pageSize: 10,
    total: 25,
  });
  t.deepEqual(await page({ page: '3', pageSize: '10' }), {
    items: range(5, 1),
    page: 3,
    pageSize: 10,
    total: 25,
  });
  t.deepEqual(await page({}), { items: range(25, 6), page: 1, pageSize: 20, total: 25 });
});

test('a page past the end of the ledger is empty, with the total, and answered without reading the ledger', async (t) => {
  const { inventory, ledger } = await withLedger();
  let reads = 0;
  const counted: HistoryStore = {
    ...ledger,
    read: (stream, options) => {
      reads += 1;
      return ledger.read(stream, options);
    },
  };
  for (const query of [
    { page: '4', pageSize: '10' },
    { page: '2', pageSize: '25' },
    { page: '100000', pageSize: '100' },
  ]) {
    t.deepEqual(
      await stockMovements({ inventory, ledger: counted }, P1, PageQuery.parse(query)),
      { items: [], page: Number(query.page), pageSize: Number(query.pageSize), total: 25 },
      JSON.stringify(query),
    );
  }
  t.is(reads, 0);
});

test('a product with no movements yet has an empty ledger', async (t) => {
  const { inventory, ledger } = setup({ [P1]: {} });
  t.deepEqual(await stockMovements({ inventory, ledger }, P1, PageQuery.parse({})), {
    items: [],
    page: 1,
    pageSize: 20,
    total: 0,
  });
});

test('the ledger of an unknown or deleted product is 404 PRODUCT.NOT_FOUND, even with entries', async (t) => {
  const { inventory, ledger } = await withLedger();
  inventory.remove(P1);
  for (const productId of [P1, UNKNOWN]) {
    const error = await t.throwsAsync(stockMovements({ inventory, ledger }, productId, PageQuery.parse({})), {
      instanceOf: AppError,
    });
    t.like(error, { kind: 'not-found', code: 'PRODUCT.NOT_FOUND' }, productId);
  }
});
