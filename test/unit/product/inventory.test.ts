import test from 'ava';
import {
  adjust,
  AdjustmentInput,
  available,
  commit,
  fellToReorderLevel,
  levelsView,
  MAX_UNITS,
  mergeLines,
  release,
  reserveAll,
  type StockLevels,
} from '../../../shared/domain/product/inventory';
import { AppError } from '../../../shared/errors/app-error';

const P1 = '00000000-0000-4000-8000-000000000001';
const P2 = '00000000-0000-4000-8000-000000000002';
const levels = (onHand: number, reserved: number): StockLevels => ({ onHand, reserved });

test('available is on hand less reserved, and the view shows all three', (t) => {
  t.is(available(levels(10, 3)), 7);
  t.deepEqual(levelsView(P1, levels(10, 3)), { productId: P1, onHand: 10, reserved: 3, available: 7 });
});

test('an adjustment changes on hand only, down to exactly what is reserved', (t) => {
  t.deepEqual(adjust(levels(10, 3), 5), levels(15, 3));
  t.deepEqual(adjust(levels(10, 3), -7), levels(3, 3));
  t.deepEqual(adjust(levels(0, 0), MAX_UNITS), levels(MAX_UNITS, 0));
  t.deepEqual(adjust(levels(4, 0), -4), levels(0, 0), 'the last units written off: none left, none reserved');
});

test('an adjustment below what is reserved, below 0 or above the maximum is a 409 naming what is free', (t) => {
  const below = t.throws(() => adjust(levels(10, 3), -8), { instanceOf: AppError });
  t.like(below, { kind: 'conflict', code: 'INVENTORY.BELOW_RESERVED' });
  t.deepEqual(below.fields, [{ field: 'delta', message: 'must be at least -7' }]);
  t.like(
    t.throws(() => adjust(levels(0, 0), -1)),
    { code: 'INVENTORY.BELOW_RESERVED' },
  );
  t.like(
    t.throws(() => adjust(levels(MAX_UNITS, 0), 1)),
    { kind: 'conflict', code: 'INVENTORY.TOO_MANY' },
  );
});

test('the adjustment form: a whole non-zero delta whose sign fits the reason, a known reason, a plain note', (t) => {
  t.deepEqual(AdjustmentInput.parse({ delta: 5, reason: 'restock', note: ' pallet 7 ' }), {
    delta: 5,
    reason: 'restock',
    note: 'pallet 7',
  });
  t.true(AdjustmentInput.safeParse({ delta: -2, reason: 'shrinkage' }).success);
  t.true(AdjustmentInput.safeParse({ delta: 3, reason: 'return' }).success);
  t.true(AdjustmentInput.safeParse({ delta: -3, reason: 'correction' }).success);
  t.true(AdjustmentInput.safeParse({ delta: 3, reason: 'correction' }).success);
  for (const bad of [
    { delta: 0, reason: 'correction' },
    { delta: 1.5, reason: 'restock' },
    { delta: '5', reason: 'restock' },
    { delta: -1, reason: 'restock' },
    { delta: -1, reason: 'return' },
    { delta: 1, reason: 'shrinkage' },
    { delta: MAX_UNITS + 1, reason: 'restock' },
    { delta: 1, reason: 'gift' },
    { delta: 1, reason: 'restock', note: 'line\nbreak' },
    { delta: 1, reason: 'restock', note: 'x'.repeat(501) },
    { delta: 1, reason: 'restock', onHand: 99 },
  ]) {
    t.false(AdjustmentInput.safeParse(bad).success, JSON.stringify(bad));
  }
});

test('lines of one product are reserved as their sum', (t) => {
  t.deepEqual(
    mergeLines([
      { productId: P1, quantity: 2 },
      { productId: P2, quantity: 1 },
      { productId: P1, quantity: 3 },
    ]),
    [
      { productId: P1, quantity: 5 },
      { productId: P2, quantity: 1 },
    ],
  );
});

test('reserving takes every line, up to exactly what is available', (t) => {
  const result = reserveAll(
    [
      { productId: P1, quantity: 7 },
      { productId: P2, quantity: 1 },
    ],
    new Map([
      [P1, levels(10, 3)],
      [P2, levels(1, 0)],
    ]),
  );
  t.deepEqual(result, {
    reserved: new Map([
      [P1, levels(10, 10)],
      [P2, levels(1, 1)],
    ]),
  });
});

test('reserving is all or nothing: every short line is named with what was available, and nothing is reserved', (t) => {
  const result = reserveAll(
    [
      { productId: P1, quantity: 4 },
      { productId: P2, quantity: 1 },
      { productId: P1, quantity: 4 }, // 8 of P1 in all
    ],
    new Map([
      [P1, levels(10, 3)],
      [P2, levels(5, 0)],
    ]),
  );
  t.deepEqual(result, { short: [{ productId: P1, quantity: 8, available: 7 }] });
});

test('a product with no levels (unknown, deleted or not for sale) is short with 0 available', (t) => {
  t.deepEqual(reserveAll([{ productId: P2, quantity: 1 }], new Map()), {
    short: [{ productId: P2, quantity: 1, available: 0 }],
  });
});

test('a release frees the units; a commit takes them out of the stock', (t) => {
  t.deepEqual(release(levels(10, 4), 3), levels(10, 1));
  t.deepEqual(commit(levels(10, 4), 3), levels(7, 1));
});

test('the low-stock moment is the fall to the reorder level or below, from above it, once', (t) => {
  t.true(fellToReorderLevel(levels(10, 0), levels(10, 5), 5));
  t.true(fellToReorderLevel(levels(10, 0), levels(10, 8), 5));
  t.false(fellToReorderLevel(levels(10, 0), levels(10, 4), 5));
  t.false(fellToReorderLevel(levels(10, 5), levels(10, 6), 5), 'already at the level');
  t.false(fellToReorderLevel(levels(10, 8), levels(20, 8), 5), 'a restock is no fall');
});
